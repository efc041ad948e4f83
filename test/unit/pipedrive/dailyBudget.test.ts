/** Pacing rules for Pipedrive's daily token budget: what a reading means and what the poll and the backfill skip. */
import {
	backfillWarning,
	dailyBudgetExhaustedMessage,
	dailyReadingOf,
	decidePollPace,
	isCurrentReading,
	paceState,
	readRateLimit,
} from '../../../nodes/shared/core/pipedrive';

const NOON = Date.parse('2026-05-02T12:00:00.000Z');
const reading = (remaining: number, limit = 30_000, seenAtMs = NOON) => ({ remaining, limit, seenAtMs });

describe('daily budget pacing (core)', () => {
	it('reads the daily token headers; an answer without both gives no reading', () => {
		const info = readRateLimit({ 'x-daily-ratelimit-token-limit': '30000', 'x-daily-ratelimit-token-remaining': '2500', 'x-ratelimit-remaining': '19' }, NOON);
		expect(dailyReadingOf(info)).toEqual(reading(2_500));
		expect(dailyReadingOf(readRateLimit({ 'x-ratelimit-remaining': '19' }, NOON))).toBeUndefined();
		expect(dailyReadingOf(readRateLimit({ 'x-daily-ratelimit-token-limit': '0', 'x-daily-ratelimit-token-remaining': '0' }, NOON))).toBeUndefined();
	});

	it('is low strictly below the threshold, only for a reading from today (UTC), and names what is left', () => {
		expect(paceState(reading(3_000), NOON, 10).low).toBe(false);
		const low = paceState(reading(2_999), NOON, 10);
		expect(low).toMatchObject({ low: true, remaining: 2_999, limit: 30_000 });
		expect(low.warning).toMatch(/2999 of 30000 tokens left \(below 10 %\)/);
		expect(paceState(reading(10), NOON, 0).low).toBe(false);
		expect(paceState(undefined, NOON).low).toBe(false);
		const yesterday = reading(0, 30_000, Date.parse('2026-05-01T23:59:00.000Z'));
		expect(isCurrentReading(yesterday, NOON)).toBe(false);
		expect(paceState(yesterday, NOON).low).toBe(false);
	});

	it('the poll runs every time with budget to spare; when low only every Nth poll runs and never sweeps', () => {
		expect(decidePollPace(paceState(reading(20_000), NOON), 3, 6)).toEqual({ skip: false, sweepAllowed: true, skippedInRow: 0 });
		const low = paceState(reading(100), NOON);
		let skipped = 0;
		const runs: boolean[] = [];
		for (let i = 0; i < 12; i++) {
			const pace = decidePollPace(low, skipped, 6);
			expect(pace.sweepAllowed).toBe(false);
			expect(pace.warning).toMatch(/100 of 30000 tokens left/);
			skipped = pace.skippedInRow;
			runs.push(!pace.skip);
		}
		expect(runs.map((r) => (r ? 'R' : '.')).join('')).toBe('.....R.....R');
		expect(decidePollPace(low, 0, 1).skip).toBe(false);
	});

	it('the backfill warning says how far it got; the exhausted message says until midnight', () => {
		expect(backfillWarning(paceState(reading(20_000), NOON), 3, 10)).toBeUndefined();
		expect(backfillWarning(paceState(reading(5), NOON), 3, 10)).toMatch(/5 of 30000 tokens left.*stopped after 3 of 10 record\(s\).*mark unmoved/);
		expect(dailyBudgetExhaustedMessage({ dailyTokenLimit: 30_000, dailyTokensRemaining: 0, seenAtMs: NOON }).message).toMatch(/daily API token budget exhausted \(429\), 30000 tokens a day.*until midnight/);
	});
});
