/**
 * Pipedrive ids that go into a URL path. Person, organization, deal, note, stage and pipeline ids
 * are positive integers; anything else (a name, "12abc", "../users", a float) is refused before a
 * request is made, so a bad value can neither hit another endpoint nor be sent at all.
 */
import { validId } from '../ids';

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

/** The id as the package's one Pipedrive id check (`core/ids.ts`) reads it, or throws InvalidPipedriveIdError. */
export function pipedriveId(value: unknown, field: string): string {
	const id = validId(value, 'pipedrive');
	if (id === undefined) throw new InvalidPipedriveIdError(field, value);
	return id;
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
