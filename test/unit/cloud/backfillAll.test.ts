/**
 * Cloud 10 over all three record entities (`backfillAllStep`): contacts, companies and deals ⇄
 * projects one after the other in one run, answered from the seeded simulators and an in-test
 * state table (upsert by row id, as 10's Data Table node). One summary for the run: the marks move
 * only when no record of any entity failed.
 */
import { backfillAllStep, BACKFILL_ENTITIES, type BackfillAllState } from '../../../nodes/shared/core/cloud/backfillAll';
import { nextMarks } from '../../../nodes/shared/core/cloud/backfill';
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
	ps = await startPropstreetSimulator({ seed: true, rateLimit: { pat: 5000 } });
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

/** The six lists, as 10's HTTP Request nodes read them (one page each here). */
async function lists() {
	const pdList = async (path: string) => [(await pdCall('GET', path, { query: { limit: 500 } })).body];
	const psList = async (path: string) => [(await psCall(ps, 'GET', `${path}?include_deleted=true&page_size=500`)).body];
	return {
		contact: { pipedrivePages: await pdList('/api/v2/persons'), propstreetPages: await psList('/api/v1/network/contacts') },
		company: { pipedrivePages: await pdList('/api/v2/organizations'), propstreetPages: await psList('/api/v1/network/companies') },
		project: { pipedrivePages: await pdList('/api/v2/deals'), propstreetPages: await psList('/api/v1/projects') },
	};
}

async function runBackfill(): Promise<{ state: BackfillAllState; calls: Lookup[]; entities: string[] }> {
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

const writes = (calls: Lookup[]) => calls.filter((c) => c.api !== 'state' && c.method !== 'GET' && !c.path.includes('/search') && !c.path.includes('find-duplicates'));
const refOf = (r: Rec) => (r.externalRefs ?? []).find((x: Rec) => x.namespace === 'pipedrive')?.id;
const rowsOf = (entity: string) => table.filter((r) => r.entity === entity && r.status === 'linked').map((r) => [r.pipedriveId, r.propstreetId]);

describe('Cloud 10: one backfill run over contacts, companies and deals ⇄ projects', () => {
	it('syncs the three entities in order, links and creates across all of them, sums one summary, then writes nothing', async () => {
		const first = await runBackfill();
		expect(first.entities).toEqual([...BACKFILL_ENTITIES]);
		expect(first.state).toMatchObject({ action: 'finished', entity: 'project', failed: [] });
		// The totals are the three entities' own: created and relinked records of more than one entity.
		expect(first.state.counts.created + first.state.counts.relinked + first.state.counts.updated).toBe(first.state.changes.length);
		// Companies: Øresund is matched by its domain, not created twice.
		const oresund = [String(pipedriveIdFor('organization', 'oresund')), propstreetIdFor('company', 'oresund')];
		expect(rowsOf('company')).toContainEqual(oresund);
		const companies = (await psCall(ps, 'GET', '/api/v1/network/companies?page_size=500')).body.data as Rec[];
		expect(companies.filter((c) => c.domain === 'oresund-ejendomme.example.dk')).toHaveLength(1);
		// Deals ⇄ projects: Nyhavn (a deal only) gets one project that names it.
		const nyhavn = String(pipedriveIdFor('deal', 'nyhavn'));
		const projects = (await psCall(ps, 'GET', '/api/v1/projects?page_size=500')).body.data as Rec[];
		const made = projects.filter((p) => refOf(p) === nyhavn);
		expect(made.map((p) => p.name)).toEqual(['Nyhavn Residential']);
		expect(rowsOf('project')).toContainEqual([nyhavn, made[0].id]);
		// Contacts as before: Bjørn (Investor, Pipedrive only) gets his contact.
		expect(table.some((r) => r.entity === 'contact' && r.pipedriveId === String(pipedriveIdFor('person', 'bjorn')) && r.status === 'linked')).toBe(true);
		expect(nextMarks(undefined, first.state)).toEqual({ pipedrive: first.state.now, propstreet: first.state.now });

		const rows = table.length;
		const second = await runBackfill();
		expect(second.state.failed).toEqual([]);
		expect(second.state.changes).toEqual([]);
		expect(writes(second.calls)).toEqual([]);
		expect(table.length).toBe(rows);
	}, 120000);
});
