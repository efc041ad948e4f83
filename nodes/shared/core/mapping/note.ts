/**
 * Notes. Pipedrive → Propstreet: HTML → plain text within Propstreet's 10,000-character limit, to
 * the deal's project, the person's contact or the organization's company (first linked one in the
 * configured order). Contact and company notes take `{ note, type }`; project notes take
 * `{ content }` like prospect notes (the reference did not capture the project-note body; inferred).
 * Propstreet → Pipedrive: text → note HTML for POST /v1/notes with the known Pipedrive ids.
 */
import { stableHash } from '../hash';
import { htmlToText, textToHtml, truncateText } from '../html';
import type { MapperConfig } from './config';
import { BodyBuilder, idOf, isoTime, isRecord, ownValue, type Draft, type MapperContext, type MatchKeys, type SourceEnvelope } from './common';

const TARGETS = {
	deal: { resource: 'project', path: (id: string) => `/api/v1/projects/${id}/notes`, field: 'content' },
	person: { resource: 'contact', path: (id: string) => `/api/v1/network/contacts/${id}/notes`, field: 'note' },
	organization: { resource: 'company', path: (id: string) => `/api/v1/network/companies/${id}/notes`, field: 'note' },
} as const;

export function pipedriveNoteToPropstreet(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const b = new BodyBuilder(config, 'toPropstreet');
	const noteId = idOf(record.id);
	const ids = { deal: idOf(record.deal_id), person: idOf(record.person_id), organization: idOf(record.org_id) };
	const match: MatchKeys = { externalIds: [] };
	if (noteId) match.pipedriveId = noteId;
	if (ids.deal) match.pipedriveDealId = ids.deal;
	if (ids.person) match.pipedrivePersonId = ids.person;
	if (ids.organization) match.pipedriveOrgId = ids.organization;
	const propstreetIds = {
		deal: ctx.lookups.propstreetProjectId,
		person: ctx.lookups.propstreetContactId ?? (ids.person ? ownValue(ctx.lookups.contactIdMap, ids.person) : undefined),
		organization: ctx.lookups.propstreetCompanyId ?? (ids.organization ? ownValue(ctx.lookups.companyIdMap, ids.organization) : undefined),
	};
	if (propstreetIds.deal) match.propstreetProjectId = propstreetIds.deal;
	if (propstreetIds.person) match.propstreetContactId = propstreetIds.person;
	if (propstreetIds.organization) match.propstreetCompanyId = propstreetIds.organization;

	// Prefer a linked record whose Propstreet id is known; else the first linked one.
	const linked = config.noteTargetOrder.filter((kind) => ids[kind]);
	const kind = linked.find((k) => propstreetIds[k]) ?? linked[0];
	let target: Record<string, unknown> | undefined;
	let skip = false;
	const plain = htmlToText(record.content);
	const { text: content, truncated } = truncateText(plain, config.noteMaxLength);
	if (!kind) {
		skip = true;
		b.warn('content', 'the note is linked to no deal, person or organization; nothing to attach it to');
	} else {
		const t = TARGETS[kind];
		const id = propstreetIds[kind];
		target = { resource: t.resource, method: 'POST', path: t.path(id ?? '{id}'), propstreetId: id ?? null, pipedriveId: ids[kind] };
		if (!id) b.warn('target', `the Propstreet ${t.resource} for Pipedrive ${kind} ${ids[kind]} is not known; pass its id (see match)`);
		if (b.enabled('note.content')) {
			if (content === '') {
				skip = true;
				b.warn('content', 'the note is empty after removing HTML; not sent');
			} else {
				b.set('note.content', t.field, content);
				if (t.field === 'note') b.set('note.content', 'type', 'note');
			}
		}
	}
	if (truncated) b.warn('content', `note cut from ${Array.from(plain).length} to ${config.noteMaxLength} characters (Propstreet's limit)`);
	const lifecycle = source.action === 'delete' ? { event: 'deleted' as const, action: 'none' as const, note: 'Propstreet notes can be archived with PATCH …/notes/{noteId}' } : undefined;
	return {
		body: b.body,
		fieldPaths: b.fieldPaths,
		match,
		warnings: b.warnings,
		sourceUpdatedAt: isoTime(record.update_time),
		target,
		lifecycle,
		skip: skip || undefined,
		// Contact/company notes accept Idempotency-Key: a retry of the same note version is not duplicated.
		extras: noteId ? { idempotencyKey: `pipedrive-note-${noteId}-${stableHash(content).slice(7, 23)}` } : undefined,
	};
}

export function propstreetNoteToPipedrive(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const b = new BodyBuilder(config, 'toPipedrive');
	const details = isRecord(record.details) ? record.details : {};
	// Keep line breaks: `text()` would fold them into spaces.
	const raw = [record.note, record.content, record.message, details.message].find((v) => typeof v === 'string' && v.trim() !== '');
	const message = typeof raw === 'string' ? raw.trim() : null;
	const match: MatchKeys = { externalIds: [] };
	if (idOf(record.id)) match.propstreetId = idOf(record.id);
	const links = { deal_id: ctx.lookups.pipedriveDealId, person_id: ctx.lookups.pipedrivePersonId, org_id: ctx.lookups.pipedriveOrgId };
	let skip = false;
	if (!message) {
		skip = true;
		b.warn('content', 'the note has no text; not sent');
	} else if (b.enabled('note.content')) {
		b.set('note.content', 'content', textToHtml(message));
	}
	const present = Object.entries(links).filter(([, v]) => v);
	if (present.length === 0) b.warn('target', 'no Pipedrive deal, person or organization id given; Pipedrive needs at least one');
	for (const [key, value] of present) b.set('note.content', key, /^\d+$/.test(value as string) ? Number(value) : value);
	if (links.deal_id) match.pipedriveDealId = links.deal_id;
	if (links.person_id) match.pipedrivePersonId = links.person_id;
	if (links.org_id) match.pipedriveOrgId = links.org_id;
	return {
		body: b.body,
		fieldPaths: b.fieldPaths,
		match,
		warnings: b.warnings,
		sourceUpdatedAt: isoTime(record.timestampUtc ?? record.updatedUtc ?? record.createdUtc),
		target: { method: 'POST', path: '/v1/notes' },
		skip: skip || undefined,
	};
}
