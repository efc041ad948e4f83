/**
 * The data-table handlers of n8n 2.40.7's public API (`public-api/v1/handlers/data-tables/*`):
 * each parses its DTO, answers 400 with the DTO's first message, and returns what n8n returns.
 */
import type { z } from 'zod';
import { HttpError, rowJson, type DataTableStore, type TableRecord, type UpdateGapInfo } from './store';
import * as S from './schemas';

export interface RouteContext {
	store: DataTableStore;
	params: Record<string, string>;
	query: Record<string, string>;
	body: unknown;
	projectId: string;
	switches: { sqliteReturnedRows: boolean };
	updateGap?: (info: UpdateGapInfo) => Promise<void> | void;
}

export interface RouteResult {
	status?: number;
	body?: unknown;
}

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown, fallback: string): z.infer<T> {
	const result = schema.safeParse(input);
	if (!result.success) throw new HttpError(400, S.firstIssue(result.error, fallback));
	return result.data;
}

/** n8n's offset cursor: base64 JSON `{limit, offset}`, or null on the last page. */
export function nextCursor(offset: number, limit: number, total: number): string | null {
	return total > offset + limit ? Buffer.from(JSON.stringify({ limit, offset: offset + limit })).toString('base64') : null;
}

function tableJson(table: TableRecord) {
	const columns = [...table.columns]
		.sort((a, b) => a.index - b.index)
		.map(({ id, name, type, index, createdAt, updatedAt }) => ({ id, name, type, index, createdAt, updatedAt }));
	const { id, name, projectId, createdAt, updatedAt } = table;
	return { id, name, projectId, createdAt, updatedAt, columns, sizeBytes: 0 };
}

function nameMatches(table: TableRecord, names: string | string[] | undefined): boolean {
	// n8n: LOWER(name) LIKE LOWER('%' || value || '%') for each value, all must hold
	return [names ?? []].flat().every((n) => table.name.toLowerCase().includes(n.toLowerCase()));
}

export function listTables(ctx: RouteContext): RouteResult {
	const q = parse(S.listTablesQuery, ctx.query, 'Invalid query parameters');
	const ids = q.filter?.id === undefined ? undefined : [q.filter.id].flat();
	let tables = [...ctx.store.tables.values()].filter(
		(t) => (!ids || ids.includes(t.id)) && (!q.filter?.projectId || t.projectId === q.filter.projectId) && nameMatches(t, q.filter?.name),
	);
	const [field, direction] = (q.sortBy ?? 'updatedAt:desc').split(':') as ['name' | 'createdAt' | 'updatedAt' | 'size', 'asc' | 'desc'];
	const key = (t: TableRecord) => (field === 'name' ? t.name.toLowerCase() : field === 'size' ? '' : t[field]);
	tables = tables.sort((a, b) => (key(a) === key(b) ? 0 : key(a) < key(b) ? -1 : 1) * (direction === 'desc' ? -1 : 1));
	const page = q.limit ? tables.slice(q.offset, q.offset + q.limit) : tables.slice(q.offset);
	return { body: { data: page.map(tableJson), nextCursor: nextCursor(q.offset, q.limit, tables.length) } };
}

export function createTable(ctx: RouteContext): RouteResult {
	const dto = parse(S.createTableBody, ctx.body, 'Invalid request body');
	if (dto.projectId && dto.projectId !== ctx.projectId) throw new HttpError(400, `Project with ID "${dto.projectId}" not found`);
	const table = ctx.store.createTable(ctx.projectId, dto.name, dto.columns);
	return { status: 201, body: tableJson(table) };
}

export function getTable(ctx: RouteContext): RouteResult {
	return { body: tableJson(ctx.store.table(ctx.params.dataTableId)) };
}

export function deleteTable(ctx: RouteContext): RouteResult {
	ctx.store.table(ctx.params.dataTableId);
	ctx.store.tables.delete(ctx.params.dataTableId);
	return { status: 204 };
}

export function listColumns(ctx: RouteContext): RouteResult {
	const table = ctx.store.table(ctx.params.dataTableId);
	return { body: [...table.columns].sort((a, b) => a.index - b.index) };
}

export function addColumn(ctx: RouteContext): RouteResult {
	const dto = parse(S.addColumnBody, ctx.body, 'Invalid request body');
	const table = ctx.store.table(ctx.params.dataTableId);
	return { status: 201, body: ctx.store.addColumn(table, dto.name, dto.type) };
}

export function listRows(ctx: RouteContext): RouteResult {
	const q = parse(S.listRowsQuery, ctx.query, 'Invalid query parameters');
	const table = ctx.store.table(ctx.params.dataTableId);
	const result = ctx.store.listRows(table, { filter: q.filter, sortBy: q.sortBy, search: q.search, offset: q.offset, limit: q.limit });
	return { body: { data: result.data, nextCursor: nextCursor(q.offset, q.limit, result.count) } };
}

export function insertRows(ctx: RouteContext): RouteResult {
	const dto = parse(S.insertRowsBody, ctx.body, 'Invalid request body');
	const table = ctx.store.table(ctx.params.dataTableId);
	const inserted = ctx.store.insertRows(table, dto.data);
	if (dto.returnType === 'count') return { body: { success: true, insertedRows: inserted.length } };
	if (dto.returnType === 'id') return { body: inserted.map((r) => ({ id: r.id })) };
	return { body: inserted.map((r) => rowJson(table, r)) };
}

export async function updateRows(ctx: RouteContext): Promise<RouteResult> {
	const dto = parse(S.updateRowsBody, ctx.body, 'Invalid request body');
	const table = ctx.store.table(ctx.params.dataTableId);
	if (dto.dryRun) throw new HttpError(400, 'dryRun is not modelled by the simulator');
	const readBeforeUpdate = ctx.switches.sqliteReturnedRows && dto.returnData;
	const rows = await ctx.store.updateRows(table, dto.filter, dto.data, { readBeforeUpdate, gap: ctx.updateGap });
	return { body: dto.returnData ? rows.map((r) => rowJson(table, r)) : true };
}

export function deleteRows(ctx: RouteContext): RouteResult {
	const q = parse(S.deleteRowsQuery, ctx.query, 'Invalid query parameters');
	const table = ctx.store.table(ctx.params.dataTableId);
	if (q.dryRun) throw new HttpError(400, 'dryRun is not modelled by the simulator');
	const removed = ctx.store.deleteRows(table, q.filter);
	return { body: q.returnData ? removed.map((r) => rowJson(table, r)) : true };
}
