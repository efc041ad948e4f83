/**
 * A linked membership's classification in the review queue (`core/review/queue.ts`), the same rows
 * and rules as the two-way fields: a conflict under Manual Review raises (or refreshes) one row per
 * membership; a person's `resolution` there becomes a review decision for `decideConflict`, so the
 * chosen side's current value is written at the membership's next sync and the row is closed.
 * The queue is read only when the merge sends the classification to review.
 */
import { decisionsOf, planReviewRows, resolutionOf, type ReviewEntry, type ReviewRaise } from '../review/queue';
import type { FieldDecision } from '../merge/threeWay';
import type { LinkState } from '../syncState/link';
import { mergeClassification, type ClassificationDecision, type ClassificationInput } from './classification';
import { CLASSIFICATION_FIELD } from './model';
import type { MembershipRun } from './ports';

/** The membership's ids in the queue: the state row's (`dealId:personId` ⇄ prospect id). */
export interface MembershipIds {
	pipedriveId: string;
	propstreetId: string;
}

export async function mergeWithReview(run: MembershipRun, ids: MembershipIds | null, input: ClassificationInput): Promise<{ merged: ClassificationDecision; entries: ReviewEntry[] }> {
	const merged = mergeClassification(input);
	if (!run.review || !ids || merged.decision.action !== 'review') return { merged, entries: [] };
	const entries = await run.review.openFor('prospect', ids.pipedriveId, ids.propstreetId);
	const decisions = decisionsOf(entries);
	if (!decisions[CLASSIFICATION_FIELD]) return { merged, entries };
	return { merged: mergeClassification({ ...input, rules: { ...input.rules, decisions: { ...input.rules.decisions, ...decisions } } }), entries };
}

const asText = (value: string | null | undefined) => value ?? '';

function lastSynced(row: LinkState | undefined): string {
	const at = row?.baseline?.at;
	return row?.baseline ? `Pipedrive ${at?.pipedrive ?? 'unknown'}, Propstreet ${at?.propstreet ?? 'unknown'}` : 'never (no stored baseline)';
}

/** Raises, refreshes or closes the membership's row after its writes. */
export async function saveClassificationReview(
	run: MembershipRun,
	ids: MembershipIds | null,
	row: LinkState | undefined,
	entries: ReviewEntry[],
	decision: FieldDecision,
	values: { pipedrive: string | null; propstreet: string | null },
): Promise<void> {
	if (!run.review || !ids) return;
	const now = run.now().toISOString();
	const raised: ReviewRaise[] =
		decision.action === 'review'
			? [{ entity: 'prospect', ...ids, field: CLASSIFICATION_FIELD, pipedriveValue: asText(values.pipedrive), propstreetValue: asText(values.propstreet), lastSynced: lastSynced(row), rule: decision.reason, raisedAt: now }]
			: [];
	const plan = planReviewRows(entries, [decision], raised, now);
	for (const item of plan.raise) await run.review.raise(item);
	for (const { rowId, change } of plan.update) await run.review.update(rowId, change);
}

/**
 * The deals to sync for *Apply Review Decisions*: those with an open, resolved classification row.
 * A membership row's Pipedrive id is `dealId:personId` (see `pairKey`); the deal's sync reads both
 * sides fresh and applies every resolution of its memberships.
 */
export function dealsWithResolvedClassifications(entries: ReviewEntry[]): string[] {
	const deals = entries.filter((e) => e.entity === 'prospect' && e.status === 'open' && resolutionOf(e.resolution)).map((e) => e.pipedriveId.split(':')[0]);
	return [...new Set(deals.filter((id) => id !== ''))];
}
