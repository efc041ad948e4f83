/**
 * Deletes and merges. The sync never deletes on the other side: a record deleted on one side
 * loses its link and its counterpart stays (an entity may first write a last change to it, see
 * `EntitySpec.deletePatch`: a project deleted in Propstreet marks its deal lost).
 *
 * A Pipedrive merge (Webhooks v2: a `delete` of the removed record with `merged_to_id`, and a
 * `change` of the survivor with `merged_from_id`, in either order) moves the link to the survivor
 * when the survivor has no counterpart of its own, whichever of the two events comes first; when it
 * has one, the removed record's counterpart is left for a person to merge (a warning says which).
 */
import { otherSide, type Side } from '../merge/policy';
import { linkedRow } from '../syncState/claim';
import type { LinkState } from '../syncState/link';
import { idOnSide } from '../syncState/link';
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

/** What a delete of a record does to its link, in words (the engine's own, which the Cloud edition also runs). */
export const deleteReasons = {
	notLinked: (entity: string, side: Side, id: string) => `The deleted ${side} ${entity} ${id} was not linked; nothing to do`,
	unlinked: (entity: string, side: Side, id: string, otherId: string | null) =>
		`${side} ${entity} ${id} was deleted; its ${otherSide(side)} counterpart ${otherId} was kept (the sync never deletes) and the link removed`,
};

export async function syncDelete(run: TwoWayRun, event: SideEvent, id: string): Promise<RunOutcome> {
	const link = linkedRow(await run.store.find(run.spec.entity, event.side, id));
	const blank = { pipedriveId: event.side === 'pipedrive' ? id : null, propstreetId: event.side === 'propstreet' ? id : null };
	if (!link) return emptyOutcome(run, blank, 'skipped', deleteReasons.notLinked(run.spec.entity, event.side, id));
	const survivor = event.side === 'pipedrive' && event.mergedToId ? String(event.mergedToId) : null;
	if (!survivor) {
		const written = await writeDeletePatch(run, event, link);
		const other = otherSide(event.side);
		const out = await unlink(run, link, deleteReasons.unlinked(run.spec.entity, event.side, id, idOnSide(link, other)));
		if (written) out.written[other] = written;
		return out;
	}
	const moved = await takeOverMergedLink(run, id, survivor);
	if (!moved) return emptyOutcome(run, link, 'skipped', `Pipedrive merged ${id} into ${survivor}; the link was already handled by the survivor's event`);
	if (moved.duplicate || !moved.link) {
		const out = emptyOutcome(run, link, 'unlinked', moved.note);
		out.warnings.push(moved.note);
		return out;
	}
	return withMergeNote(await syncPair(run, moved.link, 'pipedrive', {}), moved);
}

/** The spec's last change to the counterpart of a deleted record (if any), written before unlinking. */
async function writeDeletePatch(run: TwoWayRun, event: SideEvent, link: LinkState): Promise<Record<string, unknown> | null> {
	const other = otherSide(event.side);
	const otherId = idOnSide(link, other);
	if (!run.spec.deletePatch || !otherId) return null;
	const counterpart = await run.sides[other].get(otherId);
	if (!counterpart || run.spec.isDeleted(other, counterpart.record)) return null;
	const patch = run.spec.deletePatch(event.side, counterpart.record, run.config);
	if (!patch || !Object.keys(patch).length) return null;
	const result = await run.sides[other].update(otherId, patch, counterpart.etag);
	return result.ok ? patch : null;
}

export interface MovedLink {
	/** The link the survivor now has (null for a duplicate whose survivor has no row of its own). */
	link: LinkState | null;
	note: string;
	/** The survivor had a counterpart of its own: the removed record's counterpart is now a duplicate. */
	duplicate: boolean;
}

/**
 * Moves the link of the Pipedrive record `removedId` to `survivorId` after a merge. Null when there
 * is nothing to move (never linked, or already moved by the merge's other event). When the survivor
 * has a counterpart of its own (its row, or the id it stores), the removed record's link is dropped.
 */
export async function takeOverMergedLink(run: TwoWayRun, removedId: string, survivorId: string): Promise<MovedLink | null> {
	for (let attempt = 0; attempt < 3; attempt++) {
		const removed = linkedRow(await run.store.find(run.spec.entity, 'pipedrive', removedId));
		if (!removed) return null;
		const survivorCounterpart = await counterpartOfSurvivor(run, survivorId);
		if (survivorCounterpart && survivorCounterpart !== removed.propstreetId) {
			await unlink(run, removed, '');
			const note = `Pipedrive merged ${removedId} into ${survivorId}, which already has Propstreet ${run.spec.entity} ${survivorCounterpart}; Propstreet ${run.spec.entity} ${removed.propstreetId} is now a duplicate to merge in Propstreet`;
			return { link: linkedRow(await run.store.find(run.spec.entity, 'pipedrive', survivorId)) ?? null, note, duplicate: true };
		}
		// The baseline stays: Propstreet's side did not change, so the survivor's differing values flow
		// there (Pipedrive's merge already chose them); only the removed record's update time is dropped.
		const baseline = removed.baseline ? { ...removed.baseline, at: { propstreet: removed.baseline.at?.propstreet ?? null } } : null;
		const moved = await run.store.update(removed.rowId, removed.version, { pipedriveId: survivorId, baseline });
		if (moved) return { link: moved, note: `Pipedrive merged ${removedId} into ${survivorId}; the link moved to the survivor`, duplicate: false };
		// Another execution changed the row meanwhile (the merge's other event): look again.
	}
	throw new Error(`The link of Pipedrive ${run.spec.entity} ${removedId} kept changing while it was being moved to ${survivorId}; the next event will retry`);
}

/** The survivor's sync outcome, told as the merge it was. */
export function withMergeNote(out: RunOutcome, moved: MovedLink): RunOutcome {
	if (moved.duplicate) return { ...out, warnings: [...out.warnings, moved.note] };
	return { ...out, action: out.action === 'unlinked' ? out.action : 'relinked', reason: moved.note };
}
