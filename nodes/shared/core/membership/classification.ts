/**
 * The classification of one membership, merged per field with `mergeFields` and `decideConflict`
 * (no rule of its own). Propstreet keeps it on the prospect (one per project); Pipedrive keeps it
 * in one person field (the mapping's `classification` person field), shared by every deal the
 * person is on. So for a person who is a prospect on several projects the Pipedrive value is
 * defined as: **the classification of the person's membership that changed last in the sync**.
 *
 * - A Propstreet change of one prospect is written to the person (a one-sided change flows).
 * - The sync remembers what it last wrote to each person (a `prospect` row `person:<personId>`),
 *   and forgets it once a Pipedrive user's edit of the field is seen (`steps.ts`), so that value
 *   set again later by a user is an edit, not taken for the sync's own write.
 *   A person field that differs from a membership's baseline only because the sync wrote another
 *   project's classification there is not a Pipedrive edit for this membership: its baseline
 *   moves along and nothing is written. So several projects with different classifications
 *   settle (issue 13 case 17): a second run right after writes nothing.
 * - A Pipedrive user's edit of the field (a value the sync did not write) is a Pipedrive change
 *   for every membership of that person, and reaches each of its prospects when its deal syncs.
 */
import { mergeFields, type Baseline, type FieldDecision } from '../merge/threeWay';
import type { ConflictRules, Side, SideTimes } from '../merge/policy';
import { CLASSIFICATION_FIELD } from './model';

export interface ClassificationInput {
	pipedrive: string | null;
	propstreet: string | null;
	baseline: Baseline | null;
	/** What the sync last wrote to this person's field (undefined when it never did). */
	lastWrittenToPerson?: string | null;
	/** A membership being created: its source side's value counts as the change. */
	newFrom?: Side;
	rules: ConflictRules;
	times: SideTimes;
	eventSide: Side;
}

export interface ClassificationDecision {
	decision: FieldDecision;
	/** The value to write, per side (absent = nothing to write there). */
	write: Partial<Record<Side, string>>;
	/** The baseline to store once the writes are done. */
	baselineAfter(values: Record<Side, string | null>, at: Partial<Record<Side, string | null>>): Baseline | null;
}

const sig = (value: string | null | undefined) => value ?? '';

const NEW = '\u0000new';

/** A baseline under which only `side` changed (its value flows to the other side). */
function changedOnly(side: Side, pd: string, ps: string): Baseline {
	const field = CLASSIFICATION_FIELD;
	return side === 'pipedrive' ? { pipedrive: { [field]: NEW }, propstreet: { [field]: ps } } : { pipedrive: { [field]: pd }, propstreet: { [field]: NEW } };
}

function effectiveBaseline(input: ClassificationInput): Baseline | null {
	const pd = sig(input.pipedrive);
	const ps = sig(input.propstreet);
	const written = input.lastWrittenToPerson;
	const ownWrite = written !== undefined && sig(written) === pd;
	if (input.newFrom) {
		// The side that brought the membership changed; an empty value has nothing to say, so the other fills it.
		const from = input.newFrom === 'pipedrive' ? pd : ps;
		return changedOnly(from ? input.newFrom : input.newFrom === 'pipedrive' ? 'propstreet' : 'pipedrive', pd, ps);
	}
	const base = input.baseline;
	if (base && ownWrite && CLASSIFICATION_FIELD in base.pipedrive && base.pipedrive[CLASSIFICATION_FIELD] !== pd) {
		// The person field moved because the sync wrote another membership's value: not an edit here.
		return { ...base, pipedrive: { ...base.pipedrive, [CLASSIFICATION_FIELD]: pd } };
	}
	if (base) return base;
	// First link: an empty side is filled; a person value the sync wrote for another project says nothing about this one.
	if (!ps || (ownWrite && ps)) return changedOnly(ps ? 'propstreet' : 'pipedrive', pd, ps);
	if (!pd) return changedOnly('propstreet', pd, ps);
	return null;
}

export function mergeClassification(input: ClassificationInput): ClassificationDecision {
	const pd = sig(input.pipedrive);
	const ps = sig(input.propstreet);
	const baseline = effectiveBaseline(input);
	const outcome = mergeFields({
		fields: [{ field: CLASSIFICATION_FIELD, pipedrive: pd, propstreet: ps, agree: pd === ps }],
		baseline,
		rules: input.rules,
		times: input.times,
		eventSide: input.eventSide,
	});
	const decision = outcome.decisions[0];
	const write: Partial<Record<Side, string>> = {};
	if (decision.action === 'toPipedrive' && ps) write.pipedrive = ps;
	if (decision.action === 'toPropstreet' && pd) write.propstreet = pd;
	return {
		decision,
		write,
		baselineAfter: (values, at) => {
			// A field left for review keeps its old baseline, so it stays a conflict until someone decides.
			if (decision.action === 'review') return input.baseline;
			return { pipedrive: { [CLASSIFICATION_FIELD]: sig(values.pipedrive) }, propstreet: { [CLASSIFICATION_FIELD]: sig(values.propstreet) }, at };
		},
	};
}
