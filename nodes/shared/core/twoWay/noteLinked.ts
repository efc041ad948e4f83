/**
 * A Pipedrive note that already has its Propstreet note: an edit revises that note (supersede with
 * If-Match), a delete archives it. Both run while holding the link's row (see `lease.ts`), so two
 * deliveries of one note never write over each other, and both decide with the one merge model:
 * the text is one merge group, compared with the baseline of the last sync, so a Propstreet user's
 * edit since then is never overwritten without the conflict rule saying so.
 */
import type { Side } from '../merge/policy';
import { mergeFields, type Baseline, type FieldDecision } from '../merge/threeWay';
import { isoTime, type JsonRecord } from '../mapping/common';
import type { LinkState } from '../syncState/link';
import { acquireLease, releaseLease, type LeaseRun } from './lease';
import type { NoteRun, PropstreetNote } from './notePorts';
import { decodeNoteRef, encodeNoteRef, headOf, type NoteRef } from './noteTarget';
import { NOTE_CONTENT, draftText, noteDraft, textSignature } from './noteText';
import type { RunOutcome } from './ports';

export const MAX_NOTE_PASSES = 4;

export function noteOutcome(ids: { pipedriveId: string | null; propstreetId: string | null }, action: RunOutcome['action'], reason: string, warn = false): RunOutcome {
	return { action, entity: 'note', pipedriveId: ids.pipedriveId, propstreetId: ids.propstreetId, written: { pipedrive: {}, propstreet: {} }, decisions: [], review: [], warnings: warn ? [reason] : [], reason };
}

export function leaseRunOf(run: NoteRun): LeaseRun {
	return { owner: run.owner, now: run.now, store: run.store, wait: run.wait, spec: { entity: 'note' } };
}

/** Pipedrive's side of the stored baseline says this version (or a newer one) was already synced. */
export function alreadySynced(link: LinkState, note: JsonRecord, text: string | null): string | null {
	const base = link.baseline;
	if (!base) return null;
	if (text !== null && base.pipedrive[NOTE_CONTENT] === textSignature(text)) return 'The note text is as last synced (an echo, a duplicate delivery, or an edit of something other than the text)';
	const seen = isoTime(base.at?.pipedrive);
	const mine = isoTime(note.update_time);
	if (seen && mine && Date.parse(mine) < Date.parse(seen)) return 'A late delivery: a newer version of this note was already synced';
	return null;
}

function baselineOf(pipedriveText: string, propstreet: PropstreetNote, pipedriveAt: string | null): Baseline {
	return {
		pipedrive: { [NOTE_CONTENT]: textSignature(pipedriveText) },
		propstreet: { [NOTE_CONTENT]: textSignature(propstreet.text) },
		at: { pipedrive: pipedriveAt, propstreet: propstreet.at },
	};
}

/** The one merge decision for the note's text (the same rule every entity uses). */
function decideText(run: NoteRun, link: LinkState, text: string, pipedriveAt: string | null, current: PropstreetNote): FieldDecision {
	const field = { field: NOTE_CONTENT, pipedrive: textSignature(text), propstreet: textSignature(current.text), agree: text === current.text };
	const times: Record<Side, string | null> = { pipedrive: pipedriveAt, propstreet: current.at };
	return mergeFields({ fields: [field], baseline: link.baseline, rules: run.rules, times, eventSide: 'pipedrive' }).decisions[0];
}

async function currentNote(run: NoteRun, ref: NoteRef): Promise<{ head: PropstreetNote; all: PropstreetNote[] } | null> {
	const all = await run.port.listNotes(ref);
	const head = all ? headOf(all, ref.noteId) : null;
	return all && head ? { head, all } : null;
}

async function unlinkNote(run: NoteRun, link: LinkState, reason: string): Promise<RunOutcome> {
	await run.store.update(link.rowId, link.version, { status: 'unlinked', owner: null });
	return noteOutcome(link, 'unlinked', reason, true);
}

/** Runs `body` holding the link's row; a failure gives the row back at once. */
async function holding(run: NoteRun, start: LinkState, body: (held: LinkState) => Promise<RunOutcome>): Promise<RunOutcome> {
	const held = await acquireLease(leaseRunOf(run), start);
	if (!held) return noteOutcome(start, 'skipped', 'The link was removed by another execution while this one waited');
	let finished = false;
	try {
		const out = await body(held);
		finished = true;
		return out;
	} finally {
		if (!finished) await releaseLease(leaseRunOf(run), held).catch(() => undefined);
	}
}

/** Stores the row (baseline, maybe a new note id) and gives it back; a lost row says so. */
async function store(run: NoteRun, held: LinkState, changes: Partial<LinkState>): Promise<LinkState> {
	const stored = await run.store.update(held.rowId, held.version, { ...changes, status: changes.status ?? 'linked', owner: null });
	if (!stored) throw new Error(`note ${held.pipedriveId} ⇄ ${held.propstreetId}: another execution took the link over while this one ran; the next delivery finishes the sync`);
	return stored;
}

/**
 * Pipedrive times are whole seconds: a delivery stamped with the same second as the synced version
 * may be older or newer, so the note is read again (as the contact sync does).
 */
async function freshest(run: NoteRun, held: LinkState, note: JsonRecord): Promise<JsonRecord> {
	const seen = isoTime(held.baseline?.at?.pipedrive);
	if (!seen || seen !== isoTime(note.update_time)) return note;
	return (await run.port.readPipedriveNote(String(held.pipedriveId))) ?? note;
}

/** A Pipedrive edit of a linked note. */
export async function editLinkedNote(run: NoteRun, start: LinkState, delivered: JsonRecord): Promise<RunOutcome> {
	return holding(run, start, async (held) => {
		const ref = decodeNoteRef(held.propstreetId);
		if (!ref) return unlinkNote(run, held, `The stored Propstreet note id "${held.propstreetId}" is not <kind>/<record id>/<note id>; the link was removed`);
		const note = await freshest(run, held, delivered);
		const draft = noteDraft(note, ref, run.config);
		const text = draftText(draft);
		const done = alreadySynced(held, note, text);
		if (done || text === null) {
			await releaseLease(leaseRunOf(run), held);
			return noteOutcome(held, 'unchanged', done ?? 'The note is empty after removing HTML; the Propstreet note was left as it is');
		}
		const out = await reviseUntilSettled(run, held, ref, text, isoTime(note.update_time));
		out.warnings.push(...draft.warnings.map((w) => `${w.field}: ${w.message}`));
		return out;
	});
}

async function reviseUntilSettled(run: NoteRun, held: LinkState, ref: NoteRef, text: string, pipedriveAt: string | null): Promise<RunOutcome> {
	for (let pass = 0; pass < MAX_NOTE_PASSES; pass++) {
		const current = await currentNote(run, ref);
		if (!current) return unlinkNote(run, held, `The Propstreet note ${held.propstreetId} (or its ${ref.kind}) no longer exists; the link was removed and nothing was written`);
		const { head } = current;
		const at = { ...ref, noteId: head.id };
		if (head.archived) {
			const kept = await store(run, held, { propstreetId: encodeNoteRef(ref, head.id) });
			return noteOutcome(kept, 'skipped', `The Propstreet note was archived in Propstreet; the Pipedrive edit was not applied (the sync does not bring an archived note back)`, true);
		}
		const decision = decideText(run, held, text, pipedriveAt, head);
		if (decision.action === 'review') {
			const kept = await store(run, held, { propstreetId: encodeNoteRef(ref, head.id) });
			const out = noteOutcome(kept, 'unchanged', 'The note text changed in both Pipedrive and Propstreet; left for review, nothing written');
			out.decisions = [decision];
			out.review = [{ field: NOTE_CONTENT, reason: decision.reason, pipedriveValue: text, propstreetValue: head.text }];
			return out;
		}
		if (decision.action !== 'toPropstreet') return settled(run, held, at, text, pipedriveAt, head, decision);
		const result = await run.port.reviseNote(ref, head.id, text, head.etag);
		if (result === 'preconditionFailed') continue; // changed meanwhile: read and decide again
		if (result === 'gone') return unlinkNote(run, held, `The Propstreet note ${encodeNoteRef(ref, head.id)} was removed while it was being revised; the link was removed`);
		const after = await currentNote(run, at);
		if (!after) throw new Error(`The Propstreet note ${encodeNoteRef(ref, head.id)} was revised but its new revision could not be read; the next delivery will finish the sync`);
		const stored = await store(run, held, { propstreetId: encodeNoteRef(ref, after.head.id), baseline: baselineOf(text, after.head, pipedriveAt) });
		const out = noteOutcome(stored, 'updated', `The Propstreet note was revised (${head.id} → ${after.head.id})`);
		out.written.propstreet = { action: 'supersede', supersede: { message: text } };
		out.decisions = [decision];
		return out;
	}
	throw new Error(`note ${held.pipedriveId} ⇄ ${held.propstreetId}: the Propstreet note kept changing during ${MAX_NOTE_PASSES} attempts; the next delivery will finish the sync`);
}

/** Nothing to write to Propstreet: agreed, or Propstreet's newer text kept (notes do not flow back to Pipedrive). */
async function settled(run: NoteRun, held: LinkState, at: NoteRef, text: string, pipedriveAt: string | null, head: PropstreetNote, decision: FieldDecision): Promise<RunOutcome> {
	const stored = await store(run, held, { propstreetId: encodeNoteRef(at, head.id), baseline: baselineOf(text, head, pipedriveAt) });
	const keptPropstreet = decision.action === 'toPipedrive';
	const reason = keptPropstreet ? `Propstreet's text of the note was kept (${decision.reason}); notes are not written back to Pipedrive` : 'The Propstreet note already has this text';
	const out = noteOutcome(stored, 'unchanged', reason, keptPropstreet);
	out.decisions = [decision];
	return out;
}

/**
 * A Pipedrive note delete: the Propstreet note is archived (hidden, and restorable in Propstreet),
 * unless a Propstreet user changed it since the last sync (then it is kept, with a warning). The
 * link is removed either way. Nothing is read from the deleted note but its id.
 */
export async function deleteLinkedNote(run: NoteRun, start: LinkState): Promise<RunOutcome> {
	return holding(run, start, async (held) => {
		const ref = decodeNoteRef(held.propstreetId);
		for (let pass = 0; ref && pass < MAX_NOTE_PASSES; pass++) {
			const current = await currentNote(run, ref);
			if (!current || current.head.archived) return unlinkNote(run, held, 'The Pipedrive note was deleted; its Propstreet note was already gone or archived; the link was removed');
			const { head } = current;
			const base = held.baseline?.propstreet[NOTE_CONTENT];
			if (base === undefined || base !== textSignature(head.text)) {
				return unlinkNote(run, held, `The Pipedrive note was deleted, but its Propstreet note ${encodeNoteRef(ref, head.id)} was edited in Propstreet since the last sync (or has no stored state), so it was kept; the link was removed`);
			}
			const result = await run.port.archiveNote(ref, head.id, head.etag);
			if (result === 'preconditionFailed') continue;
			const out = await unlinkNote(run, held, `The Pipedrive note was deleted; its Propstreet note ${encodeNoteRef(ref, head.id)} was archived (restorable in Propstreet) and the link removed`);
			out.warnings = [];
			if (result === 'ok') out.written.propstreet = { action: 'archive' };
			return out;
		}
		if (!ref) return unlinkNote(run, held, `The stored Propstreet note id "${held.propstreetId}" is not <kind>/<record id>/<note id>; the link was removed`);
		throw new Error(`note ${held.pipedriveId} ⇄ ${held.propstreetId}: the Propstreet note kept changing during ${MAX_NOTE_PASSES} attempts to archive it; the next delivery will retry`);
	});
}
