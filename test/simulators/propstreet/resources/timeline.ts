/**
 * Timelines ("actions") and notes on contacts, companies, projects and prospects: note create,
 * note revision (archive / unarchive / supersede, If-Match required → 428 / 412), audit rows, and the
 * newest-first cursor-paged actions endpoints.
 */
import type { SimCore, WriteContext } from '../context';
import { ApiError, FieldErrorCollector, badRequest, notFound, validationError } from '../errors';
import { json, noContent, type Router, type SimRequest } from '../http';
import { encodeCursor, parseBool, parsePageSize } from '../store';
import type { ActionRecord, TimelineParentKind, VersionedRecord } from '../types';
import { checkIfMatch, has, readEnum, readString, requireObject } from '../validate';
import { live } from './common';

export function addAudit(ctx: WriteContext, parentKind: TimelineParentKind, parentId: string, operation: string, changedFields: string[]): void {
	const { store } = ctx.core;
	const row: ActionRecord = {
		id: store.nextId(),
		parentKind,
		parentId,
		type: 'audit',
		timestampUtc: ctx.core.clock.iso(),
		user: { id: ctx.actor.id, name: ctx.actor.name },
		details: { operation, changedFields, oauthClientId: ctx.actor.oauthClientId ?? null },
		archivedAt: null,
		supersedesActivityId: null,
		supersededByActivityId: null,
		etag: store.nextEtag(),
	};
	store.actions.set(row.id, row);
}

export function addNote(ctx: WriteContext, parentKind: TimelineParentKind, parentId: string, details: Record<string, unknown>, supersedes: string | null = null): ActionRecord {
	const { store } = ctx.core;
	const row: ActionRecord = {
		id: store.nextId(),
		parentKind,
		parentId,
		type: 'note',
		timestampUtc: ctx.core.clock.iso(),
		user: { id: ctx.actor.id, name: ctx.actor.name },
		details,
		archivedAt: null,
		supersedesActivityId: supersedes,
		supersededByActivityId: null,
		etag: store.nextEtag(),
	};
	store.actions.set(row.id, row);
	return row;
}

function actionView(a: ActionRecord, subject?: string) {
	const view: Record<string, unknown> = {
		id: a.id,
		type: a.type,
		timestampUtc: a.timestampUtc,
		user: a.user,
		details: a.details,
		cursor: encodeCursor({ t: a.timestampUtc, i: a.id }),
	};
	if (a.type === 'note') {
		view.archivedAt = a.archivedAt;
		view.supersedesActivityId = a.supersedesActivityId;
		view.etag = a.etag;
	}
	if (subject) view.subject = subject;
	return view;
}

function readNoteText(core: SimCore, body: Record<string, unknown>, field: 'note' | 'content'): string {
	const c = new FieldErrorCollector();
	const text = readString(c, body, field, { nullable: false, min: 1, max: core.switches.noteMaxLength });
	if (text === undefined && !c.errors[field]) c.add(field, `The ${field} field is required.`);
	c.throwIfAny();
	return text as string;
}

const NOTE_TYPES = ['note', 'call', 'meeting', 'email', 'news'] as const;

/** `POST …/notes` on a contact or company: body `{note, fileId?, type?}` → 204. */
export function createNetworkNote(ctx: WriteContext, parentKind: 'contact' | 'company', parentId: string, body: Record<string, unknown>): ActionRecord {
	const note = readNoteText(ctx.core, body, 'note');
	const c = new FieldErrorCollector();
	const type = readEnum(c, body, 'type', NOTE_TYPES) ?? 'note';
	const fileId = readString(c, body, 'fileId');
	c.throwIfAny();
	if (fileId) throw validationError({ fileId: [`File '${fileId}' was not found (the simulator models no file uploads).`] });
	return addNote(ctx, parentKind, parentId, { message: note, file: null, noteType: type, contentFormat: 'plaintext' });
}

/** `POST …/notes` on a project or prospect: body `{content, contentFormat?}`. */
export function createProjectNote(ctx: WriteContext, parentKind: 'project' | 'prospect', parentId: string, body: Record<string, unknown>): ActionRecord {
	const content = readNoteText(ctx.core, body, 'content');
	const c = new FieldErrorCollector();
	const format = has(body, 'contentFormat') && typeof body.contentFormat === 'string' ? body.contentFormat.toLowerCase() : 'plaintext';
	if (!['plaintext', 'markdown'].includes(format)) c.add('contentFormat', 'contentFormat must be plaintext or markdown.');
	c.throwIfAny();
	return addNote(ctx, parentKind, parentId, { message: content, file: null, contentFormat: format });
}

/** Note revision (1.6.0): If-Match required (428 missing, 412 stale); 204 on success. */
export function reviseNote(ctx: WriteContext, req: SimRequest, parentKind: TimelineParentKind, parentId: string, noteId: string): void {
	const note = ctx.core.store.actions.get(noteId);
	if (!note || note.type !== 'note' || note.parentKind !== parentKind || note.parentId !== parentId) throw notFound(`Note '${noteId}'`);
	checkIfMatch(req, note.etag, true);
	const body = requireObject(req.body);
	const action = body.action;
	if (action !== 'archive' && action !== 'unarchive' && action !== 'supersede') {
		throw new ApiError(400, 'ValidationFailed', "action must be one of: archive, unarchive, supersede.", { errors: { action: ['Unknown action.'] } });
	}
	const { store, clock } = ctx.core;
	if (action === 'archive') {
		if (note.archivedAt) return; // archiving twice is a no-op
		note.archivedAt = clock.iso();
		note.etag = store.nextEtag();
		return;
	}
	if (action === 'unarchive') {
		if (note.supersededByActivityId) throw badRequest('This note revision has been superseded; unarchive the head of the chain instead.');
		note.archivedAt = null;
		note.etag = store.nextEtag();
		return;
	}
	if (note.supersededByActivityId) throw new ApiError(409, 'Conflict', 'This note has already been superseded by a concurrent revision.', { type: '/help/concurrency-conflict' });
	const sup = body.supersede;
	if (!sup || typeof sup !== 'object') throw validationError({ supersede: ['supersede is required for the supersede action.'] });
	const s = sup as Record<string, unknown>;
	const c = new FieldErrorCollector();
	const details = { ...note.details };
	if (has(s, 'message')) {
		const msg = readString(c, s, 'message', { min: 1, max: ctx.core.switches.noteMaxLength });
		if (msg !== undefined) details.message = msg;
	}
	if (has(s, 'contentFormat')) {
		const f = s.contentFormat === null ? 'plaintext' : typeof s.contentFormat === 'string' ? s.contentFormat.toLowerCase() : '';
		if (!['plaintext', 'markdown'].includes(f)) c.add('supersede.contentFormat', 'contentFormat must be plaintext or markdown.');
		details.contentFormat = f;
	}
	if (has(s, 'fileId') && s.fileId !== null) c.add('supersede.fileId', 'The simulator models no file uploads.');
	c.throwIfAny();
	const next = addNote(ctx, parentKind, parentId, details, note.id);
	note.supersededByActivityId = next.id;
	note.etag = store.nextEtag();
}

/** Newest-first timeline with `type`, `include_archived`, `include_superseded` and (projects/prospects) roll-ups. */
export function listTimeline(core: SimCore, req: SimRequest, parents: { kind: TimelineParentKind; id: string; subject?: string }[]) {
	const type = req.query.get('type') ?? 'all';
	if (!['all', 'audit', 'notes'].includes(type)) throw validationError({ type: ['type must be all, audit or notes.'] });
	const includeArchived = parseBool('include_archived', req.query.get('include_archived'), false);
	const includeSuperseded = parseBool('include_superseded', req.query.get('include_superseded'), false);
	const pageSize = parsePageSize(req.query);
	let after: { t: string; i: string } | null = null;
	const rawCursor = req.query.get('cursor');
	if (rawCursor) {
		try {
			const parsed = JSON.parse(Buffer.from(rawCursor, 'base64').toString('utf8'));
			after = { t: String(parsed.t), i: String(parsed.i) };
		} catch {
			throw validationError({ cursor: ['The cursor is not valid.'] });
		}
	}
	const rows: { a: ActionRecord; subject?: string }[] = [];
	for (const a of core.store.actions.values()) {
		const parent = parents.find((p) => p.kind === a.parentKind && p.id === a.parentId);
		if (!parent) continue;
		if (type === 'audit' && a.type !== 'audit') continue;
		if (type === 'notes' && a.type !== 'note') continue;
		if (a.archivedAt && !includeArchived) continue;
		if (a.supersededByActivityId && !includeSuperseded) continue;
		rows.push({ a, subject: parent.subject });
	}
	const key = (a: ActionRecord) => [a.timestampUtc, Number(a.id)] as const;
	rows.sort((x, y) => {
		const [tx, ix] = key(x.a);
		const [ty, iy] = key(y.a);
		return tx < ty ? 1 : tx > ty ? -1 : iy - ix;
	});
	const filtered = after ? rows.filter(({ a }) => a.timestampUtc < after!.t || (a.timestampUtc === after!.t && Number(a.id) < Number(after!.i))) : rows;
	const items = filtered.slice(0, pageSize);
	const hasMore = filtered.length > items.length;
	const last = items[items.length - 1];
	const nextCursor = hasMore && last ? encodeCursor({ t: last.a.timestampUtc, i: last.a.id }) : null;
	const data = items.map(({ a, subject }) => actionView(a, subject));
	if (core.switches.listEnvelope === 'flat') return json(200, { data, nextCursor, hasMore, pageSize });
	return json(200, { data, page: { nextCursor, pageSize, hasMore } });
}

export function registerNetworkNoteRoutes(router: Router, core: SimCore, writeCtx: (req: SimRequest) => WriteContext): void {
	const parents: ['contacts' | 'companies', 'contact' | 'company', Map<string, VersionedRecord>][] = [
		['contacts', 'contact', core.store.contacts],
		['companies', 'company', core.store.companies],
	];
	for (const [segment, kind, table] of parents) {
		const base = `/api/v1/network/${segment}/{id}`;
		const what = kind === 'contact' ? 'Contact' : 'Company';
		router.add('POST', `${base}/notes`, (req) => {
			live(table, req.params.id, what);
			createNetworkNote(writeCtx(req), kind, req.params.id, requireObject(req.body));
			return noContent();
		});
		router.add('PATCH', `${base}/notes/{noteId}`, (req) => {
			live(table, req.params.id, what);
			reviseNote(writeCtx(req), req, kind, req.params.id, req.params.noteId);
			return noContent();
		});
		router.add('GET', `${base}/actions`, (req) => {
			const record = table.get(req.params.id);
			if (!record) throw notFound(`${what} '${req.params.id}'`);
			return listTimeline(core, req, [{ kind, id: req.params.id }]);
		});
	}
}
