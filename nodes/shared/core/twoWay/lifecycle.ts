/**
 * Deletes and merges. The sync never deletes on the other side: a record deleted on one side
 * loses its link and its counterpart stays as it is. A Pipedrive merge moves the link to the
 * survivor when the survivor has no counterpart of its own; when it has one, the removed record's
 * counterpart is left for a person to merge (a warning says which).
 */
import { otherSide } from '../merge/policy';
import { linkedRow } from '../syncState/claim';
import { emptyOutcome, syncPair, unlink } from './pair';
import type { RunOutcome, TwoWayRun } from './ports';
import type { SideEvent } from './event';

/**
 * The survivor's own Propstreet counterpart: from the store, else the id the survivor record itself
 * stores (a survivor outside the sync's scope has no row but may still be linked, e.g. by an import).
 */
async function counterpartOfSurvivor(run: TwoWayRun, survivor: string): Promise<string | undefined> {
	const row = linkedRow(await run.store.find(run.spec.entity, 'pipedrive', survivor));
	if (row?.propstreetId) return row.propstreetId;
	const record = await run.sides.pipedrive.get(survivor);
	return record ? run.spec.counterpartId('pipedrive', record.record, run.config, run.ctx) : undefined;
}

export async function syncDelete(run: TwoWayRun, event: SideEvent, id: string): Promise<RunOutcome> {
	const link = linkedRow(await run.store.find(run.spec.entity, event.side, id));
	const blank = { pipedriveId: event.side === 'pipedrive' ? id : null, propstreetId: event.side === 'propstreet' ? id : null };
	if (!link) return emptyOutcome(run, blank, 'skipped', `The deleted ${event.side} ${run.spec.entity} ${id} was not linked; nothing to do`);
	const survivor = event.side === 'pipedrive' && event.mergedToId ? String(event.mergedToId) : null;
	const other = otherSide(event.side);
	if (!survivor) {
		return unlink(run, link, `${event.side} ${run.spec.entity} ${id} was deleted; its ${other} counterpart ${link[other === 'pipedrive' ? 'pipedriveId' : 'propstreetId']} was kept (the sync never deletes) and the link removed`);
	}
	const survivorCounterpart = await counterpartOfSurvivor(run, survivor);
	if (survivorCounterpart && survivorCounterpart !== link.propstreetId) {
		return unlink(run, link, `Pipedrive merged ${id} into ${survivor}, which already has Propstreet ${run.spec.entity} ${survivorCounterpart}; Propstreet ${run.spec.entity} ${link.propstreetId} is now a duplicate to merge in Propstreet`);
	}
	const moved = await run.store.update(link.rowId, link.version, { pipedriveId: survivor, baseline: null });
	if (!moved) throw new Error(`The link of Pipedrive ${run.spec.entity} ${id} changed while it was being moved to ${survivor}; the next event will retry`);
	const out = await syncPair(run, moved, 'pipedrive', {});
	return { ...out, action: out.action === 'unlinked' ? out.action : 'relinked', reason: `Pipedrive merged ${id} into ${survivor}; the link moved to the survivor` };
}
