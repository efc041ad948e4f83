/**
 * Pipedrive notes → Propstreet notes, one event at a time, with the link of each note in the sync
 * state store (entity `note`: Pipedrive note id ⇄ `<kind>/<record id>/<note id>`, and the baseline
 * of the text). A new note is created once, however many executions see it (creation claim +
 * Idempotency-Key); an edit revises the linked note; a delete archives it (see `noteLinked.ts`).
 *
 * Notes do not run through the two-way engine (`syncEvent`): they flow one way, Propstreet answers
 * a create with no id, and a revision gives the note a new id. The merge decision is the engine's
 * (`mergeFields` → `decideConflict`), applied to the one merge group a note has: its text.
 */
import { idOf, isoTime, type JsonRecord } from '../mapping/common';
import { awaitLink, claimCreation, linkedRow } from '../syncState/claim';
import type { LinkState } from '../syncState/link';
import type { SideEvent } from './event';
import { alreadySynced, deleteLinkedNote, editLinkedNote, noteOutcome } from './noteLinked';
import type { NoteRun, NoteTarget, PropstreetNote } from './notePorts';
import { decodeNoteRef, encodeNoteRef, resolveNoteTarget, type ResolvedTarget } from './noteTarget';
import { NOTE_CONTENT, draftText, noteDraft, textSignature } from './noteText';
import type { RunOutcome } from './ports';

function isDeletedNote(event: SideEvent): boolean {
	return event.action === 'delete' || event.record.active_flag === false || event.record.is_deleted === true;
}

export async function syncNoteEvent(run: NoteRun, event: SideEvent): Promise<RunOutcome> {
	const id = idOf(event.record.id);
	if (!id) throw new Error(`The ${event.side} note has no id`);
	const ids = { pipedriveId: event.side === 'pipedrive' ? id : null, propstreetId: event.side === 'propstreet' ? id : null };
	if (event.side !== 'pipedrive') return noteOutcome(ids, 'skipped', 'Notes are synced from Pipedrive to Propstreet only; a Propstreet note is not written to Pipedrive');
	const link = linkedRow(await run.store.find('note', 'pipedrive', id));
	if (isDeletedNote(event)) {
		const created = link ?? (await rememberDeleted(run, id));
		if (created) return deleteLinkedNote(run, created);
		return noteOutcome(ids, 'skipped', `The deleted Pipedrive note ${id} is not linked to a Propstreet note; nothing to do (a late delivery of its create adds nothing)`);
	}
	if (link) return editLinked(run, link, event.record);
	return createNote(run, event.record, id, event.previous ?? null);
}

/**
 * A delete that finds no link may have overtaken its create (deliveries come in any order, and run
 * at once): a create in progress is awaited and its note then archived; otherwise a tombstone row
 * keeps a late create from adding a note for a deleted one.
 */
async function rememberDeleted(run: NoteRun, id: string): Promise<LinkState | null> {
	const rows = await run.store.find('note', 'pipedrive', id);
	if (rows.some((r) => r.status === 'unlinked')) return null;
	const created = rows.length ? await awaitLink(run.store, { entity: 'note', side: 'pipedrive', id }, run.wait) : null;
	if (!created) await run.store.insert({ entity: 'note', pipedriveId: id, propstreetId: null, status: 'unlinked', baseline: null, owner: null });
	return created;
}

/** A linked note's edit; an echo or a repeat of what was synced stops here without any call. */
async function editLinked(run: NoteRun, link: LinkState, note: JsonRecord): Promise<RunOutcome> {
	const ref = decodeNoteRef(link.propstreetId);
	const done = ref ? alreadySynced(link, note, draftText(noteDraft(note, ref, run.config))) : null;
	return done ? noteOutcome(link, 'unchanged', done) : editLinkedNote(run, link, note);
}

async function createNote(run: NoteRun, note: JsonRecord, id: string, previous: JsonRecord | null): Promise<RunOutcome> {
	const ids = { pipedriveId: id, propstreetId: null };
	if ((await run.store.find('note', 'pipedrive', id)).some((r) => r.status === 'unlinked')) {
		return noteOutcome(ids, 'skipped', `Pipedrive note ${id} was deleted, or was linked before and its Propstreet note was removed or archived; it is not created (again; remove its row from the sync state to allow that)`);
	}
	const resolved = await resolveNoteTarget(note, run.config, run.store, run.port);
	if (!resolved) return noteOutcome(ids, 'skipped', 'The note is attached to no deal, person or organization that has a Propstreet counterpart; nothing was written', true);
	const draft = noteDraft(note, resolved.target, run.config);
	const text = draftText(draft);
	if (draft.skip || text === null) return noteOutcome(ids, 'skipped', draft.warnings.map((w) => w.message).join('; ') || 'Nothing to send');
	if (!run.createInPropstreet) return noteOutcome(ids, 'skipped', 'No Propstreet note is linked and creating in Propstreet is off');
	const claim = await claimCreation(run.store, { entity: 'note', side: 'pipedrive', id, owner: run.owner, now: run.now(), wait: run.wait });
	if (claim.kind !== 'won') {
		const link = claim.kind === 'linked' ? claim.link : await awaitLink(run.store, { entity: 'note', side: 'pipedrive', id }, run.wait);
		if (!link) throw new Error(`Another execution was creating the Propstreet note of Pipedrive note ${id} and did not finish; the next delivery will retry`);
		return editLinked(run, link, note);
	}
	// A delete may have run between the check above and the claim: its tombstone wins.
	if ((await run.store.find('note', 'pipedrive', id)).some((r) => r.status === 'unlinked')) {
		await run.store.remove(claim.claim.rowId).catch(() => undefined);
		return noteOutcome(ids, 'skipped', `Pipedrive note ${id} was deleted while this delivery ran; no note is added`);
	}
	// No link but the note may already be there (state lost or reset, or created by a run that died
	// before linking): a live, unlinked note with its text, or its text before this edit, is taken over.
	const before = typeof previous?.content === 'string' ? draftText(noteDraft({ ...note, content: previous.content }, resolved.target, run.config)) : null;
	const existing = await findUnlinkedNote(run, resolved.target, [text, before]);
	let linked: LinkState | null = null;
	let gone = false;
	try {
		const made = existing ?? (await createAndFind(run, resolved.target, draft.body, draft.extras?.idempotencyKey, text));
		gone = made === null;
		if (made) linked = await run.store.update(claim.claim.rowId, claim.claim.version, {
			status: 'linked',
			owner: null,
			propstreetId: encodeNoteRef(resolved.target, made.id),
			// A taken-over note counts as synced with its own text, so a differing Pipedrive text then flows as an edit.
			baseline: { pipedrive: { [NOTE_CONTENT]: textSignature(existing ? made.text : text) }, propstreet: { [NOTE_CONTENT]: textSignature(made.text) }, at: { pipedrive: existing ? null : isoTime(note.update_time), propstreet: made.at } },
		});
	} finally {
		if (!linked) await run.store.remove(claim.claim.rowId).catch(() => undefined);
	}
	// Deleted in Propstreet after its link was stored (the record sync unlinks it when that delete arrives).
	if (gone) return noteOutcome(ids, 'skipped', `The Propstreet ${resolved.target.kind} ${resolved.target.parentId} no longer exists; the note was written nowhere`, true);
	if (!linked) throw new Error(`The creation claim for Pipedrive note ${id} was taken over while it ran`);
	if (existing) {
		const out = existing.text === text ? noteOutcome(linked, 'relinked', 'An existing Propstreet note with this text was linked (no second note added)') : await editLinkedNote(run, linked, note);
		return { ...out, action: out.action === 'unchanged' ? 'relinked' : out.action, reason: `Linked the existing Propstreet note ${encodeNoteRef(resolved.target, existing.id)}; ${out.reason}` };
	}
	const out = noteOutcome(linked, 'created', createdReason(resolved));
	out.written.propstreet = draft.body;
	out.warnings = draft.warnings.map((w) => `${w.field}: ${w.message}`);
	return out;
}

function createdReason(resolved: ResolvedTarget): string {
	const how = resolved.foundBy === 'store' ? 'from the sync state' : "by its Pipedrive reference";
	return `Added to the Propstreet ${resolved.target.kind} ${resolved.target.parentId} (Pipedrive ${resolved.from} ${resolved.pipedriveId}, found ${how})`;
}

/**
 * Creates the note and finds it on the record's timeline (a create answers with no id): the newest
 * live revision with exactly this text that no other Pipedrive note is linked to. Null when the
 * record is gone.
 */
async function createAndFind(run: NoteRun, target: NoteTarget, body: JsonRecord, key: unknown, text: string): Promise<PropstreetNote | null> {
	if ((await run.port.createNote(target, body, typeof key === 'string' ? key : undefined)) === 'gone') return null;
	const found = await findUnlinkedNote(run, target, [text]);
	if (found) return found;
	throw new Error(`The note was added to the Propstreet ${target.kind} ${target.parentId} but was not found on its timeline; the next delivery links it (the Idempotency-Key keeps it from being added twice)`);
}

/** The newest live note on the record whose text is one of `texts` and that no Pipedrive note is linked to. */
async function findUnlinkedNote(run: NoteRun, target: NoteTarget, texts: Array<string | null>): Promise<PropstreetNote | null> {
	const wanted = texts.filter((t): t is string => !!t);
	const notes = (await run.port.listNotes(target)) ?? [];
	const replaced = new Set(notes.map((n) => n.supersedes).filter((s): s is string => !!s));
	const candidates = notes.filter((n) => wanted.includes(n.text) && !n.archived && !replaced.has(n.id)).sort((a, b) => String(b.at).localeCompare(String(a.at)) || Number(b.id) - Number(a.id));
	for (const note of candidates) {
		if (!linkedRow(await run.store.find('note', 'propstreet', encodeNoteRef(target, note.id)))) return note;
	}
	return null;
}
