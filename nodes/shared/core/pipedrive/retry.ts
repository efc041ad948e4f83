/**
 * Whether and when a failed Pipedrive call is tried again. Pipedrive has no idempotency key, so a
 * POST (create) whose request may have reached the server — a 5xx, a timeout, a dropped
 * connection — is never replayed: a replay could create the record twice. A POST is retried only
 * when it certainly did not run: a 429 (refused before processing) or a connection that was never
 * opened. PATCH, PUT and DELETE set or remove state and may be replayed.
 */
import { exponentialDelay, DEFAULT_BACKOFF, type BackoffSettings } from '../http/backoff';
import { isTransientNetworkError } from '../http/retryPolicy';
import { isDailyLimitHit, type PipedriveRateLimit } from './rateLimit';

export const PIPEDRIVE_RETRYABLE_STATUSES: readonly number[] = [429, 500, 502, 503, 504];

/** Error codes meaning the request never left this machine. */
const NOT_SENT_CODES = ['ECONNREFUSED', 'EAI_AGAIN'];

function errorCodes(error: unknown, depth = 0): string[] {
	if (!error || typeof error !== 'object' || depth > 3) return [];
	const e = error as { code?: unknown; httpCode?: unknown; cause?: unknown };
	const own = [e.code, e.httpCode].filter((c): c is string => typeof c === 'string').map((c) => c.toUpperCase());
	return [...own, ...errorCodes(e.cause, depth + 1)];
}

/** True when the connection was refused or DNS failed for now: nothing reached Pipedrive. */
export function isRequestNotSent(error: unknown): boolean {
	return errorCodes(error).some((code) => NOT_SENT_CODES.includes(code));
}

export interface PipedriveRetryInput {
	method: string;
	/** 0-based: 0 is the first try. */
	attempt: number;
	maxAttempts: number;
	/** Status of the failed attempt; undefined for a network error or timeout. */
	status?: number;
	networkError?: unknown;
	rateLimit?: PipedriveRateLimit;
}

export function shouldRetryPipedrive(input: PipedriveRetryInput): boolean {
	if (input.attempt + 1 >= input.maxAttempts) return false;
	const isPost = input.method.toUpperCase() === 'POST';
	if (input.status !== undefined) {
		if (input.status === 429) return !isDailyLimitHit(429, input.rateLimit);
		return !isPost && PIPEDRIVE_RETRYABLE_STATUSES.includes(input.status);
	}
	if (isRequestNotSent(input.networkError)) return true;
	return !isPost && isTransientNetworkError(input.networkError);
}

export interface PipedriveDelayInput {
	attempt: number;
	status?: number;
	rateLimit?: PipedriveRateLimit;
	random: () => number;
	settings?: BackoffSettings;
}

/**
 * Wait before the next attempt (ms). On a 429 the server's hint wins: Retry-After if sent (Pipedrive
 * does not document one), else the burst window's `x-ratelimit-reset`; a little jitter keeps
 * parallel executions from returning together. Otherwise capped exponential backoff with jitter.
 */
export function pipedriveRetryDelay(input: PipedriveDelayInput): number {
	const settings = input.settings ?? DEFAULT_BACKOFF;
	const hint = input.rateLimit?.retryAfterMs ?? (input.status === 429 ? input.rateLimit?.burstResetMs : undefined);
	if (hint !== undefined) {
		const jitter = Math.round(input.random() * Math.min(1000, settings.baseDelayMs));
		return Math.min(settings.maxServerDelayMs, hint + jitter);
	}
	return exponentialDelay(input.attempt, settings, input.random);
}
