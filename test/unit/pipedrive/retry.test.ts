import { isRequestNotSent, pipedriveRetryDelay, shouldRetryPipedrive } from '../../../nodes/shared/core/pipedrive';

const NOW = 1_700_000_000_000;
const base = { attempt: 0, maxAttempts: 5 };
const timeout = Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' });
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

describe('shouldRetryPipedrive', () => {
	it('retries 429 for every method: a refused request did not run', () => {
		for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
			expect(shouldRetryPipedrive({ ...base, method, status: 429, rateLimit: { burstRemaining: 0, seenAtMs: NOW } })).toBe(true);
		}
	});

	it('does not retry a 429 for a spent daily budget', () => {
		expect(shouldRetryPipedrive({ ...base, method: 'GET', status: 429, rateLimit: { dailyTokensRemaining: 0, seenAtMs: NOW } })).toBe(false);
	});

	it('retries 5xx and timeouts for GET, PATCH, PUT and DELETE', () => {
		for (const method of ['GET', 'PATCH', 'PUT', 'DELETE']) {
			for (const status of [500, 502, 503, 504]) expect(shouldRetryPipedrive({ ...base, method, status })).toBe(true);
			expect(shouldRetryPipedrive({ ...base, method, networkError: timeout })).toBe(true);
		}
	});

	it('never replays a POST that may have landed (5xx, timeout, dropped connection)', () => {
		for (const status of [500, 502, 503, 504]) expect(shouldRetryPipedrive({ ...base, method: 'POST', status })).toBe(false);
		expect(shouldRetryPipedrive({ ...base, method: 'POST', networkError: timeout })).toBe(false);
		expect(shouldRetryPipedrive({ ...base, method: 'POST', networkError: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) })).toBe(false);
	});

	it('retries a POST whose connection was never opened', () => {
		expect(shouldRetryPipedrive({ ...base, method: 'POST', networkError: refused })).toBe(true);
		expect(shouldRetryPipedrive({ ...base, method: 'POST', networkError: { message: 'wrapped', cause: refused } })).toBe(true);
		expect(isRequestNotSent({ httpCode: 'EAI_AGAIN' })).toBe(true);
		expect(isRequestNotSent(timeout)).toBe(false);
	});

	it('never retries real answers or past the attempt limit', () => {
		for (const status of [400, 401, 402, 403, 404, 410, 422]) expect(shouldRetryPipedrive({ ...base, method: 'GET', status })).toBe(false);
		expect(shouldRetryPipedrive({ attempt: 4, maxAttempts: 5, method: 'GET', status: 503 })).toBe(false);
		expect(shouldRetryPipedrive({ attempt: 0, maxAttempts: 1, method: 'GET', status: 429 })).toBe(false);
	});
});

describe('pipedriveRetryDelay', () => {
	const noJitter = () => 0;
	it('uses Retry-After when sent, else the burst reset on a 429', () => {
		expect(pipedriveRetryDelay({ attempt: 0, status: 429, rateLimit: { retryAfterMs: 7000, burstResetMs: 2000, seenAtMs: NOW }, random: noJitter })).toBe(7000);
		expect(pipedriveRetryDelay({ attempt: 0, status: 429, rateLimit: { burstResetMs: 2000, seenAtMs: NOW }, random: noJitter })).toBe(2000);
	});

	it('adds at most a second of jitter to a server hint, and caps it', () => {
		const d = pipedriveRetryDelay({ attempt: 0, status: 429, rateLimit: { burstResetMs: 2000, seenAtMs: NOW }, random: () => 0.999 });
		expect(d).toBeGreaterThan(2000);
		expect(d).toBeLessThanOrEqual(3000);
		expect(pipedriveRetryDelay({ attempt: 0, status: 429, rateLimit: { retryAfterMs: 10 * 3_600_000, seenAtMs: NOW }, random: noJitter })).toBe(120_000);
	});

	it('backs off exponentially with a cap when the server gives no hint', () => {
		const first = pipedriveRetryDelay({ attempt: 0, status: 503, random: () => 1 });
		const later = pipedriveRetryDelay({ attempt: 3, status: 503, random: () => 1 });
		expect(later).toBeGreaterThan(first);
		expect(pipedriveRetryDelay({ attempt: 30, status: 503, random: () => 1 })).toBe(30_000);
		// The burst reset is a hint only for 429s, not for a 5xx that happens to carry it.
		expect(pipedriveRetryDelay({ attempt: 0, status: 503, rateLimit: { burstResetMs: 60_000, seenAtMs: NOW }, random: () => 1 })).toBe(first);
	});
});
