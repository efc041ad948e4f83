/**
 * One execution at a time per linked pair. Two runs that decide from the same baseline but from
 * different snapshots (a webhook carries the record as it was when it was sent) could each write
 * what they saw, the older last. So a run first takes the pair's row (compare-and-set of its
 * version, with its own token as owner), does its reads and writes, and gives the row back with
 * the new baseline. Others wait for it; a holder that died is overtaken after `LEASE_STALE_MS`.
 */
import type { LinkState } from '../syncState/link';
import { linkedRow } from '../syncState/claim';
import type { TwoWayRun } from './ports';

export const LEASE_STALE_MS = 60_000;
export const LEASE_POLL_MS = 250;
export const LEASE_MAX_WAITS = 120;

/** What holding a row needs from a run (the two-way engine's run, or the note sync's). */
export type LeaseRun = Pick<TwoWayRun, 'owner' | 'now' | 'store' | 'wait'> & { spec: Pick<TwoWayRun['spec'], 'entity'> };

function heldByOther(run: LeaseRun, row: LinkState): boolean {
	return !!row.owner && row.owner !== run.owner && run.now().getTime() - Date.parse(row.updatedAt) < LEASE_STALE_MS;
}

/**
 * The row as it is now, found by its Propstreet id, else by its Pipedrive id: a merge can change
 * the Pipedrive id, and a note's revision its Propstreet id, while another execution holds it.
 */
async function fresh(run: LeaseRun, row: LinkState): Promise<LinkState | undefined> {
	const by = async (side: 'pipedrive' | 'propstreet', id: string | null) => (id ? linkedRow(await run.store.find(run.spec.entity, side, id)) : undefined);
	return (await by('propstreet', row.propstreetId)) ?? (await by('pipedrive', row.pipedriveId));
}

/** The row, now held by this run; null when the link disappeared meanwhile. */
export async function acquireLease(run: LeaseRun, start: LinkState): Promise<LinkState | null> {
	let row: LinkState | undefined = start;
	for (let waits = 0; row; ) {
		if (row.owner === run.owner) return row;
		if (heldByOther(run, row)) {
			if (++waits > LEASE_MAX_WAITS) throw new Error(`The ${run.spec.entity} ${row.pipedriveId} ⇄ ${row.propstreetId} stayed busy in another execution; the next event or the backfill will sync it`);
			await run.wait(LEASE_POLL_MS);
			row = await fresh(run, row);
			continue;
		}
		const taken = await run.store.update(row.rowId, row.version, { owner: run.owner });
		if (taken) return taken;
		row = await fresh(run, row);
	}
	return null;
}

/** Gives a held row back unchanged (after a failure, or when nothing needed writing). */
export async function releaseLease(run: LeaseRun, row: LinkState): Promise<void> {
	if (row.owner === run.owner) await run.store.update(row.rowId, row.version, { owner: null });
}
