import {
	DEFAULT_RECORD_FETCH_RETRY_AFTER_SECONDS,
	isConnectionFailure,
	nextRecordFetchStep,
	RECORD_FETCH_HANDLED_STATUSES,
	safeReason,
} from '../../../nodes/shared/core/webhookDelivery';

const NOW = Date.UTC(2026, 4, 18, 12, 0, 0);
const base = { nowMs: NOW, random: () => 0.5 };

describe('nextRecordFetchStep', () => {
	it('retries a transient status once, within the 2 s budget', () => {
		for (const status of [429, 500, 502, 503, 504]) {
			const step = nextRecordFetchStep({ ...base, attempt: 0, status, headers: {} });
			expect(step.action).toBe('retry');
			if (step.action === 'retry') expect(step.delayMs).toBeLessThanOrEqual(2000);
		}
		const hinted = nextRecordFetchStep({ ...base, attempt: 0, status: 429, headers: { 'Retry-After': '1' } });
		expect(hinted).toEqual({ action: 'retry', delayMs: expect.any(Number) });
		expect((hinted as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(1000);
		expect((hinted as { delayMs: number }).delayMs).toBeLessThanOrEqual(2000);
	});

	it('does not wait out a hint longer than the budget: answers unavailable with that hint at once', () => {
		const step = nextRecordFetchStep({ ...base, attempt: 0, status: 429, headers: { 'retry-after': '30' } });
		expect(step).toMatchObject({ action: 'unavailable', retryAfterSeconds: 30, status: 429 });
	});

	it('gives up after the last attempt and carries Retry-After, else RateLimit-Reset on a 429, else 60', () => {
		expect(nextRecordFetchStep({ ...base, attempt: 1, status: 503, headers: { 'retry-after': '2' } })).toMatchObject({
			action: 'unavailable',
			retryAfterSeconds: 2,
		});
		expect(nextRecordFetchStep({ ...base, attempt: 1, status: 429, headers: { 'ratelimit-reset': '42' } })).toMatchObject({
			retryAfterSeconds: 42,
		});
		// On a 5xx, RateLimit-Reset is just the window clock, not a hint…
		expect(
			nextRecordFetchStep({ ...base, attempt: 1, status: 500, headers: { 'ratelimit-reset': '42', 'ratelimit-remaining': '10' } }),
		).toMatchObject({ retryAfterSeconds: DEFAULT_RECORD_FETCH_RETRY_AFTER_SECONDS });
		// …unless the window is used up.
		expect(
			nextRecordFetchStep({ ...base, attempt: 1, status: 500, headers: { 'ratelimit-reset': '42', 'ratelimit-remaining': '0' } }),
		).toMatchObject({ retryAfterSeconds: 42 });
		const date = new Date(NOW + 90_500).toUTCString();
		expect(nextRecordFetchStep({ ...base, attempt: 1, status: 503, headers: { 'Retry-After': date } })).toMatchObject({
			retryAfterSeconds: 90,
		});
		expect(nextRecordFetchStep({ ...base, attempt: 1, status: 503, headers: { 'Retry-After': '0' } })).toMatchObject({
			retryAfterSeconds: 1,
		});
	});

	it('treats timeouts, dropped and refused connections as unavailable, naming the code', () => {
		const reset = Object.assign(new Error('Propstreet GET failed: fetch failed'), {
			cause: Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }),
		});
		expect(nextRecordFetchStep({ ...base, attempt: 0, error: reset }).action).toBe('retry');
		const last = nextRecordFetchStep({ ...base, attempt: 1, error: reset });
		expect(last).toMatchObject({ action: 'unavailable', retryAfterSeconds: 60, status: null });
		expect((last as { reason: string }).reason).toContain('UND_ERR_SOCKET');
		expect(isConnectionFailure({ httpCode: 'ECONNREFUSED' })).toBe(true);
		// An n8n error that kept the wrapped value as errorResponse rather than cause.
		expect(isConnectionFailure({ message: 'x', errorResponse: { message: 'fetch failed', cause: { code: 'UND_ERR_SOCKET' } } })).toBe(true);
		expect(isConnectionFailure(new Error('timeout of 30000ms exceeded'))).toBe(true);
		expect(isConnectionFailure(new Error('Node does not have any credentials set'))).toBe(false);
	});

	it('fails without retrying for 401, 403, 400 and other answers, with a short reason', () => {
		const unauthorized = nextRecordFetchStep({ ...base, attempt: 0, status: 401, body: { title: 'Unauthorized', status: 401 } });
		expect(unauthorized).toMatchObject({ action: 'failed', status: 401 });
		expect((unauthorized as { reason: string }).reason).toMatch(/Unauthorized \(401\).*credential/);
		expect(nextRecordFetchStep({ ...base, attempt: 0, status: 403 })).toMatchObject({ action: 'failed', status: 403 });
		expect(nextRecordFetchStep({ ...base, attempt: 0, status: 400 })).toMatchObject({ action: 'failed', status: 400 });
		expect(nextRecordFetchStep({ ...base, attempt: 0, status: 422 })).toMatchObject({ action: 'failed', status: 422 });
		const other = nextRecordFetchStep({ ...base, attempt: 0, error: new Error('Node does not have any credentials set') });
		expect(other).toMatchObject({ action: 'failed', status: null });
	});

	it('hands every error status to the caller', () => {
		expect(RECORD_FETCH_HANDLED_STATUSES).toContain(400);
		expect(RECORD_FETCH_HANDLED_STATUSES).toContain(429);
		expect(RECORD_FETCH_HANDLED_STATUSES).toContain(599);
		expect(RECORD_FETCH_HANDLED_STATUSES).not.toContain(200);
	});
});

describe('safeReason', () => {
	it('redacts credentials and keeps the text short', () => {
		expect(safeReason('failed with Authorization: Bearer abc.def.ghi')).toBe('failed with Authorization: Bearer [redacted]');
		expect(safeReason('GET /x?access_token=s3cr3t&y=1')).toBe('GET /x?access_token=[redacted]&y=1');
		expect(safeReason('x'.repeat(500))).toHaveLength(200);
	});
});
