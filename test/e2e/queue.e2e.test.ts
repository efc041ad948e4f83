/**
 * What only n8n's queue mode can get wrong, on the queue-mode stack (`npm run test:e2e:queue`; the
 * file is skipped unless N8N_E2E_MODE=queue): Postgres + Redis, a main (no production webhooks),
 * one webhook processor and two workers, every bundled workflow imported and activated.
 *
 *   - the triggers register their webhooks at the webhook processor, from the main, at activation;
 *   - a burst of edits on both sides is shared by both workers, and both simulators end in step;
 *   - the Propstreet Trigger's signature check and delivery memory run on the webhook processor;
 *   - a worker's run leaves the static data the main and the webhook processor keep (the Propstreet
 *     Trigger's webhook secret) alone: n8n 2.40 gives a worker's run empty static data and saves it
 *     back, so a node that wrote static data while running on a worker erased the secret;
 *   - after all those worker runs, every workflow keeps the static data its triggers wrote at
 *     activation (the Propstreet Triggers' subscriptions; a poll trigger's state once a poll ran);
 *   - a seeded random interleaving of creates and edits on both sides (queueInterleaving.ts), with
 *     executions for one record running on both workers at once, ends with both simulators in step;
 *   - scheduled polls (queuePolls.ts): 03 on its Poll Trigger alone and 08's Deal Poll Trigger, on a
 *     one-minute schedule run by the main, sync by themselves; the cursor and the deal snapshot in
 *     Postgres advance with the emitting poll and stay after the worker's run and the next poll;
 *   - the companies, projects, participants and notes modules of the in-process interleaving, deletes
 *     and merges included, in one seeded mixed run on both workers (queueEntityInterleaving.ts);
 *   - the sync state is one data table in Postgres, reached through the main's public API.
 *
 * The sync scenarios themselves are sync.e2e.test.ts, run unchanged on this stack by the same command.
 */
import * as fs from 'fs';

import type { ExecutionSummary } from '../harness/n8n';
import { CREDENTIALS, startStack, SYNC_STATE_TABLE, type Stack } from '../harness/stack';
import { deliveryHeaders } from '../simulators/propstreet';
import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { contactPollFlow, dealPollFlow, isoGap, staticDataOf as staticDataOfWorkflow } from './queuePolls';
import { QUEUE_ENTITY_MODULES, runQueueEntityInterleaving } from './queueEntityInterleaving';
import { runQueueInterleaving } from './queueInterleaving';

type Rec = Record<string, unknown>;

const inQueueMode = process.env.N8N_E2E_MODE === 'queue';
const describeQueue = inQueueMode ? describe : describe.skip;

let stack: Stack;
const ps = () => stack.propstreet.control;
const pd = () => stack.pipedrive.control;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Linked seed pairs: edited on one side only per round, so the expected end state is plain. */
const EDITED_IN_PIPEDRIVE = ['astrid', 'lars', 'sigrid'];
const EDITED_IN_PROPSTREET = ['juha'];
const pair = (key: string) => ({ key, person: pipedriveIdFor('person', key), contact: propstreetIdFor('contact', key) });

function strategyInPipedrive(personId: number): unknown {
	const custom = ((pd().person(personId) as Rec | undefined)?.custom_fields ?? {}) as Rec;
	const value = custom[pd().fieldKey('person', 'investor_strategy')];
	return value && typeof value === 'object' && 'value' in (value as Rec) ? (value as Rec).value : value;
}

/** Edits every chosen pair once on its side; resolves when both sides agree on every new value. */
async function editRound(label: string): Promise<void> {
	const wanted = [...EDITED_IN_PIPEDRIVE, ...EDITED_IN_PROPSTREET].map((key) => ({ ...pair(key), value: `${label}: strategy of ${key}` }));
	for (const w of wanted) {
		if (EDITED_IN_PIPEDRIVE.includes(w.key)) pd().updatePerson(w.person, { custom_fields: { investor_strategy: w.value } });
		else ps().updateContact(w.contact, { strategy: w.value });
	}
	await stack.waitFor(
		() => wanted.every((w) => ps().get('contact', w.contact)?.strategy === w.value && strategyInPipedrive(w.person) === w.value),
		{ what: `both sides in step after ${label}`, timeoutMs: 90000 },
	);
	await stack.settle({ quietMs: 3000, timeoutMs: 90000 });
}

async function executionsSince(since: number): Promise<ExecutionSummary[]> {
	return (await stack.n8n.executions()).filter((e) => Date.parse(e.startedAt) >= since - 50);
}

const staticDataOf = (workflowId: string) => staticDataOfWorkflow(stack, workflowId);

/** Workflow file → the secret its Propstreet Trigger keeps in static data (in Postgres), for every active one. */
async function storedTriggerSecrets(): Promise<Record<string, unknown>> {
	const isTrigger = (type: string) => /\.propstreetTrigger$/.test(type);
	const withTrigger = stack.workflows.filter((w) => w.active && w.triggerTypes.some(isTrigger));
	const entries = await Promise.all(
		withTrigger.map(async (w) => {
			const data = await staticDataOf(w.id);
			const trigger = w.json.nodes.find((n) => isTrigger(n.type) && !n.disabled)!;
			return [w.fileName, (data[`node:${trigger.name}`] as Rec | undefined)?.secret] as const;
		}),
	);
	return Object.fromEntries(entries);
}

/** Every active workflow's static data in Postgres, by workflow file. */
async function allStaticData(): Promise<Record<string, Rec>> {
	const active = stack.workflows.filter((w) => w.active);
	return Object.fromEntries(await Promise.all(active.map(async (w) => [w.fileName, await staticDataOf(w.id)] as const)));
}

/** `file › node:<name> › key` for every entry of a static data tree, to compare what is kept. */
function staticDataEntries(all: Record<string, Rec>): string[] {
	return Object.entries(all).flatMap(([file, data]) =>
		Object.entries(data).flatMap(([node, value]) => (value && typeof value === 'object' ? Object.keys(value as Rec).map((key) => `${file} › ${node} › ${key}`) : [`${file} › ${node}`])),
	);
}

/** Runs `play` and reports the executions it caused (not manual ones) and how many each worker ran. */
async function onBothWorkers<T>(play: () => Promise<T>): Promise<{ result: T; runs: ExecutionSummary[]; byWorker: Array<readonly [string, number]>; seconds: number }> {
	const since = Date.now();
	const before = stack.queue!.executionsByWorker();
	const result = await play();
	const runs = (await executionsSince(since)).filter((e) => e.mode !== 'manual');
	const byWorker = Object.entries(stack.queue!.executionsByWorker()).map(([w, ids]) => [w, ids.length - before[w].length] as const);
	return { result, runs, byWorker, seconds: Math.round((Date.now() - since) / 1000) };
}

/** What no run may leave: a Propstreet subscription disabled after 10 failed deliveries in a row, a failed execution. */
function runDamage(runs: ExecutionSummary[]): { disabledSubscriptions: string[]; failedExecutions: string[] } {
	return {
		disabledSubscriptions: ps().webhookSubscriptions().filter((s) => !s.enabled).map((s) => `${String(s.url)}: ${String(s.disabledReason)}`),
		failedExecutions: runs.filter((e) => e.status !== 'success').map((e) => `${e.id}:${e.status}`),
	};
}

const perWorker = (byWorker: Array<readonly [string, number]>) => byWorker.map(([w, n]) => `${w} ${n}`).join(', ');

/** What the main wrote at activation (Propstreet Trigger subscriptions; poll state once a poll ran). */
let staticDataAtStart: Record<string, Rec> = {};

beforeAll(async () => {
	if (!inQueueMode) return;
	const t0 = Date.now();
	stack = await startStack({ mode: 'queue', seed: true, label: 'n8n-e2e-queue' });
	console.log(`queue-mode stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (n8n ${JSON.stringify(stack.n8n.timings)})`);
	staticDataAtStart = await allStaticData();
}, 600000);

afterAll(async () => {
	await stack?.stop();
}, 120000);

describeQueue('n8n queue mode: main + webhook processor + two workers on Postgres and Redis', () => {
	test('every bundled workflow is active, and its triggers registered their webhooks at the webhook processor', async () => {
		expect(stack.activationErrors).toEqual({});
		expect(stack.workflows.filter((w) => w.activatable && !w.active).map((w) => w.fileName)).toEqual([]);
		const base = `${stack.queue!.webhookBaseUrl}/webhook/`;
		const propstreetUrls = ps().webhookSubscriptions().map((s) => String(s.url));
		const pipedriveUrls = pd().webhooks().map((w) => String(w.subscription_url));
		expect(propstreetUrls.length).toBeGreaterThan(0);
		expect(pipedriveUrls.length).toBeGreaterThan(0);
		expect([...propstreetUrls, ...pipedriveUrls].filter((u) => !u.startsWith(base))).toEqual([]);
		// The main serves no production webhook: the same path there reaches no workflow.
		const onMain = propstreetUrls[0].replace(stack.queue!.webhookBaseUrl, stack.n8n.url);
		const since = Date.now();
		const res = await fetch(onMain, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(res.status).toBe(404);
		expect(await executionsSince(since)).toEqual([]);
		// Each Propstreet Trigger's subscription secret (made by the main at activation) is in Postgres.
		const secrets = await storedTriggerSecrets();
		expect(Object.keys(secrets).length).toBeGreaterThan(0);
		const known = ps().webhookSubscriptions().map((s) => s.secret);
		expect(Object.entries(secrets).filter(([, secret]) => !known.includes(String(secret)))).toEqual([]);
	});

	test('a burst of edits on both sides is run by both workers, every run succeeds, and both simulators end in step', async () => {
		const since = Date.now();
		const before = stack.queue!.executionsByWorker();
		for (let round = 1; round <= 3; round++) await editRound(`burst ${round}`);
		const runs = (await executionsSince(since)).filter((e) => e.mode !== 'manual');
		const after = stack.queue!.executionsByWorker();
		const byWorker = Object.fromEntries(Object.entries(after).map(([w, ids]) => [w, ids.filter((id) => !before[w].includes(id))]));
		console.log(`burst: ${runs.length} executions; per worker: ${Object.entries(byWorker).map(([w, ids]) => `${w} ${ids.length}`).join(', ')}`);
		expect(runs.filter((e) => e.status !== 'success').map((e) => `${e.id}:${e.status}`)).toEqual([]);
		// Each execution ran on exactly one worker, and both workers ran some.
		const ran = Object.values(byWorker).flat();
		expect(runs.map((e) => e.id).filter((id) => ran.filter((x) => x === id).length !== 1)).toEqual([]);
		expect(Object.values(byWorker).map((ids) => ids.length > 0)).toEqual([true, true]);
	}, 300000);

	test('the Propstreet Trigger checks signatures on the webhook processor: a forged delivery gets 401, a replayed one starts nothing', async () => {
		const juha = pair('juha');
		const delivery = ps()
			.deliveries()
			.filter((d) => d.eventType === 'contact.updated' && d.body.includes(`"id":"${juha.contact}"`))
			.pop()!;
		expect(delivery).toBeDefined();
		const sub = ps().webhookSubscriptions().find((s) => s.id === delivery.subscriptionId)!;
		const since = Date.now();
		const forged = await fetch(String(sub.url), {
			method: 'POST',
			headers: deliveryHeaders('not-the-subscription-secret', `msg_forged_${Date.now()}`, Math.floor(Date.now() / 1000), delivery.body),
			body: delivery.body,
		});
		expect(forged.status).toBe(401);
		const replayed = await fetch(String(sub.url), {
			method: 'POST',
			headers: deliveryHeaders(sub.secret, delivery.eventId, Math.floor(Date.now() / 1000), delivery.body),
			body: delivery.body,
		});
		expect({ status: replayed.status, body: (await replayed.json()) as unknown }).toEqual({ status: 200, body: expect.objectContaining({ ignored: 'duplicate_delivery' }) });
		await sleep(1500);
		await stack.settle();
		expect(await executionsSince(since)).toEqual([]);
		// Both answers came from the webhook processor's copy of the node.
		const webhookLog = fs.readFileSync(stack.queue!.helpers.find((h) => h.kind === 'webhook')!.logFile, 'utf8');
		expect(webhookLog).toMatch(/Propstreet Trigger rejected a delivery/);
	});

	test("workers leave the triggers' stored secrets alone, and read field definitions at most once each (per-process cache)", async () => {
		const known = ps().webhookSubscriptions().map((s) => s.secret);
		const mark = stack.mark();
		const before = stack.queue!.executionsByWorker();
		await editRound('cache check');
		// After four rounds on both workers every Propstreet Trigger still has its secret.
		const secrets = await storedTriggerSecrets();
		expect(Object.entries(secrets).filter(([, secret]) => !known.includes(String(secret)))).toEqual([]);
		const report = stack.apiCallReport(mark);
		const fieldReads = Object.entries(report.pipedrive.byRoute).filter(([route]) => /personFields|organizationFields/.test(route));
		const after = stack.queue!.executionsByWorker();
		console.log(`cache check: per worker ${Object.entries(after).map(([w, ids]) => `${w} ${ids.length - before[w].length}`).join(', ')}; field-definition reads: ${JSON.stringify(fieldReads)}`);
		// Each worker has read them in the bursts already; at most a worker that ran none re-reads.
		expect(fieldReads.filter(([, n]) => n > Object.keys(after).length)).toEqual([]);
	}, 180000);

	test('a seeded random interleaving of creates and edits on both sides, run by both workers, leaves both simulators in step', async () => {
		// QUEUE_INTERLEAVE_SEED replays another seed's operations (the overlap follows the timing).
		const seed = Number(process.env.QUEUE_INTERLEAVE_SEED ?? 8919);
		const ops = Number(process.env.QUEUE_INTERLEAVE_OPS ?? 48);
		const deliveriesBefore = { pd: pd().deliveries().length, ps: ps().deliveries().length };
		const { result, runs, byWorker } = await onBothWorkers(() => runQueueInterleaving(stack, { seed, ops }));
		const pdFirst = pd().deliveries().slice(deliveriesBefore.pd).filter((d) => d.attempt === 1);
		const failedFirst = pdFirst.filter((d) => d.status === null || d.status >= 300).map((d) => d.status ?? d.error);
		const psRetried = ps().deliveries().slice(deliveriesBefore.ps).filter((d) => Number(d.attemptCount) > 1).length;
		console.log(`interleaving deliveries: Pipedrive ${pdFirst.length}, first attempts failed ${JSON.stringify(failedFirst)}; Propstreet retried ${psRetried}`);
		console.log(`interleaving seed ${seed}: ${result.creates} creates, ${result.edits} edits, ${result.judged} fields judged; ${runs.length} executions, per worker ${perWorker(byWorker)}`);
		// One comparison, so a failure shows all three: the oracle's problems, any Propstreet
		// subscription disabled after 10 failed deliveries in a row, and executions that failed.
		expect({ problems: result.problems, ...runDamage(runs) }).toEqual({ problems: [], disabledSubscriptions: [], failedExecutions: [] });
		// The oracle judged edits of both kinds of record, and both workers took part.
		expect(result.creates).toBeGreaterThan(0);
		expect(result.judged).toBeGreaterThan(0);
		expect(byWorker.map(([, n]) => n > 0)).toEqual([true, true]);
	}, 420000);

	test('scheduled polls: 03 on its Poll Trigger alone and 08 every minute sync by the schedule; the main keeps each cursor and snapshot the workers do not roll back', async () => {
		const t0 = Date.now();
		// Both flows at once: each waits on its own workflow's minute.
		const [contact, deal] = await Promise.all([contactPollFlow(stack, strategyInPipedrive), dealPollFlow(stack)]);
		console.log(`scheduled polls in ${((Date.now() - t0) / 1000).toFixed(0)} s: 03 ${JSON.stringify({ ...contact, wanted: undefined })}; 08 ${JSON.stringify(deal)}`);
		// 03: no subscription and no delivery could carry the edit; the poll did, once, on a worker.
		expect({ subscriptions: contact.contactSubscriptions, deliveries: contact.deliveriesOfEdit, inPipedrive: contact.strategyInPipedrive }).toEqual({ subscriptions: [], deliveries: 0, inPipedrive: contact.wanted });
		expect(contact.executions.map((e) => ({ mode: e.mode, status: e.status, onWorker: Boolean(e.worker) }))).toEqual([{ mode: 'trigger', status: 'success', onWorker: true }]);
		// The cursor moved to the edit with the emitting poll, and neither the worker's run nor the next poll took it back.
		expect(isoGap(contact.marks.afterRun, contact.marks.atActivation)).toBeGreaterThan(0);
		expect(isoGap(contact.marks.afterRun, contact.editedAt)).toBeGreaterThanOrEqual(0);
		expect(contact.marks.afterNextPoll).toBe(contact.marks.afterRun);
		expect(contact.nextPollAfterMs).toBeGreaterThanOrEqual(50000);
		// 08: the scheduled poll's run made the prospect (no manual run), and the snapshot in Postgres holds the new count.
		expect({ prospects: deal.prospects, manualRuns: deal.manualRuns }).toEqual({ prospects: 1, manualRuns: 0 });
		expect(deal.executions.filter((e) => e.status !== 'success')).toEqual([]);
		expect(deal.executions.filter((e) => e.mode === 'trigger' && e.worker).length).toBeGreaterThan(0);
		expect(deal.snapshotCount).toEqual({ before: deal.participantsCount - 1, after: deal.participantsCount });
	}, 420000);

	test('a seeded random interleaving of companies, deals, participants and notes, deletes and merges included, run by both workers, keeps every oracle', async () => {
		// QUEUE_ENTITY_SEED replays another seed's operations (the overlap follows the timing).
		const seed = Number(process.env.QUEUE_ENTITY_SEED ?? 4517);
		const ops = Number(process.env.QUEUE_ENTITY_OPS ?? 48);
		const { result, runs, byWorker, seconds } = await onBothWorkers(() => runQueueEntityInterleaving(stack, { seed, ops }));
		console.log(
			`entity interleaving seed ${seed}: ${ops} actions ${JSON.stringify(result.actions)}, ${result.participantSweeps} participant sweeps in the run, deletes and merges delivered ${JSON.stringify(result.lifecycleDeliveries)}; judged ${JSON.stringify(result.judged)}; ` +
				`${runs.length} executions in ${seconds} s, per worker ${perWorker(byWorker)}`,
		);
		expect({ problems: result.problems, ...runDamage(runs) }).toEqual({ problems: [], disabledSubscriptions: [], failedExecutions: [] });
		// Every module's oracle judged something, deletes or merges went through the webhooks, and both workers took part.
		expect(Object.keys(result.lifecycleDeliveries).length).toBeGreaterThan(0);
		expect(QUEUE_ENTITY_MODULES.map((m) => [m.entity, (result.judged[m.entity] ?? 0) > 0])).toEqual(QUEUE_ENTITY_MODULES.map((m) => [m.entity, true]));
		expect(byWorker.map(([, n]) => n > 0)).toEqual([true, true]);
	}, 600000);

	test('after every worker run, each workflow still holds the static data its triggers kept at activation (subscriptions, poll state)', async () => {
		const atStart = staticDataEntries(staticDataAtStart);
		const now = staticDataEntries(await allStaticData());
		console.log(`static data entries at activation: ${atStart.length}; now: ${now.length}; added since: ${JSON.stringify(now.filter((e) => !atStart.includes(e)))}`);
		// The Propstreet Triggers' subscriptions at least; an emptied tree (a worker saving back the empty static data n8n gives it) fails here.
		expect(atStart.length).toBeGreaterThan(0);
		// Known, left open (ARCHITECTURE "Static data in queue mode"): the backfill (10, run on a worker
		// by the entity interleaving) saves its List Changed Records marks over the static data, which
		// erases what 10's Schedule Trigger keeps there. Unused for the shipped daily schedule and kept in
		// the main's memory. Only those entries, and only once 10 ran, may be gone; any other loss fails.
		const backfillRan = (await stack.executionsOf('10')).length > 0;
		const lost = atStart.filter((entry) => !now.includes(entry));
		console.log(`static data entries gone since activation: ${JSON.stringify(lost)}`);
		expect(lost.filter((entry) => !(backfillRan && entry.startsWith('10-backfill-reconcile.json › node:Nightly at 03:00 › ')))).toEqual([]);
	});

	test("the sync state is one data table in Postgres, reached through the main's public API", async () => {
		const credential = await stack.n8n.rest<{ data?: Rec }>('GET', `/credentials/${CREDENTIALS.syncState.id}?includeData=true`);
		expect(String(credential.data?.baseUrl)).toBe(`${stack.n8n.url}/api/v1`);
		const tables = await stack.queue!.sql(`SELECT id FROM data_table WHERE name = '${SYNC_STATE_TABLE}'`);
		expect(tables).toHaveLength(1);
		const [[count]] = await stack.queue!.sql(`SELECT count(*) FROM "data_table_user_${tables[0][0]}"`);
		const rows = await stack.syncStateRows();
		expect(Number(count)).toBe(rows.length);
		const linked = rows.filter((r) => r.entity === 'contact' && r.status === 'linked').map((r) => String(r.propstreetId));
		expect(linked).toEqual(expect.arrayContaining([...EDITED_IN_PIPEDRIVE, ...EDITED_IN_PROPSTREET].map((k) => pair(k).contact)));
	});
});
