/**
 * Cloud 08's poll and daily participation check, run through the workflow's loop with every call
 * answered by the real simulators (`membershipBed.ts`): the poll lists only the synced pipeline's
 * open deals, every page of them, and syncs what moved; the check (the Sync node's
 * `runParticipationCheck`) finds a participant swapped for another on a linked deal, which the
 * poll cannot see, and the prospects follow.
 */
import { membershipTargets, type PollRequest } from '../../../nodes/shared/core/cloud/membershipTargets';
import { startPollRun, type Remember } from '../../../nodes/shared/core/cloud/membershipRun';
import { apiClient } from '../../helpers/httpClient';
import { seededFieldKey, startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { call } from '../../simulators/propstreet/testkit';
import { membershipBed, runLoop, type MembershipBed } from './membershipBed';

type Rec = Record<string, any>;
const NOW = '2026-12-04T12:00:00.000Z';
const later = (hours: number) => new Date(Date.parse(NOW) + hours * 3_600_000).toISOString();

let pd: PipedriveSimulator;
let ps: PropstreetSimulator;
let pdCall: ReturnType<typeof apiClient>;
let bed: MembershipBed;

beforeEach(async () => {
	pd = await startPipedriveSimulator({ seed: true, clock: { frozen: true } });
	pd.control.setBurstEnforcement(false);
	pdCall = apiClient(pd.url);
	ps = await startPropstreetSimulator();
	bed = membershipBed(pd, ps, []);
});
afterEach(async () => {
	await pd.close();
	await ps.close();
});

async function linkedPerson(first: string, last: string): Promise<{ personId: string; contactId: string }> {
	const contactId = String(ps.control.createContact({ firstName: first, lastName: last }).id);
	const personId = String((await pdCall('POST', '/api/v2/persons', { body: { name: `${first} ${last}`, custom_fields: { [seededFieldKey('propstreet_contact_id')]: contactId } } })).body.data.id);
	bed.table.push({ id: bed.table.length + 1, entity: 'contact', pipedriveId: personId, propstreetId: contactId, status: 'linked', version: 1, owner: '', baseline: '' });
	return { personId, contactId };
}

async function linkedDeal(title: string, pipelineId?: number): Promise<{ dealId: string; projectId: string }> {
	const projectId = String(ps.control.createProject({ name: title }).id);
	const dealId = String((await pdCall('POST', '/api/v2/deals', { body: { title, ...(pipelineId ? { pipeline_id: pipelineId } : {}) } })).body.data.id);
	bed.table.push({ id: bed.table.length + 1, entity: 'project', pipedriveId: dealId, propstreetId: projectId, status: 'linked', version: 1, owner: '', baseline: '' });
	return { dealId, projectId };
}

const addParticipant = async (dealId: string, personId: string) => pdCall('POST', `/v1/deals/${dealId}/participants`, { body: { person_id: Number(personId) } });
const liveProspects = async (projectId: string) => ((await call(ps, 'GET', `/api/v1/projects/${projectId}/prospects`)).body.data ?? []) as Rec[];
const readsOf = (calls: Array<{ api?: string; method: string; path: string }>, dealId: string) => calls.filter((c) => c.api === 'pipedrive' && c.path.includes(`/deals/${dealId}`));

/** One execution of the workflow as the trigger item would start it, with the static data it keeps. */
async function execution(trigger: { syncNow?: unknown }, memory: Remember, now = NOW) {
	const plan = membershipTargets(trigger);
	if (!('poll' in plan)) throw new Error('expected a run that lists the deals');
	const run = await runLoop(bed, startPollRun(plan.poll as PollRequest, memory, {}, now, 'cloud-test'));
	return { ...run, memory: { ...memory, ...run.remember } };
}

describe('Cloud 08 poll: the synced pipelines only, every page', () => {
	it('lists every page of the synced pipeline’s open deals, never another pipeline’s, and syncs the deal whose participants changed', async () => {
		const other = (await pdCall('POST', '/api/v2/pipelines', { body: { name: 'Leasing' } })).body.data.id as number;
		await pdCall('POST', '/api/v2/stages', { body: { name: 'New', pipeline_id: other } });
		const { personId, contactId } = await linkedPerson('Astrid', 'Lund');
		const synced = await linkedDeal('Kista Office Portfolio');
		const elsewhere = await linkedDeal('Leasing deal', other);
		for (let i = 0; i < 500; i++) await pdCall('POST', '/api/v2/deals', { body: { title: `Filler ${i}` } });

		const first = await execution({}, {});
		// The pipeline's id is looked up once; two pages of deals (more than 500 open ones); the first poll syncs nothing.
		expect(first.calls.map((c) => c.path.replace(/cursor=[^&]+/, 'cursor=…'))).toEqual([
			'/api/v2/pipelines?limit=500',
			'/api/v2/deals?status=open&limit=500&include_fields=participants_count&pipeline_id=1',
			'/api/v2/deals?status=open&limit=500&include_fields=participants_count&pipeline_id=1&cursor=…',
		]);
		expect(first.outcomes).toEqual([]);
		const snapshot = first.memory.dealSnapshot as { deals: Record<string, unknown> };
		expect(Object.keys(snapshot.deals)).toContain(synced.dealId);
		expect(Object.keys(snapshot.deals)).not.toContain(elsewhere.dealId);
		expect(Object.keys(snapshot.deals).length).toBeGreaterThan(500);

		await addParticipant(synced.dealId, personId);
		await addParticipant(elsewhere.dealId, personId);
		const second = await execution({}, first.memory);
		expect(second.calls.some((c) => c.path.startsWith('/api/v2/pipelines'))).toBe(false);
		expect(readsOf(second.calls, elsewhere.dealId)).toEqual([]);
		expect(second.outcomes).toEqual([expect.objectContaining({ action: 'updated', pipedriveId: synced.dealId })]);
		expect(await liveProspects(synced.projectId)).toEqual([expect.objectContaining({ contactId })]);
		expect(await liveProspects(elsewhere.projectId)).toEqual([]);
		expect(bed.table).toContainEqual(expect.objectContaining({ entity: 'prospect', pipedriveId: `${synced.dealId}:${personId}`, status: 'linked' }));
	});
});

describe('Cloud 08 daily participation check', () => {
	it('finds a participant swapped for another (count unchanged, so the poll sees nothing) and the prospects follow', async () => {
		const astrid = await linkedPerson('Astrid', 'Lund');
		const bo = await linkedPerson('Bo', 'Ek');
		const deal = await linkedDeal('Kista Office Portfolio');
		const quiet = await linkedDeal('Solna Retail Park');
		await addParticipant(deal.dealId, astrid.personId);
		// Sync now (every deal), then the baseline of the check.
		const full = await execution({ syncNow: { headers: {}, body: {} } }, {});
		expect(full.outcomes).toContainEqual(expect.objectContaining({ reason: expect.stringContaining('took the baseline') }));
		expect(await liveProspects(deal.projectId)).toEqual([expect.objectContaining({ contactId: astrid.contactId })]);
		expect(bed.table).toContainEqual(expect.objectContaining({ entity: 'prospect', pipedriveId: 'participation-check', status: 'linked' }));

		const participant = ((await pdCall('GET', `/v1/deals/${deal.dealId}/participants`)).body.data as Rec[]).find((p) => Number(p.person_id?.value ?? p.person_id) === Number(astrid.personId))!;
		await pdCall('DELETE', `/v1/deals/${deal.dealId}/participants/${participant.id}`);
		await addParticipant(deal.dealId, bo.personId);

		// The next poll, an hour on: the count is the same, nothing is read.
		const poll = await execution({}, full.memory, later(1));
		expect(poll.outcomes).toEqual([]);
		expect(poll.calls.filter((c) => c.path.includes('/participants'))).toEqual([]);

		// A day on, the check is due: it lists the persons, reads only the swapped deal, and the prospects follow.
		const checked = await execution({}, poll.memory, later(25));
		expect(checked.calls.filter((c) => c.path.startsWith('/api/v2/persons?'))).toEqual([expect.objectContaining({ path: expect.stringContaining('include_fields=participant_open_deals_count,participant_closed_deals_count') })]);
		expect(readsOf(checked.calls, deal.dealId).length).toBeGreaterThan(0);
		expect(readsOf(checked.calls, quiet.dealId)).toEqual([]);
		expect(checked.outcomes[checked.outcomes.length - 1]).toMatchObject({ check: { mode: 'check', changedPersons: [astrid.personId, bo.personId].sort(), dealsRead: [deal.dealId], failedDeals: [] } });
		expect(await liveProspects(deal.projectId)).toEqual([expect.objectContaining({ contactId: bo.contactId })]);
		expect(((await pdCall('GET', `/v1/deals/${deal.dealId}/participants`)).body.data as Rec[]).map((p) => Number(p.person_id?.value ?? p.person_id))).toEqual([Number(bo.personId)]);
		expect(bed.table.filter((r) => r.entity === 'prospect' && r.pipedriveId.startsWith(`${deal.dealId}:`)).map((r) => r.pipedriveId)).toEqual([`${deal.dealId}:${bo.personId}`]);

		// On demand ({ "participationCheck": "check" }): nothing moved since, so no deal is read.
		const again = await execution({ syncNow: { headers: {}, body: { participationCheck: 'check' } } }, checked.memory, later(26));
		expect(again.calls.filter((c) => c.path.includes('/participants'))).toEqual([]);
		expect(again.outcomes).toEqual([expect.objectContaining({ check: expect.objectContaining({ changedPersons: [], dealsRead: [] }) })]);
	});

	it('a deal whose read fails is named in the check’s warning, nothing is removed, and the next check reads it again', async () => {
		const astrid = await linkedPerson('Astrid', 'Lund');
		const bo = await linkedPerson('Bo', 'Ek');
		const deal = await linkedDeal('Kista Office Portfolio');
		await addParticipant(deal.dealId, astrid.personId);
		const full = await execution({ syncNow: { headers: {}, body: {} } }, {});
		const participant = ((await pdCall('GET', `/v1/deals/${deal.dealId}/participants`)).body.data as Rec[])[0];
		await pdCall('DELETE', `/v1/deals/${deal.dealId}/participants/${participant.id}`);
		await addParticipant(deal.dealId, bo.personId);

		pd.control.failNext({ status: 500, route: `/v1/deals/${deal.dealId}/participants`, method: 'GET' });
		const failed = await execution({ syncNow: { headers: {}, body: { participationCheck: 'check' } } }, full.memory, later(1));
		expect(failed.outcomes[failed.outcomes.length - 1]).toMatchObject({ check: { dealsRead: [deal.dealId], failedDeals: [deal.dealId] }, warnings: [expect.stringContaining(`Deal ${deal.dealId} could not be read`)] });
		// Nothing was taken for "no participants": Astrid's prospect stays until the deal is read.
		expect(await liveProspects(deal.projectId)).toEqual([expect.objectContaining({ contactId: astrid.contactId })]);

		const next = await execution({ syncNow: { headers: {}, body: { participationCheck: 'check' } } }, failed.memory, later(2));
		expect(next.outcomes[next.outcomes.length - 1]).toMatchObject({ check: { dealsRead: [deal.dealId], failedDeals: [] } });
		expect(await liveProspects(deal.projectId)).toEqual([expect.objectContaining({ contactId: bo.contactId })]);
	});
});
