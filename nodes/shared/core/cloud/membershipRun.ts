/**
 * Cloud 08's loop, one call per round. A run that polls first lists the open deals of the synced
 * pipelines page by page (`dealListing.ts`) and decides which deals to sync (`pollPlan`). Then the
 * membership step of each target in turn, its state rows stored one call at a time (an upsert or
 * a delete of the Data Table node is a lookup too), then the next target. Last, when due, the
 * participation check (`participationCheckStep.ts`), which may add deals to sync and comes back
 * after them. Everything the loop needs is in `MembershipRunState`, which the Code node hands to
 * itself each round; `remember` is what the Code node keeps in the workflow's static data.
 */
import { settingsOfRow } from './runSetup';
import { pipelinesOf } from '../settings';
import type { Lookup, LookupAnswer } from './lookups';
import type { StateRowOut } from './stateRows';
import { syncMembershipStep, type MembershipStepInput } from './membershipStep';
import { nextListingCall, pipelineCacheOf, startDealListing, takeListingAnswer, type DealListing } from './dealListing';
import { pollPlan, type PollRequest } from './membershipTargets';
import { participationCheckRound, personsPageLookup, startCheck, takeCheckAnswer, takePersonsPage, type CheckProgress } from './participationCheckStep';

export type RunTarget = MembershipStepInput['target'] & { forCheck?: boolean };

export interface MembershipRunState {
	targets: RunTarget[];
	/** The target being synced. */
	index: number;
	/** Answers of the current target's step so far. */
	answers: LookupAnswer[];
	/** State writes of the finished target (or check) still to make. */
	writes: Lookup[];
	/** The call the last round asked for (its answer comes with the next round), and who asked it. */
	pending: Lookup | null;
	pendingFor?: 'listing' | 'persons' | 'check' | 'step' | 'write' | null;
	outcomes: unknown[];
	now: string;
	owner: string;
	/** The poll's deal list while it is read (null once the deals to sync are decided). */
	poll?: { request: PollRequest; listing: DealListing; snapshot: unknown } | null;
	check?: CheckProgress | null;
}

/** What the Code node keeps in the workflow's static data. */
export interface Remember {
	dealSnapshot?: unknown;
	pipelines?: unknown;
}

export type MembershipRound = { action: 'lookup'; lookup: Lookup; state: MembershipRunState; remember?: Remember } | { action: 'finished'; outcomes: unknown[]; remember?: Remember };

export function startMembershipRun(targets: MembershipStepInput['target'][], now: string, owner: string): MembershipRunState {
	return { targets, index: 0, answers: [], writes: [], pending: null, pendingFor: null, outcomes: [], now, owner, poll: null, check: null };
}

/** A run that lists the open deals of the synced pipelines first (`memory`: the workflow's static data). */
export function startPollRun(request: PollRequest, memory: Remember, settingsRow: unknown, now: string, owner: string): MembershipRunState {
	const listing = startDealListing(pipelinesOf(settingsOfRow(settingsRow).settings), memory.pipelines);
	return { ...startMembershipRun([], now, owner), poll: { request, listing, snapshot: memory.dealSnapshot } };
}

function storeWrites(step: { rows: StateRowOut[]; removed?: Array<{ entity: string; pipedriveId: string }> }): Lookup[] {
	const upserts: Lookup[] = step.rows.map((row) => ({ api: 'state', method: 'POST', path: '', row }));
	const deletes: Lookup[] = (step.removed ?? []).map((gone) => ({ api: 'state', method: 'DELETE', path: '', state: { entity: gone.entity, column: 'pipedriveId', value: gone.pipedriveId } }));
	return [...upserts, ...deletes];
}

/** The answer to the last call goes to whoever asked it (a state write's answer needs no keeping). */
function takeAnswer(state: MembershipRunState, answer: unknown): void {
	const asked = state.pending;
	state.pending = null;
	if (!asked) return;
	if (state.pendingFor === 'listing' && state.poll) state.poll = { ...state.poll, listing: takeListingAnswer(state.poll.listing, answer) };
	else if (state.pendingFor === 'persons' && state.check) state.check = takePersonsPage(state.check, answer);
	else if (state.pendingFor === 'check' && state.check) state.check = takeCheckAnswer(state.check, asked, answer);
	else if (state.pendingFor === 'step' || (!state.pendingFor && !(asked.api === 'state' && asked.method !== 'GET'))) state.answers.push({ lookup: asked, answer });
}

const ask = (state: MembershipRunState, lookup: Lookup, pendingFor: MembershipRunState['pendingFor'], remember?: Remember): MembershipRound => ({
	action: 'lookup',
	lookup,
	state: { ...state, pending: lookup, pendingFor },
	...(remember ? { remember } : {}),
});

/** The listing is read: the deals to sync, the check to run after them, and what static data keeps. */
function decidePollRun(state: MembershipRunState, poll: NonNullable<MembershipRunState['poll']>): Remember {
	// Another set of pipelines: the stored snapshot says nothing about it (its first poll only takes one).
	const stored = poll.listing.resolved ? null : poll.snapshot;
	const plan = pollPlan(poll.request, stored, poll.listing.deals, Date.parse(state.now));
	state.poll = null;
	state.targets = plan.targets;
	if (plan.check) state.check = startCheck(plan.check, poll.listing.deals.map((d) => String(d.id)));
	const pipelines = pipelineCacheOf(poll.listing);
	return { ...(plan.snapshot ? { dealSnapshot: plan.snapshot } : {}), ...(pipelines ? { pipelines } : {}) };
}

/** The current target's step: its next call, or its outcome and rows (a deal the check asked for may fail without stopping the run). */
async function stepTarget(state: MembershipRunState, settingsRow: unknown): Promise<Lookup | null> {
	const target = state.targets[state.index];
	const input = { target: { dealId: target.dealId, projectId: target.projectId }, settingsRow, answers: state.answers, now: state.now, owner: state.owner };
	const step = await syncMembershipStep(input).catch((error: unknown) => {
		if (!target.forCheck || !state.check) throw error;
		state.check = { ...state.check, synced: { ...state.check.synced, [String(target.dealId)]: error instanceof Error ? error.message : String(error) } };
		return null;
	});
	if (step?.action === 'lookup') return step.lookup;
	if (step) {
		state.outcomes.push(step.outcome);
		state.writes = storeWrites(step);
	}
	state.answers = [];
	state.index++;
	return null;
}

/** The check's next call, or the deals it wants synced (queued as targets), or its row to store. */
async function stepCheck(state: MembershipRunState, check: CheckProgress): Promise<MembershipRound | null> {
	if (!check.listed) return ask(state, personsPageLookup(check), 'persons');
	const round = await participationCheckRound(check, state.now);
	if (round.action === 'lookup') return ask(state, round.lookup, 'check');
	if (round.action === 'sync') {
		state.targets.push(...round.dealIds.map((dealId) => ({ dealId, forCheck: true })));
		state.check = { ...check, syncedAll: check.syncedAll || round.all, synced: { ...check.synced, ...Object.fromEntries(round.dealIds.map((id) => [id, ''])) } };
		return null;
	}
	state.outcomes.push(round.outcome);
	state.writes = storeWrites(round);
	state.check = null;
	return null;
}

/** One round: takes the answer to the last call (if any), returns the next call or the end. */
export async function membershipRound(previous: MembershipRunState, answer: unknown, settingsRow: unknown): Promise<MembershipRound> {
	const state: MembershipRunState = { ...previous, targets: [...previous.targets], answers: [...previous.answers], writes: [...previous.writes], outcomes: [...previous.outcomes] };
	takeAnswer(state, answer);
	let remember: Remember | undefined;
	for (;;) {
		const write = state.writes.shift();
		if (write) return ask(state, write, 'write', remember);
		if (state.poll) {
			const call = nextListingCall(state.poll.listing);
			if (call) return ask(state, call, 'listing');
			remember = decidePollRun(state, state.poll);
			continue;
		}
		if (state.index < state.targets.length) {
			const call = await stepTarget(state, settingsRow);
			if (call) return ask(state, call, 'step', remember);
			continue;
		}
		const asked = state.check ? await stepCheck(state, state.check) : null;
		if (asked) return remember ? { ...asked, remember } : asked;
		if (!state.check && state.writes.length === 0) return { action: 'finished', outcomes: state.outcomes, ...(remember ? { remember } : {}) };
	}
}
