/**
 * Company web domains as Propstreet stores them: lower case, no scheme, no `www.`, no path, query,
 * fragment, port, credentials or trailing dot. Values that are not a public host name
 * (IP addresses, single words, "n/a") are rejected with a reason. This is the package's only
 * domain normaliser: mapping, sync matching and change detection all read domains through it.
 * Every step is a single pass (no pattern that backtracks over a long run of dots or `www.`s).
 */

export type DomainResult = { valid: true; domain: string } | { valid: false; reason: string };

const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;
const TLD = /^(?:[\p{L}]{2,63}|xn--[a-z0-9-]{2,59})$/u;
const QUOTE_LIMIT = 80;

/** The raw value quoted for a message, cut short so a huge value does not become a huge error. */
function quoted(raw: string): string {
	return raw.length > QUOTE_LIMIT ? `"${raw.slice(0, QUOTE_LIMIT)}…" (${raw.length} characters)` : `"${raw}"`;
}

function withoutTrailingDots(text: string): string {
	let end = text.length;
	while (end > 0 && text.charCodeAt(end - 1) === 46) end--;
	return text.slice(0, end);
}

/** Drops leading `www.` / `www2.` labels in any letter case (repeated ones too), by index rather than re-slicing. */
function withoutWww(text: string): string {
	let start = 0;
	for (;;) {
		const label = text.slice(start, start + 5).toLowerCase();
		if (label.startsWith('www.')) start += 4;
		else if (/^www\d\.$/.test(label)) start += 5;
		else return text.slice(start);
	}
}

/**
 * Scheme, credentials, path, query, fragment, port, trailing dots and `www.` stripped; letter case
 * kept, so that a value refused for its length is never lower-cased whole.
 */
function hostPart(raw: string): string {
	let text = raw.trim();
	text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^\/\//, '');
	// An e-mail address in a domain field: keep the part after "@".
	text = text.replace(/^[^/?#]*@/, '');
	text = text.split(/[/?#\\]/)[0];
	text = text.replace(/:\d*$/, '');
	return withoutWww(withoutTrailingDots(text));
}

export function normaliseDomain(raw: unknown): DomainResult {
	if (raw === null || raw === undefined) return { valid: false, reason: 'empty' };
	if (typeof raw !== 'string') return { valid: false, reason: 'not a text value' };
	if (raw.trim() === '') return { valid: false, reason: 'empty' };
	const host = hostPart(raw);
	const q = quoted(raw);

	if (host === '') return { valid: false, reason: `${q} has no host name` };
	if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')) {
		return { valid: false, reason: `${q} is an IP address, not a domain` };
	}
	if (host.length > 253) return { valid: false, reason: `${q} is longer than 253 characters` };
	const text = host.toLowerCase();
	const labels = text.split('.');
	if (labels.length < 2) return { valid: false, reason: `${q} is not a domain (no dot)` };
	if (!labels.every((label) => LABEL.test(label))) return { valid: false, reason: `${q} contains characters not allowed in a host name` };
	if (!TLD.test(labels[labels.length - 1])) return { valid: false, reason: `${q} does not end in a top-level domain` };
	return { valid: true, domain: text };
}

/** The normalised domain a value names, or null when it names none (for matching and comparing). */
export function domainOf(raw: unknown): string | null {
	const result = normaliseDomain(raw);
	return result.valid ? result.domain : null;
}

/** The domain part of an e-mail address, normalised, or null. */
export function emailDomain(email: unknown): string | null {
	if (typeof email !== 'string' || !email.includes('@')) return null;
	return domainOf(email.slice(email.lastIndexOf('@') + 1));
}
