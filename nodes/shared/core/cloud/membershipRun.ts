/**
 * Cloud 08's loop over the deals one poll emits (or the project one prospect delivery names): the
 * membership step of each target in turn, then its state rows stored one call at a time (an upsert
 * or a delete of the Data Table node is a lookup too), then the next target. Everything the loop
 * needs is in `MembershipRunState`, which the Code node hands to itself each round.
 */
import type { Lookup, LookupAnswer } from './lookups';
import type { StateRowOut } from './stateRows';
import { syncMembershipStep, type MembershipStepInput } from './membershipStep';

export interface MembershipRunState {
	targets: MembershipStepInput['target'][];
	/** The target being synced. */
	index: number;
	/** Answers of the current target's step so far. */
	answers: LookupAnswer[];
	/** State writes of the finished target still to make. */
	writes: Lookup[];
	/** The call the last round asked for (its answer comes with the next round). */
	pending: Lookup | null;
	outcomes: unknown[];
	now: string;
	owner: string;
}

export type MembershipRound = { action: 'lookup'; lookup: Lookup; state: MembershipRunState } | { action: 'finished'; outcomes: unknown[] };

export function startMembershipRun(targets: MembershipStepInput['target'][], now: string, owner: string): MembershipRunState {
	return { targets, index: 0, answers: [], writes: [], pending: null, outcomes: [], now, owner };
}

function storeWrites(step: { rows: StateRowOut[]; removed: Array<{ entity: string; pipedriveId: string }> }): Lookup[] {
	const upserts: Lookup[] = step.rows.map((row) => ({ api: 'state', method: 'POST', path: '', row }));
	const deletes: Lookup[] = step.removed.map((gone) => ({ api: 'state', method: 'DELETE', path: '', state: { entity: gone.entity, column: 'pipedriveId', value: gone.pipedriveId } }));
	return [...upserts, ...deletes];
}

/** One round: takes the answer to the last call (if any), returns the next call or the end. */
export async function membershipRound(previous: MembershipRunState, answer: unknown, settingsRow: unknown): Promise<MembershipRound> {
	const state: MembershipRunState = { ...previous, answers: [...previous.answers], writes: [...previous.writes], outcomes: [...previous.outcomes] };
	// An answer to a state write needs no keeping; an answer to the step's own call does.
	if (state.pending && !(state.pending.api === 'state' && state.pending.method !== 'GET')) state.answers.push({ lookup: state.pending, answer });
	state.pending = null;
	while (state.index < state.targets.length) {
		const write = state.writes.shift();
		if (write) return { action: 'lookup', lookup: write, state: { ...state, pending: write } };
		if (state.answers.length === 0 && state.outcomes.length > state.index) {
			// The target's rows are stored: on to the next one.
			state.index++;
			continue;
		}
		const step = await syncMembershipStep({ target: state.targets[state.index], settingsRow, answers: state.answers, now: state.now, owner: state.owner });
		if (step.action === 'lookup') return { action: 'lookup', lookup: step.lookup, state: { ...state, pending: step.lookup } };
		state.outcomes.push(step.outcome);
		state.writes = storeWrites(step);
		state.answers = [];
	}
	return { action: 'finished', outcomes: state.outcomes };
}
