/**
 * Workflow 08's daily participation check in-process (n8n-core) against both seeded simulators and
 * the data-table simulator: the Deal Poll Trigger's real `poll()` marks the check's tick, the Sync
 * node runs it (`core/membership/participationCheckRun.ts`). The changes here are the ones the
 * poll's count and update time cannot show: a participant replaced by another, alone or in the
 * same interval as a stage change the deal sync already synced. Final state is checked on both sides.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { PipedriveDealPollTrigger } from '../../nodes/PipedriveDealPollTrigger/PipedriveDealPollTrigger.node';
import type { RunWorkflowResult } from '../helpers/n8nRunner';
import { makePipedriveContext } from '../nodes/pipedrive/context';
import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { startBed, type Bed } from './contactsNotesKit';

jest.setTimeout(120_000);

const FILE = '08-prospects-participants.json';
const kista = { deal: pipedriveIdFor('deal', 'kista'), project: propstreetIdFor('project', 'kista') };
const alnabru = { deal: pipedriveIdFor('deal', 'alnabru'), project: propstreetIdFor('project', 'alnabru') };
const who = (key: string) => ({ person: pipedriveIdFor('person', key), contact: propstreetIdFor('contact', key) });
const PARTICIPANT_READS = 'GET /v1/deals/{id}/participants';

let bed: Bed;
let pollState: IDataObject;
beforeEach(async () => {
	bed = await startBed({ pipedriveEntities: ['deal'], propstreetEvents: ['prospect.created', 'prospect.updated', 'prospect.deleted'] });
	pollState = {};
});
afterEach(async () => bed.close());

const ps = () => bed.ps.control as any;
const prospectContacts = (projectId: string) => (ps().state().prospects as any[]).filter((p) => p.projectId === projectId && !p.deletedUtc).map((p) => String(p.contactId)).sort();
const participants = (dealId: number) => bed.pd.control.participants(dealId).map((p) => Number(p.person_id)).sort((a, b) => a - b);
const reads = (route: string) => bed.pd.control.requestsByRoute()[route] ?? 0;

function expectOk(result: RunWorkflowResult): RunWorkflowResult {
	if (result.error) throw new Error(`run failed: ${result.error.message} ${(result.error as any).description ?? ''}`);
	return result;
}

/** One poll (the check's tick when `checkEveryHours` is 0), then workflow 08 for what it emits; the Synced output. */
async function poll(checkEveryHours = 24): Promise<{ items: IDataObject[]; synced: IDataObject[] }> {
	const { ctx } = makePipedriveContext({ baseUrl: `${bed.pd.url}/`, token: bed.pd.token });
	(ctx.getNodeParameter as unknown as jest.Mock).mockImplementation((name: string, fallback: unknown) => ({ pipeline: 'Nordic Transactions', sweepEveryHours: checkEveryHours })[name] ?? fallback);
	Object.assign(ctx, { getWorkflowStaticData: () => pollState, getMode: () => 'trigger' });
	const out = await new PipedriveDealPollTrigger().poll.call(ctx as unknown as IPollFunctions);
	if (!out) return { items: [], synced: [] };
	const result = expectOk(await bed.run(FILE, out[0], { startNode: 'Deal Participants Changed', mode: 'trigger' }));
	return { items: out[0].map((i) => i.json), synced: result.outputOf('Synced', 0).map((i) => i.json) };
}

/** Activation (the first poll takes the snapshot) and "Sync Participants Now" (every deal read, then the check's baseline). */
async function start(): Promise<void> {
	expect((await poll()).items).toEqual([]);
	const now = expectOk(await bed.run(FILE, [{ json: { headers: {}, params: {}, query: {}, body: {} } }], { startNode: 'Sync Participants Now' }));
	expect(now.outputOf('Synced', 0).map((i) => i.json).find((o) => o.check)).toMatchObject({ check: { mode: 'baseline', dealsRead: [] } });
	await bed.pd.control.flushWebhooks();
	bed.pdHooks.received.length = 0;
}

/** The check's own outcome item. */
const checkOf = (synced: IDataObject[]) => synced.find((o) => o.check)?.check as IDataObject;

function swap(dealId: number, out: string, into: string): void {
	bed.pd.control.removeParticipant(dealId, who(out).person);
	bed.pd.control.addParticipant(dealId, who(into).person);
}

describe('workflow 08: the daily participation check', () => {
	it('a swap with a person known on another synced deal reads that deal too (its known deals), no more', async () => {
		await start();
		swap(kista.deal, 'lars', 'sigrid');
		const tick = await poll(0);
		expect(checkOf(tick.synced).dealsRead).toEqual([String(kista.deal), String(alnabru.deal)].sort());
		expect(prospectContacts(kista.project)).toContain(who('sigrid').contact);
		expect(prospectContacts(alnabru.project)).toEqual([who('sigrid').contact]);
	});

	it('finds a participant replaced by another between two polls (count unchanged): reads that deal only, and the prospects follow', async () => {
		await start();
		swap(kista.deal, 'lars', 'per');
		// The poll cannot see it: same count, same update time.
		expect((await poll()).items).toEqual([]);
		expect(prospectContacts(kista.project)).toContain(who('lars').contact);

		bed.pd.control.resetStats();
		const tick = await poll(0);
		expect(tick.items).toEqual([expect.objectContaining({ pollReason: 'check', participationCheck: 'check' })]);
		// Lars lost a participation, Per gained one; Per is known on no synced deal: only Kista is read.
		expect(checkOf(tick.synced)).toMatchObject({ mode: 'check', changedPersons: [String(who('lars').person), String(who('per').person)].sort(), dealsRead: [String(kista.deal)] });
		expect(reads(PARTICIPANT_READS)).toBe(1);
		expect(prospectContacts(kista.project)).toContain(who('per').contact);
		expect(prospectContacts(kista.project)).not.toContain(who('lars').contact);
		expect(participants(kista.deal)).toEqual([who('astrid').person, who('karin').person, who('per').person].sort((a, b) => a - b));
		const { tokens } = bed.pd.control.stats();
		console.log(`participation check that found one swap: ${tokens} Pipedrive tokens (${JSON.stringify(bed.pd.control.tokensByRoute())})`);

		// Settled: the next check reads no deal.
		bed.pd.control.resetStats();
		expect(checkOf((await poll(0)).synced)).toMatchObject({ changedPersons: [], dealsRead: [] });
		expect(reads(PARTICIPANT_READS)).toBe(0);
	});

	it('finds a participant replaced in the same interval as a stage change the deal sync already synced', async () => {
		await start();
		swap(alnabru.deal, 'sigrid', 'per');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.moveDealToStage(alnabru.deal, 'Due Diligence');
		await bed.pd.control.flushWebhooks();
		const [delivery] = bed.pdHooks.received.splice(0);
		expectOk(await bed.run('06-deals-pipedrive-to-propstreet.json', [{ json: delivery.body as IDataObject }], { mode: 'webhook' }));
		// The poll sees only the update time move, to the version 06 synced: the participants are not read.
		const polled = await poll();
		expect(polled.items).toEqual([expect.objectContaining({ id: alnabru.deal, pollReason: 'updated' })]);
		expect(polled.synced[0]).toMatchObject({ action: 'skipped' });
		expect(prospectContacts(alnabru.project)).toEqual([who('sigrid').contact]);

		const tick = await poll(0);
		expect(checkOf(tick.synced)).toMatchObject({ dealsRead: [String(alnabru.deal)] });
		expect(prospectContacts(alnabru.project)).toEqual([who('per').contact]);
		expect(participants(alnabru.deal)).toEqual([who('ingrid').person, who('per').person].sort((a, b) => a - b));
	});

	it('a person added to a deal of another pipeline: the check reads at most that person’s known deals, and writes nothing', async () => {
		await start();
		const api = async (path: string, body: IDataObject) => ((await (await fetch(`${bed.pd.url}${path}?api_token=${bed.pd.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { data: IDataObject }).data;
		const pipeline = await api('/api/v2/pipelines', { name: 'Lettings' });
		const stage = await api('/api/v2/stages', { name: 'Viewing', pipeline_id: pipeline.id });
		const other = await api('/api/v2/deals', { title: 'Office lease, Solna', stage_id: stage.id, pipeline_id: pipeline.id });
		bed.pd.control.addParticipant(Number(other.id), who('lars').person);
		const before = { kista: prospectContacts(kista.project), alnabru: prospectContacts(alnabru.project) };

		bed.pd.control.resetStats();
		const tick = await poll(0);
		// Lars is known on one synced deal (Kista): that is all the check reads.
		expect(checkOf(tick.synced)).toMatchObject({ changedPersons: [String(who('lars').person)], dealsRead: [String(kista.deal)] });
		expect(reads(PARTICIPANT_READS)).toBe(1);
		expect(Object.keys(bed.pd.control.requestsByRoute()).filter((r) => !r.startsWith('GET '))).toEqual([]);
		expect(ps().countWrites()).toBe(0);
		expect({ kista: prospectContacts(kista.project), alnabru: prospectContacts(alnabru.project) }).toEqual(before);
	});
});
