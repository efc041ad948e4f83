/**
 * "Apply Review Decisions" for Entity: Prospect: each deal with a resolved classification row is
 * synced now (both sides read fresh; the resolutions become review decisions in the membership
 * sync, which writes the chosen value and closes the rows). One summary item, like the two-way
 * entities; memberships still holding unresolved rows go to Review.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { dealsWithResolvedClassifications } from '../shared/core/membership/classificationReview';
import type { RunOutcome } from '../shared/core/twoWay/ports';
import type { DataTableReviewQueue } from '../shared/syncStore';
import type { ApplySummary } from './applyReview';
import type { EntitySetup, ItemBinding } from './entities/binding';

export async function runApplyMembershipReview(setup: EntitySetup, binding: ItemBinding, queue: DataTableReviewQueue): Promise<INodeExecutionData[][]> {
	const deals = dealsWithResolvedClassifications(await queue.openOf('prospect'));
	const summary: ApplySummary = { entity: 'prospect', pairs: deals.length, applied: 0, failed: [] };
	const reviewed: RunOutcome[] = [];
	for (const dealId of deals) {
		try {
			const outcomes = await binding.syncItem(setup, { dealId });
			if (outcomes.some((o) => o.action !== 'skipped')) summary.applied++;
			reviewed.push(...outcomes.filter((o) => o.review.length));
		} catch (error) {
			// One deal failing leaves its rows open for the next run; the others go on.
			summary.failed.push({ pipedriveId: dealId, propstreetId: '', error: error instanceof Error ? error.message : String(error) });
		}
	}
	const paired = { pairedItem: { item: 0 } };
	return [[{ json: summary as unknown as IDataObject, ...paired }], reviewed.map((o) => ({ json: o as unknown as IDataObject, ...paired }))];
}
