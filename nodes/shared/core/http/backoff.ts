/**
 * Retry delays for HTTP calls: capped exponential backoff with full jitter, overridden by what the
 * server says (Retry-After on 429, RateLimit-Reset when the window is exhausted).
 * Pure: the caller injects the clock and the random source, and does the sleeping.
 */

export interface BackoffSettings {
	/** Delay before the first retry when the server gives no hint (ms). */
	baseDelayMs: number;
	/** Upper bound of the computed exponential delay (ms). */
	maxDelayMs: number;
	/** Upper bound for a delay the server asks for (ms); longer waits are clamped to this. */
	maxServerDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = {
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxServerDelayMs: 120_000,
};

export type HeaderBag = Record<string, string | string[] | number | undefined | null>;

/** Case-insensitive header read; arrays give their first value. */
export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const value = headers[key];
		if (value === undefined || value === null) return undefined;
		return String(Array.isArray(value) ? value[0] : value);
	}
	return undefined;
}

/**
 * Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns milliseconds to wait, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined) return undefined;
	const trimmed = value.trim();
	if (trimmed === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

/** Propstreet documents RateLimit-Reset as seconds until the window resets. */
export function parseRateLimitReset(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const trimmed = value.trim();
	if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
	return Math.round(Number(trimmed) * 1000);
}

/** Capped exponential backoff with full jitter: random in [0, min(cap, base * 2^attempt)]. */
export function exponentialDelay(attempt: number, settings: BackoffSettings, random: () => number): number {
	const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * Math.pow(2, Math.max(0, attempt)));
	// Never zero: a retry storm against a struggling server helps nobody.
	return Math.max(Math.round(settings.baseDelayMs / 2), Math.round(random() * ceiling));
}

export interface RetryDelayInput {
	/** 0 for the first retry. */
	attempt: number;
	/** HTTP status of the failed attempt; undefined for network errors and timeouts. */
	status?: number;
	headers?: HeaderBag;
	nowMs: number;
	random: () => number;
	settings?: BackoffSettings;
}

/**
 * How long to wait before the next attempt. A server hint wins over the computed delay; a small
 * jitter is added to it so that parallel executions do not all return in the same instant.
 */
export function retryDelay(input: RetryDelayInput): number {
	const settings = input.settings ?? DEFAULT_BACKOFF;
	const retryAfter = parseRetryAfter(headerValue(input.headers, 'retry-after'), input.nowMs);
	let hinted = retryAfter;
	if (hinted === undefined && input.status === 429) {
		hinted = parseRateLimitReset(headerValue(input.headers, 'ratelimit-reset'));
	}
	if (hinted !== undefined) {
		const jitter = Math.round(input.random() * Math.min(1000, settings.baseDelayMs));
		return Math.min(settings.maxServerDelayMs, hinted + jitter);
	}
	return exponentialDelay(input.attempt, settings, input.random);
}
