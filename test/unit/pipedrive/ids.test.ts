import { InvalidPipedriveIdError, isPipedriveId, pipedriveId } from '../../../nodes/shared/core/pipedrive';

describe('pipedriveId', () => {
	it('accepts positive whole numbers as numbers or digit strings, canonically', () => {
		expect(pipedriveId(42, 'person id')).toBe('42');
		expect(pipedriveId('1001', 'person id')).toBe('1001');
		// One id check for the package (core/ids.ts): surrounding spaces are trimmed, leading zeros refused.
		expect(pipedriveId(' 12 ', 'deal id')).toBe('12');
	});

	it.each([0, -3, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 2, '', '007', '12abc', '-1', '1e3', '0', '../users', '1/2', null, undefined, {}, true])(
		'refuses %p, naming the field',
		(value) => {
			expect(() => pipedriveId(value, 'deal id')).toThrow(InvalidPipedriveIdError);
			expect(() => pipedriveId(value, 'deal id')).toThrow(/^deal id must be a Pipedrive id/);
			expect(isPipedriveId(value)).toBe(false);
		},
	);

	it('keeps the field and a short rendering of the value on the error', () => {
		const error = (() => {
			try {
				pipedriveId('x'.repeat(100), 'note id');
			} catch (e) {
				return e as InvalidPipedriveIdError;
			}
			throw new Error('no error');
		})();
		expect(error.field).toBe('note id');
		expect(error.message.length).toBeLessThan(120);
	});
});
