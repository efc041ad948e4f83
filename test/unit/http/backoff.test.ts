import { exponentialDelay, headerValue, parseRateLimitReset, parseRetryAfter, retryDelay, DEFAULT_BACKOFF } from '../../../nodes/shared/core/http';

describe('backoff', () => {
	const now = Date.parse('2026-05-18T12:00:00Z');

	it('reads Retry-After as seconds or as an HTTP date', () => {
		expect(parseRetryAfter('12', now)).toBe(12_000);
		expect(parseRetryAfter('0.5', now)).toBe(500);
		expect(parseRetryAfter(new Date(now + 7_000).toUTCString(), now)).toBe(7_000);
		expect(parseRetryAfter(new Date(now - 7_000).toUTCString(), now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('reads RateLimit-Reset as seconds and headers case-insensitively', () => {
		expect(parseRateLimitReset('45')).toBe(45_000);
		expect(parseRateLimitReset('x')).toBeUndefined();
		expect(headerValue({ 'Retry-After': '3' }, 'retry-after')).toBe('3');
		expect(headerValue({ 'retry-after': ['4', '5'] }, 'Retry-After')).toBe('4');
		expect(headerValue({}, 'retry-after')).toBeUndefined();
	});

	it('grows exponentially with full jitter and stays under the cap', () => {
		const top = () => 0.999999;
		const s = { baseDelayMs: 100, maxDelayMs: 1_000, maxServerDelayMs: 5_000 };
		expect(exponentialDelay(0, s, top)).toBe(100);
		expect(exponentialDelay(1, s, top)).toBe(200);
		expect(exponentialDelay(3, s, top)).toBe(800);
		expect(exponentialDelay(4, s, top)).toBe(1_000);
		expect(exponentialDelay(30, s, top)).toBe(1_000);
		// jitter spreads the delay but never goes to zero
		expect(exponentialDelay(3, s, () => 0)).toBe(50);
		expect(exponentialDelay(3, s, () => 0.5)).toBe(400);
	});

	it('prefers Retry-After, then RateLimit-Reset on 429, and clamps very long waits', () => {
		const noJitter = () => 0;
		expect(retryDelay({ attempt: 0, status: 429, headers: { 'retry-after': '12', 'ratelimit-reset': '40' }, nowMs: now, random: noJitter })).toBe(12_000);
		expect(retryDelay({ attempt: 0, status: 429, headers: { 'RateLimit-Reset': '40' }, nowMs: now, random: noJitter })).toBe(40_000);
		expect(retryDelay({ attempt: 0, status: 429, headers: { 'retry-after': '3600' }, nowMs: now, random: noJitter })).toBe(DEFAULT_BACKOFF.maxServerDelayMs);
		// jitter on top of a server hint is bounded
		const d = retryDelay({ attempt: 0, status: 429, headers: { 'retry-after': '2' }, nowMs: now, random: () => 0.999 });
		expect(d).toBeGreaterThan(2_000);
		expect(d).toBeLessThanOrEqual(2_000 + DEFAULT_BACKOFF.baseDelayMs);
	});

	it('ignores RateLimit-Reset on a 503 without Retry-After and backs off exponentially', () => {
		const s = { baseDelayMs: 100, maxDelayMs: 10_000, maxServerDelayMs: 60_000 };
		expect(retryDelay({ attempt: 2, status: 503, headers: { 'ratelimit-reset': '30' }, nowMs: now, random: () => 0.999999, settings: s })).toBe(400);
	});
});
