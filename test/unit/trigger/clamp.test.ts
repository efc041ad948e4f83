import { clampInteger } from '../../../nodes/shared/core/clamp';
import { MAX_ATTEMPTS_RANGE } from '../../../nodes/shared/core/http';
import { TIMESTAMP_TOLERANCE_RANGE, verifyWebhook } from '../../../nodes/shared/core/webhookSignature';

describe('clampInteger', () => {
	it.each([
		[5, 5], ['7', 7], [0, 1], [-3, 1], [99, 12], [1e300, 12], [Infinity, 12], [-Infinity, 1], [2.9, 2],
		[NaN, 6], [undefined, 6], [null, 6], ['', 6], ['many', 6], [{}, 6],
	])('Max Attempts %p → %p', (value, expected) => {
		expect(clampInteger(value, MAX_ATTEMPTS_RANGE)).toBe(expected);
	});
	it('holds the signature tolerance to 10 s – 1 h', () => {
		expect([0, 5, 300, 86_400, undefined].map((v) => clampInteger(v, TIMESTAMP_TOLERANCE_RANGE))).toEqual([10, 10, 300, 3600, 300]);
	});
	it('the signature check applies the range itself', () => {
		const check = verifyWebhook({ id: 'msg_1', timestamp: '1000', signature: 'v1,x', body: '' }, { secret: 'whsec_MDEyMzQ1Njc4OWFiY2RlZg==', nowMs: 1000_000 + 7200_000, toleranceSeconds: 1e9 });
		expect(check).toMatchObject({ valid: false, reason: 'timestamp_too_old', message: 'The delivery is 7200 s old; at most 3600 s is accepted' });
	});
	it('never repeats a malformed timestamp header in its message', () => {
		const check = verifyWebhook({ id: 'msg_1', timestamp: 'evil\n[error] forged', signature: 'v1,x', body: '' }, { secret: 'whsec_MDEyMzQ1Njc4OWFiY2RlZg==' });
		expect(check).toMatchObject({ valid: false, reason: 'invalid_timestamp' });
		expect(check.valid === false && check.message).not.toContain('forged');
	});
});
