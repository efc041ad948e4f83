/**
 * The review queue inside one pass over a linked pair (see `core/review/queue.ts`). Runs while the
 * pass holds the pair's lease, so two executions of one pair never raise the same row at once.
 * The queue is read only when the pass sends a field to review, or when the caller brings the
 * pair's rows (the node's *Apply Review Decisions*): a pass without conflicts costs no call.
 */
import type { Side } from '../merge/policy';
import { decisionsOf, planReviewRows, type ReviewEntry, type ReviewRaise } from '../review/queue';
import type { LinkState } from '../syncState/link';
import type { TwoWayPlan } from './plan';
import type { ReviewItem, TwoWayRun } from './ports';

/** The pair's open rows: those given, else read when the plan has something for review; loaded once per run. */
export async function reviewEntriesFor(run: TwoWayRun, link: LinkState, plan: TwoWayPlan, known: { entries?: ReviewEntry[] }): Promise<ReviewEntry[]> {
	if (known.entries) return known.entries;
	if (!run.review || !plan.merge.review.length || !link.pipedriveId || !link.propstreetId) return [];
	known.entries = await run.review.openFor(run.spec.entity, link.pipedriveId, link.propstreetId);
	return known.entries;
}

/** The rules with the pair's review decisions; undefined when there are none (the plan stands). */
export function rulesWithDecisions(run: TwoWayRun, entries: ReviewEntry[]): TwoWayRun['rules'] | undefined {
	const decisions = decisionsOf(entries);
	return Object.keys(decisions).length ? { ...run.rules, decisions: { ...run.rules.decisions, ...decisions } } : undefined;
}

const asText = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

function lastSynced(link: LinkState): string {
	const at = link.baseline?.at;
	if (!link.baseline) return 'never (no stored baseline)';
	const side = (s: Side) => at?.[s] ?? 'unknown';
	return `Pipedrive ${side('pipedrive')}, Propstreet ${side('propstreet')}`;
}

/** Raises, refreshes and closes the pair's rows after the writes of a pass. */
export async function saveReview(run: TwoWayRun, link: LinkState, plan: TwoWayPlan, items: ReviewItem[], entries: ReviewEntry[]): Promise<void> {
	if (!run.review || !link.pipedriveId || !link.propstreetId) return;
	const now = run.now().toISOString();
	const raised: ReviewRaise[] = items.map((item) => ({
		entity: run.spec.entity,
		pipedriveId: link.pipedriveId as string,
		propstreetId: link.propstreetId as string,
		field: item.field,
		pipedriveValue: asText(item.pipedriveValue),
		propstreetValue: asText(item.propstreetValue),
		lastSynced: lastSynced(link),
		rule: item.reason,
		raisedAt: now,
	}));
	const rows = planReviewRows(entries, plan.merge.decisions, raised, now);
	for (const item of rows.raise) await run.review.raise(item);
	for (const { rowId, change } of rows.update) await run.review.update(rowId, change);
}
