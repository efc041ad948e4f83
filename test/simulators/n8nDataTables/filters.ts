/**
 * Row filters and cell values as n8n's data-table service treats them: filter columns must exist
 * (system columns included), values are checked against the column type with n8n's own
 * `validateFieldType`, `isEmpty`/`isNotEmpty` on a non-string column become `eq`/`neq` null, and the
 * conditions mean what their SQL means (`neq` also matches NULL, comparisons never match NULL).
 */
import { validateFieldType, type FieldType } from 'n8n-workflow';
import type { CellValue, ColumnType, RowFilter } from './schemas';

export class ValidationError extends Error {
	constructor(detail: string) {
		super(`Validation error with data table request: ${detail}`);
	}
}

export type Cell = string | number | boolean | null;
export type StoredRow = Record<string, Cell> & { id: number; createdAt: string; updatedAt: string };

const FIELD_TYPE: Record<ColumnType, FieldType> = { string: 'string', number: 'number', boolean: 'boolean', date: 'dateTime' };
export const SYSTEM_COLUMNS: Record<string, ColumnType> = { id: 'number', createdAt: 'date', updatedAt: 'date' };

/** A value as the database would hold it (text columns keep text, dates ISO text). */
export function toCell(key: string, value: CellValue | undefined, type: ColumnType | undefined): Cell {
	if (value === null || value === undefined) return null;
	if (!type) return value instanceof Date ? value.toISOString() : value;
	const result = validateFieldType(key, value, FIELD_TYPE[type], { strict: false, parseStrings: false });
	if (!result.valid) throw new ValidationError(`value '${String(value)}' does not match column type '${type}': ${result.errorMessage}`);
	const v = result.newValue as unknown;
	if (type === 'date') {
		const luxon = v as { toUTC?: () => { toISO(): string } };
		return new Date(luxon.toUTC ? luxon.toUTC().toISO() : String(v)).toISOString();
	}
	if (type === 'string') return String(v);
	if (type === 'number') return Number(v);
	return Boolean(v);
}

/** Checks a row's keys against the table and converts its values. */
export function toCells(row: Record<string, CellValue>, types: Map<string, ColumnType>): Record<string, Cell> {
	const out: Record<string, Cell> = {};
	for (const [key, value] of Object.entries(row)) {
		if (!types.has(key)) throw new ValidationError(`unknown column name '${key}'`);
		out[key] = toCell(key, value, types.get(key));
	}
	return out;
}

export interface PreparedFilter {
	type: 'and' | 'or';
	filters: Array<{ columnName: string; condition: string; value: Cell }>;
}

/** Validates a filter against the table's columns, as the service does before querying. */
export function prepareFilter(filter: RowFilter, types: Map<string, ColumnType>): PreparedFilter {
	const all = new Map<string, ColumnType>([...Object.entries(SYSTEM_COLUMNS), ...types]);
	const filters = filter.filters.map((f) => {
		if (!all.has(f.columnName)) throw new ValidationError(`unknown column name '${f.columnName}'`);
		const type = all.get(f.columnName)!;
		const value = type === 'date' && typeof f.value === 'string' ? f.value : toCell(f.columnName, f.value, type);
		if (type !== 'string' && f.condition === 'isEmpty') return { columnName: f.columnName, condition: 'eq', value: null };
		if (type !== 'string' && f.condition === 'isNotEmpty') return { columnName: f.columnName, condition: 'neq', value: null };
		if ((f.condition === 'like' || f.condition === 'ilike') && typeof value !== 'string') {
			throw new ValidationError(`${f.condition.toUpperCase()} filter value must be a string`);
		}
		if (['gt', 'gte', 'lt', 'lte'].includes(f.condition) && value === null) {
			throw new ValidationError(`${f.condition.toUpperCase()} filter value cannot be null or undefined`);
		}
		return { columnName: f.columnName, condition: f.condition, value };
	});
	return { type: filter.type, filters };
}

function likeToRegex(pattern: string, flags: string): RegExp {
	const wrapped = pattern.includes('%') ? pattern : `%${pattern}%`;
	const source = wrapped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
	return new RegExp(`^${source}$`, flags);
}

function matchOne(cell: Cell | undefined, condition: string, value: Cell): boolean {
	const v = cell ?? null;
	if (condition === 'isEmpty') return v === null || v === '';
	if (condition === 'isNotEmpty') return v !== null && v !== '';
	if (value === null) return condition === 'eq' ? v === null : v !== null;
	if (condition === 'neq') return v === null || v !== value;
	if (v === null) return false;
	switch (condition) {
		case 'eq':
			return v === value;
		case 'gt':
			return v > value;
		case 'gte':
			return v >= value;
		case 'lt':
			return v < value;
		case 'lte':
			return v <= value;
		case 'like':
			return likeToRegex(String(value), '').test(String(v));
		case 'ilike':
			return likeToRegex(String(value), 'i').test(String(v));
	}
	return false;
}

export function matches(row: StoredRow, filter: PreparedFilter | undefined): boolean {
	if (!filter || filter.filters.length === 0) return true;
	const results = filter.filters.map((f) => matchOne(row[f.columnName], f.condition, f.value));
	return filter.type === 'or' && results.length > 1 ? results.some(Boolean) : results.every(Boolean);
}
