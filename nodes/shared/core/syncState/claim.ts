/**
 * Exactly one counterpart per record, even when several executions see the same new record at
 * once (a created and an updated event, a retry, two workers). Before creating, an execution
 * inserts a `creating` row for the source id; the oldest live row for that id (lowest row id)
 * wins, every other claimant removes its own row and waits for the winner's link. A claim whose
 * owner died is ignored once it is older than `staleAfterMs`. Where the store says inserts may
 * become visible late (several workers on Postgres), an apparent winner looks once more after
 * that delay, so a claimant whose lower row committed late is not overlooked.
 */
import type { Side } from '../merge/policy';
import type { LinkState, SyncEntity } from './link';
import type { SyncStateStore } from './store';

export const DEFAULT_CLAIM_STALE_MS = 10 * 60 * 1000;

export type ClaimResult =
	| { kind: 'linked'; link: LinkState }
	| { kind: 'won'; claim: LinkState }
	| { kind: 'lost'; holder: LinkState };

export interface ClaimOptions {
	entity: SyncEntity;
	side: Side;
	id: string;
	owner: string;
	now: Date;
	staleAfterMs?: number;
	/** The caller's timer (the core has none); needed only for stores with `insertVisibleWithinMs`. */
	wait?: (ms: number) => Promise<void>;
}

function live(rows: LinkState[], now: Date, staleAfterMs: number): LinkState[] {
	return rows.filter((r) => r.status === 'linked' || (r.status === 'creating' && now.getTime() - Date.parse(r.updatedAt) < staleAfterMs));
}

/** The row that links `id` to a counterpart, if any. */
export function linkedRow(rows: LinkState[]): LinkState | undefined {
	return rows.find((r) => r.status === 'linked');
}

export async function claimCreation(store: SyncStateStore, options: ClaimOptions): Promise<ClaimResult> {
	const stale = options.staleAfterMs ?? DEFAULT_CLAIM_STALE_MS;
	const before = await store.find(options.entity, options.side, options.id);
	const existing = linkedRow(before);
	if (existing) return { kind: 'linked', link: existing };
	const holder = live(before, options.now, stale)[0];
	if (holder && holder.owner !== options.owner) return { kind: 'lost', holder };
	if (holder) return { kind: 'won', claim: holder };

	const mine = await store.insert({
		entity: options.entity,
		pipedriveId: options.side === 'pipedrive' ? options.id : null,
		propstreetId: options.side === 'propstreet' ? options.id : null,
		status: 'creating',
		baseline: null,
		owner: options.owner,
	});
	let owner = await ownerOf(store, options, stale);
	const lag = store.insertVisibleWithinMs ?? 0;
	if ((!owner || owner.rowId === mine.rowId) && lag > 0 && options.wait) {
		await options.wait(lag);
		owner = await ownerOf(store, options, stale);
	}
	if (!owner || owner.rowId === mine.rowId) return { kind: 'won', claim: mine };
	await store.remove(mine.rowId);
	return owner.status === 'linked' ? { kind: 'linked', link: owner } : { kind: 'lost', holder: owner };
}

/** The live row that owns the id now: its link, else the oldest live claim. */
async function ownerOf(store: SyncStateStore, options: ClaimOptions, stale: number): Promise<LinkState | undefined> {
	const rows = live(await store.find(options.entity, options.side, options.id), options.now, stale);
	return linkedRow(rows) ?? rows[0];
}

/**
 * Waits (through the caller's `wait`, so the core stays free of timers) until the holder of a
 * claim has linked the record, or the claim is gone. Returns the link, or null when none came.
 */
export async function awaitLink(
	store: SyncStateStore,
	options: Pick<ClaimOptions, 'entity' | 'side' | 'id'>,
	wait: (ms: number) => Promise<void>,
	attempts = 20,
	intervalMs = 500,
): Promise<LinkState | null> {
	for (let i = 0; i < attempts; i++) {
		const rows = await store.find(options.entity, options.side, options.id);
		const link = linkedRow(rows);
		if (link) return link;
		if (!rows.some((r) => r.status === 'creating')) return null;
		await wait(intervalMs);
	}
	return null;
}
