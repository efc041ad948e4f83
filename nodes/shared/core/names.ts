/**
 * Person names: Pipedrive keeps one `name` (plus derived first/last), Propstreet keeps
 * `firstName` / `lastName`. Rule for splitting a single name (documented in the README):
 * 1. "Last, First" (one comma) is read as last name, first name.
 * 2. The first name particle (von, van, de, af, ...) after the first word starts the last name:
 *    "Per Olof af Klercker" → "Per Olof" + "af Klercker".
 * 3. Without a particle the last word is the last name and everything before it the first name:
 *    "Lars-Erik Åkesson" → "Lars-Erik" + "Åkesson"; "Anna Maria Berg" → "Anna Maria" + "Berg".
 *    Generational suffixes (Jr, Sr, II, III ...) stay with the last name.
 * 4. One word is a first name only.
 * Whitespace is collapsed; letters and diacritics are kept as written.
 */

export interface PersonName {
	firstName: string | null;
	lastName: string | null;
}

/** Lower-case particles that begin a family name in Nordic, Germanic, Romance and Dutch names. */
export const NAME_PARTICLES: ReadonlySet<string> = new Set([
	'af', 'av', 'von', 'van', 'vom', 'zu', 'zum', 'zur', 'de', 'del', 'della', 'der', 'den', 'des', 'du', 'di', 'da', 'dos', 'das',
	'do', 'la', 'le', 'lo', 'ten', 'ter', 'te', 'op', "op't", "'t", 'het', 'in', 'bin', 'ibn', 'al', 'el', 'st', 'st.', 'y',
]);

const SUFFIXES: ReadonlySet<string> = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv', 'd.y.', 'd.ä.']);

/** Collapse every run of whitespace (incl. no-break and zero-width spaces) to one space and trim. */
export function cleanSpaces(value: string): string {
	return value.replace(/[\u200B-\u200D\uFEFF]/g, '').replace(/[\s\u00A0]+/g, ' ').trim();
}

function orNull(value: string): string | null {
	const cleaned = cleanSpaces(value);
	return cleaned === '' ? null : cleaned;
}

/** Split a single full name into first and last name (rules in the file comment). */
export function splitFullName(fullName: string | null | undefined): PersonName {
	if (typeof fullName !== 'string') return { firstName: null, lastName: null };
	const name = cleanSpaces(fullName);
	if (name === '') return { firstName: null, lastName: null };

	const commaParts = name.split(',');
	if (commaParts.length === 2 && commaParts[0].trim() !== '' && commaParts[1].trim() !== '') {
		const last = cleanSpaces(commaParts[0]);
		const first = cleanSpaces(commaParts[1]);
		if (!SUFFIXES.has(first.toLowerCase())) return { firstName: first, lastName: last };
	}

	const words = name.replace(/,/g, ' ').split(' ').filter((w) => w !== '');
	// Only commas (",", ", ,") is no name at all, not two empty ones.
	if (words.length === 0) return { firstName: null, lastName: null };
	if (words.length === 1) return { firstName: words[0], lastName: null };

	// Trailing suffixes travel with the last name.
	let end = words.length;
	while (end > 2 && SUFFIXES.has(words[end - 1].toLowerCase())) end--;
	const core = words.slice(0, end);
	const suffix = words.slice(end);

	// A particle is only a particle when a family name follows it and a given name precedes it.
	let split = core.length - 1;
	for (let i = 1; i < core.length - 1; i++) {
		if (NAME_PARTICLES.has(core[i].toLowerCase())) {
			split = i;
			break;
		}
	}
	return { firstName: core.slice(0, split).join(' '), lastName: [...core.slice(split), ...suffix].join(' ') };
}

/**
 * Pipedrive person → first/last name. Pipedrive's own `first_name` / `last_name` win when present
 * (a user may have corrected them by hand); otherwise the single `name` is split.
 */
export function personNameFromPipedrive(name: unknown, firstName?: unknown, lastName?: unknown): PersonName {
	const first = typeof firstName === 'string' ? orNull(firstName) : null;
	const last = typeof lastName === 'string' ? orNull(lastName) : null;
	if (first !== null || last !== null) {
		// Pipedrive derives first/last itself; if they disagree with a changed `name`, trust `name`.
		const full = typeof name === 'string' ? cleanSpaces(name) : '';
		const joined = joinName(first, last);
		if (full === '' || full.toLowerCase() === joined.toLowerCase()) return { firstName: first, lastName: last };
	}
	return splitFullName(typeof name === 'string' ? name : null);
}

/** First + last name → one display name (Pipedrive `name`). */
export function joinName(firstName: string | null | undefined, lastName: string | null | undefined): string {
	return cleanSpaces(`${firstName ?? ''} ${lastName ?? ''}`);
}
