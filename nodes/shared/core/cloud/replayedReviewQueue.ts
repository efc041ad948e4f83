/**
 * The engine's `ReviewQueue` for a Cloud Code node: every operation is a lookup the workflow's
 * Data Table node makes on "Propstreet sync review" (`api: 'review'`, `TableOp` in `lookups.ts`),
 * with the columns the self-hosted `syncStore/reviewQueue.ts` writes, so both editions share the
 * table. As there, a raise that meets another open row for the same pair and field (two
 * executions at once) keeps the oldest row and removes its own. `pipedriveLink` stays empty: the
 * Code node does not know the account's Pipedrive domain.
 */
import { reviewKey, type ReviewChange, type ReviewEntry, type ReviewQueue, type ReviewRaise } from '../review/queue';
import { rowToEntry } from '../review/rows';
import type { SyncEntity } from '../syncState/link';
import type { Lookup, TableOp } from './lookups';
import { tableRows } from './replayedStateStore';

export class ReplayedReviewQueue implements ReviewQueue {
	constructor(private readonly answer: (lookup: Lookup) => unknown) {}

	private ask(method: Lookup['method'], table: TableOp): unknown {
		return this.answer({ api: 'review', method, path: '', table });
	}

	/** The open rows of a pair's Pipedrive record, oldest first (the table is read by entity and Pipedrive id). */
	private async openOfRecord(entity: SyncEntity, pipedriveId: string): Promise<ReviewEntry[]> {
		const rows = tableRows(this.ask('GET', { op: 'find', entity, column: 'pipedriveId', value: pipedriveId }));
		return rows.map(rowToEntry).filter((e) => e.status === 'open').sort((a, b) => a.rowId - b.rowId);
	}

	/** Every open row of an entity (Cloud 11 applies the resolved ones), as `DataTableReviewQueue.openOf` reads them on self-hosted. */
	async openOf(entity: SyncEntity): Promise<ReviewEntry[]> {
		const rows = tableRows(this.ask('GET', { op: 'find', entity, column: 'status', value: 'open' }));
		return rows.map(rowToEntry).filter((e) => e.status === 'open');
	}

	async openFor(entity: SyncEntity, pipedriveId: string, propstreetId: string): Promise<ReviewEntry[]> {
		return (await this.openOfRecord(entity, pipedriveId)).filter((e) => e.propstreetId === propstreetId);
	}

	async raise(item: ReviewRaise): Promise<void> {
		const key = reviewKey(item);
		const row = { ...item, key, pipedriveLink: '', resolution: '', status: 'open', appliedAt: '' };
		const [mine] = tableRows(this.ask('POST', { op: 'insert', row }));
		const oldest = (await this.openOfRecord(item.entity, item.pipedriveId)).find((e) => e.key === key);
		if (!mine || !oldest || oldest.rowId === Number(mine.id)) return;
		this.ask('DELETE', { op: 'delete', rowId: Number(mine.id) });
		await this.update(oldest.rowId, { pipedriveValue: item.pipedriveValue, propstreetValue: item.propstreetValue, lastSynced: item.lastSynced, rule: item.rule, raisedAt: item.raisedAt });
	}

	async update(rowId: number, change: ReviewChange): Promise<void> {
		this.ask('PATCH', { op: 'update', rowId, row: change as Record<string, string> });
	}
}
