/**
 * Prospects on a project: list, get, get by external ref, add, batch add (≤ 100, per-item failures),
 * patch (classification, externalRefs), bulk classify (partial success), remove (→ `prospect.updated`
 * with `action.type: "removed"`), contact-person, notes and timeline.
 *
 * External refs on prospects are unique per project, not per organisation: the Pipedrive participant
 * ref is the person id (ARCHITECTURE.md), and one person can be a prospect on many projects.
 */
import type { SimCore, WriteContext } from '../context';
import { ApiError, FieldErrorCollector, conflict, notFound, validationError } from '../errors';
import { json, noContent, type Router, type SimRequest } from '../http';
import { findByRef } from '../store';
import type { ExternalRef, ProjectRecord, ProspectClassification, ProspectRecord } from '../types';
import { checkIfMatch, checkReadOnly, has, readEnum, readExternalRefs, readString, requireObject, type Body } from '../validate';
import { auditFields, fullName, listResponse, live, snapshot, withEtag } from './common';
import { activeLinks } from './links';
import { bindProspectView } from './projects';
import { addAudit, createProjectNote, listTimeline, reviseNote } from './timeline';

export const PROSPECT_CLASSIFICATIONS: ProspectClassification[] = ['not_contacted', 'contacted', 'interested', 'not_interested', 'bidder'];
export const BATCH_LIMIT = 100;

export function prospectView(core: SimCore, p: ProspectRecord, withChange = false) {
	const contact = p.contactId ? core.store.contacts.get(p.contactId) : undefined;
	const company = p.companyId ? core.store.companies.get(p.companyId) : undefined;
	const view: Record<string, unknown> = {
		id: p.id,
		uri: null,
		externalRefs: p.externalRefs.map((r) => ({ ...r })),
		projectId: p.projectId,
		contactId: p.contactId,
		companyId: p.companyId,
		displayName: contact ? fullName(contact.firstName, contact.lastName) ?? contact.email : company?.name ?? null,
		organizationName: company?.name ?? null,
		classification: p.classification,
		capabilities: [...p.capabilities],
		tags: [...p.tags],
	};
	if (p.teaser) view.teaser = { ...p.teaser };
	return { ...view, ...auditFields(core, p, withChange) };
}

bindProspectView((core, id) => prospectView(core, core.store.prospects.get(id)!, true));

function liveProject(core: SimCore, id: string): ProjectRecord {
	return live(core.store.projects, id, 'Project');
}

function liveProspect(core: SimCore, projectId: string, id: string): ProspectRecord {
	const p = core.store.prospects.get(id);
	if (!p || p.projectId !== projectId || p.deletedUtc) throw notFound(`Prospect '${id}' on project '${projectId}'`);
	return p;
}

function projectProspects(core: SimCore, projectId: string): ProspectRecord[] {
	return [...core.store.prospects.values()].filter((p) => p.projectId === projectId);
}

type AddFailure = { error: string; message: string; status: number };

/** Validates one add; returns the failure (batch error code + single-call status) or the normalised input. */
function checkAdd(core: SimCore, projectId: string, item: unknown, batch: { contactIds: Set<string>; companyIds: Set<string>; refs: Set<string> } | null): AddFailure | { contactId: string | null; companyId: string | null; externalRefs: ExternalRef[]; classification: ProspectClassification } {
	if (!item || typeof item !== 'object' || Array.isArray(item)) return { error: 'validation_error', message: 'Each prospect must be an object.', status: 400 };
	const body = item as Body;
	const c = new FieldErrorCollector();
	const contactId = readString(c, body, 'contactId');
	const companyId = readString(c, body, 'companyId');
	const externalRefs = readExternalRefs(c, body) ?? [];
	const classification = readEnum(c, body, 'classification', PROSPECT_CLASSIFICATIONS, false);
	if (c.any) return { error: 'validation_error', message: Object.values(c.errors).flat().join(' '), status: 400 };
	if (!!contactId === !!companyId) return { error: 'validation_error', message: 'Give exactly one of contactId or companyId.', status: 400 };
	const id = (contactId || companyId) as string;
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return { error: 'invalid_id', message: `'${id}' is not a valid id.`, status: 400 };
	if (contactId) {
		const contact = core.store.contacts.get(contactId);
		if (!contact || contact.deletedUtc) return { error: 'not_found_or_no_access', message: `Contact '${contactId}' was not found.`, status: 404 };
		if (contact.blocked) return { error: 'blocked', message: `Contact '${contactId}' is blocked.`, status: 409 };
	} else {
		const company = core.store.companies.get(companyId as string);
		if (!company || company.deletedUtc) return { error: 'not_found_or_no_access', message: `Company '${companyId}' was not found.`, status: 404 };
	}
	if (batch && (contactId ? batch.contactIds.has(contactId) : batch.companyIds.has(companyId as string))) return { error: 'duplicate', message: 'The same investor appears twice in this batch.', status: 409 };
	const existing = projectProspects(core, projectId).find((p) => !p.deletedUtc && (contactId ? p.contactId === contactId : p.companyId === companyId && !p.contactId));
	if (existing) return { error: 'already_in_prospects', message: `Already a prospect on this project ('${existing.id}').`, status: 409 };
	for (const ref of externalRefs) {
		const refKey = `${ref.namespace.toLowerCase()}\u0000${ref.id}`;
		if (findByRef(core.store.prospects, ref.namespace, ref.id, { scope: (p) => p.projectId === projectId }) || batch?.refs.has(refKey)) {
			return { error: 'duplicate_external_ref', message: `External reference ${ref.namespace}/${ref.id} is already used on this project.`, status: 409 };
		}
	}
	if (batch) {
		if (contactId) batch.contactIds.add(contactId);
		else batch.companyIds.add(companyId as string);
		for (const ref of externalRefs) batch.refs.add(`${ref.namespace.toLowerCase()}\u0000${ref.id}`);
	}
	return { contactId: contactId ?? null, companyId: companyId ?? null, externalRefs, classification: classification ?? 'not_contacted' };
}

export function addProspect(ctx: WriteContext, projectId: string, input: { contactId: string | null; companyId: string | null; externalRefs: ExternalRef[]; classification: ProspectClassification }): ProspectRecord {
	const { core } = ctx;
	// A contact prospect also shows the contact's primary company (both ids set).
	const companyId = input.companyId ?? (input.contactId ? activeLinks(core, { contactId: input.contactId }).find((l) => l.isPrimary)?.companyId ?? null : null);
	const p: ProspectRecord = {
		...core.store.newVersioned(ctx.origin),
		projectId,
		contactId: input.contactId,
		companyId,
		externalRefs: input.externalRefs,
		classification: input.classification,
		capabilities: [],
		tags: [],
		teaser: null,
	};
	core.store.prospects.set(p.id, p);
	addAudit(ctx, 'prospect', p.id, 'ProspectAdded', ['contactId', 'companyId']);
	core.emit('prospect.created', prospectView(core, p, true));
	return p;
}

export function updateProspect(ctx: WriteContext, p: ProspectRecord, body: Body): ProspectRecord {
	const { core } = ctx;
	const c = new FieldErrorCollector();
	checkReadOnly(c, body, ['contactId', 'companyId', 'projectId', 'capabilities', 'teaser'], core.switches);
	const classification = readEnum(c, body, 'classification', PROSPECT_CLASSIFICATIONS);
	const externalRefs = readExternalRefs(c, body);
	c.throwIfAny();
	const before = snapshot(prospectView(core, p));
	if (classification) p.classification = classification;
	if (externalRefs !== undefined) {
		const refs = externalRefs ?? [];
		for (const ref of refs) {
			const owner = findByRef(core.store.prospects, ref.namespace, ref.id, { scope: (x) => x.projectId === p.projectId });
			if (owner && owner.id !== p.id) throw conflict(`External reference ${ref.namespace}/${ref.id} is already used by prospect '${owner.id}'.`);
		}
		p.externalRefs = refs;
	}
	if (snapshot(prospectView(core, p)) === before) return p;
	core.store.touch(p, 'update', ctx.origin);
	addAudit(ctx, 'prospect', p.id, 'ProspectUpdated', Object.keys(body));
	core.emit('prospect.updated', prospectView(core, p, true));
	return p;
}

/** Remove keeps the timeline; the row leaves the list (`deletedUtc`) and the event is `prospect.updated` + `action.type: removed`. */
export function removeProspect(ctx: WriteContext, p: ProspectRecord): void {
	p.deletedUtc = ctx.core.clock.iso();
	ctx.core.store.touch(p, 'update', ctx.origin);
	addAudit(ctx, 'prospect', p.id, 'ProspectRemoved', []);
	ctx.core.emit('prospect.updated', prospectView(ctx.core, p, true), { type: 'removed' });
}

/** A hard delete as the app's "delete" would do (no REST route documented): `prospect.deleted`. */
export function deleteProspect(ctx: WriteContext, p: ProspectRecord): void {
	p.deletedUtc = ctx.core.clock.iso();
	ctx.core.store.touch(p, 'delete', ctx.origin);
	ctx.core.emit('prospect.deleted', prospectView(ctx.core, p, true));
}

export function setContactPerson(ctx: WriteContext, p: ProspectRecord, contactId: string): void {
	const { core } = ctx;
	if (p.contactId) throw conflict('This prospect already points at a contact; contact-person is a one-time switch from a company placeholder.');
	const contact = core.store.contacts.get(contactId);
	if (!contact || contact.deletedUtc) throw notFound(`Contact '${contactId}'`);
	if (!activeLinks(core, { contactId, companyId: p.companyId ?? '' }).length) {
		throw validationError({ contactId: [`Contact '${contactId}' is not linked to company '${p.companyId}'.`] });
	}
	p.contactId = contactId;
	core.store.touch(p, 'update', ctx.origin);
	addAudit(ctx, 'prospect', p.id, 'ProspectContactPersonSet', ['contactId']);
	core.emit('prospect.updated', prospectView(core, p, true));
}

export function registerProspectRoutes(router: Router, core: SimCore, writeCtx: (req: SimRequest) => WriteContext): void {
	const base = '/api/v1/projects/{projectId}/prospects';
	router.add('GET', base, (req) => {
		liveProject(core, req.params.projectId);
		const c = new FieldErrorCollector();
		const q: Body = { classification: req.query.get('classification') ?? undefined, capability: req.query.get('capability') ?? undefined };
		if (q.classification === undefined) delete q.classification;
		if (q.capability === undefined) delete q.capability;
		const classification = readEnum(c, q, 'classification', PROSPECT_CLASSIFICATIONS, false);
		const capability = readEnum(c, q, 'capability', ['chat'] as const, false);
		c.throwIfAny();
		const tags = req.query.getAll('tags');
		return listResponse(core, req, core.store.prospects, (p) => prospectView(core, p), (p) => p.projectId === req.params.projectId && (!classification || p.classification === classification) && (!capability || p.capabilities.includes(capability)) && (!tags.length || tags.some((t) => p.tags.includes(t))));
	});
	router.add('GET', `${base}/{id}`, (req) => withEtag(200, prospectView(core, liveProspect(core, req.params.projectId, req.params.id))));
	router.add('GET', `${base}/external/{namespace}/{id}`, (req) => {
		liveProject(core, req.params.projectId);
		const p = findByRef(core.store.prospects, req.params.namespace, req.params.id, { scope: (x) => x.projectId === req.params.projectId });
		if (!p) throw notFound(`Prospect with external reference ${req.params.namespace}/${req.params.id}`);
		return withEtag(200, prospectView(core, p));
	});
	router.add('POST', base, (req) => {
		liveProject(core, req.params.projectId);
		const checked = checkAdd(core, req.params.projectId, requireObject(req.body), null);
		if ('error' in checked) {
			if (checked.status === 400) throw new ApiError(400, 'Validation Error', checked.message, { errors: { [checked.error === 'invalid_id' ? 'contactId' : 'prospect']: [checked.message] } });
			if (checked.status === 404) throw notFound(checked.message.replace(/ was not found\.$/, ''));
			throw conflict(checked.message);
		}
		const p = addProspect(writeCtx(req), req.params.projectId, checked);
		return withEtag(201, prospectView(core, p, true), { Location: `/api/v1/projects/${req.params.projectId}/prospects/${p.id}` });
	});
	// The spec's `prospects:batch`; `/prospects/batch` (the reference's guess) answers too.
	for (const path of [`/api/v1/projects/{projectId}/prospects:batch`, `${base}/batch`]) {
		router.add('POST', path, (req) => {
			liveProject(core, req.params.projectId);
			const body = requireObject(req.body);
			if (!Array.isArray(body.prospects)) throw validationError({ prospects: ['prospects must be an array.'] });
			if (body.prospects.length === 0) throw validationError({ prospects: ['Give at least one prospect.'] });
			if (body.prospects.length > BATCH_LIMIT) throw validationError({ prospects: [`At most ${BATCH_LIMIT} prospects per request (got ${body.prospects.length}).`] });
			const ctx = writeCtx(req);
			const seen = { contactIds: new Set<string>(), companyIds: new Set<string>(), refs: new Set<string>() };
			const created: unknown[] = [];
			const failed: unknown[] = [];
			body.prospects.forEach((item: unknown, index: number) => {
				const checked = checkAdd(core, req.params.projectId, item, seen);
				const raw = (item ?? {}) as Body;
				if ('error' in checked) {
					failed.push({ index, contactId: typeof raw.contactId === 'string' ? raw.contactId : null, companyId: typeof raw.companyId === 'string' ? raw.companyId : null, error: checked.error, message: checked.message });
					return;
				}
				const p = addProspect(ctx, req.params.projectId, checked);
				created.push({ id: p.id, contactId: p.contactId, companyId: p.companyId, externalRefs: p.externalRefs.map((r) => ({ ...r })) });
			});
			return json(200, { created, failed });
		});
	}
	router.add('PATCH', `${base}/{id}`, (req) => {
		const p = liveProspect(core, req.params.projectId, req.params.id);
		checkIfMatch(req, p.etag, false);
		updateProspect(writeCtx(req), p, requireObject(req.body, true));
		return withEtag(200, prospectView(core, p, true));
	});
	router.add('POST', `${base}/classify`, (req) => {
		liveProject(core, req.params.projectId);
		const body = requireObject(req.body);
		const c = new FieldErrorCollector();
		const classification = readEnum(c, body, 'classification', PROSPECT_CLASSIFICATIONS, false);
		if (!has(body, 'classification')) c.add('classification', 'The classification field is required.');
		const ids = body.prospectIds;
		if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) c.add('prospectIds', 'prospectIds must be an array of strings.');
		else if (ids.length === 0 || ids.length > BATCH_LIMIT) c.add('prospectIds', `Give 1–${BATCH_LIMIT} prospect ids.`);
		c.throwIfAny();
		const ctx = writeCtx(req);
		const succeeded: string[] = [];
		const failed: { prospectId: string; error: string }[] = [];
		for (const id of ids as string[]) {
			const p = core.store.prospects.get(id);
			if (!p || p.projectId !== req.params.projectId || p.deletedUtc) {
				failed.push({ prospectId: id, error: 'not_found_or_no_access' });
				continue;
			}
			updateProspect(ctx, p, { classification });
			succeeded.push(id);
		}
		return json(200, { classified: succeeded.length, succeeded, failed });
	});
	router.add('POST', `${base}/{id}/remove`, (req) => {
		const p = liveProspect(core, req.params.projectId, req.params.id);
		checkIfMatch(req, p.etag, false);
		removeProspect(writeCtx(req), p);
		return noContent();
	});
	router.add('POST', `${base}/{id}/contact-person`, (req) => {
		const p = liveProspect(core, req.params.projectId, req.params.id);
		const body = requireObject(req.body);
		const c = new FieldErrorCollector();
		const contactId = readString(c, body, 'contactId', { nullable: false, min: 1 });
		if (contactId === undefined && !c.errors.contactId) c.add('contactId', 'The contactId field is required.');
		c.throwIfAny();
		setContactPerson(writeCtx(req), p, contactId as string);
		return noContent();
	});
	router.add('POST', `${base}/{id}/notes`, (req) => {
		liveProspect(core, req.params.projectId, req.params.id);
		const note = createProjectNote(writeCtx(req), 'prospect', req.params.id, requireObject(req.body));
		return json(201, { id: note.id, etag: note.etag });
	});
	router.add('PATCH', `${base}/{id}/notes/{noteId}`, (req) => {
		liveProspect(core, req.params.projectId, req.params.id);
		reviseNote(writeCtx(req), req, 'prospect', req.params.id, req.params.noteId);
		return noContent();
	});
	router.add('GET', `${base}/{id}/actions`, (req) => {
		const p = core.store.prospects.get(req.params.id);
		if (!p || p.projectId !== req.params.projectId) throw notFound(`Prospect '${req.params.id}'`);
		const parents: { kind: 'prospect' | 'contact' | 'company'; id: string; subject?: string }[] = [{ kind: 'prospect', id: p.id }];
		if (req.query.get('include_rollups') !== 'false') {
			if (p.contactId) parents.push({ kind: 'contact', id: p.contactId, subject: 'contact' });
			if (p.companyId) parents.push({ kind: 'company', id: p.companyId, subject: 'company' });
		}
		return listTimeline(core, req, parents);
	});
}
