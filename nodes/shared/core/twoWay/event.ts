/**
 * One event from one side (a Pipedrive webhook, a Propstreet delivery, a polled record) → the
 * two-way sync of that record. An echo of our own write, or an edit of fields the sync does not
 * carry, is recognised from the stored baseline and costs no API call. An unlinked record is first
 * matched to an existing counterpart; only when none exists is one created, by exactly one
 * execution (see `syncState/claim.ts`).
 */
import { otherSide, timeOf, type Side } from '../merge/policy';
import { idOf, isRecord, type JsonRecord } from '../mapping/common';
import { awaitLink, claimCreation, linkedRow } from '../syncState/claim';
import type { LinkState } from '../syncState/link';
import { syncDelete, takeOverMergedLink, withMergeNote } from './lifecycle';
import { contextFor, emptyOutcome, syncPair } from './pair';
import { signaturesOf } from './plan';
import type { RunOutcome, SideRecord, TwoWayRun } from './ports';

export interface SideEvent {
	side: Side;
	record: JsonRecord;
	action: 'create' | 'change' | 'delete';
	/** Pipedrive merge: the id of the record this one was merged into. */
	mergedToId?: string | null;
	/** Pipedrive merge: on the survivor's change event, the id of the record merged into it. */
	mergedFromId?: string | null;
	/** Pipedrive Webhooks v2 `previous`: the changed fields' old values. */
	previous?: JsonRecord | null;
}

/**
 * For a link without a stored baseline: which groups this Pipedrive event changed, read from
 * `previous`, as event-side signatures of the state before the change. Those groups then count as
 * changed in Pipedrive only, instead of being decided by record times.
 */
function previousSignatures(run: TwoWayRun, event: SideEvent): Record<string, string> | undefined {
	if (event.side !== 'pipedrive' || !event.previous || !Object.keys(event.previous).length) return undefined;
	const custom = { ...(isRecord(event.record.custom_fields) ? event.record.custom_fields : {}), ...(isRecord(event.previous.custom_fields) ? event.previous.custom_fields : {}) };
	const before = signaturesOf(run.spec, 'pipedrive', { ...event.record, ...event.previous, custom_fields: custom }, run.config, run.ctx);
	const now = signaturesOf(run.spec, 'pipedrive', event.record, run.config, run.ctx);
	const changed = Object.keys(now).filter((group) => before[group] !== now[group]);
	return changed.length ? Object.fromEntries(changed.map((group) => [group, before[group]])) : undefined;
}

/** The event carries nothing the sync has not already stored as the baseline (shared with the Cloud edition). */
export function isEcho(run: Pick<TwoWayRun, 'spec' | 'config' | 'ctx'>, link: Pick<LinkState, 'baseline'>, event: SideEvent): boolean {
	if (!link.baseline) return false;
	const now = signaturesOf(run.spec, event.side, event.record, run.config, run.ctx);
	const base = link.baseline[event.side];
	const carried = Object.keys(now);
	return carried.length > 0 && carried.every((group) => base[group] === now[group]);
}

async function linkedFor(run: TwoWayRun, side: Side, id: string): Promise<LinkState | undefined> {
	return linkedRow(await run.store.find(run.spec.entity, side, id));
}

export async function syncEvent(run: TwoWayRun, event: SideEvent): Promise<RunOutcome> {
	const id = idOf(event.record.id);
	if (!id) throw new Error(`The ${event.side} ${run.spec.entity} has no id`);
	if (event.action === 'delete' || run.spec.isDeleted(event.side, event.record)) return syncDelete(run, event, id);
	if (run.inScope && !run.inScope(event.side, event.record)) {
		const ids = { pipedriveId: event.side === 'pipedrive' ? id : null, propstreetId: event.side === 'propstreet' ? id : null };
		return emptyOutcome(run, ids, 'skipped', `The ${event.side} ${run.spec.entity} ${id} is outside the sync's scope (filter); nothing was read or written`);
	}
	if (event.side === 'pipedrive' && event.mergedFromId) {
		const moved = await takeOverMergedLink(run, String(event.mergedFromId), id);
		if (moved?.link && !moved.duplicate) return withMergeNote(await syncPair(run, moved.link, 'pipedrive', { pipedrive: { record: event.record } }), moved);
		// A duplicate: the removed record's link is gone; the survivor syncs as it would have.
		if (moved) return withMergeNote(await syncRecord(run, event, id), moved);
	}
	return syncRecord(run, event, id);
}

/** A record's own sync: its link's (echo, late delivery, changes) or, unlinked, a match or a create. */
async function syncRecord(run: TwoWayRun, event: SideEvent, id: string): Promise<RunOutcome> {
	const link = await linkedFor(run, event.side, id);
	if (link && event.side === 'propstreet' && !namesItsCounterpart(run, link, event)) {
		// The Propstreet record (read fresh by the trigger or a list) lacks, or has another, stored id
		// of its counterpart, e.g. the pair was linked from the other side and that write was lost: no
		// shortcut; a pass over both sides as they are now writes it. A Pipedrive webhook carries a
		// snapshot that may predate our own id write (a re-delivery), so it is not judged by this.
		return syncPair(run, link, event.side, {});
	}
	if (link) {
		if (isEcho(run, link, event)) {
			return emptyOutcome(run, link, 'unchanged', 'Nothing the sync carries changed since the last sync (an echo of our own write, or an edit of other fields)');
		}
		const age = deliveryAge(run, link, event);
		if (age === 'older') {
			return emptyOutcome(run, link, 'unchanged', 'A late delivery: a newer version of this record was already synced');
		}
		// Same update time as the last sync (Pipedrive counts whole seconds): read it again to be sure.
		return syncPair(run, link, event.side, age === 'newer' ? { [event.side]: { record: event.record } } : {}, link.baseline ? undefined : previousSignatures(run, event));
	}
	return syncUnlinked(run, event, id);
}

/** Whether the event's record stores the id of the counterpart it is linked to. */
function namesItsCounterpart(run: TwoWayRun, link: LinkState, event: SideEvent): boolean {
	const linkedTo = event.side === 'pipedrive' ? link.propstreetId : link.pipedriveId;
	return !linkedTo || run.spec.counterpartId(event.side, event.record, run.config, run.ctx) === linkedTo;
}

/** How the event's record compares in time with the version the last sync saw. */
export function deliveryAge(run: Pick<TwoWayRun, 'spec'>, link: Pick<LinkState, 'baseline'>, event: SideEvent): 'older' | 'same' | 'newer' {
	const seen = timeOf(link.baseline?.at?.[event.side]);
	const mine = timeOf(run.spec.updatedAt(event.side, event.record));
	if (seen === null || mine === null) return 'newer';
	return mine < seen ? 'older' : mine === seen ? 'same' : 'newer';
}

/** The counterpart the record names (its stored id), else the one the other side finds for it. */
async function findCounterpart(run: TwoWayRun, event: SideEvent, id: string): Promise<SideRecord | null> {
	const other = otherSide(event.side);
	const named = run.spec.counterpartId(event.side, event.record, run.config, run.ctx);
	if (named) {
		const found = await run.sides[other].get(named);
		if (found && !run.spec.isDeleted(other, found.record)) return found;
	}
	const found = await run.sides[other].findCounterpart(event.record, id);
	return found && !run.spec.isDeleted(other, found.record) ? found : null;
}

async function syncUnlinked(run: TwoWayRun, event: SideEvent, id: string): Promise<RunOutcome> {
	const other = otherSide(event.side);
	const ids = { pipedriveId: event.side === 'pipedrive' ? id : null, propstreetId: event.side === 'propstreet' ? id : null };
	if (run.newRecordScope && !run.newRecordScope(event.side, event.record)) {
		return emptyOutcome(run, ids, 'skipped', `The unlinked ${event.side} ${run.spec.entity} ${id} is outside what the sync links or creates (e.g. another pipeline); nothing was read or written`);
	}
	if ((await run.store.find(run.spec.entity, event.side, id)).some((r) => r.status === 'unlinked')) {
		// Its counterpart was deleted or merged away before: the sync neither brings it back nor
		// ties the record to another one (after a merge it is a duplicate for a person to merge).
		return emptyOutcome(run, ids, 'skipped', `This ${event.side} ${run.spec.entity} was linked before and its ${other} counterpart was deleted or merged away; it is not linked or created again (remove its row from the sync state to allow that)`);
	}
	const counterpart = await findCounterpart(run, event, id);
	const otherId = counterpart ? idOf(counterpart.record.id) : undefined;
	if (counterpart && otherId) return linkExisting(run, event, id, counterpart, otherId);
	if (!run.createOn[other]) return emptyOutcome(run, ids, 'skipped', `No ${other} counterpart exists and creating one is off`);
	if (run.createScope && !run.createScope(event.side, event.record)) {
		return emptyOutcome(run, ids, 'skipped', `No ${other} counterpart exists and this ${event.side} ${run.spec.entity} does not get one in its state (e.g. a lost deal whose project would be deleted)`);
	}
	const claim = await claimCreation(run.store, { entity: run.spec.entity, side: event.side, id, owner: run.owner, now: run.now(), wait: run.wait });
	if (claim.kind !== 'won') {
		const link = claim.kind === 'linked' ? claim.link : await awaitLink(run.store, { entity: run.spec.entity, side: event.side, id }, run.wait);
		if (!link) throw new Error(`Another execution was creating the ${other} counterpart of ${event.side} ${run.spec.entity} ${id} and did not finish; the next event or the backfill will retry`);
		return syncPair(run, link, event.side, { [event.side]: { record: event.record } });
	}
	const made = await createOrGiveBack(run, event, id, claim.claim);
	const madeId = idOf(made.record.id) as string;
	const linked = await run.store.update(claim.claim.rowId, claim.claim.version, {
		status: 'linked',
		owner: null,
		pipedriveId: event.side === 'pipedrive' ? id : madeId,
		propstreetId: event.side === 'propstreet' ? id : madeId,
	});
	if (!linked) throw new Error(`The creation claim for ${event.side} ${run.spec.entity} ${id} was taken over while it ran`);
	// A counterpart just made from the event's record holds what was mapped (or less: a project starts
	// as draft): every group counts as changed on the event side, so nothing flows back from the new record.
	const fromEvent = made.existed ? undefined : allGroupsChanged(run);
	const out = await syncPair(run, linked, event.side, { [event.side]: { record: event.record }, [other]: made }, fromEvent);
	return made.existed ? { ...out, reason: `Linked to the existing ${other} ${run.spec.entity} ${madeId}, matched by ${other === 'propstreet' ? 'e-mail' : 'its id'}` } : { ...out, action: 'created', reason: `Created the ${other} counterpart ${madeId}` };
}

/**
 * Links a record to the counterpart found for it. A creator's claim on either id is waited for
 * first; then the pair is claimed on its Propstreet id, whichever side's event found it, so two
 * executions that discover the same pair from both sides at once still store one link.
 */
async function linkExisting(run: TwoWayRun, event: SideEvent, id: string, counterpart: SideRecord, otherId: string): Promise<RunOutcome> {
	const other = otherSide(event.side);
	const known = { [event.side]: { record: event.record }, [other]: counterpart };
	const named = run.spec.counterpartId(other, counterpart.record, run.config, run.ctx);
	const theirs = named && named !== id ? await livingCounterpartOf(run, event.side, named) : undefined;
	if (theirs) {
		const out = emptyOutcome(run, { pipedriveId: event.side === 'pipedrive' ? id : otherId, propstreetId: event.side === 'propstreet' ? id : otherId }, 'skipped', `The matching ${other} ${run.spec.entity} ${otherId} is already linked to ${event.side} ${run.spec.entity} ${theirs}; not linked twice (merge the duplicates, then the next change links them)`);
		out.warnings.push(out.reason);
		return out;
	}
	for (const [side, sideId] of [[other, otherId], [event.side, id]] as Array<[Side, string]>) {
		const link = await awaitLink(run.store, { entity: run.spec.entity, side, id: sideId }, run.wait);
		if (link) return syncExistingLink(run, event, id, link);
	}
	const pair = { pipedriveId: event.side === 'pipedrive' ? id : otherId, propstreetId: event.side === 'propstreet' ? id : otherId };
	const claim = await claimCreation(run.store, { entity: run.spec.entity, side: 'propstreet', id: pair.propstreetId, owner: run.owner, now: run.now(), wait: run.wait });
	if (claim.kind === 'linked') return syncExistingLink(run, event, id, claim.link);
	if (claim.kind === 'lost') {
		const link = await awaitLink(run.store, { entity: run.spec.entity, side: 'propstreet', id: pair.propstreetId }, run.wait);
		if (!link) throw new Error(`Another execution was linking ${run.spec.entity} ${pair.pipedriveId} ⇄ ${pair.propstreetId} and did not finish; the next event or the backfill will retry`);
		return syncExistingLink(run, event, id, link);
	}
	const linked = await run.store.update(claim.claim.rowId, claim.claim.version, { ...pair, status: 'linked', owner: null });
	if (!linked) throw new Error(`The claim on ${run.spec.entity} ${pair.pipedriveId} ⇄ ${pair.propstreetId} was taken over while it ran`);
	if (isCopyOf(run, event, otherId)) {
		// Made from its counterpart (by this sync, the backfill or an import) and not yet linked: the
		// counterpart is the source for every group. The delivered copy may predate the creator's
		// follow-up writes (a project starts as draft), so this side is read fresh instead.
		return syncPair(run, linked, other, { [other]: counterpart }, allGroupsChanged(run));
	}
	return syncPair(run, linked, event.side, known);
}

/** A create event of a record that already names its counterpart: a copy of that record. */
export function isCopyOf(run: Pick<TwoWayRun, 'spec' | 'config' | 'ctx'>, event: SideEvent, otherId: string): boolean {
	return event.action === 'create' && run.spec.counterpartId(event.side, event.record, run.config, run.ctx) === otherId;
}

/** Signatures that count every group as changed on the side they stand for (see `assumedBaseline`). */
export function allGroupsChanged(run: Pick<TwoWayRun, 'spec'>): Record<string, string> {
	return Object.fromEntries(run.spec.groups.map((group) => [group, '']));
}

/**
 * The record on `side` that a found counterpart already names, if it is still linked or still
 * exists; a name left behind by a deleted record does not block a new link.
 */
async function livingCounterpartOf(run: TwoWayRun, side: Side, named: string): Promise<string | undefined> {
	if (linkedRow(await run.store.find(run.spec.entity, side, named))) return named;
	const record = await run.sides[side].get(named);
	return record && !run.spec.isDeleted(side, record.record) ? named : undefined;
}

/** A link that already exists for the pair: synced, unless it ties the counterpart to another record. */
async function syncExistingLink(run: TwoWayRun, event: SideEvent, id: string, link: LinkState): Promise<RunOutcome> {
	const mine = event.side === 'pipedrive' ? link.pipedriveId : link.propstreetId;
	if (mine !== null && mine !== id) {
		const out = emptyOutcome(run, link, 'skipped', `Its ${otherSide(event.side)} counterpart is already linked to another ${event.side} record (${mine}); not linked twice`);
		out.warnings.push(out.reason);
		return out;
	}
	return syncPair(run, link, event.side, { [event.side]: { record: event.record } });
}

/** Creates the counterpart; a failed create gives its claim back at once, so others need not wait it out. */
async function createOrGiveBack(run: TwoWayRun, event: SideEvent, id: string, claim: LinkState): Promise<SideRecord> {
	let made: SideRecord | undefined;
	try {
		made = await createCounterpart(run, event, id);
		return made;
	} finally {
		if (!made) await run.store.remove(claim.rowId).catch(() => undefined);
	}
}

async function createCounterpart(run: TwoWayRun, event: SideEvent, id: string): Promise<SideRecord> {
	const other = otherSide(event.side);
	const ctx = await contextFor(run, { [event.side]: event.record });
	const draft = other === 'propstreet' ? run.spec.toPropstreet(event.record, null, run.config, ctx) : run.spec.toPipedrive(event.record, null, run.config, ctx);
	return run.sides[other].create(draft.body, { entity: run.spec.entity, side: event.side, id });
}
