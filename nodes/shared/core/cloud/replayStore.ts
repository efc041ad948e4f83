/**
 * The sync-state port for a core rule the Cloud edition replays over answered lookups (the note
 * sync): a record's rows are read once, as a Data Table lookup, and every write stays in memory
 * (the same semantics as `MemoryStateStore`); after the run, `changed()` lists the rows the
 * workflow then stores with the Data Table node. That node has no compare-and-set, so the Cloud
 * edition's claims and leases guard only the run itself (see ARCHITECTURE.md).
 */
import type { Side } from '../merge/policy';
import { isRecord } from '../mapping/common';
import type { LinkState, SyncEntity } from '../syncState/link';
import { MemoryStateStore } from '../syncState/store';
import { rowToLink } from '../../syncStore/columns';
import type { Lookup } from './lookups';

/** Rows this run adds sort after every stored row, as a new insert would (claims go by row id). */
const FIRST_NEW_ROW_ID = 2 ** 40;

export class ReplayStore extends MemoryStateStore {
	private asLoaded = new Map<number, string>();
	private asked = new Set<string>();

	constructor(
		private readonly answer: (lookup: Lookup) => unknown,
		now: () => Date,
	) {
		super(now, FIRST_NEW_ROW_ID);
	}

	async find(entity: SyncEntity, side: Side, id: string): Promise<LinkState[]> {
		const column = side === 'pipedrive' ? 'pipedriveId' : 'propstreetId';
		const key = `${entity} ${column} ${id}`;
		if (!this.asked.has(key)) {
			this.asked.add(key);
			this.load(this.answer({ method: 'GET', path: '', api: 'state', state: { entity, column, value: id } }));
		}
		return super.find(entity, side, id);
	}

	/**
	 * Every row of the entity, read each time it is asked (the n-th list of a run takes the n-th
	 * answer: the participation check lists again after the deals it had synced stored their rows).
	 * A later list replaces what an earlier one brought in, unless this run changed that row.
	 */
	async list(entity: SyncEntity): Promise<LinkState[]> {
		const answer = this.answer({ method: 'GET', path: '', api: 'state', state: { entity, column: 'entity', value: entity } });
		for (const [rowId, text] of this.asLoaded) {
			const row = this.rows.get(rowId);
			if (row?.entity !== entity || JSON.stringify(row) !== text) continue;
			this.rows.delete(rowId);
			this.asLoaded.delete(rowId);
		}
		this.load(answer);
		return super.list(entity);
	}

	/** The Data Table node's rows (an empty item when none; anything else reads as none), kept with their stored ids. */
	private load(answer: unknown): void {
		for (const row of Array.isArray(answer) ? answer : []) {
			if (!isRecord(row) || row.id === undefined || row.id === null) continue;
			const link = rowToLink(row);
			if (this.rows.has(link.rowId)) continue;
			this.rows.set(link.rowId, link);
			this.asLoaded.set(link.rowId, JSON.stringify(link));
		}
	}

	/** Rows the run added or changed, as they are now. */
	changed(): LinkState[] {
		return this.all().filter((r) => this.asLoaded.get(r.rowId) !== JSON.stringify(r));
	}

	/** Stored rows the run removed (the workflow deletes them by entity and Pipedrive id). */
	removed(): LinkState[] {
		return [...this.asLoaded.entries()].filter(([rowId]) => !this.rows.has(rowId)).map(([, text]) => JSON.parse(text) as LinkState);
	}
}
