/**
 * One validator per id kind, for every id that ends up in a URL path.
 *
 * - Pipedrive ids are positive whole numbers (pipedrive-api.md); we accept them as numbers or as
 *   digit-only strings, at most 15 digits so they stay exact as JavaScript numbers.
 * - Propstreet ids are opaque strings (propstreet-api.md, "IDs": `"789"`, `"bot-abc123"`,
 *   `"oauth_client_xyz789"`). The reference gives no grammar, so we pick a strict one that covers
 *   every documented example and cannot change a path: letters, digits, `_` and `-`, 1–64 long.
 * - External-ref ids are free text up to 255 characters (propstreet-api.md §externalRefs); they
 *   are percent-encoded into the path, which leaves only the dot segments `.` and `..` dangerous.
 *
 * Anything else is refused with an error naming the field and the record, before any request:
 * an id like `1/../../deals/9` would otherwise walk to another resource.
 *
 * Pure: no n8n imports.
 */

export type IdKind = 'pipedrive' | 'propstreet' | 'externalRef';

export const PIPEDRIVE_ID_PATTERN = /^[1-9][0-9]{0,14}$/;
export const PROPSTREET_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_EXTERNAL_REF_ID_LENGTH = 255;

const KIND_RULES: Record<IdKind, string> = {
	pipedrive: 'a Pipedrive id must be a positive whole number (digits only, at most 15)',
	propstreet: 'a Propstreet id may hold only letters, digits, "_" and "-" (1 to 64 characters)',
	externalRef: `an external id must be 1 to ${MAX_EXTERNAL_REF_ID_LENGTH} characters without control characters, and not "." or ".."`,
};

/** An id that may not go into a URL; `field` and `record` say where it came from. */
export class InvalidIdError extends Error {
	constructor(
		readonly field: string,
		readonly record: string,
		readonly kind: IdKind,
		readonly value: unknown,
	) {
		super(`${record}: ${field} ${quote(value)} is not a valid id: ${KIND_RULES[kind]}`);
		this.name = 'InvalidIdError';
	}
}

/** A short, printable rendering of the rejected value for the message. */
function quote(value: unknown): string {
	let shown: string;
	if (typeof value === 'string') shown = JSON.stringify(value);
	else if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) shown = String(value);
	else shown = Array.isArray(value) ? 'an array' : `a ${typeof value}`;
	return shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
}

/** The id as the string that goes into a path; numbers only when they are whole. */
function asText(value: unknown): string | undefined {
	if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
	if (typeof value === 'string') return value.trim();
	return undefined;
}

/** Whether `value` (already a string) is a valid id of `kind`. */
function validText(text: string, kind: IdKind): boolean {
	switch (kind) {
		case 'pipedrive':
			return PIPEDRIVE_ID_PATTERN.test(text);
		case 'propstreet':
			return PROPSTREET_ID_PATTERN.test(text);
		default:
			// Control characters are refused outright (C0, DEL, C1).
			// eslint-disable-next-line no-control-regex
			return text.length >= 1 && text.length <= MAX_EXTERNAL_REF_ID_LENGTH && text !== '.' && text !== '..' && !/[\u0000-\u001f\u007f-\u009f]/.test(text);
	}
}

/** The canonical id, or undefined when `value` is not a valid id of `kind`. */
export function validId(value: unknown, kind: IdKind): string | undefined {
	const text = asText(value);
	return text !== undefined && validText(text, kind) ? text : undefined;
}

export function isValidId(value: unknown, kind: IdKind): boolean {
	return validId(value, kind) !== undefined;
}

/** The canonical id; throws InvalidIdError naming `field` and `record` otherwise. */
export function requireId(value: unknown, kind: IdKind, field: string, record: string): string {
	const id = validId(value, kind);
	if (id === undefined) throw new InvalidIdError(field, record, kind, value);
	return id;
}

/** Like requireId, but absent values (undefined, null, blank) pass as undefined. */
export function optionalId(value: unknown, kind: IdKind, field: string, record: string): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	return requireId(value, kind, field, record);
}

/**
 * A value of an id map read safely: only the map's own keys count, so `"constructor"` or
 * `"__proto__"` never reach `Object.prototype`.
 */
export function ownValue<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
	return map !== undefined && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/** An id map turned around (value → key), as a Map so no key can collide with inherited names. */
export function invertIdMap(map: Readonly<Record<string, unknown>> | undefined): Map<string, string> {
	const out = new Map<string, string>();
	if (!map) return out;
	for (const key of Object.keys(map)) {
		const value = map[key];
		if (value !== undefined && value !== null && String(value) !== '') out.set(String(value), key);
	}
	return out;
}
