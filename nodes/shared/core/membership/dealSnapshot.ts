/**
 * The participant poll's memory: per open deal of the synced pipeline, its participant count and
 * update time as the last list call showed them. Pipedrive sends no webhook for participant
 * changes, but one deal list call (500 deals, `include_fields=participants_count`) shows which
 * deals may have changed; only those are emitted. A change a count cannot show (one participant
 * replaced by another between two polls, with no other edit of the deal) is found by the daily
 * participation check (`participationCheck.ts`): the poll marks the tick, the Sync node runs it.
 * A full participant read (every deal emitted) runs every Nth check when configured, and on the
 * editor's manual run.
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
	/** Epoch ms of the last full participant read (every deal emitted); null before the first. */
	sweptAt: number | null;
	/** Epoch ms of the last participation check (or full read); null before the first. */
	checkedAt: number | null;
	/** Checks since the last full read. */
	checksSinceFullRead: number;
}

/** What the Sync node is asked to do after the emitted deals: compare counts, or just keep them after a full read. */
export type CheckMode = 'check' | 'baseline';

export interface PollDecision {
	/** Deals to sync now. */
	emit: JsonRecord[];
	/** The snapshot to keep. */
	next: DealSnapshot;
	/** A full participant read: every deal is emitted. */
	sweep: boolean;
	/** The participation check to run after the emitted deals (null: none this poll). */
	check: CheckMode | null;
	/** Ids of emitted deals whose count is as before and only the update time moved (none on a sweep). */
	updatedOnly: Set<string>;
}

export const DEFAULT_SWEEP_HOURS = 24;
/** Full participant reads are off by default: the daily check finds every change but a perfect cycle. */
export const DEFAULT_FULL_READ_EVERY = 0;

function markOf(deal: JsonRecord): DealMark {
	const count = typeof deal.participants_count === 'number' ? deal.participants_count : null;
	return { count, updated: isoTime(deal.update_time) };
}

export interface PollCadence {
	/** How often the participation check runs (0: every poll). */
	checkEveryMs: number;
	/** A full participant read instead of every Nth check (0: never). */
	fullReadEvery?: number;
}

function dueNow(previous: DealSnapshot | null | undefined, nowMs: number, cadence: PollCadence, manual: boolean): { first: boolean; check: boolean; sweep: boolean } {
	if (manual) return { first: false, check: true, sweep: true };
	if (!previous) return { first: true, check: false, sweep: false };
	const check = previous.checkedAt === null || cadence.checkEveryMs <= 0 || nowMs - previous.checkedAt >= cadence.checkEveryMs;
	const every = Math.max(0, Math.floor(cadence.fullReadEvery ?? 0));
	return { first: false, check, sweep: check && every > 0 && previous.checksSinceFullRead + 1 >= every };
}

/**
 * What to emit from one list of the pipeline's open deals. The first poll (no snapshot: the
 * workflow was just activated, or the snapshot was lost) only takes the snapshot and emits nothing,
 * so activating the workflow starts no burst of runs; the first check follows one check interval
 * later ("sync now" reads every deal at once). `manual` (the editor's test run) reads every deal.
 */
export function decidePoll(previous: DealSnapshot | null | undefined, deals: JsonRecord[], nowMs: number, cadence: PollCadence, manual = false): PollDecision {
	const due = dueNow(previous, nowMs, cadence, manual);
	const next: DealSnapshot = {
		deals: {},
		sweptAt: due.sweep || due.first ? nowMs : (previous?.sweptAt ?? null),
		checkedAt: due.check || due.first ? nowMs : (previous?.checkedAt ?? null),
		checksSinceFullRead: due.sweep || due.first ? 0 : (previous?.checksSinceFullRead ?? 0) + (due.check ? 1 : 0),
	};
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
		if (!due.first && (due.sweep || changed)) emit.push(deal);
		if (!due.first && !due.sweep && changed && before && mark.count !== null && before.count === mark.count) updatedOnly.add(id);
	}
	return { emit, next, sweep: due.sweep, check: due.sweep ? 'baseline' : due.check ? 'check' : null, updatedOnly };
}

/** A stored snapshot, or null when the text is missing or damaged (the next poll then sweeps). */
export function readSnapshot(value: unknown): DealSnapshot | null {
	if (!value || typeof value !== 'object') return null;
	const v = value as Partial<DealSnapshot>;
	if (!v.deals || typeof v.deals !== 'object') return null;
	const sweptAt = typeof v.sweptAt === 'number' ? v.sweptAt : null;
	// A snapshot from before the check existed: its last sweep is its last check.
	const checkedAt = typeof v.checkedAt === 'number' ? v.checkedAt : sweptAt;
	return { deals: v.deals as Record<string, DealMark>, sweptAt, checkedAt, checksSinceFullRead: typeof v.checksSinceFullRead === 'number' ? v.checksSinceFullRead : 0 };
}
