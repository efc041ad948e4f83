/**
 * The port every sync uses to read and write its state. The nodes supply an n8n Data Table
 * behind it; tests use `MemoryStateStore`. Lookups are by entity plus one side's id; writes are
 * compare-and-set on `version`, so two executions never both believe they wrote last.
 */
import type { Side } from '../merge/policy';
import type { LinkState, NewLink, SyncEntity } from './link';

export interface SyncStateStore {
	/** Every row of the entity whose id on `side` is `id`, oldest first. */
	find(entity: SyncEntity, side: Side, id: string): Promise<LinkState[]>;
	insert(link: NewLink): Promise<LinkState>;
	/** Applies `changes` when the row is still at `expectedVersion`; null when it moved or is gone. */
	update(rowId: number, expectedVersion: number, changes: Partial<NewLink>): Promise<LinkState | null>;
	remove(rowId: number): Promise<void>;
	/**
	 * How long after another execution's insert its row may still be invisible to `find`. On a
	 * database whose row ids are drawn before the insert commits (Postgres), a row with a lower id
	 * can appear after a higher one was already seen; claims look again after this long. Absent or
	 * 0: an insert is visible as soon as it returns (one process, SQLite, memory).
	 */
	readonly insertVisibleWithinMs?: number;
}

/** In-memory store with the same semantics (tests, and a reference for other back ends). */
export class MemoryStateStore implements SyncStateStore {
	protected rows = new Map<number, LinkState>();
	private nextId: number;

	/** `firstRowId`: where new rows start (above the ids of rows a subclass brings in as they are stored). */
	constructor(
		private readonly now: () => Date = () => new Date(),
		firstRowId = 1,
	) {
		this.nextId = firstRowId;
	}

	async find(entity: SyncEntity, side: Side, id: string): Promise<LinkState[]> {
		const key = side === 'pipedrive' ? 'pipedriveId' : 'propstreetId';
		return [...this.rows.values()].filter((r) => r.entity === entity && r[key] === id).sort((a, b) => a.rowId - b.rowId).map((r) => ({ ...r }));
	}

	async insert(link: NewLink): Promise<LinkState> {
		const row: LinkState = { ...link, rowId: this.nextId++, version: 1, updatedAt: this.now().toISOString() };
		this.rows.set(row.rowId, row);
		return { ...row };
	}

	async update(rowId: number, expectedVersion: number, changes: Partial<NewLink>): Promise<LinkState | null> {
		const row = this.rows.get(rowId);
		if (!row || row.version !== expectedVersion) return null;
		const next: LinkState = { ...row, ...changes, rowId, version: row.version + 1, updatedAt: this.now().toISOString() };
		this.rows.set(rowId, next);
		return { ...next };
	}

	async remove(rowId: number): Promise<void> {
		this.rows.delete(rowId);
	}

	/** Every row (for tests and for inspection). */
	all(): LinkState[] {
		return [...this.rows.values()].map((r) => ({ ...r }));
	}
}
