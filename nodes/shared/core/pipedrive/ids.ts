/**
 * Pipedrive ids that go into a URL path. Person, organization, deal, note, stage and pipeline ids
 * are positive integers; anything else (a name, "12abc", "../users", a float) is refused before a
 * request is made, so a bad value can neither hit another endpoint nor be sent at all.
 */

export class InvalidPipedriveIdError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
	) {
		super(`${field} must be a Pipedrive id (a positive whole number), got ${describe(value)}`);
		this.name = 'InvalidPipedriveIdError';
	}
}

function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return typeof value;
}

/** The id as a canonical decimal string (no sign, no leading zeros), or throws InvalidPipedriveIdError. */
export function pipedriveId(value: unknown, field: string): string {
	let n: number | undefined;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && /^[0-9]+$/.test(value)) n = Number(value);
	if (n === undefined || !Number.isSafeInteger(n) || n < 1) throw new InvalidPipedriveIdError(field, value);
	return String(n);
}

/** True when `value` would pass `pipedriveId`. */
export function isPipedriveId(value: unknown): boolean {
	try {
		pipedriveId(value, 'id');
		return true;
	} catch {
		return false;
	}
}
