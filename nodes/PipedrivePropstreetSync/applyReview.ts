/**
 * The node's "Apply Review Decisions" mode: reads the entity's open review rows, and syncs each
 * pair that has a resolution (the core turns the resolutions into review decisions and marks the
 * rows). Answers with one summary item; pairs still holding unresolved fields go to Review.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { SyncEntity } from '../shared/core/syncState/link';
import { applyReviewDecisions, resolvedPairs } from '../shared/core/twoWay/applyReview';
import type { RunOutcome, TwoWayRun } from '../shared/core/twoWay/ports';
import type { DataTableReviewQueue } from '../shared/syncStore';

export interface ApplySummary {
	entity: string;
	/** Pairs with at least one resolution. */
	pairs: number;
	applied: number;
	failed: Array<{ pipedriveId: string; propstreetId: string; error: string }>;
}

export async function runApplyReview(run: TwoWayRun, queue: DataTableReviewQueue): Promise<INodeExecutionData[][]> {
	const entity = run.spec.entity as SyncEntity;
	const pairs = resolvedPairs(await queue.openOf(entity));
	const summary: ApplySummary = { entity, pairs: pairs.length, applied: 0, failed: [] };
	const reviewed: RunOutcome[] = [];
	for (const rows of pairs) {
		try {
			const outcome = await applyReviewDecisions(run, rows);
			if (outcome.action !== 'skipped') summary.applied++;
			if (outcome.review.length) reviewed.push(outcome);
		} catch (error) {
			// One pair failing leaves its rows open for the next run; the others go on.
			summary.failed.push({ pipedriveId: rows[0].pipedriveId, propstreetId: rows[0].propstreetId, error: error instanceof Error ? error.message : String(error) });
		}
	}
	const paired = { pairedItem: { item: 0 } };
	return [[{ json: summary as unknown as IDataObject, ...paired }], reviewed.map((o) => ({ json: o as unknown as IDataObject, ...paired }))];
}
