import { deriveIdempotencyKey, newIdempotencyKey } from '../../../nodes/shared/core/sync';

describe('Idempotency-Key derivation', () => {
	it('is stable for the same event and operation, different otherwise, and UUID-shaped', () => {
		const a = deriveIdempotencyKey('evt-1', 'company.create:pipedrive:42');
		expect(a).toBe(deriveIdempotencyKey(' evt-1 ', 'company.create:pipedrive:42'));
		expect(a).not.toBe(deriveIdempotencyKey('evt-2', 'company.create:pipedrive:42'));
		expect(a).not.toBe(deriveIdempotencyKey('evt-1', 'company.findDuplicates:pipedrive:42'));
		expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});

	it('gives undefined without an event id, and fresh random keys on demand', () => {
		expect(deriveIdempotencyKey(undefined, 'x')).toBeUndefined();
		expect(deriveIdempotencyKey('  ', 'x')).toBeUndefined();
		expect(deriveIdempotencyKey(12, 'x')).toBe(deriveIdempotencyKey('12', 'x'));
		expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
	});
});
