/**
 * The one conflict rule of the package. A *conflict* is a field whose value differs between
 * Pipedrive and Propstreet where both sides' values have a claim to be right: with a baseline, the
 * field changed on both sides since the last sync; without one (first link, or the state store was
 * lost), the field differs and the other side's record was edited later than the event's side.
 *
 * Policies (the spec's three, with per-field owners for the second):
 * - `lastWriteWins`: the side whose record was updated later wins; on a tie or an unreadable time
 *   the caller's `fallback` side wins (the side whose event is being handled, as the stateless
 *   sync did), so the two sides always end equal;
 * - `sourceOfTruth`: the field's owner wins (`owners[field]`, else `defaultOwner`); a field with no
 *   owner falls back to last write wins;
 * - `manualReview`: nobody wins; the field goes to the review queue and neither side is written.
 *
 * A review decision (a person picked a side for a field in the review queue) overrides every
 * policy for that field: the chosen side wins, with its current value.
 */
export type Side = 'pipedrive' | 'propstreet';

export type ConflictPolicy = 'lastWriteWins' | 'sourceOfTruth' | 'manualReview';

export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['lastWriteWins', 'sourceOfTruth', 'manualReview'];

export interface ConflictRules {
	policy: ConflictPolicy;
	/** Logical field id (`contact.strategy`) → the side that owns it (sourceOfTruth). */
	owners?: Record<string, Side>;
	/** Owner of fields not in `owners` (sourceOfTruth); without it they fall back to last write wins. */
	defaultOwner?: Side;
	/** Review decisions: logical field id → the side a person chose in the review queue. */
	decisions?: Record<string, Side>;
}

/** Record update times of both sides (ISO text or epoch ms); null when unknown. */
export type SideTimes = Record<Side, string | number | null | undefined>;

export interface ConflictDecision {
	winner: Side | 'review';
	reason: string;
}

export function otherSide(side: Side): Side {
	return side === 'pipedrive' ? 'propstreet' : 'pipedrive';
}

export function timeOf(value: string | number | null | undefined): number | null {
	if (value === null || value === undefined || value === '') return null;
	const t = typeof value === 'number' ? value : Date.parse(value);
	return Number.isFinite(t) ? t : null;
}

function ownerOf(field: string, rules: ConflictRules): Side | undefined {
	const owners = rules.owners ?? {};
	return Object.prototype.hasOwnProperty.call(owners, field) ? owners[field] : rules.defaultOwner;
}

/** The side a person chose for `field` in the review queue, if any. */
export function reviewDecisionOf(field: string, rules: ConflictRules): Side | undefined {
	const decisions = rules.decisions ?? {};
	return Object.prototype.hasOwnProperty.call(decisions, field) ? decisions[field] : undefined;
}

/** Which side wins one conflicting field; `fallback` wins when the times cannot tell. */
export function decideConflict(field: string, rules: ConflictRules, times: SideTimes, fallback: Side): ConflictDecision {
	const chosen = reviewDecisionOf(field, rules);
	if (chosen) return { winner: chosen, reason: `${field}: ${chosen} chosen in the review queue` };
	if (rules.policy === 'manualReview') return { winner: 'review', reason: `${field} changed on both sides; policy manual review` };
	if (rules.policy === 'sourceOfTruth') {
		const owner = ownerOf(field, rules);
		if (owner) return { winner: owner, reason: `${owner} is the source of truth for ${field}` };
	}
	const p = timeOf(times.pipedrive);
	const s = timeOf(times.propstreet);
	if (p === null || s === null || p === s) {
		return { winner: fallback, reason: `${field}: the update times do not show which side is newer; ${fallback} wins` };
	}
	const winner: Side = p > s ? 'pipedrive' : 'propstreet';
	return { winner, reason: `${field}: ${winner} was updated later (${new Date(Math.max(p, s)).toISOString()})` };
}
