/**
 * The engine's `SyncStateStore` for a Cloud Code node, where EVERY operation is a lookup the
 * workflow's Data Table node makes on "Propstreet sync state" (`TableOp` in `lookups.ts`). Unlike
 * `ReplayStore` (the run's writes kept in memory and stored afterwards), each insert, update and
 * remove happens when the engine makes it, so creation claims (`syncState/claim.ts`) and pair
 * leases (`twoWay/lease.ts`) hold across executions as they do on self-hosted.
 *
 * Updates are compare-and-set: the Data Table node updates the row filtered on `id` AND
 * `version = expectedVersion`, and the update counts only when a returned row carries this
 * write's `writeToken` (as `DataTableStateStore` does: some databases return the rows read before
 * the update). The token is this execution's owner and the write's number in the run, so a replay
 * asks for the very same write again (the lookup is answered from what was already done).
 *
 * `insertVisibleWithinMs` is left undefined: n8n Cloud answers the Data Table node's insert once
 * the row is committed, so a claim needs no second look.
 */
import type { Side } from '../merge/policy';
import { isRecord } from '../mapping/common';
import { encodeBaseline, type LinkState, type NewLink, type SyncEntity } from '../syncState/link';
import type { SyncStateStore } from '../syncState/store';
import { rowToLink, type StateRow } from '../../syncStore/columns';
import type { Lookup, TableOp } from './lookups';
import type { StateRowOut } from './stateRows';

/** The Data Table node's rows of an answer: an array of rows, or one row; the empty item `{}` counts as none. */
export function tableRows(answer: unknown): StateRow[] {
	const list = Array.isArray(answer) ? answer : [answer];
	return list.filter((row): row is StateRow => isRecord(row) && row.id !== undefined && row.id !== null && row.id !== '');
}

/** A link as the columns the Data Table node writes (empty text for none). */
function rowOut(link: NewLink, version: number, writeToken: string): StateRowOut {
	return {
		entity: link.entity,
		pipedriveId: link.pipedriveId ?? '',
		propstreetId: link.propstreetId ?? '',
		status: link.status,
		version,
		owner: link.owner ?? '',
		baseline: encodeBaseline(link.baseline),
		writeToken,
	};
}

export class ReplayedStateStore implements SyncStateStore {
	/** The rows as this run last saw them, so an update can send the whole row. */
	private seen = new Map<number, LinkState>();
	private writes = 0;

	constructor(
		private readonly answer: (lookup: Lookup) => unknown,
		private readonly owner: string,
	) {}

	private ask(method: Lookup['method'], table: TableOp): unknown {
		return this.answer({ api: 'state', method, path: '', table });
	}

	private read(answer: unknown): LinkState[] {
		const links = tableRows(answer).map(rowToLink).sort((a, b) => a.rowId - b.rowId);
		for (const link of links) this.seen.set(link.rowId, link);
		return links.map((l) => ({ ...l }));
	}

	private nextToken(): string {
		return `${this.owner}:${++this.writes}`;
	}

	async find(entity: SyncEntity, side: Side, id: string): Promise<LinkState[]> {
		const column = side === 'pipedrive' ? 'pipedriveId' : 'propstreetId';
		return this.read(this.ask('GET', { op: 'find', entity, column, value: id }));
	}

	async list(entity: SyncEntity): Promise<LinkState[]> {
		return this.read(this.ask('GET', { op: 'find', entity, column: 'entity', value: entity }));
	}

	async insert(link: NewLink): Promise<LinkState> {
		const row = rowOut(link, 1, this.nextToken());
		const [inserted] = this.read(this.ask('POST', { op: 'insert', row }));
		if (!inserted) throw new Error(`The Data Table node did not return the sync state row it inserted for ${link.entity} ${link.pipedriveId ?? link.propstreetId ?? ''}`.trim());
		return inserted;
	}

	async update(rowId: number, expectedVersion: number, changes: Partial<NewLink>): Promise<LinkState | null> {
		const before = this.seen.get(rowId);
		if (!before) throw new Error(`Sync state row ${rowId} was updated before it was read`);
		const token = this.nextToken();
		const row = rowOut({ ...before, ...changes }, expectedVersion + 1, token);
		const answer = this.ask('PATCH', { op: 'update', rowId, expectedVersion, row });
		const mine = tableRows(answer).find((r) => r.writeToken === token);
		if (!mine) return null;
		const [updated] = this.read([mine]);
		return updated;
	}

	async remove(rowId: number): Promise<void> {
		this.ask('DELETE', { op: 'delete', rowId });
		this.seen.delete(rowId);
	}
}
