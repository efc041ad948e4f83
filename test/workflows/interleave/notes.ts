/**
 * Pipedrive notes → Propstreet notes in the interleaving (one way), with the settings of the bundled
 * workflow 09: users create notes on a linked deal, person or organization, edit their text (as
 * plain text or HTML), pin them (no text change), delete them, and sometimes edit the Propstreet
 * note in the app, often in the same batch as a Pipedrive edit.
 *
 * Judged from the operation log (README "09 Notes"): every Pipedrive note has at most one
 * Propstreet note (revisions aside), never a second; a live one whose deliveries all ran has exactly
 * one live Propstreet note, whose text is the last Pipedrive text as plain text, unless a Propstreet
 * edit made it a conflict (then the conflict rule picks one side's last edit); a deleted one has no
 * live Propstreet note unless a Propstreet user edited it (kept, with a warning). Notes have no
 * backfill: a delivery dropped or failed by an injected fault is gone, so such a note is only held
 * to "at most one Propstreet note, with a text some user wrote".
 */
import type { IDataObject } from 'n8n-workflow';
import { loadWorkflow } from '../contactsNotesKit';
import { linkedDeals } from './projects';
import { editingSides, judgeField, pointsBack, type EntityModule, type SideName, type World } from './world';

type TargetKind = 'deal' | 'person' | 'org';

interface NoteLog {
	id: number;
	token: string;
	target: { kind: TargetKind; id: number; counterpart: string };
	deleted: boolean;
}

/** The Sync node's parameters in workflow 09. */
const BUNDLED = (() => {
	const node = loadWorkflow('09-notes-pipedrive-to-propstreet.json').nodes.find((n) => n.type === 'n8n-nodes-propstreet.pipedrivePropstreetSync');
	if (!node) throw new Error('workflow 09 has no Sync node');
	const { authentication: _a, entity: _e, recordSide: _r, ...rest } = node.parameters as IDataObject;
	return rest;
})();

const notesOf = new WeakMap<World, Map<number, NoteLog>>();
function logged(w: World): Map<number, NoteLog> {
	let m = notesOf.get(w);
	if (!m) notesOf.set(w, (m = new Map()));
	return m;
}

/** Pipedrive records of a kind linked both ways to a live Propstreet record, with that record's id. */
function linkedTargets(w: World, kind: TargetKind): Array<{ id: number; counterpart: string }> {
	if (kind === 'deal') return linkedDeals(w).map((d) => ({ id: d.dealId, counterpart: d.projectId }));
	const [records, field, psKind] = kind === 'person' ? [w.pd.persons(), 'propstreet_contact_id', 'contact'] : [w.pd.organizations(), 'propstreet_company_id', 'company'];
	const key = w.pd.fieldKey(kind === 'person' ? 'person' : 'organization', field);
	const out: Array<{ id: number; counterpart: string }> = [];
	for (const r of records as IDataObject[]) {
		const id = String((r.custom_fields as IDataObject)[key] ?? '');
		const other = id ? (w.ps.get(psKind, id) as IDataObject | undefined) : undefined;
		if (other && !other.deletedUtc && pointsBack(other, r.id)) out.push({ id: r.id as number, counterpart: id });
	}
	return out;
}

/** A Pipedrive text and the plain text the documented rule makes of it (HTML tags dropped, words kept). */
function pipedriveText(w: World, token: string): { content: string; plain: string } {
	const word = w.unique('text');
	const plain = `${token} ${word}`;
	const form = w.rng.int(3);
	return { content: form === 0 ? plain : form === 1 ? `<p>${token} ${word}</p>` : `<p>${token} <b>${word}</b></p>`, plain };
}

function create(w: World): void {
	const kind = w.rng.pick<TargetKind>(['deal', 'person', 'org']);
	const targets = linkedTargets(w, kind);
	if (!targets.length) return;
	const target = w.rng.pick(targets);
	// Ends in a letter, so no token is the start of another (note-1-5-x, note-1-53-x).
	const token = `${w.unique('note')}-x`;
	const { content, plain } = pipedriveText(w, token);
	const field = kind === 'deal' ? 'deal_id' : kind === 'person' ? 'person_id' : 'org_id';
	const note = w.pd.addNote({ content, [field]: target.id });
	const id = Number(note.id);
	logged(w).set(id, { id, token, target: { kind, ...target }, deleted: false });
	w.note(`note:${id}:text`, 'pipedrive', plain);
	w.trace(`NOTE + ${id} on ${kind} ${target.id}: ${plain}`, id, target.counterpart);
}

/** The live Propstreet revision carrying the note's token, if the sync made one. */
function propstreetHead(w: World, note: NoteLog) {
	return w.ps.notes().find((n: IDataObject) => !n.supersededBy && !n.archived && String(n.text).includes(note.token));
}

function edit(w: World, note: NoteLog, side: SideName): void {
	if (side === 'pipedrive') {
		const { content, plain } = pipedriveText(w, note.token);
		w.pd.updateNote(note.id, { content });
		w.note(`note:${note.id}:text`, 'pipedrive', plain);
		w.trace(`NOTE edit pipedrive ${note.id}: ${plain}`, note.id);
		return;
	}
	const head = propstreetHead(w, note);
	if (!head) return;
	const text = `${note.token} app ${w.unique('text')}`;
	w.ps.editNote(String(head.id), text);
	w.note(`note:${note.id}:text`, 'propstreet', text);
	w.trace(`NOTE edit propstreet ${note.id} (${head.id}): ${text}`, note.id);
}

/** Notes Pipedrive still has (it drops a deleted record's notes without a note webhook). */
const pipedriveNoteIds = (w: World) => new Set(w.pd.notes().map((n) => Number(n.id)));

function act(w: World): void {
	const ids = pipedriveNoteIds(w);
	const live = [...logged(w).values()].filter((n) => !n.deleted && ids.has(n.id));
	const roll = w.rng.next();
	if (roll < 0.3 || live.length < 3) return create(w);
	const note = w.rng.pick(live);
	if (roll < 0.4) {
		w.pd.deleteNote(note.id);
		note.deleted = true;
		w.trace(`NOTE delete ${note.id}`, note.id);
		return;
	}
	if (roll < 0.47) {
		// A pin changes no text: nothing to write.
		w.pd.updateNote(note.id, { [`pinned_to_${note.target.kind === 'org' ? 'organization' : note.target.kind}_flag`]: w.rng.chance(0.5) });
		return;
	}
	for (const side of editingSides(w)) edit(w, note, side);
}

/** Its deliveries all ran, it is gone only if a user deleted it, and its record is linked to the same Propstreet record as when it was written. */
function strictlyJudged(w: World, note: NoteLog, ids: Set<number>): boolean {
	if (!note.deleted && !ids.has(note.id)) return false;
	if (w.lost.some((l) => l.entity === 'note' && Number((l.json.meta as IDataObject | undefined)?.entity_id) === note.id)) return false;
	if (w.merged.has(`${note.target.kind}:${note.target.id}`)) return false;
	return linkedTargets(w, note.target.kind).some((t) => t.id === note.target.id && t.counterpart === note.target.counterpart);
}

function checkNote(w: World, note: NoteLog, revisions: IDataObject[], ids: Set<number>): string[] {
	const mine = revisions.filter((n) => String(n.text).includes(note.token));
	const heads = mine.filter((n) => !n.supersededBy);
	const live = heads.filter((n) => !n.archived);
	const label = `Pipedrive note ${note.id} (on ${note.target.kind} ${note.target.id})`;
	if (heads.length > 1) return [`${label} has ${heads.length} Propstreet notes: ${heads.map((n) => `${n.parentKind}/${n.parentId}/${n.id}`).join(', ')}`];
	const edits = w.log.get(`note:${note.id}:text`);
	const psEdited = !!edits?.propstreet.length;
	if (!strictlyJudged(w, note, ids)) {
		const texts = [...(edits?.pipedrive ?? []), ...(edits?.propstreet ?? [])].map((t) => t.replace(/\s/g, ''));
		return live.length && !texts.includes(String(live[0].text).replace(/\s/g, '')) ? [`${label}: Propstreet text "${live[0].text}" is no text a user wrote`] : [];
	}
	w.judged.set('note', (w.judged.get('note') ?? 0) + 1);
	if (note.deleted) return live.length && !psEdited ? [`${label} was deleted in Pipedrive, but its Propstreet note ${live[0].id} is not archived`] : [];
	if (live.length !== 1) return [`${label} has no live Propstreet note${heads.length ? ' (it was archived)' : ''}`];
	if (live[0].parentKind !== (note.target.kind === 'deal' ? 'project' : note.target.kind === 'person' ? 'contact' : 'company') || live[0].parentId !== note.target.counterpart) {
		return [`${label}: its Propstreet note is on ${live[0].parentKind} ${live[0].parentId}, not on ${note.target.counterpart}`];
	}
	const problem = judgeField(w, 'note', `${label} text`, live[0].text, edits);
	return problem ? [problem] : [];
}

function check(w: World): string[] {
	const revisions = w.ps.notes() as IDataObject[];
	const ids = pipedriveNoteIds(w);
	return [...logged(w).values()].flatMap((note) => checkNote(w, note, revisions, ids));
}

export const notes: EntityModule = {
	entity: 'note',
	pipedriveObject: 'note',
	propstreetEvents: [],
	syncParameters: BUNDLED,
	weight: 1,
	act,
	// Notes have no backfill (workflow 10 lists persons, organizations and deals, not notes).
	backfillItems: () => [],
	check,
};
