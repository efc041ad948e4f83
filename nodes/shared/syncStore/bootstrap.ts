/**
 * Finds the sync state table by name, creating it (and any column it lacks) on first use.
 *
 * n8n keeps table names unique per project, so two executions creating the table at once end with
 * one table: the loser gets 409 (or a 500 when the database's unique index catches the race) and
 * both then list the tables again and take what they find. Tables of the same name can still exist
 * in other projects (an owner's key sees them all); every execution then uses the oldest, so all
 * agree, and the others are left alone (they may hold someone's rows) with a warning in the log.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import type { DataTableApi } from './api';
import { STATE_COLUMNS, type StateColumn } from './columns';

/** A table's columns and what it is called in messages ("sync state table"). */
export interface TableSpec {
	columns: readonly StateColumn[];
	label: string;
}

export const STATE_TABLE: TableSpec = { columns: STATE_COLUMNS, label: 'sync state table' };

/**
 * The name of a table kept next to the sync state table ("Propstreet sync state" → "Propstreet
 * sync review"), so one credential setting names them all; any other name gets the role added.
 */
export function companionTableName(stateTableName: string, role: 'review' | 'settings'): string {
	return / state$/i.test(stateTableName) ? stateTableName.replace(/ state$/i, ` ${role}`) : `${stateTableName} ${role}`;
}

export interface TableInfo {
	id: string;
	name: string;
	createdAt: string;
	columns: StateColumn[];
}

interface TablePage {
	data?: TableInfo[];
	nextCursor?: string | null;
}

/** Tables named exactly `name`, oldest first (n8n's name filter is a case-insensitive substring match). */
export async function tablesNamed(api: DataTableApi, name: string, label = STATE_TABLE.label): Promise<TableInfo[]> {
	const found: TableInfo[] = [];
	let cursor: string | undefined;
	do {
		const answer = await api.call<TablePage>({
			method: 'GET',
			path: '/data-tables',
			qs: { filter: JSON.stringify({ name }), sortBy: 'createdAt:asc', limit: 250, ...(cursor ? { cursor } : {}) },
			operation: `Finding the ${label}`,
			scope: 'dataTable:list',
		});
		for (const table of answer.body?.data ?? []) if (table.name === name) found.push(table);
		cursor = answer.body?.nextCursor ?? undefined;
	} while (cursor);
	return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

async function createTable(ctx: IExecuteFunctions, api: DataTableApi, name: string, spec: TableSpec, itemIndex?: number): Promise<TableInfo> {
	const call = {
		method: 'POST' as const,
		path: '/data-tables',
		body: { name, columns: spec.columns.map(({ name: column, type }) => ({ name: column, type })) },
		operation: `Creating the ${spec.label}`,
		scope: 'dataTable:create',
		accept: [409, 500],
	};
	const created = await api.call(call);
	const [oldest] = await tablesNamed(api, name, spec.label);
	if (oldest) return oldest;
	if (created.status >= 400) throw api.error(call, created);
	throw new NodeOperationError(ctx.getNode(), `The ${spec.label} "${name}" was created but n8n does not list it`, { itemIndex });
}

async function addMissingColumns(ctx: IExecuteFunctions, api: DataTableApi, table: TableInfo, spec: TableSpec, itemIndex?: number): Promise<void> {
	for (const column of spec.columns) {
		const existing = table.columns.find((c) => c.name === column.name);
		if (existing && existing.type !== column.type) {
			throw new NodeOperationError(ctx.getNode(), `The ${spec.label} "${table.name}" has a column "${column.name}" of type ${existing.type}; it must be ${column.type}`, {
				itemIndex,
				description: 'Delete the column or the table in n8n (Overview → Data tables); the store recreates it.',
			});
		}
		if (existing) continue;
		// 409: another execution added it a moment ago.
		await api.call({
			method: 'POST',
			path: `/data-tables/${encodeURIComponent(table.id)}/columns`,
			body: { name: column.name, type: column.type },
			operation: `Adding column ${column.name} to the ${spec.label}`,
			scope: 'dataTableColumn:create',
			accept: [409],
		});
	}
}

/** The id of the table every execution uses, ready with all columns. */
export async function resolveTable(ctx: IExecuteFunctions, api: DataTableApi, itemIndex?: number, spec: TableSpec = STATE_TABLE): Promise<string> {
	const name = api.settings.tableName;
	const found = await tablesNamed(api, name, spec.label);
	const table = found[0] ?? (await createTable(ctx, api, name, spec, itemIndex));
	if (found.length > 1) {
		ctx.logger?.warn?.(`Several data tables are named "${name}"; the sync uses the oldest (${table.id}) and ignores ${found.slice(1).map((t) => t.id).join(', ')}`);
	}
	await addMissingColumns(ctx, api, table, spec, itemIndex);
	return table.id;
}
