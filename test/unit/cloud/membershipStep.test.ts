/**
 * Cloud 08 as the workflow loops it: `syncMembershipStep` asks for one call at a time; the test
 * answers Pipedrive calls from a seeded Pipedrive simulator, Propstreet calls from a Propstreet
 * simulator (full responses, as the HTTP Request node gives them) and sync-state reads from an
 * in-test table (as the Data Table node), then upserts and deletes the rows the step hands back.
 * The rule is the Sync node's membership sync: a participant becomes a prospect, a removed
 * prospect removes the participant.
 */
import { syncMembershipStep, type MembershipStep } from '../../../nodes/shared/core/cloud/membershipStep';
import type { Lookup, LookupAnswer } from '../../../nodes/shared/core/cloud/lookups';
import { membershipRound, startMembershipRun } from '../../../nodes/shared/core/cloud/membershipRun';
import { apiClient } from '../../helpers/httpClient';
import { seededFieldKey, startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { call } from '../../simulators/propstreet/testkit';
import { membershipBed } from './membershipBed';

type Rec = Record<string, any>;

let pd: PipedriveSimulator;
let ps: PropstreetSimulator;
let pdCall: ReturnType<typeof apiClient>;
let table: Rec[];
let dealId: string;
let personId: string;
let projectId: string;
let contactId: string;
beforeEach(async () => {
	pd = await startPipedriveSimulator({ seed: true, clock: { frozen: true } });
	pdCall = apiClient(pd.url);
	ps = await startPropstreetSimulator();
	contactId = String(ps.control.createContact({ firstName: 'Astrid', lastName: 'Lund' }).id);
	projectId = String(ps.control.createProject({ name: 'Kista Office Portfolio' }).id);
	personId = String((await pdCall('POST', '/api/v2/persons', { body: { name: 'Astrid Lund', custom_fields: { [seededFieldKey('propstreet_contact_id')]: contactId } } })).body.data.id);
	dealId = String((await pdCall('POST', '/api/v2/deals', { body: { title: 'Kista Office Portfolio' } })).body.data.id);
	table = [
		{ id: 1, entity: 'project', pipedriveId: dealId, propstreetId: projectId, status: 'linked', version: 1, owner: '', baseline: '' },
		{ id: 2, entity: 'contact', pipedriveId: personId, propstreetId: contactId, status: 'linked', version: 1, owner: '', baseline: '' },
	];
});
afterEach(async () => {
	await pd.close();
	await ps.close();
});

const answerOf = (lookup: Lookup) => membershipBed(pd, ps, table).answerOf(lookup);

/** The workflow's loop: rounds until done; rows upserted by entity + Pipedrive id, removed rows deleted. */
async function runFor(target: { dealId?: string; projectId?: string }): Promise<{ step: Extract<MembershipStep, { action: 'done' }>; calls: Lookup[] }> {
	const answers: LookupAnswer[] = [];
	for (let round = 0; round < 60; round++) {
		const step = await syncMembershipStep({ target, settingsRow: {}, answers, now: '2026-12-04T12:00:00.000Z', owner: 'cloud-1' });
		if (step.action === 'lookup') {
			answers.push({ lookup: step.lookup, answer: await answerOf(step.lookup) });
			continue;
		}
		for (const row of step.rows) {
			const at = table.findIndex((r) => r.entity === row.entity && r.pipedriveId === row.pipedriveId);
			if (at >= 0) table[at] = { ...table[at], ...row };
			else table.push({ id: table.length + 100, ...row });
		}
		table = table.filter((r) => !step.removed.some((gone) => gone.entity === r.entity && gone.pipedriveId === r.pipedriveId));
		return { step, calls: answers.map((a) => a.lookup) };
	}
	throw new Error('the membership step did not finish in 60 rounds');
}

const writes = (calls: Lookup[]) => calls.filter((c) => c.method !== 'GET').map((c) => `${c.api} ${c.method} ${c.path}`);
const prospects = async () => ((await call(ps, 'GET', `/api/v1/projects/${projectId}/prospects`)).body.data ?? []) as Rec[];
const participants = async () => ((await pdCall('GET', `/v1/deals/${dealId}/participants`)).body.data ?? []) as Rec[];

describe('Cloud 08: deal participants ⇄ project prospects, as the Sync node syncs them', () => {
	it('adds a participant of a linked deal as a prospect once, and a prospect removed in Propstreet removes the participant', async () => {
		await pdCall('POST', `/v1/deals/${dealId}/participants`, { body: { person_id: Number(personId) } });
		const added = await runFor({ dealId });
		// The new prospect's classification (Propstreet's default) is copied to the person, as the Sync node does.
		expect(writes(added.calls)).toEqual([`propstreet POST /api/v1/projects/${projectId}/prospects`, `pipedrive PATCH /api/v2/persons/${personId}`]);
		const [prospect] = await prospects();
		const person = (await pdCall('GET', `/api/v2/persons/${personId}`)).body.data;
		expect(person.custom_fields[seededFieldKey('classification')]).not.toBeNull();
		expect(prospect).toMatchObject({ contactId, externalRefs: [expect.objectContaining({ id: personId })] });
		expect(table.filter((r) => r.entity === 'prospect')).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ pipedriveId: `${dealId}:${personId}`, propstreetId: String(prospect.id), status: 'linked' }),
				expect.objectContaining({ pipedriveId: `deal:${dealId}`, propstreetId: `project:${projectId}`, owner: '' }),
			]),
		);

		// The same poll again: nothing written.
		expect(writes((await runFor({ dealId })).calls)).toEqual([]);

		await call(ps, 'POST', `/api/v1/projects/${projectId}/prospects/${prospect.id}/remove`);
		const removed = await runFor({ projectId });
		expect(writes(removed.calls)).toEqual([expect.stringMatching(new RegExp(`^pipedrive DELETE /v1/deals/${dealId}/participants/\\d+$`))]);
		expect((await participants()).filter((p) => p.active_flag !== false)).toEqual([]);
		expect(await prospects()).toEqual([]);
		expect(table.some((r) => r.entity === 'prospect' && r.pipedriveId === `${dealId}:${personId}`)).toBe(false);
	});

	it('skips a deal whose project is not linked, writing nothing', async () => {
		table = [];
		const run = await runFor({ dealId });
		expect(run.step.outcome).toMatchObject({ action: 'skipped' });
		expect(writes(run.calls)).toEqual([]);
		expect(await prospects()).toEqual([]);
	});

	it('runs the deals of one poll in turn, storing each one’s rows through state writes before the next', async () => {
		const otherProject = String(ps.control.createProject({ name: 'Alnabru Logistics' }).id);
		const otherDeal = String((await pdCall('POST', '/api/v2/deals', { body: { title: 'Alnabru Logistics' } })).body.data.id);
		table.push({ id: 3, entity: 'project', pipedriveId: otherDeal, propstreetId: otherProject, status: 'linked', version: 1, owner: '', baseline: '' });
		for (const deal of [dealId, otherDeal]) await pdCall('POST', `/v1/deals/${deal}/participants`, { body: { person_id: Number(personId) } });
		let state = startMembershipRun([{ dealId }, { dealId: otherDeal }], '2026-12-04T12:00:00.000Z', 'cloud-2');
		let answer: unknown = null;
		for (let round = 0; round < 120; round++) {
			const next = await membershipRound(state, answer, {});
			if (next.action === 'finished') {
				expect(next.outcomes).toEqual([expect.objectContaining({ action: 'updated' }), expect.objectContaining({ action: 'updated' })]);
				break;
			}
			answer = await answerOf(next.lookup);
			state = next.state;
		}
		for (const [deal, project] of [[dealId, projectId], [otherDeal, otherProject]]) {
			const [prospect] = ((await call(ps, 'GET', `/api/v1/projects/${project}/prospects`)).body.data ?? []) as Rec[];
			expect(prospect).toMatchObject({ contactId });
			expect(table).toContainEqual(expect.objectContaining({ entity: 'prospect', pipedriveId: `${deal}:${personId}`, propstreetId: String(prospect.id), status: 'linked' }));
		}
	});
});
