import { isRetryableStatus, isTransientNetworkError, shouldRetry } from '../../../nodes/shared/core/http';

describe('retry policy', () => {
	it('retries 429 and 500/502/503/504 only', () => {
		for (const s of [429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
		for (const s of [400, 401, 403, 404, 409, 412, 422, 428, 501]) expect(isRetryableStatus(s)).toBe(false);
	});

	it('recognises timeouts and dropped connections, also wrapped in a cause chain', () => {
		expect(isTransientNetworkError({ code: 'ECONNABORTED', message: 'timeout of 100ms exceeded' })).toBe(true);
		expect(isTransientNetworkError({ code: 'ECONNRESET' })).toBe(true);
		expect(isTransientNetworkError({ message: 'wrapped', httpCode: 'ETIMEDOUT' })).toBe(true);
		expect(isTransientNetworkError({ message: 'wrapped', cause: { cause: { code: 'UND_ERR_SOCKET' } } })).toBe(true);
		expect(isTransientNetworkError(new Error('socket hang up'))).toBe(true);
		expect(isTransientNetworkError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' })).toBe(false);
		expect(isTransientNetworkError(new Error('Invalid JSON'))).toBe(false);
		expect(isTransientNetworkError(undefined)).toBe(false);
	});

	it('stops after the last attempt', () => {
		expect(shouldRetry({ attempt: 0, maxAttempts: 3, status: 503 })).toBe(true);
		expect(shouldRetry({ attempt: 1, maxAttempts: 3, status: 503 })).toBe(true);
		expect(shouldRetry({ attempt: 2, maxAttempts: 3, status: 503 })).toBe(false);
		expect(shouldRetry({ attempt: 0, maxAttempts: 3, status: 400 })).toBe(false);
		expect(shouldRetry({ attempt: 0, maxAttempts: 1, status: 429 })).toBe(false);
		expect(shouldRetry({ attempt: 0, maxAttempts: 3, networkError: { code: 'ETIMEDOUT' } })).toBe(true);
	});
});
