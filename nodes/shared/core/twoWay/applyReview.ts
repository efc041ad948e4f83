/**
 * *Apply Review Decisions*: a pair with a resolution in the review queue is synced at once, instead
 * of waiting for its next event or sweep. The pass reads both records fresh and the resolutions
 * become review decisions (see `reviewPass.ts`), so the chosen side's current value is written to
 * the other side and the rows are marked applied.
 */
import { resolutionOf, type ReviewEntry } from '../review/queue';
import { linkedRow } from '../syncState/claim';
import { emptyOutcome, syncPair } from './pair';
import type { RunOutcome, TwoWayRun } from './ports';

/** Open rows grouped per pair, keeping only pairs with at least one readable resolution. */
export function resolvedPairs(entries: ReviewEntry[]): ReviewEntry[][] {
	const pairs = new Map<string, ReviewEntry[]>();
	for (const entry of entries) {
		if (entry.status !== 'open') continue;
		const key = `${entry.entity}:${entry.pipedriveId}:${entry.propstreetId}`;
		pairs.set(key, [...(pairs.get(key) ?? []), entry]);
	}
	return [...pairs.values()].filter((rows) => rows.some((row) => resolutionOf(row.resolution)));
}

/** Syncs one pair with its open rows (all of one pair, at least one resolved). */
export async function applyReviewDecisions(run: TwoWayRun, rows: ReviewEntry[]): Promise<RunOutcome> {
	const [first] = rows;
	const link = linkedRow(await run.store.find(run.spec.entity, 'pipedrive', first.pipedriveId));
	if (!link || link.propstreetId !== first.propstreetId) {
		const now = run.now().toISOString();
		for (const row of rows) await run.review?.update(row.rowId, { status: 'settled', appliedAt: now });
		return emptyOutcome(run, first, 'skipped', `${run.spec.entity} ${first.pipedriveId} ⇄ ${first.propstreetId} is no longer linked; its review rows were closed without applying`);
	}
	const side = rows.map((row) => resolutionOf(row.resolution)).find((s) => s !== null) ?? 'pipedrive';
	return syncPair(run, link, side, {}, undefined, rows);
}
