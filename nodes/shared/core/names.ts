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
	// Most names need only the trim: skip the rebuilding passes (which allocate per match) then.
	if (!/[^\S ]| {2}|[\u200B-\u200D]/.test(value)) return value.trim();
	// One pass: a run of zero-width characters alone vanishes, a run with any real space becomes one space.
	return value.replace(/[\s\u00A0\u200B-\u200D]+/g, (run) => (/[^\u200B-\u200D\uFEFF]/.test(run) ? ' ' : '')).trim();
}

function orNull(value: string): string | null {
	const cleaned = cleanSpaces(value);
	return cleaned === '' ? null : cleaned;
}

/** "Last, First" when the name holds exactly one comma with text on both sides (rule 1). */
function lastCommaFirst(name: string): PersonName | undefined {
	const comma = name.indexOf(',');
	if (comma === -1 || name.indexOf(',', comma + 1) !== -1) return undefined;
	const last = cleanSpaces(name.slice(0, comma));
	const first = cleanSpaces(name.slice(comma + 1));
	if (last === '' || first === '' || SUFFIXES.has(first.toLowerCase())) return undefined;
	return { firstName: first, lastName: last };
}

/**
 * Split a single full name into first and last name (rules in the file comment). Works on word
 * positions in the cleaned text instead of arrays of words, so a huge value costs one pass.
 */
export function splitFullName(fullName: string | null | undefined): PersonName {
	if (typeof fullName !== 'string') return { firstName: null, lastName: null };
	const name = cleanSpaces(fullName);
	if (name === '') return { firstName: null, lastName: null };
	const byComma = lastCommaFirst(name);
	if (byComma) return byComma;

	// Words are now separated by exactly one space (a run of commas and spaces is one separator).
	const text = name.includes(',') ? name.replace(/[\s,]+/g, ' ').trim() : name;
	if (text === '') return { firstName: null, lastName: null };
	const firstSpace = text.indexOf(' ');
	if (firstSpace === -1) return { firstName: text, lastName: null };

	// Trailing suffixes travel with the last name; at least two words stay in front of them.
	let words = 1;
	for (let at = firstSpace; at !== -1; at = text.indexOf(' ', at + 1)) words++;
	let end = text.length;
	while (words > 2) {
		const start = text.lastIndexOf(' ', end - 1) + 1;
		if (!SUFFIXES.has(text.slice(start, end).toLowerCase())) break;
		end = start - 1;
		words--;
	}

	// A particle is only a particle when a family name follows it and a given name precedes it.
	const lastWordStart = text.lastIndexOf(' ', end - 1) + 1;
	let split = lastWordStart;
	for (let at = firstSpace + 1; at < lastWordStart; ) {
		const next = text.indexOf(' ', at);
		if (NAME_PARTICLES.has(text.slice(at, next).toLowerCase())) {
			split = at;
			break;
		}
		at = next + 1;
	}
	return { firstName: text.slice(0, split - 1), lastName: text.slice(split) };
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
