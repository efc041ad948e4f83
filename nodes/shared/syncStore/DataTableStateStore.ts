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
import { DEFAULT_CLAIM_RECHECK_MS, type ApiAnswer, type ApiCall } from './api';
import { STATE_TABLE } from './bootstrap';
import { DataTableHandle, eq, filterOf } from './table';
import { changesToRow, rowToLink, type StateRow } from './columns';

export interface DataTableStateStoreOptions {
	/** The item errors are reported against. */
	itemIndex?: number;
	/** Overrides the credential's table name. */
	tableName?: string;
}

export class DataTableStateStore implements SyncStateStore {
	private readonly handle: DataTableHandle;

	/**
	 * n8n on PostgreSQL draws a row's id before its insert commits, so two workers claiming one
	 * record can each briefly see only their own row: claims look again after the credential's
	 * delay. A claim reads this only after its insert, when the credential has been read.
	 */
	get insertVisibleWithinMs(): number {
		return this.handle.settings?.claimRecheckMs ?? DEFAULT_CLAIM_RECHECK_MS;
	}

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly options: DataTableStateStoreOptions = {},
	) {
		this.handle = new DataTableHandle(ctx, STATE_TABLE, (settings) => options.tableName?.trim() || settings.tableName, options.itemIndex);
	}

	private onTable<T>(build: (tablePath: string) => ApiCall): Promise<ApiAnswer<T>> {
		return this.handle.onTable<T>(build);
	}

	private fail(message: string): never {
		throw new NodeOperationError(this.ctx.getNode(), message, { itemIndex: this.options.itemIndex });
	}

	async find(entity: SyncEntity, side: Side, id: string): Promise<LinkState[]> {
		if (typeof id !== 'string') this.fail(`A sync state lookup needs the record id as text, got ${typeof id}`);
		const filter = filterOf(eq('entity', entity), eq(side === 'pipedrive' ? 'pipedriveId' : 'propstreetId', id));
		const rows = await this.handle.rows<StateRow>(filter, `Reading the sync state of ${entity} ${id}`);
		return rows.map(rowToLink).sort((a, b) => a.rowId - b.rowId);
	}

	async list(entity: SyncEntity): Promise<LinkState[]> {
		const rows = await this.handle.rows<StateRow>(filterOf(eq('entity', entity)), `Reading the sync state of every ${entity}`);
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
