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

/** What one "apply review decisions" run did for an entity. */
export interface ApplySummary {
	entity: string;
	/** Pairs with at least one resolution. */
	pairs: number;
	applied: number;
	failed: Array<{ pipedriveId: string; propstreetId: string; error: string }>;
	/** Resolved pairs left for the next run (only where the run takes a limited number). */
	left?: number;
}

export interface ApplyOptions {
	/** At most this many pairs in one run (the Cloud replay, whose cost grows with each call); the rest wait for the next run. */
	maxPairs?: number;
	/** Asked after each pair: true ends the run there (the Cloud replay met a call not answered yet; it discards this round, so that pair's failure is not one). */
	stopped?: () => boolean;
}

/**
 * Syncs every resolved pair of an entity's open review rows. One pair failing leaves its rows open
 * for the next run and the others go on. Returns the summary and the outcomes that still hold
 * fields in review (unresolved ones).
 */
export async function applyResolvedPairs(run: TwoWayRun, openRows: ReviewEntry[], options: ApplyOptions = {}): Promise<{ summary: ApplySummary; reviewed: RunOutcome[] }> {
	const all = resolvedPairs(openRows);
	const pairs = options.maxPairs === undefined ? all : all.slice(0, options.maxPairs);
	const summary: ApplySummary = { entity: run.spec.entity, pairs: pairs.length, applied: 0, failed: [], ...(all.length > pairs.length ? { left: all.length - pairs.length } : {}) };
	const reviewed: RunOutcome[] = [];
	for (const rows of pairs) {
		try {
			const outcome = await applyReviewDecisions(run, rows);
			if (outcome.action !== 'skipped') summary.applied++;
			if (outcome.review.length) reviewed.push(outcome);
		} catch (error) {
			summary.failed.push({ pipedriveId: rows[0].pipedriveId, propstreetId: rows[0].propstreetId, error: error instanceof Error ? error.message : String(error) });
		}
		if (options.stopped?.()) break;
	}
	return { summary, reviewed };
}
