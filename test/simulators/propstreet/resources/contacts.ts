/**
 * Contacts: list, get, get by external ref, create, patch, delete, upsert by external ref
 * (`revive`, `match=email`, `create_only`, `X-Propstreet-Upsert-Action`), plus their notes/actions
 * (timeline.ts) and connections (links.ts).
 */
import type { SimCore, WriteContext } from '../context';
import { ApiError, FieldErrorCollector, conflict, notFound } from '../errors';
import { noContent, type Router, type SimRequest } from '../http';
import { findByRef, parseBool } from '../store';
import type { ContactRecord, ExternalRef } from '../types';
import { EMAIL_CHECK, checkIfMatch, readExternalRefs, readString, readStringArray, requireObject, type Body } from '../validate';
import { auditFields, listResponse, live, snapshot, withEtag } from './common';
import { activeLinks, deleteLink, readConnections, syncConnections, type ConnectionInput } from './links';
import { addAudit } from './timeline';

export function contactView(core: SimCore, c: ContactRecord, withChange = false) {
	const links = activeLinks(core, { contactId: c.id }).sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
	const primary = links.find((l) => l.isPrimary);
	return {
		id: c.id,
		uri: null,
		externalRefs: c.externalRefs.map((r) => ({ ...r })),
		firstName: c.firstName,
		lastName: c.lastName,
		email: c.email,
		phone: c.phone,
		linkedInUrl: c.linkedInUrl,
		emails: c.emails.map((e) => ({ address: e.address, type: e.type, isPrimary: e.address === c.email })),
		phones: c.phones.map((p) => ({ number: p.number, type: p.type, isPrimary: p.number === c.phone })),
		primaryLanguage: c.primaryLanguage,
		tags: [...c.tags],
		strategy: c.strategy,
		primaryCompanyId: primary ? primary.companyId : null,
		companies: links.map((l) => ({ id: l.companyId, uri: null, name: core.store.companies.get(l.companyId)?.name ?? null, jobTitle: l.jobTitle, isPrimary: l.isPrimary })),
		profilePictureUrl: c.profilePictureUrl,
		...auditFields(core, c, withChange),
	};
}

/**
 * Phone numbers are normalised to E.164 where they look international (`+46 70 123 45 67` →
 * `+46701234567`); anything else is kept verbatim. The docs state this for the upsert; the simulator
 * applies it on every contact write (inferred: one service behind all three).
 */
export function normalisePhone(raw: string): string {
	const trimmed = raw.trim();
	if (/^\+[\d\s\-().]{6,}$/.test(trimmed)) return '+' + trimmed.replace(/\D/g, '');
	return trimmed;
}

type Mode = 'create' | 'patch' | 'upsert';

interface ContactInput {
	fields: Partial<ContactRecord>;
	externalRefs?: ExternalRef[] | null;
	connections?: ConnectionInput[] | null;
}

function readContactInput(core: SimCore, body: Body, mode: Mode): ContactInput {
	const c = new FieldErrorCollector();
	const nameMax = mode === 'upsert' ? 100 : 255;
	const phoneMax = mode === 'upsert' ? 20 : 50;
	const f: Partial<ContactRecord> = {};
	const firstName = readString(c, body, 'firstName', { max: nameMax });
	const lastName = readString(c, body, 'lastName', { max: nameMax });
	// §22 #9: 254 (upsert and limits page) rather than create's 255.
	const email = readString(c, body, 'email', { max: 254, pattern: EMAIL_CHECK, patternMessage: 'The email field is not a valid e-mail address.' });
	const phone = readString(c, body, 'phone', { max: phoneMax });
	const linkedInUrl = readString(c, body, 'linkedInUrl', { max: 500, pattern: /^https:\/\/(www\.)?linkedin\.com\/in\/[^/\s]+\/?$/, patternMessage: 'linkedInUrl must look like https://www.linkedin.com/in/{slug}.' });
	const primaryLanguage = readString(c, body, 'primaryLanguage', { max: 10, pattern: /^[A-Za-z]{2}$/, patternMessage: 'primaryLanguage must be an ISO 639-1 code.' });
	const strategy = readString(c, body, 'strategy', mode === 'upsert' ? { max: 4000 } : {});
	const tags = readStringArray(c, body, 'tags', { maxItems: 100 });
	const blocked = body.blocked;
	if (blocked !== undefined && blocked !== null && typeof blocked !== 'boolean') c.add('blocked', 'blocked must be a boolean.');
	if (blocked !== undefined && mode === 'create') c.add('blocked', 'blocked can only be set on update.');
	let emails: ContactRecord['emails'] | undefined;
	if (body.emails !== undefined && body.emails !== null) {
		if (!Array.isArray(body.emails)) c.add('emails', 'emails must be an array.');
		else {
			emails = [];
			body.emails.forEach((e: unknown, i: number) => {
				const entry = (e ?? {}) as Record<string, unknown>;
				if (typeof entry.address !== 'string' || !EMAIL_CHECK.test(entry.address) || entry.address.length > 254) c.add(`emails[${i}].address`, 'A valid address of at most 254 characters is required.');
				if (entry.type != null && !['work', 'personal', 'other'].includes(String(entry.type))) c.add(`emails[${i}].type`, 'type must be work, personal or other.');
				if (typeof entry.address === 'string') emails!.push({ address: entry.address, type: (entry.type as string) ?? null });
			});
		}
	}
	let phones: ContactRecord['phones'] | undefined;
	if (body.phones !== undefined && body.phones !== null) {
		if (!Array.isArray(body.phones)) c.add('phones', 'phones must be an array.');
		else {
			phones = [];
			body.phones.forEach((p: unknown, i: number) => {
				const entry = (p ?? {}) as Record<string, unknown>;
				if (typeof entry.number !== 'string' || !entry.number.trim() || entry.number.length > 30) c.add(`phones[${i}].number`, 'A number of at most 30 characters is required.');
				if (entry.type != null && !['mobile', 'work', 'home', 'other'].includes(String(entry.type))) c.add(`phones[${i}].type`, 'type must be mobile, work, home or other.');
				if (typeof entry.number === 'string') phones!.push({ number: normalisePhone(entry.number), type: (entry.type as string) ?? null });
			});
		}
	}
	const externalRefs = readExternalRefs(c, body);
	const connections = readConnections(core, c, body);
	c.throwIfAny();
	if (firstName !== undefined) f.firstName = firstName;
	if (lastName !== undefined) f.lastName = lastName;
	if (email !== undefined) f.email = email;
	if (phone !== undefined) f.phone = phone === null ? null : normalisePhone(phone);
	if (linkedInUrl !== undefined) f.linkedInUrl = linkedInUrl;
	if (primaryLanguage !== undefined) f.primaryLanguage = primaryLanguage;
	if (strategy !== undefined) f.strategy = strategy;
	if (tags !== undefined) f.tags = tags === null ? [] : [...new Set(tags)];
	if (typeof blocked === 'boolean') f.blocked = blocked;
	if (emails) f.emails = emails;
	if (phones) f.phones = phones;
	return { fields: f, externalRefs, connections };
}

/** Applies primary email/phone rules: an explicit value is primary; otherwise the first list entry. */
function applyFields(record: ContactRecord, f: Partial<ContactRecord>): void {
	const { emails, phones, ...plain } = f;
	const oldEmail = record.email;
	const oldPhone = record.phone;
	Object.assign(record, plain);
	if (emails) {
		record.emails = emails;
		if (f.email === undefined) record.email = emails[0]?.address ?? null;
	} else if (f.email !== undefined) record.emails = record.emails.filter((e) => e.address !== oldEmail);
	if (record.email && !record.emails.some((e) => e.address === record.email)) record.emails.unshift({ address: record.email, type: null });
	if (phones) {
		record.phones = phones;
		if (f.phone === undefined) record.phone = phones[0]?.number ?? null;
	} else if (f.phone !== undefined) record.phones = record.phones.filter((p) => p.number !== oldPhone);
	if (record.phone && !record.phones.some((p) => p.number === record.phone)) record.phones.unshift({ number: record.phone, type: null });
}

/** The first live contact (table order) whose primary e-mail matches, case-insensitively; via the e-mail index. */
function liveContactByEmail(core: SimCore, email: string, exceptId?: string): ContactRecord | undefined {
	const key = email.toLowerCase();
	for (const id of core.store.contacts.idsWithKey(key)) {
		const other = core.store.contacts.get(id);
		// Index hits are candidates: re-check the record as it is now.
		if (other && other.id !== exceptId && !other.deletedUtc && other.email?.toLowerCase() === key) return other;
	}
	return undefined;
}

function assertUnique(core: SimCore, record: ContactRecord): void {
	for (const ref of record.externalRefs) {
		const owner = findByRef(core.store.contacts, ref.namespace, ref.id);
		if (owner && owner.id !== record.id) throw conflict(`External reference ${ref.namespace}/${ref.id} is already used by contact '${owner.id}'.`);
	}
	if (record.email) {
		const other = liveContactByEmail(core, record.email, record.id);
		if (other) throw conflict(`Email '${record.email}' is already used by contact '${other.id}'.`);
	}
}

function emptyContact(core: SimCore, ctx: WriteContext): ContactRecord {
	return {
		...core.store.newVersioned(ctx.origin),
		externalRefs: [],
		firstName: null,
		lastName: null,
		email: null,
		phone: null,
		linkedInUrl: null,
		emails: [],
		phones: [],
		primaryLanguage: null,
		tags: [],
		strategy: null,
		profilePictureUrl: null,
		blocked: false,
	};
}

function mergeRef(refs: ExternalRef[], ref: ExternalRef): ExternalRef[] {
	return [...refs.filter((r) => r.namespace.toLowerCase() !== ref.namespace.toLowerCase()), ref];
}

export function createContact(ctx: WriteContext, body: Body, mode: 'create' | 'upsert' = 'create', pathRef?: ExternalRef): ContactRecord {
	const { core } = ctx;
	const input = readContactInput(core, body, mode);
	const record = emptyContact(core, ctx);
	applyFields(record, input.fields);
	record.externalRefs = input.externalRefs ?? [];
	if (pathRef) record.externalRefs = mergeRef(record.externalRefs, pathRef);
	if (!record.firstName?.trim() && !record.lastName?.trim() && !record.email && !record.phone) {
		throw new ApiError(400, 'Validation Error', 'A contact needs at least a name, an email or a phone.', {
			errors: { firstName: ['Provide a name, an email or a phone.'] },
		});
	}
	assertUnique(core, record);
	core.store.contacts.set(record.id, record);
	if (input.connections?.length) syncConnections(ctx, record.id, input.connections);
	addAudit(ctx, 'contact', record.id, 'ContactCreated', Object.keys(body));
	core.emit('contact.created', contactView(core, record, true));
	return record;
}

/** Writes the given fields; a write that changes nothing returns the contact untouched (no new version, no webhook). */
export function updateContact(ctx: WriteContext, record: ContactRecord, body: Body, mode: 'patch' | 'upsert' = 'patch', pathRef?: ExternalRef, revive = false): ContactRecord {
	const { core } = ctx;
	const input = readContactInput(core, body, mode);
	const before = snapshot(contactView(core, record));
	const backup = JSON.parse(JSON.stringify(record)) as ContactRecord;
	applyFields(record, input.fields);
	if (input.externalRefs !== undefined) record.externalRefs = input.externalRefs ?? [];
	if (pathRef) record.externalRefs = mergeRef(record.externalRefs, pathRef);
	if (revive) record.deletedUtc = null;
	try {
		assertUnique(core, record);
	} catch (err) {
		Object.assign(record, backup);
		throw err;
	}
	const linksChanged = input.connections !== undefined ? syncConnections(ctx, record.id, input.connections ?? []) : false;
	const changed = linksChanged || revive || snapshot(contactView(core, record)) !== before;
	if (!changed) return record;
	core.store.touch(record, 'update', ctx.origin);
	addAudit(ctx, 'contact', record.id, revive ? 'ContactRevived' : 'ContactUpdated', Object.keys(body));
	core.emit('contact.updated', contactView(core, record, true));
	return record;
}

export function deleteContact(ctx: WriteContext, record: ContactRecord): void {
	record.deletedUtc = ctx.core.clock.iso();
	for (const link of activeLinks(ctx.core, { contactId: record.id })) deleteLink(ctx, link, true);
	ctx.core.store.touch(record, 'delete', ctx.origin);
	addAudit(ctx, 'contact', record.id, 'ContactDeleted', []);
	ctx.core.emit('contact.deleted', contactView(ctx.core, record, true));
}

export type UpsertAction = 'created' | 'updated' | 'revived';

/**
 * `PATCH /network/contacts/external/{namespace}/{id}`: find by ref (live), else revive a deleted owner
 * (`revive`, default true), else `match=email`, else create. `create_only=true` is read per the
 * `createOnlyMeaning` switch (§22 #11): `create-only` refuses to touch an existing contact (409);
 * `update-only` refuses to create (404).
 */
export function upsertContact(ctx: WriteContext, namespace: string, id: string, body: Body, query: URLSearchParams): { record: ContactRecord; action: UpsertAction } {
	const { core } = ctx;
	const revive = parseBool('revive', query.get('revive'), true);
	const createOnly = parseBool('create_only', query.get('create_only'), false);
	const match = query.get('match');
	if (match !== null && match !== 'email') throw new ApiError(400, 'Validation Error', 'match must be email.', { errors: { match: ["Only 'email' is supported."] } });
	if (!namespace.trim() || namespace.length > 50 || !id || id.length > 255) {
		throw new ApiError(400, 'Validation Error', 'Invalid external reference.', { errors: { namespace: ['namespace must be 1–50 characters and id 1–255.'] } });
	}
	const pathRef = { namespace, id };
	const existing = findByRef(core.store.contacts, namespace, id);
	const deleted = existing ? undefined : findByRef(core.store.contacts, namespace, id, { includeDeleted: true });
	let byEmail: ContactRecord | undefined;
	if (!existing && !(deleted && revive) && match === 'email' && typeof body.email === 'string') {
		byEmail = liveContactByEmail(core, body.email);
		const clash = byEmail?.externalRefs.find((r) => r.namespace.toLowerCase() === namespace.toLowerCase());
		if (byEmail && clash) throw conflict(`Contact '${byEmail.id}' with email '${body.email}' already has ${clash.namespace}/${clash.id}; refusing to re-point it.`);
	}
	const target = existing ?? (deleted && revive ? deleted : undefined) ?? byEmail;
	if (createOnly) {
		if (core.switches.createOnlyMeaning === 'create-only' && target) throw conflict(`A contact for ${namespace}/${id} already exists ('${target.id}'); create_only=true refuses to update it.`);
		if (core.switches.createOnlyMeaning === 'update-only' && !target) throw notFound(`Contact with external reference ${namespace}/${id}`);
	}
	if (existing) return { record: updateContact(ctx, existing, body, 'upsert', pathRef), action: 'updated' };
	if (deleted && revive) return { record: updateContact(ctx, deleted, body, 'upsert', pathRef, true), action: 'revived' };
	if (byEmail) return { record: updateContact(ctx, byEmail, body, 'upsert', pathRef), action: 'updated' };
	if (deleted) {
		// revive=false: the new contact takes over the ref; the deleted one keeps nothing that could collide.
		deleted.externalRefs = deleted.externalRefs.filter((r) => !(r.namespace.toLowerCase() === namespace.toLowerCase() && r.id === id));
		core.store.contacts.reindex(deleted);
	}
	return { record: createContact(ctx, body, 'upsert', pathRef), action: 'created' };
}

export function registerContactRoutes(router: Router, core: SimCore, writeCtx: (req: SimRequest) => WriteContext): void {
	const base = '/api/v1/network/contacts';
	router.add('GET', base, (req) => listResponse(core, req, core.store.contacts, (c) => contactView(core, c)));
	router.add('GET', `${base}/{id}`, (req) => withEtag(200, contactView(core, live(core.store.contacts, req.params.id, 'Contact'))));
	router.add('GET', `${base}/external/{namespace}/{id}`, (req) => {
		const record = findByRef(core.store.contacts, req.params.namespace, req.params.id);
		if (!record) throw notFound(`Contact with external reference ${req.params.namespace}/${req.params.id}`);
		return withEtag(200, contactView(core, record));
	});
	router.add('POST', base, (req) => {
		const body = requireObject(req.body);
		if (core.switches.duplicateRefOnCreate === 'return-existing' && Array.isArray(body.externalRefs)) {
			for (const ref of body.externalRefs as ExternalRef[]) {
				const owner = ref && typeof ref.namespace === 'string' ? findByRef(core.store.contacts, ref.namespace, String(ref.id)) : undefined;
				if (owner) return withEtag(200, contactView(core, owner));
			}
		}
		const record = createContact(writeCtx(req), body);
		return withEtag(201, contactView(core, record, true), { Location: `${base}/${record.id}` });
	});
	router.add('PATCH', `${base}/{id}`, (req) => {
		const record = live(core.store.contacts, req.params.id, 'Contact');
		checkIfMatch(req, record.etag, false);
		updateContact(writeCtx(req), record, requireObject(req.body, true));
		return withEtag(200, contactView(core, record, true));
	});
	router.add('PATCH', `${base}/external/{namespace}/{id}`, (req) => {
		const body = requireObject(req.body, true);
		const existing = findByRef(core.store.contacts, req.params.namespace, req.params.id);
		if (existing) checkIfMatch(req, existing.etag, false);
		const { record, action } = upsertContact(writeCtx(req), req.params.namespace, req.params.id, body, req.query);
		const headers: Record<string, string> = { 'X-Propstreet-Upsert-Action': action };
		if (action === 'created') headers.Location = `${base}/${record.id}`;
		// 201 only for a brand-new contact; revived and updated answer 200 (inferred).
		return withEtag(action === 'created' ? 201 : 200, contactView(core, record, true), headers);
	});
	router.add('DELETE', `${base}/{id}`, (req) => {
		const record = live(core.store.contacts, req.params.id, 'Contact');
		checkIfMatch(req, record.etag, false);
		deleteContact(writeCtx(req), record);
		return noContent();
	});
}
