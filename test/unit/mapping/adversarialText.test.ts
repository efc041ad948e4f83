/**
 * Crafted text of a size a Pipedrive note or field can carry, against the core's text parsers. The
 * patterns these parsers used before backtracked into quadratic or cubic time on exactly these
 * shapes; here only the answers are checked (the time is the benchmark's job, `npm run bench`).
 */
import { htmlToText } from '../../../nodes/shared/core/html';
import { isEmailAddress } from '../../../nodes/shared/core/email';
import { domainOf, normaliseDomain } from '../../../nodes/shared/core/domain';
import { canonicalPhone } from '../../../nodes/shared/core/mapping/compare';
import { splitFullName } from '../../../nodes/shared/core/names';
import { parseOrgNumber } from '../../../nodes/shared/core/orgNumber';
import { toCountryCode } from '../../../nodes/shared/core/country';

const N = 20_000;

describe('htmlToText on crafted notes', () => {
	it('keeps unclosed link starts as text', () => {
		const html = '<a href="'.repeat(N);
		expect(htmlToText(html)).toBe(html);
	});
	it('drops links that never close, and a lone closing tag ends the last one', () => {
		expect(htmlToText(`${'<a href="https://x.se">'.repeat(N)}rest`)).toBe('rest');
		expect(htmlToText(`${'<a href="https://x.se">y'.repeat(N)}</a>`)).toBe(`${'y'.repeat(N)} (https://x.se)`);
	});
	it('keeps unterminated comments and unclosed script tags harmless', () => {
		expect(htmlToText(`${'<!--'.repeat(N)}x`)).toBe(`${'<!--'.repeat(N)}x`);
		expect(htmlToText(`${'<script>'.repeat(N)}z`)).toBe('z');
		expect(htmlToText(`<p>${'</script '.repeat(N)}</p>`)).toBe('');
		expect(htmlToText(`${'<script '.repeat(N)}>after`)).toBe('after');
	});
	it('handles runs of "<" and of tags without an end', () => {
		expect(htmlToText('<'.repeat(N))).toBe('<'.repeat(N));
		expect(htmlToText(`${'<li'.repeat(N)}>`)).toBe('-');
		expect(htmlToText('<p>'.repeat(N))).toBe('');
		expect(htmlToText(`<a ${'href="x" '.repeat(N)}>t</a>`)).toBe('t (x)');
	});
	it('still links an address after a long attribute list', () => {
		expect(htmlToText(`<a ${'data-x="1" '.repeat(N)}href="https://y.se">deal</a>`)).toBe('deal (https://y.se)');
	});
});

describe('e-mail, domain, phone, names, org numbers, countries on crafted values', () => {
	it('e-mail: many dots, with and without a trailing space', () => {
		expect(isEmailAddress(`a@${'a.'.repeat(N)}se`)).toBe(true);
		expect(isEmailAddress(`a@${'a.'.repeat(N)} `)).toBe(false);
		expect(isEmailAddress(`${'a'.repeat(N)}@`)).toBe(false);
		expect(isEmailAddress(`a@b.${'@'.repeat(N)}`)).toBe(false);
	});
	it('e-mail: the rule itself', () => {
		expect(['a@b.se', 'Astrid.Oberg@nordhav.example.se', 'x+y@a.b.c'].map(isEmailAddress)).toEqual([true, true, true]);
		expect(['a@b', '@b.se', 'a@.se', 'a@b.', 'a b@c.se', 'a@b@c.se', '', 'a@b.se\n', null, 7].map(isEmailAddress)).toEqual(Array(10).fill(false));
	});
	it('domain: runs of dots and of "www." prefixes', () => {
		expect(domainOf(`example.se${'.'.repeat(N)}`)).toBe('example.se');
		expect(domainOf(`${'www.'.repeat(N)}example.se`)).toBe('example.se');
		const dots = normaliseDomain(`${'.'.repeat(N)}x`);
		expect(dots.valid).toBe(false);
		// The reason quotes a cut-down value, not all 20,000 characters.
		expect(dots.valid === false && dots.reason.length).toBeLessThan(200);
		expect(domainOf(`${'a:'.repeat(N)}1`)).toBeNull();
	});
	it('phone, names, org numbers and countries answer long values', () => {
		expect(canonicalPhone(`+46${' 1'.repeat(N)}`)).toBe(`+46${'1'.repeat(N)}`);
		expect(splitFullName(`${'Anna '.repeat(N)}Berg`).lastName).toBe('Berg');
		expect(parseOrgNumber(`SE${'-'.repeat(40)}5561234567`)).toMatchObject({ valid: true, digits: '5561234567' });
		expect(parseOrgNumber(`SE${'-'.repeat(N)}5561234567`)).toEqual({ valid: false, reason: `${N + 12} characters is too long for an org number (at most 64)` });
		expect(parseOrgNumber(`${' '.repeat(N)}MVA`).valid).toBe(false);
		expect(toCountryCode(`${'Stockholm '.repeat(N)}Sverige`)).toBe('SE');
	});
});

describe('names made of separators only', () => {
	it('is no name, not an empty first and last name', () => {
		expect(splitFullName(',')).toEqual({ firstName: null, lastName: null });
		expect(splitFullName(' , , ')).toEqual({ firstName: null, lastName: null });
	});
});
