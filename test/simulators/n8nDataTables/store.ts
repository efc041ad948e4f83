/**
 * The simulator's tables, columns and rows, with n8n's data-table semantics: unique table names per
 * project, unique column names per table, auto-increment row ids, system columns `id`, `createdAt`,
 * `updatedAt` (the latter set on every update), rows ordered by id after any requested sort, and the
 * two ways an update with `returnData` reports rows (see `updateRows`).
 */
import { randomBytes } from 'crypto';
import type { SimClock } from '../shared/clock';
import { matches, prepareFilter, toCells, type Cell, type PreparedFilter, type StoredRow } from './filters';
import type { CellValue, ColumnType, RowFilter } from './schemas';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

export interface ColumnRecord {
	id: string;
	name: string;
	type: ColumnType;
	index: number;
	dataTableId: string;
	createdAt: string;
	updatedAt: string;
}

export interface TableRecord {
	id: string;
	name: string;
	projectId: string;
	createdAt: string;
	updatedAt: string;
	columns: ColumnRecord[];
	rows: StoredRow[];
	nextRowId: number;
}

export interface UpdateGapInfo {
	tableId: string;
	/** Row ids read before the UPDATE ran (what SQLite-backed n8n will return). */
	ids: number[];
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 16-character id like n8n's nanoids (the public API's `nanoid` format). */
export function nanoid(): string {
	return [...randomBytes(16)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

export function columnTypes(table: TableRecord): Map<string, ColumnType> {
	return new Map(table.columns.map((c) => [c.name, c.type]));
}

/** A row as the API returns it: user columns, then the system columns. */
export function rowJson(table: TableRecord, row: StoredRow): Record<string, Cell> {
	const out: Record<string, Cell> = {};
	for (const c of [...table.columns].sort((a, b) => a.index - b.index)) out[c.name] = row[c.name] ?? null;
	return { ...out, id: row.id, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

function compareCells(a: Cell | undefined, b: Cell | undefined): number {
	const x = a ?? null;
	const y = b ?? null;
	if (x === y) return 0;
	if (x === null) return -1; // SQLite puts NULL first in ascending order
	if (y === null) return 1;
	return x < y ? -1 : 1;
}

export class DataTableStore {
	readonly tables = new Map<string, TableRecord>();

	constructor(private readonly clock: SimClock) {}

	table(id: string): TableRecord {
		const table = this.tables.get(id);
		if (!table) throw new HttpError(404, `Could not find the data table: '${id}'`);
		return table;
	}

	createTable(projectId: string, name: string, columns: Array<{ name: string; type: ColumnType }>): TableRecord {
		for (const existing of this.tables.values()) {
			if (existing.projectId === projectId && existing.name === name) {
				throw new HttpError(409, `Data table with name '${name}' already exists in this project`);
			}
		}
		const now = this.clock.iso();
		const id = nanoid();
		const table: TableRecord = { id, name, projectId, createdAt: now, updatedAt: now, columns: [], rows: [], nextRowId: 1 };
		columns.forEach((c, index) => table.columns.push({ id: nanoid(), name: c.name, type: c.type, index, dataTableId: id, createdAt: now, updatedAt: now }));
		this.tables.set(id, table);
		return table;
	}

	addColumn(table: TableRecord, name: string, type: ColumnType): ColumnRecord {
		if (['id', 'createdat', 'updatedat'].includes(name.toLowerCase())) throw new HttpError(409, `Column name "${name}" is reserved as a system column name.`);
		if (table.columns.some((c) => c.name === name)) {
			throw new HttpError(409, `Data table column with name '${name}' already exists in data table '${table.name}'`);
		}
		const now = this.clock.iso();
		const column: ColumnRecord = { id: nanoid(), name, type, index: table.columns.length, dataTableId: table.id, createdAt: now, updatedAt: now };
		table.columns.push(column);
		for (const row of table.rows) row[name] = null;
		table.updatedAt = now;
		return column;
	}

	filterFor(table: TableRecord, filter: RowFilter | undefined): PreparedFilter | undefined {
		return filter ? prepareFilter(filter, columnTypes(table)) : undefined;
	}

	listRows(table: TableRecord, options: { filter?: RowFilter; sortBy?: [string, 'ASC' | 'DESC']; search?: string; offset: number; limit: number }) {
		const filter = this.filterFor(table, options.filter);
		let rows = table.rows.filter((r) => matches(r, filter));
		const term = options.search?.trim();
		if (term) {
			const needle = term.replace(/%/g, '').toLowerCase();
			rows = rows.filter((r) => table.columns.some((c) => r[c.name] !== null && String(r[c.name]).toLowerCase().includes(needle)));
		}
		const sort = options.sortBy;
		if (sort && !table.columns.some((c) => c.name === sort[0]) && !['id', 'createdAt', 'updatedAt'].includes(sort[0])) {
			throw new HttpError(500, 'Internal server error'); // n8n lets the database reject an unknown sort column
		}
		rows = [...rows].sort((a, b) => {
			const primary = sort ? compareCells(a[sort[0]], b[sort[0]]) * (sort[1] === 'DESC' ? -1 : 1) : 0;
			return primary || a.id - b.id;
		});
		const page = options.limit ? rows.slice(options.offset, options.offset + options.limit) : rows.slice(options.offset);
		return { count: rows.length, data: page.map((r) => rowJson(table, r)) };
	}

	insertRows(table: TableRecord, input: Array<Record<string, CellValue>>): StoredRow[] {
		const types = columnTypes(table);
		const converted = input.map((row) => toCells(row, types)); // all rows valid, or none inserted
		const now = this.clock.iso();
		const inserted = converted.map((cells) => {
			const row = { id: table.nextRowId++, createdAt: now, updatedAt: now } as StoredRow;
			for (const c of table.columns) row[c.name] = cells[c.name] ?? null;
			table.rows.push(row);
			return row;
		});
		table.updatedAt = now;
		return inserted;
	}

	/**
	 * UPDATE … WHERE filter. With `readBeforeUpdate` (SQLite-backed n8n) the rows to return are the
	 * ids read before the UPDATE, and `gap` runs between that read and the write, where another
	 * writer can get in; the returned rows are then re-read by id, whatever the UPDATE did. Without
	 * it (Postgres, UPDATE … RETURNING) exactly the rows the UPDATE changed come back.
	 */
	async updateRows(
		table: TableRecord,
		filter: RowFilter,
		data: Record<string, CellValue>,
		options: { readBeforeUpdate: boolean; gap?: (info: UpdateGapInfo) => Promise<void> | void },
	): Promise<StoredRow[]> {
		const prepared = this.filterFor(table, filter);
		const cells = toCells(data, columnTypes(table));
		let preRead: number[] = [];
		if (options.readBeforeUpdate) {
			preRead = table.rows.filter((r) => matches(r, prepared)).map((r) => r.id);
			await options.gap?.({ tableId: table.id, ids: preRead });
		}
		const now = this.clock.iso();
		const changed = table.rows.filter((r) => matches(r, prepared));
		for (const row of changed) Object.assign(row, cells, { updatedAt: now });
		table.updatedAt = now;
		if (!options.readBeforeUpdate) return changed;
		return table.rows.filter((r) => preRead.includes(r.id));
	}

	deleteRows(table: TableRecord, filter: RowFilter): StoredRow[] {
		const prepared = this.filterFor(table, filter);
		const removed = table.rows.filter((r) => matches(r, prepared));
		table.rows = table.rows.filter((r) => !removed.includes(r));
		table.updatedAt = this.clock.iso();
		return removed;
	}
}
