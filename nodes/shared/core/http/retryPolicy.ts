/**
 * Which failures are worth another attempt. Propstreet asks clients to retry 429, 500, 502, 503
 * and 504 with backoff; network timeouts and dropped connections are retried too. Everything else
 * (4xx validation, 401/403, 404, 409, 412, 422) is a real answer and goes straight back.
 */
import type { IntegerRange } from '../clamp';

export const RETRYABLE_STATUSES: readonly number[] = [429, 500, 502, 503, 504];

export const DEFAULT_MAX_ATTEMPTS = 6;
/** The range Max Attempts is held to, even when it comes from an expression. */
export const MAX_ATTEMPTS_RANGE: Readonly<IntegerRange> = { min: 1, max: 12, fallback: DEFAULT_MAX_ATTEMPTS };

export function isRetryableStatus(status: number): boolean {
	return RETRYABLE_STATUSES.includes(status);
}

const TRANSIENT_CODES = ['ETIMEDOUT', 'ECONNABORTED', 'ECONNRESET', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'];

interface ErrorLike {
	code?: unknown;
	httpCode?: unknown;
	message?: unknown;
	cause?: unknown;
}

/**
 * True for timeouts and dropped connections, whether the error is the raw client error or an
 * n8n wrapper around it (which keeps the original as `cause` and its code as `httpCode`).
 */
export function isTransientNetworkError(error: unknown, depth = 0): boolean {
	if (!error || typeof error !== 'object' || depth > 3) return false;
	const e = error as ErrorLike;
	for (const code of [e.code, e.httpCode]) {
		if (typeof code === 'string' && TRANSIENT_CODES.includes(code.toUpperCase())) return true;
	}
	if (typeof e.message === 'string' && /\btimeout\b|timed out|socket hang up/i.test(e.message)) return true;
	return isTransientNetworkError(e.cause, depth + 1);
}

export interface RetryDecisionInput {
	attempt: number;
	maxAttempts: number;
	status?: number;
	networkError?: unknown;
}

/** attempt is 0-based: attempt 0 is the first try. */
export function shouldRetry(input: RetryDecisionInput): boolean {
	if (input.attempt + 1 >= input.maxAttempts) return false;
	if (input.status !== undefined) return isRetryableStatus(input.status);
	return isTransientNetworkError(input.networkError);
}
