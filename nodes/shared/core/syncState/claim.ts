/**
 * Exactly one counterpart per record, even when several executions see the same new record at
 * once (a created and an updated event, a retry, two workers). Before creating, an execution
 * inserts a `creating` row for the source id; the oldest live row for that id (lowest row id)
 * wins, every other claimant removes its own row and waits for the winner's link. A claim whose
 * owner died is ignored once it is older than `staleAfterMs`.
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
	const after = live(await store.find(options.entity, options.side, options.id), options.now, stale);
	const linked = linkedRow(after);
	const first = linked ?? after[0];
	if (!first || first.rowId === mine.rowId) return { kind: 'won', claim: mine };
	await store.remove(mine.rowId);
	return linked ? { kind: 'linked', link: linked } : { kind: 'lost', holder: first };
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
