/** DataTableStateStore against the n8n Data Table simulator over real HTTP. */
import { claimCreation } from '../../../nodes/shared/core/syncState/claim';
import { DataTableStateStore, STATE_COLUMNS } from '../../../nodes/shared/syncStore';
import { startN8nDataTableSimulator, type N8nDataTableSimulator } from '../../simulators/n8nDataTables';
import { makeStoreContext } from './context';

let sim: N8nDataTableSimulator;
beforeAll(async () => {
	sim = await startN8nDataTableSimulator({ extraKeys: { 'no-scope-key': { scopes: ['dataTable:list'] }, 'colleague-key': {} } });
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());

const store = (over: { apiKey?: string; tableName?: string; itemIndex?: number } = {}) => {
	const { ctx, warnings } = makeStoreContext({ baseUrl: sim.url, apiKey: over.apiKey ?? sim.apiKey, tableName: over.tableName });
	return { store: new DataTableStateStore(ctx, { itemIndex: over.itemIndex }), warnings };
};
const newLink = { entity: 'contact' as const, pipedriveId: '501', propstreetId: null, status: 'creating' as const, baseline: null, owner: 'run-a' };
const creates = () => sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/data-tables'));

describe('claim re-check delay (credential)', () => {
	it('is 200 ms unless the credential says otherwise, and is read with the credential (before any claim can look at it)', async () => {
		const byDefault = store().store;
		await byDefault.find('contact', 'pipedrive', '1');
		expect(byDefault.insertVisibleWithinMs).toBe(200);
		const { ctx } = makeStoreContext({ baseUrl: sim.url, apiKey: sim.apiKey, claimRecheckMs: 0 });
		const sqlite = new DataTableStateStore(ctx);
		await sqlite.insert(newLink);
		expect(sqlite.insertVisibleWithinMs).toBe(0);
	});
});

describe('table bootstrap', () => {
	it('creates the table with every column once, even when two stores bootstrap at once, and reuses it', async () => {
		await Promise.all([store().store.find('contact', 'pipedrive', '1'), store().store.find('contact', 'pipedrive', '2')]);
		expect(sim.tables()).toHaveLength(1);
		expect(sim.tables()[0]).toMatchObject({ name: 'Propstreet sync state' });
		expect(sim.tables()[0].columns.map((c) => [c.name, c.type])).toEqual(STATE_COLUMNS.map((c) => [c.name, c.type]));
		expect(creates().map((r) => r.status).sort()).toEqual([201, 409]);
		const s = store().store;
		await s.find('contact', 'pipedrive', '1');
		await s.find('contact', 'pipedrive', '1');
		expect(creates()).toHaveLength(2);
		expect(sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/data-tables')).length).toBe(2 + 2 + 1); // each racer lists twice, the third once
	});

	it('adds missing columns to an older table and keeps its rows', async () => {
		const old = sim.createTable('Propstreet sync state', STATE_COLUMNS.slice(0, 5));
		const { store: s } = store();
		const row = await s.insert(newLink);
		expect(sim.tables()).toHaveLength(1);
		expect(old.columns.map((c) => c.name)).toEqual(STATE_COLUMNS.map((c) => c.name));
		expect(row).toMatchObject({ rowId: 1, owner: 'run-a' });
	});

	it('matches the table name exactly (n8n filters by substring) and uses the oldest of same-named tables', async () => {
		sim.createTable('Propstreet sync state (archive)', STATE_COLUMNS.slice());
		const theirs = sim.createTable('Propstreet sync state', STATE_COLUMNS.slice(), 'personal-colleague-key');
		sim.clock.advance(1000);
		sim.createTable('Propstreet sync state', STATE_COLUMNS.slice());
		const { store: s, warnings } = store();
		await s.insert(newLink);
		expect(sim.rows(theirs.id)).toHaveLength(1);
		expect(warnings.join()).toMatch(/Several data tables are named/);
	});

	it('recreates the table when it is deleted during the execution', async () => {
		const { store: s } = store();
		await s.insert(newLink);
		sim.reset(); // the table is deleted, as a user resetting the sync would
		expect(await s.find('contact', 'pipedrive', '501')).toEqual([]);
		expect(sim.tables()).toHaveLength(1);
	});
});

describe('rows', () => {
	it('round-trip: the row holds the columns the UI shows, and reads back as the same link', async () => {
		const { store: s } = store();
		const baseline = { pipedrive: { 'contact.name': 'Anna' }, propstreet: { 'contact.name': 'Anna' } };
		const row = await s.insert({ ...newLink, status: 'linked', propstreetId: 'c-1', baseline, owner: null });
		expect(sim.rows('Propstreet sync state')[0]).toMatchObject({ entity: 'contact', pipedriveId: '501', propstreetId: 'c-1', status: 'linked', version: 1, owner: null, baseline: JSON.stringify(baseline) });
		expect(await s.find('contact', 'propstreet', 'c-1')).toEqual([row]);
		expect(row.updatedAt).toBe(sim.rows('Propstreet sync state')[0].updatedAt);
	});

	it('ids are values, never query text: quotes and JSON in an id match only themselves', async () => {
		const { store: s } = store();
		await s.insert({ ...newLink, pipedriveId: '" OR 1=1 --' });
		await s.insert({ ...newLink, pipedriveId: '{"type":"or"}' });
		expect((await s.find('contact', 'pipedrive', '" OR 1=1 --')).map((r) => r.rowId)).toEqual([1]);
		expect(await s.find('contact', 'pipedrive', '501')).toEqual([]);
	});

	it('find follows cursors past one page', async () => {
		const { store: s } = store();
		for (let i = 0; i < 3; i++) await s.insert(newLink);
		const table = sim.tables()[0];
		for (let i = 0; i < 260; i++) table.rows.push({ ...table.rows[0], id: table.nextRowId++ });
		expect(await s.find('contact', 'pipedrive', '501')).toHaveLength(263);
	});
});

describe('compare-and-set', () => {
	it.each([false, true])('refuses a stale version (SQLite-like: %s)', async (sqlite) => {
		sim.switches.sqliteReturnedRows = sqlite;
		const { store: s } = store();
		const row = await s.insert(newLink);
		expect(await s.update(row.rowId, 1, { status: 'linked' })).toMatchObject({ version: 2, status: 'linked' });
		expect(await s.update(row.rowId, 1, { status: 'unlinked' })).toBeNull();
		expect(sim.rows('Propstreet sync state')[0]).toMatchObject({ version: 2, status: 'linked' });
	});

	it('on SQLite, a write that lands between n8n\'s read and its UPDATE makes the update fail, though a row comes back', async () => {
		sim.switches.sqliteReturnedRows = true;
		const a = store().store;
		const b = store().store;
		const row = await a.insert(newLink);
		let entered = 0;
		let release!: () => void;
		const bothRead = new Promise<void>((resolve) => (release = resolve));
		sim.hooks.updateGap = async () => {
			if (++entered === 2) release();
			await bothRead; // both updates have read the row at version 1 before either writes
		};
		const results = await Promise.all([a.update(row.rowId, 1, { owner: 'a' }), b.update(row.rowId, 1, { owner: 'b' })]);
		const patches = sim.requests.filter((r) => r.method === 'PATCH');
		expect(patches).toHaveLength(2);
		expect(results.filter((r) => r !== null)).toHaveLength(1);
		const winner = results.find((r) => r !== null)!;
		expect(sim.rows('Propstreet sync state')[0]).toMatchObject({ owner: winner.owner, version: 2 });
	});

	it('claimCreation through the store: four concurrent claimants, one winner', async () => {
		const stores = ['w1', 'w2', 'w3', 'w4'].map((owner) => ({ owner, s: store().store }));
		const now = new Date(sim.clock.now());
		const results = await Promise.all(stores.map(({ owner, s }) => claimCreation(s, { entity: 'company', side: 'propstreet', id: 'org-7', owner, now })));
		expect(results.filter((r) => r.kind === 'won')).toHaveLength(1);
		expect(results.filter((r) => r.kind === 'lost')).toHaveLength(3);
		const live = sim.rows('Propstreet sync state');
		expect(live).toHaveLength(1);
		const won = results.find((r) => r.kind === 'won');
		expect(won?.kind === 'won' && live[0]).toMatchObject({ status: 'creating', owner: won?.kind === 'won' ? won.claim.owner : null });
	});
});

describe('errors', () => {
	it('a refused key names the credential', async () => {
		const err = await store({ apiKey: 'wrong', itemIndex: 3 }).store.find('contact', 'pipedrive', '1').catch((e) => e);
		expect(err.constructor.name).toBe('NodeApiError');
		expect(err.message).toMatch(/refused the API key/);
		expect(err.description).toMatch(/Propstreet Sync State API/);
		expect(err.context.itemIndex).toBe(3);
		expect(err.httpCode).toBe('401');
	});

	it('a key without data-table scopes says which scope is missing', async () => {
		const err = await store({ apiKey: 'no-scope-key' }).store.insert(newLink).catch((e) => e);
		expect(err.message).toMatch(/lacks the data table scopes/);
		expect(err.description).toMatch(/dataTable:create/);
		expect(err.httpCode).toBe('403');
	});

	it('a missing public API says to enable it', async () => {
		sim.switches.publicApiDisabled = true;
		const err = await store().store.find('contact', 'pipedrive', '1').catch((e) => e);
		expect(err.message).toMatch(/no n8n public API at/);
		expect(err.description).toMatch(/N8N_PUBLIC_API_DISABLED/);
	});

	it('invalid row ids are refused before any request', async () => {
		const { store: s } = store({ itemIndex: 1 });
		const err = await s.update(0, 1, {}).catch((e) => e);
		expect(err.constructor.name).toBe('NodeOperationError');
		expect(sim.requests).toHaveLength(0);
	});
});
