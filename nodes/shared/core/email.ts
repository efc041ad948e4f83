/**
 * The one e-mail validity check of the package: one "@", a non-empty local part, a domain with a
 * dot that is neither its first nor its last character, and no whitespace anywhere. It is the
 * rule the old `/^[^\s@]+@[^\s@]+\.[^\s@]+$/` expressed, written as a single pass: that pattern
 * backtracked over every dot and took quadratic time on long crafted values.
 */

const WHITESPACE = /\s/;

export function isEmailAddress(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	const at = value.indexOf('@');
	if (at < 1 || value.indexOf('@', at + 1) !== -1) return false;
	const domain = value.slice(at + 1);
	// A dot with at least one character on either side, inside the domain.
	if (!domain.slice(1, -1).includes('.')) return false;
	return !WHITESPACE.test(value);
}
