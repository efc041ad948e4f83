/**
 * Pipedrive Deal Poll Trigger against the Pipedrive simulator, through n8n-core's real
 * httpRequestWithAuthentication and the package's credential: one list call per poll, only changed
 * deals emitted, the participation check's item when it is due, a full read every Nth check.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { PipedriveDealPollTrigger } from '../../../nodes/PipedriveDealPollTrigger/PipedriveDealPollTrigger.node';
import { startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';
import { pipedriveIdFor } from '../../simulators/seed/ids';
import { makePipedriveContext } from '../pipedrive/context';
import { forgetDailyBudgets } from '../../../nodes/shared/pipedrive';

function pollContext(sim: PipedriveSimulator, staticData: IDataObject, params: IDataObject = {}, mode = 'trigger'): IPollFunctions {
	const { ctx } = makePipedriveContext({ baseUrl: `${sim.url}/`, token: sim.token });
	const values: IDataObject = { pipeline: 'Nordic Transactions', sweepEveryHours: 24, ...params };
	const poll = ctx as unknown as IPollFunctions & Record<string, jest.Mock>;
	(ctx.getNodeParameter as unknown as jest.Mock).mockImplementation((name: string, fallback: unknown) => values[name] ?? fallback);
	(poll as unknown as { getWorkflowStaticData: unknown }).getWorkflowStaticData = () => staticData;
	(poll as unknown as { getMode: unknown }).getMode = () => mode;
	return poll;
}

describe('Pipedrive Deal Poll Trigger', () => {
	let sim: PipedriveSimulator;
	const trigger = new PipedriveDealPollTrigger();
	const routes = () => Object.entries(sim.control.stats().byRoute).filter(([, s]) => (s as { requests: number }).requests > 0).map(([route, s]) => `${route} ×${(s as { requests: number }).requests}`);
	const emitted = (out: Awaited<ReturnType<typeof trigger.poll>>) => (out ? out[0].map((i) => Number(i.json.id)) : []);
	const kista = pipedriveIdFor('deal', 'kista');

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true });
	});
	afterEach(async () => sim.close());

	it('takes a snapshot on the first poll (no burst on activation), then makes one list call and emits nothing when nothing changed', async () => {
		const staticData: IDataObject = {};
		expect(await trigger.poll.call(pollContext(sim, staticData))).toBeNull();
		const open = sim.control.deals().filter((d) => d.status === 'open' && d.pipeline_id === sim.control.deals().find((x) => Number(x.id) === kista)!.pipeline_id).map((d) => Number(d.id));
		expect(Object.keys((staticData.snapshot as IDataObject).deals as IDataObject).map(Number).sort()).toEqual(open.sort());

		sim.control.resetStats();
		expect(await trigger.poll.call(pollContext(sim, staticData))).toBeNull();
		expect(routes()).toEqual(['GET /api/v2/deals ×1']);
		expect(sim.control.stats().tokens).toBe(10);
	});

	it('emits only the deal whose participants changed (no webhook, no update time change)', async () => {
		const staticData: IDataObject = {};
		await trigger.poll.call(pollContext(sim, staticData));
		sim.control.addParticipant(kista, pipedriveIdFor('person', 'sigrid'));
		const out = await trigger.poll.call(pollContext(sim, staticData));
		expect(emitted(out)).toEqual([kista]);
		expect(out![0][0].json.pollReason).toBe('changed');
		expect(await trigger.poll.call(pollContext(sim, staticData))).toBeNull();
	});

	it('tells a deal whose update time alone moved (a stage change) from one whose count moved', async () => {
		const staticData: IDataObject = {};
		await trigger.poll.call(pollContext(sim, staticData));
		sim.control.advanceClock(60_000);
		const stages = sim.control.stages() as Array<{ id: number; pipeline_id: number }>;
		const deal = sim.control.deal(kista)!;
		sim.control.moveDealToStage(kista, stages.find((st) => st.pipeline_id === deal.pipeline_id && st.id !== deal.stage_id)!.id);
		const out = await trigger.poll.call(pollContext(sim, staticData));
		expect(emitted(out)).toEqual([kista]);
		expect(out![0][0].json.pollReason).toBe('updated');
	});

	it('adds the participation check item when it is due (here: every poll), naming every open deal listed; no deal read for it', async () => {
		const staticData: IDataObject = {};
		await trigger.poll.call(pollContext(sim, staticData));
		const open = ((staticData.snapshot as IDataObject).deals as IDataObject) ?? {};
		sim.control.resetStats();
		const tick = await trigger.poll.call(pollContext(sim, staticData, { sweepEveryHours: 0 }));
		expect(tick![0].map((i) => i.json)).toEqual([{ pollReason: 'check', participationCheck: 'check', openDealIds: Object.keys(open) }]);
		expect(routes()).toEqual(['GET /api/v2/deals ×1']);
		// A changed deal comes first, the check last (the Sync node checks after syncing it).
		sim.control.addParticipant(kista, pipedriveIdFor('person', 'sigrid'));
		const both = await trigger.poll.call(pollContext(sim, staticData, { sweepEveryHours: 0 }));
		expect(both![0].map((i) => i.json.pollReason)).toEqual(['changed', 'check']);
		// Not due (a day): no check item.
		expect(await trigger.poll.call(pollContext(sim, staticData))).toBeNull();
	});

	it('every Nth check is a full read (every deal, then the baseline item), and a manual run emits every deal without moving the snapshot', async () => {
		const staticData: IDataObject = {};
		await trigger.poll.call(pollContext(sim, staticData));
		const reasons = async () => (await trigger.poll.call(pollContext(sim, staticData, { sweepEveryHours: 0, fullReadEvery: 2 })))![0].map((i) => String(i.json.pollReason));
		expect(await reasons()).toEqual(['check']);
		const full = await reasons();
		expect(full.length).toBeGreaterThan(2);
		expect(new Set(full.slice(0, -1))).toEqual(new Set(['sweep']));
		expect(full[full.length - 1]).toBe('check');
		expect(await reasons()).toEqual(['check']);
		const before = JSON.stringify(staticData);
		sim.control.addParticipant(kista, pipedriveIdFor('person', 'sigrid'));
		const manual = await trigger.poll.call(pollContext(sim, staticData, {}, 'manual'));
		expect(manual![0].filter((i) => i.json.pollReason === 'sweep').length).toBeGreaterThan(1);
		expect(manual![0].every((i) => i.json.pollReason !== 'sweep' || typeof i.json.participants_count === 'number')).toBe(true);
		expect(manual![0][manual![0].length - 1].json).toMatchObject({ participationCheck: 'baseline' });
		expect(JSON.stringify(staticData)).toBe(before);
		expect(emitted(await trigger.poll.call(pollContext(sim, staticData)))).toEqual([kista]);
	});

	it('names an unknown pipeline', async () => {
		await expect(trigger.poll.call(pollContext(sim, {}, { pipeline: 'No Such Pipeline' }))).rejects.toThrow(/No Pipedrive pipeline is named "No Such Pipeline"/);
	});
});

describe('Pipedrive Deal Poll Trigger: pacing near the end of the daily token budget', () => {
	let sim: PipedriveSimulator;
	const trigger = new PipedriveDealPollTrigger();
	const kista = pipedriveIdFor('deal', 'kista');
	const calls = () => sim.control.stats().total;

	beforeEach(async () => {
		forgetDailyBudgets();
		sim = await startPipedriveSimulator({ seed: true, rateLimit: { plan: 'lite', seats: 1 } });
	});
	afterEach(async () => sim.close());

	it('below the threshold lists only every Nth poll, skips the sweep, and says what is left on the items it emits', async () => {
		const staticData: IDataObject = {};
		// 2,000 of 30,000 tokens left: under 10 %.
		sim.control.setTokenBudget(30_000, 28_000);
		expect(await trigger.poll.call(pollContext(sim, staticData))).toBeNull();
		sim.control.addParticipant(kista, pipedriveIdFor('person', 'sigrid'));
		sim.control.resetStats();
		for (let i = 1; i <= 3; i++) expect(await trigger.poll.call(pollContext(sim, staticData, { sweepEveryHours: 0, slowPollEvery: 4 }))).toBeNull();
		expect(calls()).toBe(0);
		const out = await trigger.poll.call(pollContext(sim, staticData, { sweepEveryHours: 0, slowPollEvery: 4 }));
		expect(calls()).toBe(1);
		// Checking was due every poll, but neither a check nor a full read runs while holding back.
		expect(out![0].map((i) => Number(i.json.id))).toEqual([kista]);
		expect(out![0][0].json.pollReason).toBe('changed');
		const paced = out![0][0].json.paced as IDataObject;
		expect(paced.remainingTokens).toBe(2_000 - 10 - 10 - 5);
		expect(paced.dailyTokenLimit).toBe(30_000);
		expect(String(paced.warning)).toMatch(/\d+ of 30000 tokens left/);
	});

	it('with budget to spare (or a threshold of 0) every poll lists and reads every deal as usual', async () => {
		const staticData: IDataObject = {};
		sim.control.setTokenBudget(30_000, 28_000);
		await trigger.poll.call(pollContext(sim, staticData, { paceBelowPercent: 0 }));
		sim.control.resetStats();
		const out = await trigger.poll.call(pollContext(sim, staticData, { paceBelowPercent: 0, sweepEveryHours: 0, fullReadEvery: 1 }));
		expect(calls()).toBe(1);
		expect(out![0].length).toBeGreaterThan(2);
		expect(out![0][0].json.paced).toBeUndefined();
	});

	it('a spent daily budget is one clear error, not a retry storm', async () => {
		sim.control.setTokenBudget(30_000, 30_000);
		await expect(trigger.poll.call(pollContext(sim, {}))).rejects.toThrow(/daily API token budget exhausted \(429\).*until midnight/);
		const statuses = Object.values(sim.control.stats().byRoute).map((r) => r.statuses);
		expect(statuses).toEqual([{ '429': 1 }]);
	});
});
