/**
 * Propstreet's note endpoints as the note sync's port: notes on projects, contacts and companies
 * (create with Idempotency-Key, revise and archive with If-Match), the record's own timeline rows
 * (archived and superseded revisions included), and the record that carries a Pipedrive id.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { collectPages, readPage } from '../shared/core/http';
import { isRecord, text, type JsonRecord } from '../shared/core/mapping/common';
import type { NotePort, NoteTarget, NoteTargetKind, NoteWrite, PropstreetNote } from '../shared/core/twoWay/notePorts';
import { NOTE_TIMELINE_QUERY, noteWriteResult, propstreetNoteOf } from '../shared/core/twoWay/noteRows';
import { requireId } from '../shared/core/ids';
import { COMPANIES_PATH, CONTACTS_PATH } from '../Propstreet/actions/network';
import { PROJECTS_PATH } from '../Propstreet/actions/project/fields';
import { encodePathSegment, propstreetRequest } from '../Propstreet/transport';
import { getNote } from '../shared/pipedrive';

const COLLECTION: Record<NoteTargetKind, string> = { project: PROJECTS_PATH, contact: CONTACTS_PATH, company: COMPANIES_PATH };

function recordPath(target: NoteTarget): string {
	const id = requireId(target.parentId, 'propstreet', `${target.kind} id`, `Propstreet ${target.kind} ${target.parentId}`);
	return `${COLLECTION[target.kind]}/${encodePathSegment(id)}`;
}

export function propstreetNotes(ctx: IExecuteFunctions, i: number, namespace: string): NotePort {
	const revise = async (target: NoteTarget, noteId: string, body: IDataObject, etag: string, what: string): Promise<NoteWrite> => {
		const response = await propstreetRequest(ctx, {
			method: 'PATCH',
			path: `${recordPath(target)}/notes/${encodePathSegment(requireId(noteId, 'propstreet', 'note id', `Propstreet note ${noteId}`))}`,
			body,
			ifMatch: etag || undefined,
			acceptStatuses: [404, 409, 410, 412],
			itemIndex: i,
			operation: `${what} Propstreet note ${noteId} on ${target.kind} ${target.parentId}`,
		});
		return noteWriteResult(response.statusCode);
	};
	return {
		readPipedriveNote: async (id) => getNote(ctx, id, { itemIndex: i }),
		findTarget: async (kind, pipedriveId) => {
			const id = requireId(pipedriveId, 'pipedrive', `${kind} id`, `Pipedrive record ${pipedriveId}`);
			const response = await propstreetRequest(ctx, {
				method: 'GET',
				path: `${COLLECTION[kind]}/external/${encodePathSegment(namespace)}/${encodePathSegment(id)}`,
				acceptStatuses: [404, 410],
				itemIndex: i,
				operation: `Looking up the Propstreet ${kind} of Pipedrive record ${id}`,
			});
			const record = response.body as JsonRecord | undefined;
			return response.statusCode === 200 && isRecord(record) && !record.deletedUtc ? text(record.id) : null;
		},
		listNotes: async (target) => {
			let gone = false;
			const rows = await collectPages<JsonRecord>({
				fetchPage: async (cursor) => {
					const response = await propstreetRequest(ctx, {
						method: 'GET',
						path: `${recordPath(target)}/actions`,
						qs: { ...NOTE_TIMELINE_QUERY, cursor },
						acceptStatuses: [404, 410],
						itemIndex: i,
						operation: `Reading the notes of Propstreet ${target.kind} ${target.parentId}`,
					});
					gone = response.statusCode === 404 || response.statusCode === 410;
					return gone ? { items: [] } : readPage<JsonRecord>(response.body);
				},
			});
			return gone ? null : rows.map(propstreetNoteOf).filter((n): n is PropstreetNote => n !== null);
		},
		createNote: async (target, body, idempotencyKey) => {
			const response = await propstreetRequest(ctx, {
				method: 'POST',
				path: `${recordPath(target)}/notes`,
				body: body as IDataObject,
				idempotencyKey,
				acceptStatuses: [404, 410],
				itemIndex: i,
				operation: `Adding a note to Propstreet ${target.kind} ${target.parentId}`,
			});
			return response.statusCode === 404 || response.statusCode === 410 ? 'gone' : 'ok';
		},
		reviseNote: async (target, noteId, message, etag) => revise(target, noteId, { action: 'supersede', supersede: { message } }, etag, 'Revising'),
		archiveNote: async (target, noteId, etag) => revise(target, noteId, { action: 'archive' }, etag, 'Archiving'),
	};
}
