/**
 * A bounded memory of webhook delivery ids (`webhook-id`), kept in node static data, so that a
 * delivery Propstreet sends twice is passed on once — as far as the memory reaches.
 *
 * The bound: at most `capacity` ids (default 500), each kept for at most `ttlMs` (default 48 h,
 * longer than Propstreet's ~35 h retry schedule). When full, the oldest id is forgotten first.
 * Serialised as `[id, firstSeenMs]` pairs, so 500 `msg_…` ids cost roughly 25 kB of static data.
 *
 * Best effort, never a guarantee; nothing may rely on it for correctness:
 * - n8n 2.40 does not save static data written while a webhook is answered, so in a real
 *   instance the memory lasts only as long as the in-memory workflow object it was written to;
 *   a repeat that reaches a fresh copy of the workflow starts another execution.
 * - Where static data is saved, it is a per-workflow JSON blob with last-writer-wins saves, so
 *   two copies of one delivery arriving at the same instant can both get through.
 * - An id older than the TTL, or pushed out by `capacity` newer ones, is accepted again.
 * Repeats are harmless downstream because every write is compared with the target first.
 *
 * Pure: no n8n imports.
 */

export const DEFAULT_SEEN_IDS_CAPACITY = 500;
export const DEFAULT_SEEN_IDS_TTL_MS = 48 * 60 * 60 * 1000;

export interface SeenIdsOptions {
	capacity?: number;
	ttlMs?: number;
}

/** The JSON form stored in static data. */
export interface SeenIdsState {
	version: 1;
	/** Oldest first. */
	entries: Array<[string, number]>;
}

export class SeenIds {
	readonly capacity: number;

	readonly ttlMs: number;

	/** Insertion-ordered, so the first key is always the oldest. */
	private readonly entries = new Map<string, number>();

	constructor(options: SeenIdsOptions = {}) {
		this.capacity = Math.max(1, Math.floor(options.capacity ?? DEFAULT_SEEN_IDS_CAPACITY));
		this.ttlMs = Math.max(0, options.ttlMs ?? DEFAULT_SEEN_IDS_TTL_MS);
	}

	/** Rebuilds from static data; anything malformed is skipped rather than trusted. */
	static fromJSON(state: unknown, options: SeenIdsOptions = {}): SeenIds {
		const memory = new SeenIds(options);
		const entries = (state as Partial<SeenIdsState> | undefined)?.entries;
		if (!Array.isArray(entries)) return memory;
		const valid = entries
			.filter(
				(entry): entry is [string, number] =>
					Array.isArray(entry) && typeof entry[0] === 'string' && entry[0] !== '' && Number.isFinite(entry[1]),
			)
			.sort((a, b) => a[1] - b[1]);
		for (const [id, seenAt] of valid) {
			if (!memory.entries.has(id)) memory.entries.set(id, seenAt);
		}
		memory.trimToCapacity();
		return memory;
	}

	get size(): number {
		return this.entries.size;
	}

	/** Forgets ids older than the TTL. */
	prune(nowMs: number): void {
		const cutoff = nowMs - this.ttlMs;
		for (const [id, seenAt] of this.entries) {
			// Entries are in first-seen order, so the first young one ends the sweep.
			if (seenAt >= cutoff) break;
			this.entries.delete(id);
		}
	}

	has(id: string, nowMs: number): boolean {
		this.prune(nowMs);
		return this.entries.has(id);
	}

	/** Remembers an id; keeps its first-seen time when it is already known. */
	add(id: string, nowMs: number): void {
		this.prune(nowMs);
		if (this.entries.has(id)) return;
		this.entries.set(id, nowMs);
		this.trimToCapacity();
	}

	clear(): void {
		this.entries.clear();
	}

	/** Forgets one id, so a delivery we could not handle is let through when it comes again. */
	forget(id: string): void {
		this.entries.delete(id);
	}

	/** True when the id is new (and remembers it); false when it was seen within the bound. */
	checkAndRemember(id: string, nowMs: number): boolean {
		if (this.has(id, nowMs)) return false;
		this.add(id, nowMs);
		return true;
	}

	toJSON(): SeenIdsState {
		return { version: 1, entries: [...this.entries.entries()] };
	}

	private trimToCapacity(): void {
		while (this.entries.size > this.capacity) {
			const oldest = this.entries.keys().next().value as string;
			this.entries.delete(oldest);
		}
	}
}
