/**
 * A Pipedrive note as the Propstreet note body the existing note mapper makes of it (HTML → plain
 * text, cut to the length limit), for one chosen target, and the content signature the baseline keeps.
 */
import { emptyContext, idOf, type Draft, type JsonRecord, type MapperLookups } from '../mapping/common';
import type { MapperConfig } from '../mapping/config';
import { pipedriveNoteToPropstreet } from '../mapping/note';
import { signature } from './plan';
import type { NoteTarget, NoteTargetKind } from './notePorts';

/** The merge group of a note: its text is the only thing the sync carries. */
export const NOTE_CONTENT = 'note.content';

const FIELD_OF: Record<NoteTargetKind, { field: 'deal_id' | 'person_id' | 'org_id'; lookup: keyof MapperLookups }> = {
	project: { field: 'deal_id', lookup: 'propstreetProjectId' },
	contact: { field: 'person_id', lookup: 'propstreetContactId' },
	company: { field: 'org_id', lookup: 'propstreetCompanyId' },
};

/**
 * The mapper's draft aimed at `target` only: the note's other links are hidden from it so it cannot
 * pick another record, and the chosen link is kept even when the note has since been moved in
 * Pipedrive (a linked note stays on the record it was first written to).
 */
export function noteDraft(note: JsonRecord, target: NoteTarget, config: MapperConfig): Draft {
	const { field, lookup } = FIELD_OF[target.kind];
	const record: JsonRecord = { ...note, deal_id: null, person_id: null, org_id: null, [field]: idOf(note[field]) ?? 'linked' };
	const ctx = emptyContext({ lookups: { [lookup]: target.parentId } });
	return pipedriveNoteToPropstreet({ record, action: 'change', eventId: null, entity: 'note', mergedToId: null, removed: false, eventTime: null }, config, ctx);
}

/** The text a draft sends (`note` on contacts and companies, `content` on projects). */
export function draftText(draft: Draft): string | null {
	const value = draft.body.note ?? draft.body.content;
	return typeof value === 'string' ? value : null;
}

export function textSignature(text: string): string {
	return signature(text);
}
