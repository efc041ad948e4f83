import { burstPauseMs, isDailyLimitHit, readRateLimit } from '../../../nodes/shared/core/pipedrive';

const NOW = 1_700_000_000_000;

describe('readRateLimit', () => {
	it('reads the burst, daily-token and fair-use headers in any case', () => {
		const info = readRateLimit(
			{
				'X-RateLimit-Limit': '40',
				'x-ratelimit-remaining': '39',
				'x-ratelimit-reset': '2',
				'x-daily-ratelimit-token-limit': '60000',
				'x-daily-ratelimit-token-remaining': '59990',
				'x-daily-requests-left': '9999',
			},
			NOW,
		);
		expect(info).toEqual({
			burstLimit: 40,
			burstRemaining: 39,
			burstResetMs: 2000,
			dailyTokenLimit: 60000,
			dailyTokensRemaining: 59990,
			dailyWritesLeft: 9999,
			retryAfterMs: undefined,
			seenAtMs: NOW,
		});
	});

	it('reads Retry-After as seconds or an HTTP date, and ignores junk', () => {
		expect(readRateLimit({ 'retry-after': '3' }, NOW)?.retryAfterMs).toBe(3000);
		expect(readRateLimit({ 'retry-after': new Date(NOW + 10_000).toUTCString() }, NOW)?.retryAfterMs).toBe(10_000);
		expect(readRateLimit({ 'x-ratelimit-remaining': 'lots' }, NOW)).toBeUndefined();
	});

	it('is undefined when no rate-limit header was sent', () => {
		expect(readRateLimit({ 'content-type': 'application/json' }, NOW)).toBeUndefined();
		expect(readRateLimit(undefined, NOW)).toBeUndefined();
	});
});

describe('isDailyLimitHit', () => {
	it('is true for a 429 with the daily token budget at 0', () => {
		expect(isDailyLimitHit(429, { dailyTokensRemaining: 0, burstRemaining: 0, seenAtMs: NOW })).toBe(true);
	});
	it('is true for a 429 while the burst window still has room (the budget refused the call)', () => {
		expect(isDailyLimitHit(429, { dailyTokensRemaining: 5, burstRemaining: 100, seenAtMs: NOW })).toBe(true);
	});
	it('is false for a burst 429, for other statuses, and without the daily header', () => {
		expect(isDailyLimitHit(429, { dailyTokensRemaining: 5000, burstRemaining: 0, seenAtMs: NOW })).toBe(false);
		expect(isDailyLimitHit(429, { burstRemaining: 10, seenAtMs: NOW })).toBe(false);
		expect(isDailyLimitHit(500, { dailyTokensRemaining: 0, seenAtMs: NOW })).toBe(false);
		expect(isDailyLimitHit(429, undefined)).toBe(false);
	});
});

describe('burstPauseMs', () => {
	it('waits out the window when it is used up, counted from when the headers were seen', () => {
		expect(burstPauseMs({ burstRemaining: 0, burstResetMs: 2000, seenAtMs: NOW }, NOW + 500)).toBe(1500);
		expect(burstPauseMs({ burstRemaining: 0, seenAtMs: NOW }, NOW)).toBe(2000);
		expect(burstPauseMs({ burstRemaining: 0, burstResetMs: 2000, seenAtMs: NOW }, NOW + 5000)).toBe(0);
	});
	it('does not wait while the window has room or nothing is known', () => {
		expect(burstPauseMs({ burstRemaining: 3, burstResetMs: 2000, seenAtMs: NOW }, NOW)).toBe(0);
		expect(burstPauseMs(undefined, NOW)).toBe(0);
	});
});
