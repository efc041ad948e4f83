/**
 * What Pipedrive's rate-limit headers said on the last answer (reference §15.3). Documented:
 * `x-ratelimit-limit` / `-remaining` / `-reset` (the rolling 2-second burst window, reset in
 * seconds) and `x-daily-requests-left` (POST/PUT fair use, API-token requests only). Observed by
 * third parties, not documented: `x-daily-ratelimit-token-limit` / `-remaining` (the daily token
 * budget); they can be missing now and then, so every field is optional.
 */
import { headerValue, parseRetryAfter, type HeaderBag } from '../http/backoff';

export interface PipedriveRateLimit {
	/** Requests allowed per burst window. */
	burstLimit?: number;
	/** Requests left in the current burst window. */
	burstRemaining?: number;
	/** Time until the burst window resets (ms). */
	burstResetMs?: number;
	/** Daily token budget of the company account. */
	dailyTokenLimit?: number;
	/** Tokens left today. */
	dailyTokensRemaining?: number;
	/** POST/PUT requests left today under the fair-use limit. */
	dailyWritesLeft?: number;
	/** Retry-After, when sent (not documented by Pipedrive; honoured if present). */
	retryAfterMs?: number;
	/** When these headers were read (ms since epoch). */
	seenAtMs: number;
}

function numberHeader(headers: HeaderBag | undefined, name: string): number | undefined {
	const raw = headerValue(headers, name);
	if (raw === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(raw)) return undefined;
	return Number(raw);
}

/** The rate-limit state in `headers`, or undefined when the answer carried none of those headers. */
export function readRateLimit(headers: HeaderBag | undefined, nowMs: number): PipedriveRateLimit | undefined {
	const reset = numberHeader(headers, 'x-ratelimit-reset');
	const info: PipedriveRateLimit = {
		burstLimit: numberHeader(headers, 'x-ratelimit-limit'),
		burstRemaining: numberHeader(headers, 'x-ratelimit-remaining'),
		burstResetMs: reset === undefined ? undefined : Math.round(reset * 1000),
		dailyTokenLimit: numberHeader(headers, 'x-daily-ratelimit-token-limit'),
		dailyTokensRemaining: numberHeader(headers, 'x-daily-ratelimit-token-remaining'),
		dailyWritesLeft: numberHeader(headers, 'x-daily-requests-left'),
		retryAfterMs: parseRetryAfter(headerValue(headers, 'retry-after'), nowMs),
		seenAtMs: nowMs,
	};
	const seen = Object.entries(info).some(([key, value]) => key !== 'seenAtMs' && value !== undefined);
	return seen ? info : undefined;
}

/**
 * A 429 that waiting a few seconds will not cure: the daily token budget is spent until the
 * server's midnight. Pipedrive sends no field that says which limit was hit (reference §15.4), so:
 * the daily token counter at 0, or a 429 while the burst window still has room and the daily
 * counter is present (then the budget, not the burst, refused the call; an inference).
 */
export function isDailyLimitHit(status: number, info: PipedriveRateLimit | undefined): boolean {
	if (status !== 429 || !info || info.dailyTokensRemaining === undefined) return false;
	if (info.dailyTokensRemaining === 0) return true;
	return info.burstRemaining !== undefined && info.burstRemaining > 0;
}

/** How long to hold off before the next call because the burst window is used up; 0 = go ahead. */
export function burstPauseMs(info: PipedriveRateLimit | undefined, nowMs: number): number {
	if (!info || info.burstRemaining === undefined || info.burstRemaining > 0) return 0;
	const reset = info.burstResetMs ?? 2000; // the documented window is 2 s
	return Math.max(0, info.seenAtMs + reset - nowMs);
}
