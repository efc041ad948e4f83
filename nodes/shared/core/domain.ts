/**
 * Company web domains as Propstreet stores them: lower case, no scheme, no `www.`, no path, query,
 * fragment, port, credentials or trailing dot. Values that are not a public host name
 * (IP addresses, single words, "n/a") are rejected with a reason.
 */

export type DomainResult = { valid: true; domain: string } | { valid: false; reason: string };

const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;
const TLD = /^(?:[\p{L}]{2,63}|xn--[a-z0-9-]{2,59})$/u;

export function normaliseDomain(raw: unknown): DomainResult {
	if (raw === null || raw === undefined) return { valid: false, reason: 'empty' };
	if (typeof raw !== 'string') return { valid: false, reason: 'not a text value' };
	let text = raw.trim().toLowerCase();
	if (text === '') return { valid: false, reason: 'empty' };

	text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
	// An e-mail address in a domain field: keep the part after "@".
	text = text.replace(/^[^/?#]*@/, '');
	text = text.split(/[/?#\\]/)[0];
	text = text.replace(/:\d*$/, '');
	text = text.replace(/\.+$/, '');
	while (text.startsWith('www.') || /^www\d\./.test(text)) text = text.replace(/^www\d?\./, '');

	if (text === '') return { valid: false, reason: `"${raw}" has no host name` };
	if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text) || text.includes(':')) {
		return { valid: false, reason: `"${raw}" is an IP address, not a domain` };
	}
	if (text.length > 253) return { valid: false, reason: `"${raw}" is longer than 253 characters` };
	const labels = text.split('.');
	if (labels.length < 2) return { valid: false, reason: `"${raw}" is not a domain (no dot)` };
	if (!labels.every((label) => LABEL.test(label))) return { valid: false, reason: `"${raw}" contains characters not allowed in a host name` };
	if (!TLD.test(labels[labels.length - 1])) return { valid: false, reason: `"${raw}" does not end in a top-level domain` };
	return { valid: true, domain: text };
}

/** The domain part of an e-mail address, normalised, or null. */
export function emailDomain(email: unknown): string | null {
	if (typeof email !== 'string' || !email.includes('@')) return null;
	const result = normaliseDomain(email.slice(email.lastIndexOf('@') + 1));
	return result.valid ? result.domain : null;
}
