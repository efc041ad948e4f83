/**
 * Per-field three-way merge. Each side's value of a field is reduced to a signature in that side's
 * own shape (what Pipedrive holds, what Propstreet holds), and the sync state keeps the signatures
 * both sides had when the field was last in sync: the baseline. Comparing each side with its own
 * baseline says which side changed the field, without mapping one side into the other, so a value
 * one system re-formats on write (a name it re-splits, a phone it stores as E.164) is not mistaken
 * for an edit when it comes back as an echo.
 *
 * - neither side changed, or both hold equivalent values: nothing to write;
 * - one side changed: its value flows to the other side, whatever the record times say;
 * - both changed to different values: a conflict, decided by `decideConflict`;
 * - no baseline for the field (first link, new field, lost state): the values differ but nobody
 *   can tell who changed them, so it is decided as a conflict, as the stateless sync did.
 */
import { decideConflict, otherSide, reviewDecisionOf, type ConflictRules, type Side, type SideTimes } from './policy';

export interface FieldSignatures {
	field: string;
	pipedrive: string;
	propstreet: string;
	/** Both values mean the same thing once mapped (computed by the caller through the mapper). */
	agree: boolean;
}

/** Signatures per side at the last sync; absent when the link has no state. */
export interface Baseline {
	pipedrive: Record<string, string>;
	propstreet: Record<string, string>;
	/** Each side's record update time when the signatures were taken (spots late deliveries). */
	at?: Partial<Record<Side, string | null>>;
}

export type FieldAction = 'none' | 'toPipedrive' | 'toPropstreet' | 'review';

export interface FieldDecision {
	field: string;
	action: FieldAction;
	/** Sides whose value moved since the baseline (empty without a baseline). */
	changedOn: Side[];
	conflict: boolean;
	reason: string;
}

export interface MergeInput {
	fields: FieldSignatures[];
	baseline: Baseline | null;
	rules: ConflictRules;
	times: SideTimes;
	/** The side whose event started this run: it wins a conflict the times cannot decide. */
	eventSide: Side;
}

export interface MergeOutcome {
	decisions: FieldDecision[];
	toPipedrive: string[];
	toPropstreet: string[];
	review: FieldDecision[];
	/** True when no field needs writing on either side and nothing waits for review. */
	settled: boolean;
}

function flowTo(side: Side): FieldAction {
	return side === 'pipedrive' ? 'toPipedrive' : 'toPropstreet';
}

function decideField(f: FieldSignatures, input: MergeInput): FieldDecision {
	const base = input.baseline;
	const known = base !== null && f.field in base.pipedrive && f.field in base.propstreet;
	const changedOn: Side[] = [];
	if (known && base.pipedrive[f.field] !== f.pipedrive) changedOn.push('pipedrive');
	if (known && base.propstreet[f.field] !== f.propstreet) changedOn.push('propstreet');
	if (f.agree) return { field: f.field, action: 'none', changedOn, conflict: false, reason: 'both sides agree' };
	// A field a person settled in the review queue: the chosen side's current value wins, whatever changed since.
	if (reviewDecisionOf(f.field, input.rules)) return conflictDecision(f, input, changedOn, known);
	if (known && changedOn.length === 0) {
		return { field: f.field, action: 'none', changedOn, conflict: false, reason: 'neither side changed since the last sync' };
	}
	if (changedOn.length === 1) {
		const from = changedOn[0];
		return { field: f.field, action: flowTo(otherSide(from)), changedOn, conflict: false, reason: `changed in ${from} only` };
	}
	return conflictDecision(f, input, changedOn, known);
}

/** Both changed, no baseline, or a review decision: the one rule decides. */
function conflictDecision(f: FieldSignatures, input: MergeInput, changedOn: Side[], known: boolean): FieldDecision {
	const decision = decideConflict(f.field, input.rules, input.times, input.eventSide);
	const action = decision.winner === 'review' ? 'review' : flowTo(otherSide(decision.winner));
	const reason = known ? decision.reason : `no baseline; ${decision.reason}`;
	return { field: f.field, action, changedOn, conflict: true, reason };
}

export function mergeFields(input: MergeInput): MergeOutcome {
	const decisions = input.fields.map((f) => decideField(f, input));
	const pick = (action: FieldAction) => decisions.filter((d) => d.action === action);
	const review = pick('review');
	const toPipedrive = pick('toPipedrive').map((d) => d.field);
	const toPropstreet = pick('toPropstreet').map((d) => d.field);
	return { decisions, toPipedrive, toPropstreet, review, settled: !toPipedrive.length && !toPropstreet.length && !review.length };
}
