/**
 * Scheduled polls on the queue-mode stack (queue.e2e.test.ts). n8n runs a poll trigger on the main
 * and hands each execution it emits to a worker; the trigger's cursor or snapshot lives in the
 * workflow's static data, which the main keeps in memory between polls and saves to Postgres when a
 * poll emits (and at activation). These flows switch a bundled workflow to a one-minute schedule the
 * way a user would (through the public API), let n8n's own scheduler poll, and report what happened,
 * so the test can judge it:
 *
 *   - 03 as its sticky note says for an n8n without a public URL: the Propstreet Trigger off, the
 *     Propstreet Poll Trigger on. Its subscription is gone, so only the poll can see a contact edit;
 *   - 08 as shipped (the Deal Participants Changed poll), on a one-minute schedule: Pipedrive sends no
 *     webhook for a participant, so only the poll can see one added.
 *
 * Waits are on state (simulators, executions, Postgres); the one-minute cadence is n8n's minimum.
 */
import type { ExecutionSummary } from '../harness/n8n';
import type { Stack } from '../harness/stack';
import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';

type Rec = Record<string, unknown>;
interface StoredNode {
	name: string;
	type: string;
	disabled?: boolean;
	parameters?: Rec;
}
interface StoredWorkflow {
	name: string;
	nodes: StoredNode[];
	connections: unknown;
	settings: unknown;
}

const EVERY_MINUTE = { item: [{ mode: 'everyMinute' }] };
/** Polls of one trigger are a minute apart; a request this long after the last one is the next poll. */
const NEXT_POLL_AFTER_MS = 50_000;
const POLL_WAIT_MS = 150_000;

export async function staticDataOf(stack: Stack, workflowId: string): Promise<Rec> {
	const rows = await stack.queue!.sql(`SELECT "staticData"::text FROM workflow_entity WHERE id = '${workflowId}'`);
	return rows[0]?.[0] ? (JSON.parse(rows[0][0]) as Rec) : {};
}

/** One node's part of a workflow's static data, as Postgres holds it. */
async function nodeStaticData(stack: Stack, workflowId: string, nodeName: string): Promise<Rec> {
	return ((await staticDataOf(stack, workflowId))[`node:${nodeName}`] as Rec | undefined) ?? {};
}

/**
 * Saves a changed copy of a stored workflow through the public API, unpublished in between (so the
 * triggers of the old version are removed, subscriptions included) and published again. Returns
 * the stored version before the change, to put back with `restoreWorkflow`.
 */
export async function reconfigureWorkflow(stack: Stack, key: string, change: (node: StoredNode) => StoredNode): Promise<StoredWorkflow> {
	const { id } = stack.workflow(key);
	const stored = await stack.n8n.api<StoredWorkflow>('GET', `/workflows/${id}`);
	await saveAndPublish(stack, id, { ...stored, nodes: stored.nodes.map(change) });
	return stored;
}

export async function restoreWorkflow(stack: Stack, key: string, stored: StoredWorkflow): Promise<void> {
	await saveAndPublish(stack, stack.workflow(key).id, stored);
}

async function saveAndPublish(stack: Stack, id: string, body: StoredWorkflow): Promise<void> {
	await stack.n8n.deactivate(id);
	await stack.waitFor(async () => (await stack.n8n.rest<{ status: string }>('GET', `/workflows/${id}/publication-status`)).status === 'not_published', {
		what: `workflow ${id} unpublished`,
		timeoutMs: 60000,
	});
	await stack.n8n.api('PUT', `/workflows/${id}`, { name: body.name, nodes: body.nodes, connections: body.connections, settings: body.settings });
	await stack.n8n.activate(id);
}

/** Times (ms) of the Propstreet requests on a route made by n8n (not by the suite's observer). */
function propstreetListTimes(stack: Stack, route: string): number[] {
	return stack.propstreet.control
		.requests()
		.filter((e) => e.route === route && e.client !== 'propstreet-sim-client')
		.map((e) => Date.parse(e.at));
}

/** Waits for the first list request at or after `after` (ms): the poll that ran then. */
async function nextPoll(stack: Stack, times: () => number[], after: number, what: string): Promise<number> {
	return await stack.waitFor(() => times().find((t) => t >= after), { what, timeoutMs: POLL_WAIT_MS, intervalMs: 500 });
}

async function executionsOf(stack: Stack, key: string, since: number): Promise<ExecutionSummary[]> {
	return (await stack.executionsOf(key)).filter((e) => Date.parse(e.startedAt) >= since - 50);
}

const workerOf = (stack: Stack, executionId: string): string | undefined =>
	Object.entries(stack.queue!.executionsByWorker()).find(([, ids]) => ids.includes(executionId))?.[0];

export interface ContactPollFacts {
	/** Enabled Propstreet subscriptions for contact events while 03 polls (must be none). */
	contactSubscriptions: string[];
	/** Propstreet deliveries of the edited contact made after the edit (must be none). */
	deliveriesOfEdit: number;
	strategyInPipedrive: unknown;
	wanted: string;
	/** 03's executions from the poll that saw the edit to the poll after it. */
	executions: Array<{ id: string; mode: string; status: string; worker?: string }>;
	/** The Poll Trigger's high-water mark in Postgres: at activation, after the emitting poll's run, after the next poll. */
	marks: { atActivation: unknown; afterRun: unknown; afterNextPoll: unknown };
	/** The contact's updatedUtc after the edit. */
	editedAt: string;
	/** The next poll ran (ms after the emitting one). */
	nextPollAfterMs: number;
}

/** 03 on its Poll Trigger alone, every minute: a Propstreet edit reaches Pipedrive by the schedule, once. */
export async function contactPollFlow(stack: Stack, strategyInPipedrive: (personId: number) => unknown): Promise<ContactPollFacts> {
	const wf = stack.workflow('03');
	const poller = wf.json.nodes.find((n) => n.type.endsWith('.propstreetPollTrigger'))!;
	const original = await reconfigureWorkflow(stack, '03', (n) => {
		if (n.type.endsWith('.propstreetTrigger')) return { ...n, disabled: true };
		if (n.name === poller.name) return { ...n, disabled: false, parameters: { ...n.parameters, pollTimes: EVERY_MINUTE } };
		return n;
	});
	try {
		// The activation's own poll only records where it starts; n8n saves that with the activation.
		const atActivation = await stack.waitFor(async () => ((await nodeStaticData(stack, wf.id, poller.name)).pollState as Rec | undefined)?.highWaterMark, {
			what: "03's Poll Trigger state in Postgres after activation",
			timeoutMs: 60000,
		});
		const juha = { person: pipedriveIdFor('person', 'juha'), contact: propstreetIdFor('contact', 'juha') };
		const wanted = `scheduled poll: strategy of juha ${Date.now()}`;
		const editedAtMs = Date.now();
		const edited = stack.propstreet.control.updateContact(juha.contact, { strategy: wanted });
		const listRoute = 'GET /api/v1/network/contacts';
		const lists = () => propstreetListTimes(stack, listRoute);
		await stack.waitFor(() => strategyInPipedrive(juha.person) === wanted, { what: 'the Pipedrive person to follow the polled edit', timeoutMs: POLL_WAIT_MS, intervalMs: 500 });
		await stack.settle({ quietMs: 3000, timeoutMs: 90000 });
		const emittingPoll = lists().filter((t) => t >= editedAtMs)[0];
		const afterRun = ((await nodeStaticData(stack, wf.id, poller.name)).pollState as Rec | undefined)?.highWaterMark;
		const next = await nextPoll(stack, lists, emittingPoll + NEXT_POLL_AFTER_MS, "03's next scheduled poll");
		await stack.settle({ quietMs: 3000, timeoutMs: 60000 });
		const afterNextPoll = ((await nodeStaticData(stack, wf.id, poller.name)).pollState as Rec | undefined)?.highWaterMark;
		const runs = await executionsOf(stack, '03', editedAtMs);
		return {
			contactSubscriptions: stack.propstreet.control
				.webhookSubscriptions()
				.filter((s) => s.enabled && ((s.events as string[]) ?? []).some((e) => e.startsWith('contact.')))
				.map((s) => String(s.url)),
			deliveriesOfEdit: stack.propstreet.control.deliveries().filter((d) => d.eventType.startsWith('contact.') && d.body.includes(juha.contact) && Date.parse(String(d.createdUtc)) >= editedAtMs).length,
			strategyInPipedrive: strategyInPipedrive(juha.person),
			wanted,
			executions: runs.map((e) => ({ id: e.id, mode: e.mode, status: e.status, worker: workerOf(stack, e.id) })),
			marks: { atActivation, afterRun, afterNextPoll },
			editedAt: String(edited.updatedUtc),
			nextPollAfterMs: next - emittingPoll,
		};
	} finally {
		await restoreWorkflow(stack, '03', original);
	}
}

export interface DealPollFacts {
	dealId: number;
	contactId: string;
	/** Live prospects of that contact on the deal's project (must be 1). */
	prospects: number;
	participantsCount: number;
	/** The deal's participant count in the snapshot in Postgres: before the add, after the run. */
	snapshotCount: { before: unknown; after: unknown };
	/** 08's executions since the add: the scheduled poll's run first. */
	executions: Array<{ id: string; mode: string; status: string; worker?: string }>;
	manualRuns: number;
}

/** A person of the seed, linked to a contact, who is neither on the deal nor a prospect of its project. */
function freshMember(stack: Stack, dealId: number, projectId: string): { person: number; contact: string } {
	const onDeal = new Set(stack.pipedrive.control.participants(dealId).map((p) => Number(p.person_id)));
	const onProject = new Set(stack.propstreet.control.state().prospects.filter((p) => p.projectId === projectId && !p.deletedUtc).map((p) => String(p.contactId)));
	const keys = ['sigrid', 'astrid', 'juha', 'lars', 'karin', 'freja'];
	for (const key of keys) {
		const member = { person: pipedriveIdFor('person', key), contact: propstreetIdFor('contact', key) };
		const person = stack.pipedrive.control.person(member.person);
		if (person && !onDeal.has(member.person) && Number(person.id) !== Number((stack.pipedrive.control.deal(dealId) as Rec).person_id) && !onProject.has(member.contact)) return member;
	}
	throw new Error(`no seed person left to add to deal ${dealId}`);
}

/** 08 on a one-minute schedule: a participant added in Pipedrive becomes a prospect with no manual run. */
export async function dealPollFlow(stack: Stack): Promise<DealPollFacts> {
	const wf = stack.workflow('08');
	const poller = wf.json.nodes.find((n) => n.type.endsWith('.pipedriveDealPollTrigger'))!;
	const original = await reconfigureWorkflow(stack, '08', (n) => (n.name === poller.name ? { ...n, parameters: { ...n.parameters, pollTimes: EVERY_MINUTE } } : n));
	try {
		const kista = { deal: pipedriveIdFor('deal', 'kista'), project: propstreetIdFor('project', 'kista') };
		const snapshotCount = async () => (((await nodeStaticData(stack, wf.id, poller.name)).snapshot as Rec | undefined)?.deals as Rec | undefined)?.[String(kista.deal)] as Rec | undefined;
		// The activation's poll compares with the snapshot kept so far; let what it emits finish first.
		await stack.waitFor(snapshotCount, { what: "08's deal snapshot in Postgres", timeoutMs: 60000 });
		await stack.settle({ quietMs: 3000, timeoutMs: 90000 });
		const before = (await snapshotCount())?.count;
		const member = freshMember(stack, kista.deal, kista.project);
		const addedAt = Date.now();
		stack.pipedrive.control.addParticipant(kista.deal, member.person);
		const prospectsOf = () => stack.propstreet.control.state().prospects.filter((p) => p.projectId === kista.project && p.contactId === member.contact && !p.deletedUtc);
		await stack.waitFor(() => prospectsOf().length > 0, { what: 'the participant to become a prospect by the scheduled poll', timeoutMs: POLL_WAIT_MS, intervalMs: 500 });
		await stack.settle({ quietMs: 3000, timeoutMs: 90000 });
		const runs = await executionsOf(stack, '08', addedAt);
		return {
			dealId: kista.deal,
			contactId: member.contact,
			prospects: prospectsOf().length,
			participantsCount: stack.pipedrive.control.participants(kista.deal).length,
			snapshotCount: { before, after: (await snapshotCount())?.count },
			executions: runs.map((e) => ({ id: e.id, mode: e.mode, status: e.status, worker: workerOf(stack, e.id) })),
			manualRuns: runs.filter((e) => e.mode === 'manual').length,
		};
	} finally {
		await restoreWorkflow(stack, '08', original);
	}
}

/** Milliseconds between two ISO times (NaN when either is missing). */
export const isoGap = (later: unknown, earlier: unknown): number => Date.parse(String(later)) - Date.parse(String(earlier));
