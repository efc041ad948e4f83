/** The review queue in memory, with the Data Table's semantics (tests, and a reference for other back ends). */
import type { SyncEntity } from '../syncState/link';
import { reviewKey, type ReviewChange, type ReviewEntry, type ReviewQueue, type ReviewRaise } from './queue';

export class MemoryReviewQueue implements ReviewQueue {
	private rows = new Map<number, ReviewEntry>();
	private nextId = 1;

	async openFor(entity: SyncEntity, pipedriveId: string, propstreetId: string): Promise<ReviewEntry[]> {
		return this.all().filter((r) => r.status === 'open' && r.entity === entity && r.pipedriveId === pipedriveId && r.propstreetId === propstreetId);
	}

	async raise(item: ReviewRaise): Promise<void> {
		const key = reviewKey(item);
		if (this.all().some((r) => r.key === key && r.status === 'open')) return;
		const rowId = this.nextId++;
		this.rows.set(rowId, { ...item, rowId, key, resolution: '', status: 'open', appliedAt: '' });
	}

	async update(rowId: number, change: ReviewChange): Promise<void> {
		const row = this.rows.get(rowId);
		if (row) this.rows.set(rowId, { ...row, ...change });
	}

	/** What a person does in the Data Table UI. */
	resolve(rowId: number, resolution: string): void {
		const row = this.rows.get(rowId);
		if (row) this.rows.set(rowId, { ...row, resolution });
	}

	/** Every row, oldest first (for tests and inspection). */
	all(): ReviewEntry[] {
		return [...this.rows.values()].sort((a, b) => a.rowId - b.rowId).map((r) => ({ ...r }));
	}
}
