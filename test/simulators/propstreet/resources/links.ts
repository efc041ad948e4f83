/**
 * Links: the contact ↔ company employment row with the job title and the primary flag. Contacts and
 * companies show them as `companies[]` / `contacts[]`; a link change therefore also makes a new
 * version of both ends (their representation changed), while the webhook is `link.*` (inferred).
 */
import type { SimCore, WriteContext } from '../context';
import { FieldErrorCollector, conflict, notFound } from '../errors';
import { type Router, type SimRequest, noContent } from '../http';
import type { LinkRecord } from '../types';
import { checkIfMatch, has, readBool, readString, requireObject } from '../validate';
import { auditFields, listResponse, live, withEtag } from './common';

export function linkView(core: SimCore, l: LinkRecord, withChange = false) {
	return { id: l.id, contactId: l.contactId, companyId: l.companyId, jobTitle: l.jobTitle, isPrimary: l.isPrimary, ...auditFields(core, l, withChange) };
}

export function activeLinks(core: SimCore, by: { contactId?: string; companyId?: string }): LinkRecord[] {
	return [...core.store.links.values()].filter(
		(l) => !l.deletedUtc && (by.contactId === undefined || l.contactId === by.contactId) && (by.companyId === undefined || l.companyId === by.companyId),
	);
}

/** A contact or company whose shown links changed gets a new version (no webhook of its own). */
function bumpEnds(ctx: WriteContext, link: LinkRecord, viaContact = false): void {
	// When the contact itself is being written (connections), its caller versions it once.
	const contact = viaContact ? undefined : ctx.core.store.contacts.get(link.contactId);
	const company = ctx.core.store.companies.get(link.companyId);
	if (contact && !contact.deletedUtc) ctx.core.store.touch(contact, 'update', ctx.origin);
	if (company && !company.deletedUtc) ctx.core.store.touch(company, 'update', ctx.origin);
}

function emit(ctx: WriteContext, type: 'link.created' | 'link.updated' | 'link.deleted', link: LinkRecord): void {
	ctx.core.emit(type, linkView(ctx.core, link, true));
}

/** Makes `link` the contact's only primary link (demoting any other). */
function makePrimary(ctx: WriteContext, link: LinkRecord): void {
	for (const other of activeLinks(ctx.core, { contactId: link.contactId })) {
		if (other.id !== link.id && other.isPrimary) {
			other.isPrimary = false;
			ctx.core.store.touch(other, 'update', ctx.origin);
			bumpEnds(ctx, other, true);
			emit(ctx, 'link.updated', other);
		}
	}
	link.isPrimary = true;
}

export function createLink(
	ctx: WriteContext,
	input: { contactId: string; companyId: string; jobTitle: string | null; isPrimary?: boolean | null },
	viaContact = false,
): LinkRecord {
	const { store } = ctx.core;
	live(store.contacts, input.contactId, 'Contact');
	live(store.companies, input.companyId, 'Company');
	if (activeLinks(ctx.core, { contactId: input.contactId, companyId: input.companyId }).length) {
		throw conflict(`Contact '${input.contactId}' is already linked to company '${input.companyId}'.`);
	}
	const hasOther = activeLinks(ctx.core, { contactId: input.contactId }).length > 0;
	const link: LinkRecord = { ...store.newVersioned(ctx.origin), contactId: input.contactId, companyId: input.companyId, jobTitle: input.jobTitle, isPrimary: false };
	store.links.set(link.id, link);
	// A contact's first company becomes its primary unless told otherwise (inferred).
	if (input.isPrimary === true || (input.isPrimary == null && !hasOther)) makePrimary(ctx, link);
	bumpEnds(ctx, link, viaContact);
	emit(ctx, 'link.created', link);
	return link;
}

export function updateLink(ctx: WriteContext, link: LinkRecord, patch: { jobTitle?: string | null; isPrimary?: boolean | null }, viaContact = false): LinkRecord {
	const before = JSON.stringify([link.jobTitle, link.isPrimary]);
	if (patch.jobTitle !== undefined) link.jobTitle = patch.jobTitle;
	if (patch.isPrimary === true) makePrimary(ctx, link);
	else if (patch.isPrimary === false) link.isPrimary = false;
	if (JSON.stringify([link.jobTitle, link.isPrimary]) === before) return link;
	ctx.core.store.touch(link, 'update', ctx.origin);
	bumpEnds(ctx, link, viaContact);
	emit(ctx, 'link.updated', link);
	return link;
}

export function deleteLink(ctx: WriteContext, link: LinkRecord, viaContact = false): void {
	link.deletedUtc = ctx.core.clock.iso();
	link.isPrimary = false;
	ctx.core.store.touch(link, 'delete', ctx.origin);
	bumpEnds(ctx, link, viaContact);
	emit(ctx, 'link.deleted', link);
}

export interface ConnectionInput {
	companyId: string;
	jobTitle: string | null;
	primary: boolean;
}

/** Validates `connections` (exactly one primary, existing companies, no company twice). */
export function readConnections(core: SimCore, c: FieldErrorCollector, body: Record<string, unknown>): ConnectionInput[] | null | undefined {
	if (!has(body, 'connections')) return undefined;
	const value = body.connections;
	if (value === null) return null;
	if (!Array.isArray(value)) {
		c.add('connections', 'connections must be an array.');
		return undefined;
	}
	const out: ConnectionInput[] = [];
	const seen = new Set<string>();
	value.forEach((raw: unknown, i: number) => {
		const conn = (raw ?? {}) as Record<string, unknown>;
		const company = (conn.company ?? {}) as Record<string, unknown>;
		if (company.kind !== 'existing') {
			c.add(`connections[${i}].company.kind`, "Only company.kind 'existing' is supported.");
			return;
		}
		const id = typeof company.id === 'number' ? String(company.id) : company.id;
		if (typeof id !== 'string' || !id) {
			c.add(`connections[${i}].company.id`, 'company.id is required.');
			return;
		}
		const target = core.store.companies.get(id);
		if (!target || target.deletedUtc) c.add(`connections[${i}].company.id`, `Company '${id}' was not found.`);
		if (seen.has(id)) c.add(`connections[${i}].company.id`, `Company '${id}' appears more than once.`);
		seen.add(id);
		if (conn.jobTitle !== undefined && conn.jobTitle !== null && (typeof conn.jobTitle !== 'string' || conn.jobTitle.length > 255)) {
			c.add(`connections[${i}].jobTitle`, 'jobTitle must be a string of at most 255 characters.');
		}
		out.push({ companyId: id, jobTitle: typeof conn.jobTitle === 'string' ? conn.jobTitle : null, primary: conn.primary === true });
	});
	if (out.length > 0 && out.filter((x) => x.primary).length !== 1) c.add('connections', 'Exactly one connection must be primary.');
	return out;
}

/**
 * Makes the contact's links equal to `connections` (replace-all, inferred like externalRefs):
 * missing links are deleted, existing ones updated, new ones created. Returns whether anything changed.
 */
export function syncConnections(ctx: WriteContext, contactId: string, connections: ConnectionInput[]): boolean {
	let changed = false;
	const current = activeLinks(ctx.core, { contactId });
	const wanted = new Map(connections.map((conn) => [conn.companyId, conn]));
	for (const link of current) {
		if (!wanted.has(link.companyId)) {
			deleteLink(ctx, link, true);
			changed = true;
		}
	}
	// Non-primary first so the primary is set last and wins.
	for (const conn of [...connections].sort((a, b) => Number(a.primary) - Number(b.primary))) {
		const existing = current.find((l) => l.companyId === conn.companyId && !l.deletedUtc);
		if (existing) {
			const etag = existing.etag;
			updateLink(ctx, existing, { jobTitle: conn.jobTitle, isPrimary: conn.primary ? true : existing.isPrimary ? false : undefined }, true);
			if (existing.etag !== etag) changed = true;
		} else {
			createLink(ctx, { contactId, companyId: conn.companyId, jobTitle: conn.jobTitle, isPrimary: conn.primary }, true);
			changed = true;
		}
	}
	return changed;
}

export function registerLinkRoutes(router: Router, core: SimCore, writeCtx: (req: SimRequest) => WriteContext): void {
	const base = '/api/v1/network/links';
	router.add('GET', base, (req) => {
		const contactId = req.query.get('contact_id');
		const companyId = req.query.get('company_id');
		return listResponse(core, req, core.store.links, (l) => linkView(core, l), (l) => (!contactId || l.contactId === contactId) && (!companyId || l.companyId === companyId));
	});
	router.add('GET', `${base}/{id}`, (req) => withEtag(200, linkView(core, live(core.store.links, req.params.id, 'Link'))));
	router.add('POST', base, (req) => {
		const body = requireObject(req.body);
		const c = new FieldErrorCollector();
		const contactId = readString(c, body, 'contactId', { nullable: false, min: 1 });
		const companyId = readString(c, body, 'companyId', { nullable: false, min: 1 });
		if (contactId === undefined && !c.errors.contactId) c.add('contactId', 'The contactId field is required.');
		if (companyId === undefined && !c.errors.companyId) c.add('companyId', 'The companyId field is required.');
		const jobTitle = readString(c, body, 'jobTitle', { max: 255 });
		const isPrimary = readBool(c, body, 'isPrimary');
		c.throwIfAny();
		if (!core.store.contacts.get(contactId!) || core.store.contacts.get(contactId!)!.deletedUtc) throw notFound(`Contact '${contactId}'`);
		const link = createLink(writeCtx(req), { contactId: contactId!, companyId: companyId!, jobTitle: jobTitle ?? null, isPrimary });
		return withEtag(201, linkView(core, link, true), { Location: `${base}/${link.id}` });
	});
	router.add('PATCH', `${base}/{id}`, (req) => {
		const link = live(core.store.links, req.params.id, 'Link');
		checkIfMatch(req, link.etag, core.switches.strictLinkIfMatch);
		const body = requireObject(req.body, true);
		const c = new FieldErrorCollector();
		const jobTitle = readString(c, body, 'jobTitle', { max: 255 });
		const isPrimary = readBool(c, body, 'isPrimary');
		c.throwIfAny();
		updateLink(writeCtx(req), link, { jobTitle, isPrimary });
		return withEtag(200, linkView(core, link, true));
	});
	router.add('DELETE', `${base}/{id}`, (req) => {
		const link = live(core.store.links, req.params.id, 'Link');
		checkIfMatch(req, link.etag, false);
		deleteLink(writeCtx(req), link);
		return noContent();
	});
}
