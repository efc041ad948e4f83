/**
 * The core's `SyncStateStore` over an n8n Data Table, reached through n8n's public API with the
 * Propstreet Sync State credential. One instance serves one execution: it finds (or creates) the
 * table once and keeps its id.
 *
 * Updates are compare-and-set: the UPDATE is filtered on `id` and `version`, raises the version
 * and writes a fresh random `writeToken`. It counts as done only when a returned row carries that
 * token: n8n on SQLite returns the rows it read *before* the UPDATE, which may have been changed
 * by someone else in between, so "a row came back" alone proves nothing.
 */
import { randomUUID } from 'crypto';
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import type { Side } from '../core/merge/policy';
import type { LinkState, NewLink, SyncEntity } from '../core/syncState/link';
import type { SyncStateStore } from '../core/syncState/store';
import { DataTableApi, DEFAULT_CLAIM_RECHECK_MS, isMissingTable, readSettings, type ApiAnswer, type ApiCall } from './api';
import { resolveTable } from './bootstrap';
import { changesToRow, rowToLink, type StateRow } from './columns';

export interface DataTableStateStoreOptions {
	/** The item errors are reported against. */
	itemIndex?: number;
	/** Overrides the credential's table name. */
	tableName?: string;
}

interface RowPage {
	data?: StateRow[];
	nextCursor?: string | null;
}

type Filter = { columnName: string; condition: 'eq'; value: string | number };
const eq = (columnName: string, value: string | number): Filter => ({ columnName, condition: 'eq', value });
const filterOf = (...filters: Filter[]) => ({ type: 'and', filters });

export class DataTableStateStore implements SyncStateStore {
	private table?: Promise<{ api: DataTableApi; tableId: string }>;
	/**
	 * n8n on PostgreSQL draws a row's id before its insert commits, so two workers claiming one
	 * record can each briefly see only their own row: claims look again after the credential's
	 * delay. Read with the credential; a claim reads it only after its insert, so it is set by then.
	 */
	insertVisibleWithinMs = DEFAULT_CLAIM_RECHECK_MS;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly options: DataTableStateStoreOptions = {},
	) {}

	private resolve() {
		this.table ??= (async () => {
			const settings = await readSettings(this.ctx, this.options.itemIndex);
			this.insertVisibleWithinMs = settings.claimRecheckMs;
			const api = new DataTableApi(this.ctx, { ...settings, tableName: this.options.tableName?.trim() || settings.tableName }, this.options.itemIndex);
			return { api, tableId: await resolveTable(this.ctx, api, this.options.itemIndex) };
		})().catch((error) => {
			this.table = undefined; // the next call tries again
			throw error;
		});
		return this.table;
	}

	/** One call on the table; when the table was deleted meanwhile, finds or recreates it and retries once. */
	private async onTable<T>(build: (tablePath: string) => ApiCall): Promise<ApiAnswer<T>> {
		for (let attempt = 0; ; attempt++) {
			const { api, tableId } = await this.resolve();
			const call = build(`/data-tables/${encodeURIComponent(tableId)}`);
			const answer = await api.call<T>({ ...call, accept: [...(call.accept ?? []), 404] });
			if (answer.status !== 404) return answer;
			if (attempt > 0 || !isMissingTable(answer)) throw api.error(call, answer);
			this.table = undefined;
		}
	}

	private fail(message: string): never {
		throw new NodeOperationError(this.ctx.getNode(), message, { itemIndex: this.options.itemIndex });
	}

	async find(entity: SyncEntity, side: Side, id: string): Promise<LinkState[]> {
		if (typeof id !== 'string') this.fail(`A sync state lookup needs the record id as text, got ${typeof id}`);
		const filter = JSON.stringify(filterOf(eq('entity', entity), eq(side === 'pipedrive' ? 'pipedriveId' : 'propstreetId', id)));
		const rows: StateRow[] = [];
		let cursor: string | undefined;
		do {
			const page: ApiAnswer<RowPage> = await this.onTable<RowPage>((table) => ({
				method: 'GET',
				path: `${table}/rows`,
				qs: { filter, sortBy: 'id:asc', limit: 250, ...(cursor ? { cursor } : {}) },
				operation: `Reading the sync state of ${entity} ${id}`,
				scope: 'dataTableRow:read',
			}));
			rows.push(...(page.body?.data ?? []));
			cursor = page.body?.nextCursor ?? undefined;
		} while (cursor);
		return rows.map(rowToLink).sort((a, b) => a.rowId - b.rowId);
	}

	async insert(link: NewLink): Promise<LinkState> {
		const data = { ...changesToRow(link), version: 1, writeToken: randomUUID() };
		const answer = await this.onTable<StateRow[]>((table) => ({
			method: 'POST',
			path: `${table}/rows`,
			body: { data: [data], returnType: 'all' },
			operation: `Saving the sync state of ${link.entity} ${link.pipedriveId ?? link.propstreetId ?? ''}`.trim(),
			scope: 'dataTableRow:create',
		}));
		const row = Array.isArray(answer.body) ? answer.body[0] : undefined;
		if (!row) this.fail('n8n did not return the sync state row it inserted');
		return rowToLink(row);
	}

	async update(rowId: number, expectedVersion: number, changes: Partial<NewLink>): Promise<LinkState | null> {
		if (!Number.isInteger(rowId) || rowId <= 0) this.fail(`Invalid sync state row id ${String(rowId)}`);
		if (!Number.isFinite(expectedVersion)) this.fail(`Invalid sync state version ${String(expectedVersion)}`);
		const writeToken = randomUUID();
		const answer = await this.onTable<StateRow[]>((table) => ({
			method: 'PATCH',
			path: `${table}/rows/update`,
			body: {
				filter: filterOf(eq('id', rowId), eq('version', expectedVersion)),
				data: { ...changesToRow(changes), version: expectedVersion + 1, writeToken },
				returnData: true,
			},
			operation: `Updating sync state row ${rowId}`,
			scope: 'dataTableRow:update',
		}));
		const mine = Array.isArray(answer.body) ? answer.body.find((row) => row.writeToken === writeToken) : undefined;
		return mine ? rowToLink(mine) : null;
	}

	async remove(rowId: number): Promise<void> {
		if (!Number.isInteger(rowId) || rowId <= 0) this.fail(`Invalid sync state row id ${String(rowId)}`);
		await this.onTable((table) => ({
			method: 'DELETE',
			path: `${table}/rows/delete`,
			qs: { filter: JSON.stringify(filterOf(eq('id', rowId))) },
			operation: `Removing sync state row ${rowId}`,
			scope: 'dataTableRow:delete',
		}));
	}
}
