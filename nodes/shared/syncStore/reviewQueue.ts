/**
 * The review queue (`core/review/queue.ts`) in an n8n Data Table next to the sync state table,
 * through the same credential. A person reads the open rows in n8n (Overview → Data tables) and
 * types `pipedrive` or `propstreet` into `resolution`; the sync does the rest.
 *
 * One open row per pair and field: the sync raises rows while it holds the pair's lease, and a
 * raise that still meets another open row with the same `key` (a lease overtaken after a minute)
 * keeps the oldest row and removes its own, as creation claims do.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { reviewKey, type ReviewChange, type ReviewEntry, type ReviewQueue, type ReviewRaise } from '../core/review/queue';
import { rowToEntry } from '../core/review/rows';
import type { SyncEntity } from '../core/syncState/link';
import type { ApiSettings } from './api';
import { companionTableName, type TableSpec } from './bootstrap';
import type { ColumnType, StateColumn, StateRow } from './columns';
import { DataTableHandle, eq, filterOf } from './table';

// Built by a function: n8n's lint reads a `{ name, type }` literal as a node parameter.
const column = (name: string, type: ColumnType = 'string'): StateColumn => ({ name, type });

/** In the order a person reads them; n8n shows them left to right. */
export const REVIEW_TABLE: TableSpec = {
	label: 'review table',
	columns: ['entity', 'field', 'pipedriveValue', 'propstreetValue', 'resolution', 'status', 'rule', 'pipedriveLink', 'pipedriveId', 'propstreetId', 'lastSynced', 'raisedAt', 'appliedAt', 'key'].map((name) => column(name)),
};

/** "Propstreet sync state" → "Propstreet sync review". */
export const reviewTableName = (stateTableName: string): string => companionTableName(stateTableName, 'review');

export class DataTableReviewQueue implements ReviewQueue {
	private readonly handle: DataTableHandle;

	/** `pipedriveLink` gives the web address of a Pipedrive record ('' when unknown). */
	constructor(
		ctx: IExecuteFunctions,
		private readonly pipedriveLink: (entity: string, id: string) => Promise<string>,
		itemIndex?: number,
	) {
		this.handle = new DataTableHandle(ctx, REVIEW_TABLE, (settings: ApiSettings) => reviewTableName(settings.tableName), itemIndex);
	}

	async openFor(entity: SyncEntity, pipedriveId: string, propstreetId: string): Promise<ReviewEntry[]> {
		const filter = filterOf(eq('entity', entity), eq('pipedriveId', pipedriveId), eq('propstreetId', propstreetId), eq('status', 'open'));
		return (await this.handle.rows<StateRow>(filter, `Reading the review rows of ${entity} ${pipedriveId}`)).map(rowToEntry);
	}

	/** Every open row of the entity (Apply Review Decisions). */
	async openOf(entity: SyncEntity): Promise<ReviewEntry[]> {
		return (await this.handle.rows<StateRow>(filterOf(eq('entity', entity), eq('status', 'open')), `Reading the open ${entity} review rows`)).map(rowToEntry);
	}

	async raise(item: ReviewRaise): Promise<void> {
		const key = reviewKey(item);
		const data = { ...item, key, pipedriveLink: await this.pipedriveLink(item.entity, item.pipedriveId), resolution: '', status: 'open', appliedAt: '' };
		const answer = await this.handle.onTable<StateRow[]>((table) => ({
			method: 'POST',
			path: `${table}/rows`,
			body: { data: [data], returnType: 'all' },
			operation: `Adding ${item.entity} ${item.pipedriveId} ${item.field} to the review queue`,
			scope: 'dataTableRow:create',
		}));
		const mine = Number(Array.isArray(answer.body) ? answer.body[0]?.id : NaN);
		const open = await this.handle.rows<StateRow>(filterOf(eq('key', key), eq('status', 'open')), `Reading the review rows of ${key}`);
		const oldest = open.map((row) => Number(row.id)).sort((a, b) => a - b)[0];
		if (!Number.isFinite(mine) || oldest === undefined || oldest === mine) return;
		await this.remove(mine);
		await this.update(oldest, { pipedriveValue: item.pipedriveValue, propstreetValue: item.propstreetValue, lastSynced: item.lastSynced, rule: item.rule, raisedAt: item.raisedAt });
	}

	async update(rowId: number, change: ReviewChange): Promise<void> {
		await this.handle.onTable((table) => ({
			method: 'PATCH',
			path: `${table}/rows/update`,
			body: { filter: filterOf(eq('id', rowId)), data: change, returnData: false },
			operation: `Updating review row ${rowId}`,
			scope: 'dataTableRow:update',
		}));
	}

	private async remove(rowId: number): Promise<void> {
		await this.handle.onTable((table) => ({
			method: 'DELETE',
			path: `${table}/rows/delete`,
			qs: { filter: JSON.stringify(filterOf(eq('id', rowId))) },
			operation: `Removing duplicate review row ${rowId}`,
			scope: 'dataTableRow:delete',
		}));
	}
}
