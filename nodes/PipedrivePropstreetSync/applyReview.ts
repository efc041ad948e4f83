/**
 * The node's "Apply Review Decisions" mode: reads the entity's open review rows, and syncs each
 * pair that has a resolution (the core turns the resolutions into review decisions and marks the
 * rows). Answers with one summary item; pairs still holding unresolved fields go to Review.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { SyncEntity } from '../shared/core/syncState/link';
import { applyResolvedPairs } from '../shared/core/twoWay/applyReview';
import type { TwoWayRun } from '../shared/core/twoWay/ports';
import type { DataTableReviewQueue } from '../shared/syncStore';

export type { ApplySummary } from '../shared/core/twoWay/applyReview';

export async function runApplyReview(run: TwoWayRun, queue: DataTableReviewQueue): Promise<INodeExecutionData[][]> {
	const { summary, reviewed } = await applyResolvedPairs(run, await queue.openOf(run.spec.entity as SyncEntity));
	const paired = { pairedItem: { item: 0 } };
	return [[{ json: summary as unknown as IDataObject, ...paired }], reviewed.map((o) => ({ json: o as unknown as IDataObject, ...paired }))];
}
