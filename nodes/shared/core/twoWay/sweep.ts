/**
 * A sweep (the backfill): every record of one side that changed since the last sweep (or all of
 * them) is run through the same sync as a webhook event would be. With the stored baselines this
 * reconciles both directions: an edit missed while webhooks were down shows as a one-sided change
 * and flows; a record whose link row is missing is matched again through its stored ids. A record
 * that fails is reported and the sweep goes on; the time mark only moves when none failed, so the
 * next sweep reads the failed ones again.
 */
import type { Side } from '../merge/policy';
import { idOf, type JsonRecord } from '../mapping/common';
import type { RunAction, RunOutcome } from './ports';

/** Re-read a little before the last mark: the two APIs' clocks and ours are not the same clock. */
export const SWEEP_OVERLAP_MS = 10 * 60 * 1000;

export interface SweepFailure {
	id: string | null;
	error: string;
}

export interface SweepSummary {
	entity: string;
	side: Side;
	/** Records changed at or after this time were read; null = all (a full sweep). */
	since: string | null;
	listed: number;
	counts: Record<RunAction, number>;
	/** Fields left for review, over all records. */
	review: number;
	failed: SweepFailure[];
	/** The outcome of every record that changed something (created, updated, linked, unlinked …). */
	changes: RunOutcome[];
	/** The mark the next sweep reads from; unchanged when a record failed or the sweep stopped early. */
	nextMark: string | null;
	/** Set when `shouldStop` ended the sweep before every listed record was synced. */
	stoppedAfter?: number;
}

/** Where this sweep starts reading: nothing before the last mark (minus the overlap), or everything. */
export function sweepSince(lastMark: string | null | undefined, fullSweep: boolean): string | null {
	if (fullSweep || !lastMark) return null;
	const t = Date.parse(lastMark);
	return Number.isFinite(t) ? new Date(t - SWEEP_OVERLAP_MS).toISOString() : null;
}

/** Runs `syncOne` over every record, one after the other, and sums up what happened. */
export async function sweepRecords(
	records: JsonRecord[],
	scope: { entity: string; side: Side; since: string | null; startedAt: Date; lastMark: string | null },
	syncOne: (record: JsonRecord) => Promise<RunOutcome>,
	/** Asked before each record (e.g. the API budget is nearly spent); true ends the sweep there. */
	shouldStop?: () => boolean | Promise<boolean>,
): Promise<{ summary: SweepSummary; reviewed: RunOutcome[] }> {
	const counts: Record<RunAction, number> = { unchanged: 0, updated: 0, created: 0, unlinked: 0, relinked: 0, skipped: 0 };
	const failed: SweepFailure[] = [];
	const changes: RunOutcome[] = [];
	const reviewed: RunOutcome[] = [];
	let stoppedAfter: number | undefined;
	for (const [index, record] of records.entries()) {
		if (shouldStop && (await shouldStop())) {
			stoppedAfter = index;
			break;
		}
		try {
			const outcome = await syncOne(record);
			counts[outcome.action]++;
			if (outcome.action !== 'unchanged' && outcome.action !== 'skipped') changes.push(outcome);
			if (outcome.review.length) reviewed.push(outcome);
		} catch (error) {
			failed.push({ id: idOf(record.id) ?? null, error: error instanceof Error ? error.message : String(error) });
		}
	}
	const review = reviewed.reduce((n, o) => n + o.review.length, 0);
	// Records not reached must be read again next time, like failed ones.
	const nextMark = failed.length || stoppedAfter !== undefined ? scope.lastMark : scope.startedAt.toISOString();
	const summary: SweepSummary = { entity: scope.entity, side: scope.side, since: scope.since, listed: records.length, counts, review, failed, changes, nextMark };
	if (stoppedAfter !== undefined) summary.stoppedAfter = stoppedAfter;
	return { summary, reviewed };
}
