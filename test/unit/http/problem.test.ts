import { summarizeProblem } from '../../../nodes/shared/core/http';

describe('problem+json summary', () => {
	it('puts title and status in the message and detail plus field errors in the description', () => {
		const s = summarizeProblem(400, {
			type: 'https://tools.ietf.org/html/rfc7807',
			title: 'Validation Error',
			status: 400,
			detail: 'Email format is invalid',
			errors: { email: ['The email field is not a valid e-mail address.'], firstName: ['Too long', 'Bad characters'] },
		});
		expect(s.message).toBe('Validation Error (400)');
		expect(s.description).toBe('Email format is invalid\nemail: The email field is not a valid e-mail address.\nfirstName: Too long; Bad characters');
		expect(s.fieldErrors.firstName).toEqual(['Too long', 'Bad characters']);
	});

	it('parses a JSON string body and falls back to a status text', () => {
		const s = summarizeProblem(412, '{"type":"/help/precondition-failed","status":412}');
		expect(s.message).toBe('Precondition failed: the record changed since it was read (412)');
		expect(s.type).toBe('/help/precondition-failed');
		expect(s.description).toBeUndefined();
	});

	it('keeps a plain-text body (trimmed) and tolerates an empty one', () => {
		expect(summarizeProblem(502, '<html>Bad gateway</html>').description).toBe('<html>Bad gateway</html>');
		expect(summarizeProblem(undefined, undefined).message).toBe('Request failed');
	});

	it('accepts an errors array of {field, message}', () => {
		const s = summarizeProblem(422, { title: 'Unprocessable', errors: [{ field: 'mandate', message: 'Use exclusivity' }] });
		expect(s.fieldErrors).toEqual({ mandate: ['Use exclusivity'] });
		expect(s.description).toContain('mandate: Use exclusivity');
	});
});
