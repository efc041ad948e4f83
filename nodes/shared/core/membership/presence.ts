/**
 * The one rule for a membership held by one side only, shared by the state-backed membership sync
 * (`plan.ts`) and the stateless Participant Differ (`core/participantDiff.ts`, whose one-side
 * policies stand for a history it cannot know: "add" = never linked, "remove" = linked before,
 * "ignore" = leave it).
 */
export type MembershipHistory = 'neverLinked' | 'linked' | 'tombstone';

export type OneSidedAction = 'add' | 'remove' | 'keepPrimary' | 'pending' | 'leave';

export interface OneSidedFacts {
	history: MembershipHistory;
	/** The other side's record for the person/contact is known (so it could be added there). */
	counterpartKnown: boolean;
	/** Pipedrive only: the deal's primary person, which the participants route cannot remove. */
	primary?: boolean;
	/** Propstreet only: a prospect Propstreet matched itself, never copied to Pipedrive. */
	teaser?: boolean;
}

export function oneSidedAction(facts: OneSidedFacts): OneSidedAction {
	if (facts.history === 'tombstone') return 'leave';
	// Seen linked and now missing on the other side: it was removed there, so it goes here too.
	if (facts.history === 'linked') return facts.primary ? 'keepPrimary' : 'remove';
	if (facts.teaser) return 'leave';
	return facts.counterpartKnown ? 'add' : 'pending';
}

/** The stateless Differ's one-side policy as the history it assumes. */
export function historyOfPolicy(policy: 'add' | 'remove' | 'ignore'): MembershipHistory {
	return policy === 'add' ? 'neverLinked' : policy === 'remove' ? 'linked' : 'tombstone';
}
