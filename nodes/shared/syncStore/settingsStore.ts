/**
 * The shared sync settings record in its own n8n Data Table, next to the sync state table and
 * reached through the same credential (so it works the same on self-hosted, Cloud and queue mode:
 * every process reads the one table over n8n's public API).
 *
 * Saving inserts a new row and then deletes the older ones, so a reader always finds a whole
 * record (the newest row wins), never none in between. Reads are cached per process for a minute:
 * executions do not pay a read each, and every worker sees a saved change within that minute.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import type { ApiContext } from './api';
import { parseSettingsRecord, SETTINGS_ROW_NAME, settingsTableRow, type SettingsRecord } from '../core/settings';
import { DataTableApi, readSettings } from './api';
import { companionTableName, resolveTable, tablesNamed, type TableSpec } from './bootstrap';
import type { StateColumn } from './columns';

/** How long a process keeps a read record before reading it again. */
export const SETTINGS_CACHE_MS = 60_000;

const column = (name: string, type: StateColumn['type']): StateColumn => ({ name, type });
const SETTINGS_TABLE: TableSpec = { columns: [column('name', 'string'), column('version', 'number'), column('settings', 'string')], label: 'sync settings table' };

/** "Propstreet sync state" → "Propstreet sync settings". */
export const settingsTableName = (stateTableName: string): string => companionTableName(stateTableName, 'settings');

export interface SavedSettings {
	/** The saved record; null when none was saved yet. */
	record: SettingsRecord | null;
	table: string;
}

const cache = new Map<string, { at: number; read: Promise<SavedSettings> }>();

/** Forgets what this process read (tests; and the Settings node after saving). */
export function forgetSavedSettings(): void {
	cache.clear();
}

/** The public API aimed at the settings table (named after the credential's state table). */
async function settingsApi(ctx: ApiContext, itemIndex?: number): Promise<DataTableApi> {
	const state = await readSettings(ctx, itemIndex);
	return new DataTableApi(ctx, { ...state, tableName: settingsTableName(state.tableName) }, itemIndex);
}

/** The settings table, created (with its columns) when missing: only a save does that. */
async function settingsTable(ctx: IExecuteFunctions, itemIndex?: number): Promise<{ api: DataTableApi; path: string }> {
	const api = await settingsApi(ctx, itemIndex);
	const id = await resolveTable(ctx, api, itemIndex, SETTINGS_TABLE);
	return { api, path: `/data-tables/${encodeURIComponent(id)}/rows` };
}

type Row = { id: number; name?: string; version?: number; settings?: string };
const filterOf = (...filters: object[]) => ({ type: 'and', filters });

async function newestRows(api: DataTableApi, path: string): Promise<Row[]> {
	const answer = await api.call<{ data?: Row[] }>({
		method: 'GET',
		path,
		qs: { filter: JSON.stringify(filterOf({ columnName: 'name', condition: 'eq', value: SETTINGS_ROW_NAME })), sortBy: 'id:desc', limit: 10 },
		operation: 'Reading the sync settings',
		scope: 'dataTableRow:read',
	});
	return answer.body?.data ?? [];
}

async function readNow(ctx: ApiContext, itemIndex?: number): Promise<SavedSettings> {
	const api = await settingsApi(ctx, itemIndex);
	// Reading never creates the table: until the first save there is nothing to read.
	const [table] = await tablesNamed(api, api.settings.tableName, SETTINGS_TABLE.label);
	if (!table) return { record: null, table: api.settings.tableName };
	const path = `/data-tables/${encodeURIComponent(table.id)}/rows`;
	const [newest] = (await newestRows(api, path)).sort((a, b) => b.id - a.id);
	if (!newest) return { record: null, table: api.settings.tableName };
	const parsed = parseSettingsRecord({ version: newest.version, settings: newest.settings ?? null });
	if (parsed.ok) return { record: parsed.value, table: api.settings.tableName };
	throw new NodeOperationError(ctx.getNode(), `The saved sync settings (data table "${api.settings.tableName}") cannot be used`, {
		itemIndex,
		description: `${parsed.problems.join('; ')}. Fix them in "00 Sync Settings" and run it, or set this node's Settings to "Set in This Node".`,
	});
}

/** The saved settings, read at most once a minute per process and credential. */
export async function readSavedSettings(ctx: ApiContext, now: number, itemIndex?: number): Promise<SavedSettings> {
	const { baseUrl, tableName } = await readSettings(ctx, itemIndex);
	const key = `${baseUrl}\n${tableName}`;
	const hit = cache.get(key);
	if (hit && now - hit.at < SETTINGS_CACHE_MS) return hit.read;
	const read = readNow(ctx, itemIndex);
	cache.set(key, { at: now, read });
	read.catch(() => cache.delete(key)); // a failed read is tried again by the next execution
	return read;
}

/** Saves `record` as the one current settings row; the older rows are removed after. */
export async function saveSettingsRecord(ctx: IExecuteFunctions, record: SettingsRecord, itemIndex?: number): Promise<{ table: string; rowId: number }> {
	const { api, path } = await settingsTable(ctx, itemIndex);
	const answer = await api.call<Row[]>({
		method: 'POST',
		path,
		body: { data: [settingsTableRow(record)], returnType: 'all' },
		operation: 'Saving the sync settings',
		scope: 'dataTableRow:create',
	});
	const rowId = Number((Array.isArray(answer.body) ? answer.body[0] : undefined)?.id);
	if (Number.isInteger(rowId)) {
		await api.call({
			method: 'DELETE',
			path: `${path}/delete`,
			qs: { filter: JSON.stringify(filterOf({ columnName: 'name', condition: 'eq', value: SETTINGS_ROW_NAME }, { columnName: 'id', condition: 'lt', value: rowId })) },
			operation: 'Removing the previous sync settings',
			scope: 'dataTableRow:delete',
		});
	}
	forgetSavedSettings();
	return { table: api.settings.tableName, rowId };
}
