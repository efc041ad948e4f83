/**
 * Numeric settings a user can also give through an expression, where the editor's min/max do not
 * apply: read them into a fixed range so no setting can mean "retry forever" or "accept replays
 * from last year".
 */

export interface IntegerRange {
	min: number;
	max: number;
	/** Used when the value is missing or not a number at all. */
	fallback: number;
}

/** `value` as a whole number inside `range` (rounded down, then clamped); the fallback when it is not a number. */
export function clampInteger(value: unknown, range: IntegerRange): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || Number.isNaN(n)) return range.fallback;
	return Math.min(range.max, Math.max(range.min, Math.floor(n)));
}
