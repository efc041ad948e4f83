/**
 * Nordic organisation numbers: validation, normalisation and the external-ref form.
 *
 * - Norway (organisasjonsnummer): 9 digits, mod 11 with weights 3,2,7,6,5,4,3,2 (remainder 0 → 0,
 *   1 → invalid, else 11 − r). VAT form "NO 123456789 MVA".
 * - Sweden (organisationsnummer): 10 digits, Luhn over all 10. Accepts a century prefix
 *   (16/19/20 → 12 digits), a hyphen, and the VAT form "SE" + 10 digits + "01".
 * - Denmark (CVR): 8 digits, weights 2,7,6,5,4,3,2,1, weighted sum divisible by 11. VAT "DK" + 8.
 * - Finland (Y-tunnus): 7 digits + check digit, weights 7,9,10,5,8,4,2 (remainder 0 → 0, 1 → invalid,
 *   else 11 − r). Written NNNNNNN-N; VAT form "FI" + 8 digits. Old 6-digit numbers get a leading 0.
 *
 * External refs (ARCHITECTURE.md): namespace `<prefix><country>` (default `orgnr-se`), id = digits only.
 */

export type NordicCountry = 'SE' | 'NO' | 'DK' | 'FI';
export const NORDIC_COUNTRIES: readonly NordicCountry[] = ['SE', 'NO', 'DK', 'FI'];
export const DEFAULT_ORG_NUMBER_PREFIX = 'orgnr-';
/** Longer text is refused before any parsing: a generous bound on every way of writing one. */
export const MAX_ORG_NUMBER_TEXT = 64;

export type OrgNumberResult =
	| { valid: true; country: NordicCountry; digits: string; formatted: string }
	| { valid: false; reason: string };

function isNordic(value: unknown): value is NordicCountry {
	return typeof value === 'string' && (NORDIC_COUNTRIES as readonly string[]).includes(value);
}

const weighted = (digits: string, weights: number[]): number =>
	weights.reduce((sum, weight, i) => sum + weight * Number(digits[i]), 0);

export function isValidNorwegian(digits: string): boolean {
	if (!/^\d{9}$/.test(digits)) return false;
	const r = weighted(digits, [3, 2, 7, 6, 5, 4, 3, 2]) % 11;
	const check = r === 0 ? 0 : 11 - r;
	return check !== 10 && check === Number(digits[8]);
}

export function luhnValid(digits: string): boolean {
	if (!/^\d+$/.test(digits)) return false;
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}

export function isValidSwedish(digits: string): boolean {
	return /^\d{10}$/.test(digits) && luhnValid(digits);
}

export function isValidDanish(digits: string): boolean {
	return /^[1-9]\d{7}$/.test(digits) && weighted(digits, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0;
}

export function isValidFinnish(digits: string): boolean {
	if (!/^\d{8}$/.test(digits)) return false;
	const r = weighted(digits, [7, 9, 10, 5, 8, 4, 2]) % 11;
	if (r === 1) return false;
	return (r === 0 ? 0 : 11 - r) === Number(digits[7]);
}

const VALIDATORS: Record<NordicCountry, (digits: string) => boolean> = {
	NO: isValidNorwegian,
	SE: isValidSwedish,
	DK: isValidDanish,
	FI: isValidFinnish,
};

const NAMES: Record<NordicCountry, string> = {
	NO: 'Norwegian organisasjonsnummer (9 digits, mod 11)',
	SE: 'Swedish organisationsnummer (10 digits, Luhn)',
	DK: 'Danish CVR number (8 digits, mod 11)',
	FI: 'Finnish Y-tunnus (7 digits and a check digit)',
};

/** National display format: SE NNNNNN-NNNN, FI NNNNNNN-N, NO and DK plain digits. */
export function formatOrgNumber(country: NordicCountry, digits: string): string {
	if (country === 'SE') return `${digits.slice(0, 6)}-${digits.slice(6)}`;
	if (country === 'FI') return `${digits.slice(0, 7)}-${digits.slice(7)}`;
	return digits;
}

/** Candidate digit strings for one country, from the raw value stripped of its prefix. */
function candidates(country: NordicCountry, body: string, hadPrefix: boolean): string[] {
	const digits = body.replace(/\D/g, '');
	switch (country) {
		case 'SE': {
			const out = [digits];
			if (digits.length === 12) {
				if (/^(16|18|19|20)/.test(digits)) out.push(digits.slice(2));
				if (hadPrefix && digits.endsWith('01')) out.push(digits.slice(0, 10));
			}
			return out;
		}
		case 'FI': {
			// Old six-digit Y-tunnus ("123456-7") gained a leading zero.
			const m = /^(\d{6,7})-(\d)$/.exec(body.replace(/[\s.]/g, ''));
			if (m) return [m[1].padStart(7, '0') + m[2]];
			return [digits];
		}
		default:
			return [digits];
	}
}

/**
 * Parse an org number. `countryHint` (ISO alpha-2, e.g. the company's address country) decides
 * the country when the value carries no country prefix; without a hint the shape decides
 * (9 digits → NO, 10 or 12 → SE, NNNNNNN-N → FI, 8 digits → DK, else FI when only that checks out).
 */
export function parseOrgNumber(raw: unknown, countryHint?: string | null): OrgNumberResult {
	if (raw === null || raw === undefined) return { valid: false, reason: 'empty' };
	if (typeof raw !== 'string' && typeof raw !== 'number') return { valid: false, reason: 'not a text or number value' };
	// The longest written form ("SE 556123-4567 01", "NO 923 456 783 MVA") is about 20 characters.
	if (String(raw).length > MAX_ORG_NUMBER_TEXT) {
		return { valid: false, reason: `${String(raw).length} characters is too long for an org number (at most ${MAX_ORG_NUMBER_TEXT})` };
	}
	let text = String(raw).toUpperCase().replace(/[\s\u00A0]+/g, ' ').trim();
	if (text === '') return { valid: false, reason: 'empty' };

	let country: NordicCountry | undefined;
	let hadPrefix = false;
	const prefix = /^(SE|NO|DK|FI)[\s\-.:]*(?=\d)/.exec(text);
	if (prefix) {
		country = prefix[1] as NordicCountry;
		hadPrefix = true;
		text = text.slice(prefix[0].length);
	}
	text = text.replace(/\s*MVA$/, '').trim();
	if (/[^\d\s\-.]/.test(text)) return { valid: false, reason: `unexpected characters in "${String(raw)}"` };

	const hint = typeof countryHint === 'string' ? countryHint.toUpperCase() : undefined;
	if (!country && hint) {
		if (!isNordic(hint)) {
			return { valid: false, reason: `org numbers are validated for SE, NO, DK and FI only, not ${hint}` };
		}
		country = hint;
	}

	const tryCountry = (c: NordicCountry): OrgNumberResult | undefined => {
		for (const digits of candidates(c, text, hadPrefix)) {
			if (VALIDATORS[c](digits)) return { valid: true, country: c, digits, formatted: formatOrgNumber(c, digits) };
		}
		return undefined;
	};

	if (country) {
		return tryCountry(country) ?? { valid: false, reason: `"${String(raw)}" is not a valid ${NAMES[country]}` };
	}

	const digitCount = text.replace(/\D/g, '').length;
	const order: NordicCountry[] = /^\d{6,7}-\d$/.test(text.replace(/[\s.]/g, ''))
		? ['FI']
		: digitCount === 9
			? ['NO']
			: digitCount === 10 || digitCount === 12
				? ['SE']
				: digitCount === 8
					? ['DK', 'FI']
					: [];
	for (const c of order) {
		const result = tryCountry(c);
		if (result) return result;
	}
	if (order.length === 0) {
		return { valid: false, reason: `"${String(raw)}" has ${digitCount} digits; no Nordic org number has that length` };
	}
	return { valid: false, reason: `"${String(raw)}" fails the check digit of a ${order.map((c) => NAMES[c]).join(' or ')}` };
}

export interface ExternalRef {
	namespace: string;
	id: string;
}

/** The external ref for a valid org number: `{ namespace: "orgnr-se", id: "5561234567" }`. */
export function orgNumberExternalRef(country: NordicCountry, digits: string, prefix = DEFAULT_ORG_NUMBER_PREFIX): ExternalRef {
	return { namespace: `${prefix}${country.toLowerCase()}`, id: digits };
}

/** Find the org-number ref among a record's external refs (namespace compare is case-insensitive). */
export function orgNumberFromExternalRefs(
	refs: unknown,
	prefix = DEFAULT_ORG_NUMBER_PREFIX,
): { country: NordicCountry; digits: string; formatted: string } | undefined {
	if (!Array.isArray(refs)) return undefined;
	for (const ref of refs) {
		if (!ref || typeof ref !== 'object') continue;
		const { namespace, id } = ref as { namespace?: unknown; id?: unknown };
		if (typeof namespace !== 'string' || !namespace.toLowerCase().startsWith(prefix.toLowerCase())) continue;
		const country = namespace.slice(prefix.length).toUpperCase();
		if (!isNordic(country)) continue;
		const parsed = parseOrgNumber(String(id), country);
		if (parsed.valid) return { country: parsed.country, digits: parsed.digits, formatted: parsed.formatted };
	}
	return undefined;
}
