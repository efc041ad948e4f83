/**
 * Pacing against Pipedrive's daily token budget (reference §15.1): every integration of the company
 * shares one budget, and once it is spent every call answers 429 until midnight. The transport
 * remembers the last `x-daily-ratelimit-token-*` reading per account; these pure rules say what a
 * reading means (how much is left, whether to hold back) and what to skip, so the poll trigger and
 * the backfill slow down before the budget is gone instead of running into 429s.
 */
import type { PipedriveRateLimit } from './rateLimit';

/** The latest daily-budget reading of one Pipedrive account. */
export interface DailyBudgetReading {
	limit: number;
	remaining: number;
	/** When it was read (ms since epoch). */
	seenAtMs: number;
}

/** Hold back below this share of the day's budget unless the node says otherwise. */
export const DEFAULT_PACE_BELOW_PERCENT = 10;
/** While holding back, the participant poll runs only every Nth time (every hour at 10 minutes). */
export const DEFAULT_SLOW_POLL_EVERY = 6;

/** The daily part of a rate-limit reading, or undefined when the answer did not carry both headers. */
export function dailyReadingOf(info: PipedriveRateLimit | undefined): DailyBudgetReading | undefined {
	if (!info || info.dailyTokenLimit === undefined || info.dailyTokensRemaining === undefined || info.dailyTokenLimit <= 0) return undefined;
	return { limit: info.dailyTokenLimit, remaining: info.dailyTokensRemaining, seenAtMs: info.seenAtMs };
}

/**
 * A reading from an earlier day says nothing about today: the budget resets at midnight in the
 * server's time zone, which is not documented, so UTC days are compared (a reading at worst a few
 * hours stale is then ignored, which errs towards running).
 */
export function isCurrentReading(reading: DailyBudgetReading | undefined, nowMs: number): reading is DailyBudgetReading {
	if (!reading) return false;
	return new Date(reading.seenAtMs).toISOString().slice(0, 10) === new Date(nowMs).toISOString().slice(0, 10);
}

export interface PaceState {
	/** True when under the threshold: skip what can wait. */
	low: boolean;
	/** Tokens left as last read; undefined when no reading from today. */
	remaining?: number;
	limit?: number;
	/** A sentence for the execution's output, naming what is left; set only when low. */
	warning?: string;
}

/** Whether the day's budget is nearly spent (below `belowPercent` % of the limit). */
export function paceState(reading: DailyBudgetReading | undefined, nowMs: number, belowPercent = DEFAULT_PACE_BELOW_PERCENT): PaceState {
	if (!isCurrentReading(reading, nowMs)) return { low: false };
	const threshold = (Math.max(0, Math.min(100, belowPercent)) / 100) * reading.limit;
	const low = reading.remaining < threshold;
	const state: PaceState = { low, remaining: reading.remaining, limit: reading.limit };
	if (low) state.warning = `Pipedrive's daily API budget is nearly spent: ${reading.remaining} of ${reading.limit} tokens left (below ${belowPercent} %)`;
	return state;
}

export interface PollPace {
	/** Skip this poll entirely (no list call). */
	skip: boolean;
	/** Allow the periodic full sweep on this poll. */
	sweepAllowed: boolean;
	/** Polls skipped in a row after this one (kept by the trigger between polls). */
	skippedInRow: number;
	warning?: string;
}

/**
 * The participant poll under a low budget: only every `slowEvery`th poll runs (the others skip the
 * list call) and the full sweep waits for a new day. With budget to spare every poll runs.
 */
export function decidePollPace(pace: PaceState, skippedInRow: number, slowEvery = DEFAULT_SLOW_POLL_EVERY): PollPace {
	if (!pace.low) return { skip: false, sweepAllowed: true, skippedInRow: 0 };
	const every = Math.max(1, Math.floor(slowEvery));
	const skip = skippedInRow + 1 < every;
	const what = skip ? `poll skipped (${skippedInRow + 1} of ${every - 1} in a row)` : `polling every ${every}th time only, no full sweep`;
	return { skip, sweepAllowed: false, skippedInRow: skip ? skippedInRow + 1 : 0, warning: `${pace.warning}; ${what}` };
}

/** The backfill under a low budget stops before the next record (its mark stays where it was). */
export function backfillWarning(pace: PaceState, done: number, listed: number): string | undefined {
	if (!pace.low) return undefined;
	return `${pace.warning}; the backfill stopped after ${done} of ${listed} record(s) and left its mark unmoved, so the next run reads them again`;
}

/** The message for a 429 caused by the spent daily budget: no retry helps before midnight. */
export function dailyBudgetExhaustedMessage(info: PipedriveRateLimit | undefined): { message: string; description: string } {
	const limit = info?.dailyTokenLimit;
	return {
		message: `Pipedrive's daily API token budget exhausted (429)${limit ? `, ${limit} tokens a day` : ''}: every call is refused until midnight (Pipedrive server time)`,
		description:
			'The budget is shared by every integration of the Pipedrive company (30,000 tokens × plan multiplier × seats a day). Not retried: waiting seconds does not help. Runs will work again after the reset; to avoid this, lower the polling frequency or buy more API tokens.',
	};
}
