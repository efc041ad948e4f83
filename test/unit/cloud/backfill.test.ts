/**
 * Cloud 10 as the workflow loops it: the lists are read once (pages, as the HTTP Request node's
 * pagination gives them), then `backfillStep` asks for one call at a time; the test answers
 * Pipedrive and Propstreet calls from real simulators (full responses with headers) and the state
 * reads and saves from an in-test table (as the Data Table node, upsert by row id). The rule is the
 * Sync node's sweep: a pair with one e-mail is linked, a missing contact created, then nothing.
 */
import { backfillStep, backfillWindow, nextMarks, type BackfillState } from '../../../nodes/shared/core/cloud/backfill';
import { backfillAllStep, BACKFILL_ENTITIES, type BackfillAllState } from '../../../nodes/shared/core/cloud/backfillAll';
import { answerOf as tableAnswerOf, apiWrites, startCloudBed } from './replayDriver';
import type { Lookup } from '../../../nodes/shared/core/cloud/lookups';
import { apiClient } from '../../helpers/httpClient';
import { startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { call as psCall } from '../../simulators/propstreet/testkit';
import { pipedriveIdFor, propstreetIdFor } from '../../simulators/seed/ids';

type Rec = Record<string, any>;

let pd: PipedriveSimulator;
let ps: PropstreetSimulator;
let pdCall: ReturnType<typeof apiClient>;
let table: Rec[];
beforeEach(async () => {
	pd = await startPipedriveSimulator({ seed: true });
	// A contact's organization is matched to a company too (as the Sync node's sweep does): more calls than the default minute allows.
	ps = await startPropstreetSimulator({ rateLimit: { pat: 1000 } });
	pdCall = apiClient(pd.url);
	table = [];
});
afterEach(async () => {
	await pd.close();
	await ps.close();
});

const full = (res: { status: number; body: unknown; headers: Headers }) => ({ statusCode: res.status, body: res.body ?? '', headers: Object.fromEntries(res.headers.entries()) });

async function answerOf(lookup: Lookup): Promise<unknown> {
	if (lookup.api === 'state' && lookup.method === 'GET') {
		const rows = table.filter((r) => r.entity === lookup.state!.entity && r[lookup.state!.column] === lookup.state!.value);
		return rows.length ? rows : [{}];
	}
	if (lookup.api === 'state') {
		const { matchId, ...row } = lookup.body as Rec;
		const at = table.findIndex((r) => r.id === matchId);
		if (at >= 0) table[at] = { ...table[at], ...row };
		else table.push({ id: table.length + 1, ...row });
		return row;
	}
	if (lookup.api === 'pipedrive') {
		const [pathname, search] = lookup.path.split('?');
		return full(await pdCall(lookup.method, pathname, { query: Object.fromEntries(new URLSearchParams(search ?? '')), body: lookup.body }));
	}
	return full(await psCall(ps, lookup.method, lookup.path, { body: lookup.body, headers: lookup.headers }));
}

/** One backfill run: lists, then rounds until finished. */
async function runBackfill(): Promise<{ state: BackfillState; calls: Lookup[] }> {
	const fields = (await pdCall('GET', '/v1/personFields', { query: { limit: 500 } })).body;
	const persons = (await pdCall('GET', '/api/v2/persons', { query: { limit: 500 } })).body;
	const contacts = (await psCall(ps, 'GET', '/api/v1/network/contacts?include_deleted=true&page_size=500')).body;
	const calls: Lookup[] = [];
	let previous: BackfillState | null = null;
	let answer: unknown;
	for (let round = 0; round < 500; round++) {
		const state: BackfillState = await backfillStep({ pipedrivePages: [persons], propstreetPages: [contacts], settingsRow: {}, fields, previous, answer, now: '2026-12-04T12:00:00.000Z', owner: 'cloud-1' });
		if (state.action === 'finished') return { state, calls };
		calls.push(state.lookup!);
		answer = await answerOf(state.lookup!);
		previous = state;
	}
	throw new Error('the backfill did not finish in 500 rounds');
}

const writes = (calls: Lookup[]) => calls.filter((c) => c.api !== 'state' && c.method !== 'GET' && !c.path.includes('/search'));
const refOf = (c: Rec) => (c.externalRefs ?? []).find((r: Rec) => r.namespace === 'pipedrive')?.id;

describe('Cloud 10: the backfill replays the Sync node sweep', () => {
	it('links the pair with one e-mail, creates the missing contact, and writes nothing the second time', async () => {
		const frejaId = pipedriveIdFor('person', 'freja');
		const freja = (await psCall(ps, 'POST', '/api/v1/network/contacts', { body: { firstName: 'Freja', lastName: 'Lindqvist', email: 'freja.lindqvist@nordhav.example.se', tags: ['investor'] } })).body;

		const first = await runBackfill();
		expect(first.state.failed).toEqual([]);
		expect(first.state.counts.created).toBeGreaterThan(0);
		const contacts = (await psCall(ps, 'GET', '/api/v1/network/contacts?page_size=500')).body.data as Rec[];
		// Freja: the existing contact, now naming the person; not a second one.
		expect(contacts.filter((c) => c.email === 'freja.lindqvist@nordhav.example.se').map((c) => ({ id: c.id, ref: refOf(c) }))).toEqual([{ id: freja.id, ref: String(frejaId) }]);
		// Bjørn (Investor, Pipedrive only): created once.
		const bjorn = contacts.filter((c) => refOf(c) === String(pipedriveIdFor('person', 'bjorn')));
		expect(bjorn.map((c) => `${c.firstName} ${c.lastName}`)).toEqual(['Bjørn Løvås']);
		// Persons outside the scope (no Investor label) get no contact.
		expect(contacts.filter((c) => refOf(c) === String(pipedriveIdFor('person', 'soren')))).toEqual([]);
		// One linked row per pair, with a baseline.
		const frejaRows = table.filter((r) => r.pipedriveId === String(frejaId));
		expect(frejaRows.map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: freja.id, status: 'linked' }]);
		expect(frejaRows[0].baseline).toContain('contact.name');
		expect(table.filter((r) => r.pipedriveId === String(pipedriveIdFor('person', 'bjorn'))).map((r) => r.propstreetId)).toEqual([bjorn[0].id]);
		const person = (await pdCall('GET', `/api/v2/persons/${frejaId}`)).body.data as Rec;
		expect(JSON.stringify(person.custom_fields)).toContain(freja.id);

		const rows = table.length;
		const second = await runBackfill();
		expect(second.state.failed).toEqual([]);
		expect(second.state.changes).toEqual([]);
		expect(writes(second.calls)).toEqual([]);
		expect(table.length).toBe(rows);
	}, 60000);

	/** One backfill run of `entity` over both sides' first list pages, definitions read as lookups into `cache`. */
	async function runEntity(entity: 'company' | 'project', pdPath: string, psPath: string, cache: Rec) {
		const pdPage = (await pdCall('GET', pdPath, { query: { limit: 500 } })).body;
		const psPage = (await psCall(ps, 'GET', `${psPath}?include_deleted=true&page_size=500`)).body;
		const calls: Lookup[] = [];
		let previous: BackfillState | null = null;
		let answer: unknown;
		for (let round = 0; round < 2000; round++) {
			const state: BackfillState = await backfillStep({ entity, cache, pipedrivePages: [pdPage], propstreetPages: [psPage], settingsRow: {}, previous, answer, now: '2026-12-04T12:00:00.000Z', owner: 'cloud-1' });
			if (state.action === 'finished') return { state, calls };
			calls.push(state.lookup!);
			answer = await answerOf(state.lookup!);
			previous = state;
		}
		throw new Error('the backfill did not finish');
	}

	it.each([
		['company', '/api/v2/organizations', '/api/v1/network/companies', 'organizationFields', pipedriveIdFor('organization', 'nordhav'), '6001'],
		['project', '/api/v2/deals', '/api/v1/projects', 'dealFields', pipedriveIdFor('deal', 'kista'), '7001'],
	] as const)('runs the %s backfill too: a seeded pair is linked by their ids, definitions are read once, a second run writes nothing', async (entity, pdPath, psPath, catalog, pipedriveId, propstreetId) => {
		await ps.close();
		ps = await startPropstreetSimulator({ seed: true, rateLimit: { pat: 1000 } });
		const cache: Rec = {};
		const first = await runEntity(entity, pdPath, psPath, cache);
		expect(first.state.failed).toEqual([]);
		expect(first.calls.filter((c) => c.path.startsWith(`/api/v2/${catalog}`))).toHaveLength(1);
		expect(table.filter((r) => r.entity === entity && r.pipedriveId === String(pipedriveId)).map((r) => [r.propstreetId, r.status])).toEqual([[propstreetId, 'linked']]);
		const second = await runEntity(entity, pdPath, psPath, cache);
		expect(second.state.failed).toEqual([]);
		expect(second.calls.filter((c) => c.path.includes(catalog))).toEqual([]);
		expect(writes(second.calls)).toEqual([]);
	}, 60000);

	it('reads from a little before the last mark, which moves only when no record failed', () => {
		expect(backfillWindow(undefined, false)).toEqual({ pipedriveSince: '', propstreetSince: '' });
		expect(backfillWindow({ pipedrive: '2026-12-04T12:00:00.000Z', propstreet: '2026-12-04T12:00:00.000Z' }, false)).toEqual({ pipedriveSince: '2026-12-04T11:50:00Z', propstreetSince: '2026-12-04T11:50:00.000Z' });
		const state = { now: '2026-12-05T03:00:00.000Z', failed: [] } as unknown as BackfillState;
		expect(nextMarks({ pipedrive: 'a', propstreet: 'b' }, state)).toEqual({ pipedrive: state.now, propstreet: state.now });
		expect(nextMarks({ pipedrive: 'a', propstreet: 'b' }, { ...state, failed: [{ id: 'pipedrive 1', error: 'x' }] })).toEqual({ pipedrive: 'a', propstreet: 'b' });
	});
});

/**
 * Cloud 10 over all three record entities (`backfillAllStep`): contacts, companies and deals ⇄
 * projects one after the other in one run, from the six lists; one summary for the run, so the
 * marks move only when no record of any entity failed.
 */
describe('Cloud 10: one backfill run over contacts, companies and deals ⇄ projects', () => {
	async function lists() {
		const pdList = async (path: string) => [(await pdCall('GET', path, { query: { limit: 500 } })).body];
		const psList = async (path: string) => [(await psCall(ps, 'GET', `${path}?include_deleted=true&page_size=500`)).body];
		return {
			contact: { pipedrivePages: await pdList('/api/v2/persons'), propstreetPages: await psList('/api/v1/network/contacts') },
			company: { pipedrivePages: await pdList('/api/v2/organizations'), propstreetPages: await psList('/api/v1/network/companies') },
			project: { pipedrivePages: await pdList('/api/v2/deals'), propstreetPages: await psList('/api/v1/projects') },
		};
	}
	async function runAll(): Promise<{ state: BackfillAllState; calls: Lookup[]; entities: string[] }> {
		const pages = await lists();
		const calls: Lookup[] = [];
		const entities: string[] = [];
		const cache = {};
		let previous: BackfillAllState | null = null;
		let answer: unknown;
		for (let round = 0; round < 4000; round++) {
			const state: BackfillAllState = await backfillAllStep({ pages, cache, settingsRow: {}, previous, answer, now: '2026-12-04T12:00:00.000Z', owner: 'cloud-1' });
			if (!entities.includes(state.entity)) entities.push(state.entity);
			if (state.action === 'finished') return { state, calls, entities };
			calls.push(state.lookup!);
			answer = await answerOf(state.lookup!);
			previous = state;
		}
		throw new Error('the backfill did not finish in 4000 rounds');
	}
	const linkedRows = (entity: string) => table.filter((r) => r.entity === entity && r.status === 'linked').map((r) => [r.pipedriveId, r.propstreetId]);

	it('syncs the three entities in order, links and creates across all of them, sums one summary, then writes nothing', async () => {
		await ps.close();
		ps = await startPropstreetSimulator({ seed: true, rateLimit: { pat: 5000 } });
		const first = await runAll();
		expect(first.entities).toEqual([...BACKFILL_ENTITIES]);
		expect(first.state).toMatchObject({ action: 'finished', entity: 'project', failed: [] });
		// The totals are the three entities' own.
		expect(first.state.counts.created + first.state.counts.relinked + first.state.counts.updated).toBe(first.state.changes.length);
		// Companies: Øresund is matched by its domain, not created twice.
		expect(linkedRows('company')).toContainEqual([String(pipedriveIdFor('organization', 'oresund')), propstreetIdFor('company', 'oresund')]);
		const companies = (await psCall(ps, 'GET', '/api/v1/network/companies?page_size=500')).body.data as Rec[];
		expect(companies.filter((c) => c.domain === 'oresund-ejendomme.example.dk')).toHaveLength(1);
		// Deals ⇄ projects: Nyhavn (a deal only) gets one project that names it.
		const nyhavn = String(pipedriveIdFor('deal', 'nyhavn'));
		const made = ((await psCall(ps, 'GET', '/api/v1/projects?page_size=500')).body.data as Rec[]).filter((p) => refOf(p) === nyhavn);
		expect(made.map((p) => p.name)).toEqual(['Nyhavn Residential']);
		expect(linkedRows('project')).toContainEqual([nyhavn, made[0].id]);
		// Contacts as before: Bjørn (Investor, Pipedrive only) gets his contact.
		expect(linkedRows('contact').some(([pipedriveId]) => pipedriveId === String(pipedriveIdFor('person', 'bjorn')))).toBe(true);
		expect(nextMarks(undefined, first.state)).toEqual({ pipedrive: first.state.now, propstreet: first.state.now });

		const rows = table.length;
		const second = await runAll();
		expect(second.state.failed).toEqual([]);
		expect(second.state.changes).toEqual([]);
		expect(writes(second.calls).filter((c) => !c.path.includes('find-duplicates'))).toEqual([]);
		expect(table.length).toBe(rows);
	}, 120000);

	it('as 10 runs it (compareAndSet): every state operation is a Data Table lookup, the same pairs result, a second run writes nothing', async () => {
		const bed = await startCloudBed();
		try {
			const pdList = async (path: string) => [(await bed.pdCall('GET', path, { query: { limit: 500 } })).body];
			const psList = async (path: string) => [(await psCall(bed.ps, 'GET', `${path}?include_deleted=true&page_size=500`)).body];
			const run = async () => {
				const pages = {
					contact: { pipedrivePages: await pdList('/api/v2/persons'), propstreetPages: await psList('/api/v1/network/contacts') },
					company: { pipedrivePages: await pdList('/api/v2/organizations'), propstreetPages: await psList('/api/v1/network/companies') },
					project: { pipedrivePages: await pdList('/api/v2/deals'), propstreetPages: await psList('/api/v1/projects') },
				};
				const calls: Lookup[] = [];
				let previous: BackfillAllState | null = null;
				let answer: unknown;
				for (let round = 0; round < 4000; round++) {
					const state: BackfillAllState = await backfillAllStep({ pages, cache: bed.cache, compareAndSet: true, settingsRow: {}, previous, answer, now: '2026-12-04T12:00:00.000Z', owner: 'cloud-1' });
					if (state.action === 'finished') return { state, calls };
					calls.push(state.lookup!);
					answer = await tableAnswerOf(bed, state.lookup!);
					previous = state;
				}
				throw new Error('the backfill did not finish');
			};
			const first = await run();
			expect(first.state.failed).toEqual([]);
			expect(first.calls.filter((c) => c.api === 'state').every((c) => c.table !== undefined)).toBe(true);
			const nyhavn = String(pipedriveIdFor('deal', 'nyhavn'));
			const project = ((await psCall(bed.ps, 'GET', '/api/v1/projects?page_size=500')).body.data as Rec[]).find((p) => refOf(p) === nyhavn);
			expect(bed.state.rows.filter((r) => r.entity === 'project' && r.pipedriveId === nyhavn).map((r) => [r.propstreetId, r.status])).toEqual([[project!.id, 'linked']]);
			const second = await run();
			expect(second.state.failed).toEqual([]);
			expect(apiWrites(second.calls)).toEqual([]);
		} finally {
			await bed.close();
		}
	}, 120000);
});
