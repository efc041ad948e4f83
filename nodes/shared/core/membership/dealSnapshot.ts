/**
 * The participant poll's memory: per open deal of the synced pipeline, its participant count and
 * update time as the last list call showed them. Pipedrive sends no webhook for participant
 * changes, but one deal list call (500 deals, `include_fields=participants_count`) shows which
 * deals may have changed; only those are emitted. A change a count cannot show (one participant
 * replaced by another between two polls, with no other edit of the deal) waits for the periodic
 * full sweep, which emits every deal.
 *
 * A deal whose update time moved but whose count did not is told apart (`updatedOnly`): a stage
 * change or any other deal edit moves it too, and the membership sync skips the participant read
 * when the deal sync has already synced that version of the deal (`targets.ts editAlreadySynced`).
 */
import { idOf, isoTime, type JsonRecord } from '../mapping/common';

export interface DealMark {
	count: number | null;
	updated: string | null;
}

export interface DealSnapshot {
	deals: Record<string, DealMark>;
	/** Epoch ms of the last full sweep; null before the first. */
	sweptAt: number | null;
}

export interface PollDecision {
	/** Deals to sync now. */
	emit: JsonRecord[];
	/** The snapshot to keep. */
	next: DealSnapshot;
	sweep: boolean;
	/** Ids of emitted deals whose count is as before and only the update time moved (none on a sweep). */
	updatedOnly: Set<string>;
}

export const DEFAULT_SWEEP_HOURS = 24;

function markOf(deal: JsonRecord): DealMark {
	const count = typeof deal.participants_count === 'number' ? deal.participants_count : null;
	return { count, updated: isoTime(deal.update_time) };
}

/**
 * What to emit from one list of the pipeline's open deals. The first poll (no snapshot: the
 * workflow was just activated, or the snapshot was lost) only takes the snapshot and emits nothing,
 * so activating the workflow starts no burst of runs; the first sweep follows one sweep interval
 * later ("sync now" runs one at once). `manual` (the editor's test run) sweeps without a snapshot.
 */
export function decidePoll(previous: DealSnapshot | null | undefined, deals: JsonRecord[], nowMs: number, sweepEveryMs: number, manual = false): PollDecision {
	const first = !previous && !manual;
	const sweep = manual || (!first && (previous?.sweptAt === null || sweepEveryMs <= 0 || nowMs - (previous?.sweptAt ?? 0) >= sweepEveryMs));
	const next: DealSnapshot = { deals: {}, sweptAt: sweep || first ? nowMs : (previous?.sweptAt ?? null) };
	const emit: JsonRecord[] = [];
	const updatedOnly = new Set<string>();
	for (const deal of deals) {
		const id = idOf(deal.id);
		if (!id) continue;
		const mark = markOf(deal);
		next.deals[id] = mark;
		const before = previous?.deals[id];
		// A count Pipedrive did not return (null) never hides a change: the deal is emitted.
		const changed = !before || mark.count === null || before.count !== mark.count || before.updated !== mark.updated;
		if (!first && (sweep || changed)) emit.push(deal);
		if (!first && !sweep && changed && before && mark.count !== null && before.count === mark.count) updatedOnly.add(id);
	}
	return { emit, next, sweep, updatedOnly };
}

/** A stored snapshot, or null when the text is missing or damaged (the next poll then sweeps). */
export function readSnapshot(value: unknown): DealSnapshot | null {
	if (!value || typeof value !== 'object') return null;
	const v = value as Partial<DealSnapshot>;
	if (!v.deals || typeof v.deals !== 'object') return null;
	return { deals: v.deals as Record<string, DealMark>, sweptAt: typeof v.sweptAt === 'number' ? v.sweptAt : null };
}
