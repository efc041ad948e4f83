/**
 * Idempotency-Key on POST: the first response for (credential, method, path, key) is kept for 24 h of
 * simulated time and replayed verbatim (status, headers, body) with `Idempotent-Replayed: true` (a
 * simulator addition). The same key with a different body → 422. 5xx answers are not kept, so a retry
 * after a server error runs again.
 *
 * Concurrent duplicates: while the first request with a key is still being handled, a second one gets
 * 409 (it does not wait). Handlers here finish in one tick, so this only shows when a test holds a
 * request open; a client that sees 409 should retry after a moment and will get the replay.
 */
import type { SimClock } from './clock';
import { ApiError } from './errors';
import type { SimResponse } from './http';

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

interface Entry {
	fingerprint: string;
	state: 'pending' | 'done';
	response?: SimResponse;
	expiresAt: number;
}

function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
	}
	return value;
}

export function fingerprint(rawBody: string): string {
	try {
		return JSON.stringify(canonical(JSON.parse(rawBody)));
	} catch {
		return rawBody.trim();
	}
}

export class IdempotencyCache {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly clock: SimClock) {}

	/** Returns a replay, or null when the caller should run the request (and then `complete`/`abort`). */
	begin(cacheKey: string, print: string): SimResponse | null {
		const now = this.clock.now();
		const entry = this.entries.get(cacheKey);
		if (entry && entry.expiresAt > now) {
			if (entry.fingerprint !== print) {
				throw new ApiError(422, 'Unprocessable Entity', 'This Idempotency-Key was already used with a different request body.', { type: '/help/idempotency-key-reused' });
			}
			if (entry.state === 'pending') {
				throw new ApiError(409, 'Conflict', 'A request with this Idempotency-Key is still being processed; retry shortly.', { type: '/help/idempotency-in-progress' });
			}
			const r = entry.response as SimResponse;
			return { ...r, headers: { ...r.headers, 'Idempotent-Replayed': 'true' } };
		}
		this.entries.set(cacheKey, { fingerprint: print, state: 'pending', expiresAt: now + IDEMPOTENCY_RETENTION_MS });
		return null;
	}

	complete(cacheKey: string, response: SimResponse): void {
		const entry = this.entries.get(cacheKey);
		if (!entry) return;
		if (response.status >= 500) {
			this.entries.delete(cacheKey);
			return;
		}
		entry.state = 'done';
		entry.response = { status: response.status, headers: { ...response.headers }, body: response.body, raw: response.raw };
	}

	abort(cacheKey: string): void {
		this.entries.delete(cacheKey);
	}

	clear(): void {
		this.entries.clear();
	}
}
