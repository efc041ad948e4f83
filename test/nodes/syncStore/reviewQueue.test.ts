/** DataTableReviewQueue against the n8n Data Table simulator over real HTTP, and the links it writes. */
import { pipedriveRecordUrl } from '../../../nodes/shared/core/review/links';
import type { ReviewRaise } from '../../../nodes/shared/core/review/queue';
import { DataTableReviewQueue, REVIEW_TABLE, reviewTableName } from '../../../nodes/shared/syncStore';
import { startN8nDataTableSimulator, type N8nDataTableSimulator } from '../../simulators/n8nDataTables';
import { makeStoreContext } from './context';

let sim: N8nDataTableSimulator;
beforeAll(async () => {
	sim = await startN8nDataTableSimulator({ sqliteReturnedRows: true });
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());

const queue = (tableName?: string) => {
	const { ctx } = makeStoreContext({ baseUrl: sim.url, apiKey: sim.apiKey, tableName });
	return new DataTableReviewQueue(ctx, async (entity, id) => pipedriveRecordUrl('https://acme.pipedrive.com', entity, id));
};
const item = (over: Partial<ReviewRaise> = {}): ReviewRaise => ({
	entity: 'contact',
	pipedriveId: '1001',
	propstreetId: '5001',
	field: 'contact.strategy',
	pipedriveValue: '"Logistics"',
	propstreetValue: '"Offices"',
	lastSynced: 'Pipedrive 2026-05-01 10:00:00, Propstreet 2026-05-01T10:00:00.250Z',
	rule: 'contact.strategy changed on both sides; policy manual review',
	raisedAt: '2026-05-01T11:00:00.000Z',
	...over,
});

describe('review queue on a Data Table', () => {
	it('creates "Propstreet sync review" next to the state table, with its columns in reading order', async () => {
		await queue().raise(item());
		expect(sim.tables().map((t) => t.name)).toEqual(['Propstreet sync review']);
		expect(sim.tables()[0].columns.map((c) => c.name)).toEqual(REVIEW_TABLE.columns.map((c) => c.name));
		expect(sim.rows('Propstreet sync review')).toMatchObject([
			{ entity: 'contact', field: 'contact.strategy', pipedriveValue: '"Logistics"', propstreetValue: '"Offices"', resolution: '', status: 'open', pipedriveLink: 'https://acme.pipedrive.com/person/1001', key: 'contact:1001:5001:contact.strategy' },
		]);
		expect(reviewTableName('Propstreet sync state')).toBe('Propstreet sync review');
		expect(reviewTableName('Sync e2e')).toBe('Sync e2e review');
	});

	it('a raise that meets an open row another execution added meanwhile removes its own and refreshes the oldest', async () => {
		const a = queue();
		await a.raise(item({ field: 'contact.phone' })); // creates the table
		// Another execution's row for the same key lands first (its lease was overtaken, say).
		const table = sim.tables()[0];
		const other = { ...item({ pipedriveValue: '"other"' }), key: 'contact:1001:5001:contact.strategy', resolution: '', status: 'open', appliedAt: '', pipedriveLink: '' };
		const res = await fetch(`${sim.url}/data-tables/${table.id}/rows`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-N8N-API-KEY': sim.apiKey }, body: JSON.stringify({ data: [other] }) });
		expect(res.status).toBeLessThan(300);
		await a.raise(item({ pipedriveValue: '"mine"' }));
		const open = sim.rows('Propstreet sync review').filter((r) => r.field === 'contact.strategy' && r.status === 'open');
		expect(open).toHaveLength(1);
		expect(open[0]).toMatchObject({ pipedriveValue: '"mine"' });
		expect(Number(open[0].id)).toBe(2);
	});

	it('two raises of the same field at once leave one open row', async () => {
		const a = queue();
		const b = queue();
		await a.raise(item({ field: 'contact.phone' }));
		await Promise.all([a.raise(item()), b.raise(item({ pipedriveValue: '"second"' }))]);
		expect(sim.rows('Propstreet sync review').filter((r) => r.field === 'contact.strategy' && r.status === 'open')).toHaveLength(1);
	});

	it('reads resolutions back, updates status, and lists the open rows of an entity', async () => {
		const q = queue();
		await q.raise(item());
		await q.raise(item({ entity: 'company', pipedriveId: '7', propstreetId: 'co-1', field: 'company.name' }));
		const [row] = await q.openFor('contact', '1001', '5001');
		await q.update(row.rowId, { status: 'applied', appliedAt: '2026-05-01T12:00:00.000Z' });
		expect(await q.openFor('contact', '1001', '5001')).toEqual([]);
		expect((await q.openOf('company')).map((r) => r.field)).toEqual(['company.name']);
		expect(sim.rows('Propstreet sync review').map((r) => r.status)).toEqual(['applied', 'open']);
	});

	it('links Pipedrive records only when the credential names the company domain', () => {
		expect(pipedriveRecordUrl('https://acme.pipedrive.com/', 'company', '7')).toBe('https://acme.pipedrive.com/organization/7');
		expect(pipedriveRecordUrl('https://acme.pipedrive.com', 'project', '12')).toBe('https://acme.pipedrive.com/deal/12');
		expect(pipedriveRecordUrl('https://api.pipedrive.com', 'contact', '1')).toBe('');
		expect(pipedriveRecordUrl('http://127.0.0.1:3000', 'contact', '1')).toBe('');
	});
});
