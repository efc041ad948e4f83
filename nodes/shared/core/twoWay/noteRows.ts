/**
 * Propstreet's note endpoints as the note sync reads them, shared by the Sync node's port and the
 * Cloud edition's: a record's timeline rows → note revisions, a write's HTTP status → its outcome,
 * and the timeline query (notes only, archived and superseded revisions included).
 */
import { isRecord, text, type JsonRecord } from '../mapping/common';
import type { NoteWrite, PropstreetNote } from './notePorts';

/** Query of a record's note timeline (`GET <record>/actions`), one page of 100. */
export const NOTE_TIMELINE_QUERY = { type: 'notes', include_rollups: false, include_archived: true, include_superseded: true, page_size: 100 } as const;

/** One timeline row as a note revision; null for a row that is not a note. */
export function propstreetNoteOf(row: JsonRecord): PropstreetNote | null {
	const id = text(row.id);
	if (!id || row.type !== 'note') return null;
	const details = isRecord(row.details) ? row.details : {};
	const body = [details.message, row.content, row.note].find((v) => typeof v === 'string');
	return {
		id,
		text: typeof body === 'string' ? body : '',
		etag: text(row.etag) ?? '',
		archived: !!row.archivedAt,
		supersedes: text(row.supersedesActivityId),
		at: text(row.timestampUtc),
	};
}

/** A revise or archive answer: refused by If-Match (or a conflict), gone, or done. */
export function noteWriteResult(status: number): NoteWrite {
	if (status === 412 || status === 409) return 'preconditionFailed';
	if (status === 404 || status === 410) return 'gone';
	return 'ok';
}
