/**
 * Companies: list, get, get by external ref, create, patch, delete, upsert by external ref (mirrors
 * the contact upsert; `match=domain` instead of `match=email` — inferred, the docs show no company
 * upsert), contacts at a company, and find-duplicates (both documented paths).
 */
import type { SimCore, WriteContext } from '../context';
import { ApiError, FieldErrorCollector, conflict, notFound } from '../errors';
import { json, noContent, type Router, type SimRequest } from '../http';
import { encodeCursor, findByRef, parseBool, parsePageSize } from '../store';
import type { CompanyRecord, ExternalRef } from '../types';
import { checkIfMatch, readExternalRefs, readString, readStringArray, requireObject, type Body } from '../validate';
import { auditFields, listResponse, live, snapshot, withEtag } from './common';
import { activeLinks, deleteLink } from './links';
import { addAudit } from './timeline';
import type { UpsertAction } from './contacts';

export function companyView(core: SimCore, c: CompanyRecord, withChange = false) {
	const links = activeLinks(core, { companyId: c.id }).sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
	return {
		id: c.id,
		uri: null,
		name: c.name,
		externalRefs: c.externalRefs.map((r) => ({ ...r })),
		countryCode: c.countryCode,
		domain: c.domain,
		homepageUrl: c.homepageUrl,
		linkedInUrl: c.linkedInUrl,
		strategy: c.strategy,
		tags: [...c.tags],
		contacts: links.map((l) => {
			const contact = core.store.contacts.get(l.contactId);
			return { id: l.contactId, uri: null, firstName: contact?.firstName ?? null, lastName: contact?.lastName ?? null, email: contact?.email ?? null, jobTitle: l.jobTitle, isPrimary: l.isPrimary };
		}),
		...auditFields(core, c, withChange),
	};
}

/** Domains are stored lower-cased without scheme, path or `www.` (reference §9.1). */
export function normaliseDomain(raw: string): string {
	let d = raw.trim().toLowerCase();
	d = d.replace(/^[a-z]+:\/\//, '').replace(/[/?#].*$/, '').replace(/:\d+$/, '');
	return d.replace(/^www\./, '');
}

function readCompanyInput(body: Body, mode: 'create' | 'patch') {
	const c = new FieldErrorCollector();
	const name = readString(c, body, 'name', { min: 1, max: 255, nullable: false });
	if (mode === 'create' && name === undefined && !c.errors.name) c.add('name', 'The name field is required.');
	const countryCode = readString(c, body, 'countryCode', { max: 10, pattern: /^[A-Za-z]{2}$/, patternMessage: 'countryCode must be an ISO 3166-1 alpha-2 code.' });
	const domain = readString(c, body, 'domain', { max: 255 });
	const homepageUrl = readString(c, body, 'homepageUrl', { max: 500, pattern: /^https?:\/\/[^\s]+$/i, patternMessage: 'homepageUrl must be an http(s) URL.' });
	const linkedInUrl = readString(c, body, 'linkedInUrl', { max: 500, pattern: /^https:\/\/(www\.)?linkedin\.com\/company\/[^/\s]+\/?$/, patternMessage: 'linkedInUrl must look like https://www.linkedin.com/company/{slug}.' });
	const strategy = readString(c, body, 'strategy');
	const tags = readStringArray(c, body, 'tags', { maxItems: 100 });
	const externalRefs = readExternalRefs(c, body);
	c.throwIfAny();
	const f: Partial<CompanyRecord> = {};
	if (name !== undefined && name !== null) f.name = name;
	if (countryCode !== undefined) f.countryCode = countryCode === null ? null : countryCode.toUpperCase();
	if (domain !== undefined) f.domain = domain === null || domain === '' ? null : normaliseDomain(domain);
	if (homepageUrl !== undefined) {
		f.homepageUrl = homepageUrl;
		// The domain is derived from homepageUrl when one is given (a sent `domain` is then ignored).
		if (homepageUrl) f.domain = normaliseDomain(homepageUrl);
	}
	if (linkedInUrl !== undefined) f.linkedInUrl = linkedInUrl;
	if (strategy !== undefined) f.strategy = strategy;
	if (tags !== undefined) f.tags = tags === null ? [] : [...new Set(tags)];
	return { fields: f, externalRefs };
}

function assertUniqueRefs(core: SimCore, record: CompanyRecord): void {
	for (const ref of record.externalRefs) {
		const owner = findByRef(core.store.companies, ref.namespace, ref.id);
		if (owner && owner.id !== record.id) throw conflict(`External reference ${ref.namespace}/${ref.id} is already used by company '${owner.id}'.`);
	}
}

function mergeRef(refs: ExternalRef[], ref: ExternalRef): ExternalRef[] {
	return [...refs.filter((r) => r.namespace.toLowerCase() !== ref.namespace.toLowerCase()), ref];
}

export function createCompany(ctx: WriteContext, body: Body, pathRef?: ExternalRef): CompanyRecord {
	const { core } = ctx;
	if (pathRef && body.name === undefined) throw new ApiError(400, 'Validation Error', 'The name field is required to create a company.', { errors: { name: ['The name field is required.'] } });
	const input = readCompanyInput(body, 'create');
	const record: CompanyRecord = {
		...core.store.newVersioned(ctx.origin),
		name: '',
		externalRefs: [],
		countryCode: null,
		domain: null,
		homepageUrl: null,
		linkedInUrl: null,
		strategy: null,
		tags: [],
	};
	Object.assign(record, input.fields);
	record.externalRefs = input.externalRefs ?? [];
	if (pathRef) record.externalRefs = mergeRef(record.externalRefs, pathRef);
	assertUniqueRefs(core, record);
	core.store.companies.set(record.id, record);
	addAudit(ctx, 'company', record.id, 'CompanyCreated', Object.keys(body));
	core.emit('company.created', companyView(core, record, true));
	return record;
}

export function updateCompany(ctx: WriteContext, record: CompanyRecord, body: Body, pathRef?: ExternalRef, revive = false): CompanyRecord {
	const { core } = ctx;
	const input = readCompanyInput(body, 'patch');
	const before = snapshot(companyView(core, record));
	const backup = JSON.parse(JSON.stringify(record)) as CompanyRecord;
	Object.assign(record, input.fields);
	if (input.externalRefs !== undefined) record.externalRefs = input.externalRefs ?? [];
	if (pathRef) record.externalRefs = mergeRef(record.externalRefs, pathRef);
	if (revive) record.deletedUtc = null;
	try {
		assertUniqueRefs(core, record);
	} catch (err) {
		Object.assign(record, backup);
		throw err;
	}
	if (!revive && snapshot(companyView(core, record)) === before) return record;
	core.store.touch(record, 'update', ctx.origin);
	addAudit(ctx, 'company', record.id, revive ? 'CompanyRevived' : 'CompanyUpdated', Object.keys(body));
	core.emit('company.updated', companyView(core, record, true));
	return record;
}

export function deleteCompany(ctx: WriteContext, record: CompanyRecord): void {
	record.deletedUtc = ctx.core.clock.iso();
	for (const link of activeLinks(ctx.core, { companyId: record.id })) deleteLink(ctx, link);
	ctx.core.store.touch(record, 'delete', ctx.origin);
	addAudit(ctx, 'company', record.id, 'CompanyDeleted', []);
	ctx.core.emit('company.deleted', companyView(ctx.core, record, true));
}

export function upsertCompany(ctx: WriteContext, namespace: string, id: string, body: Body, query: URLSearchParams): { record: CompanyRecord; action: UpsertAction } {
	const { core } = ctx;
	const revive = parseBool('revive', query.get('revive'), true);
	const createOnly = parseBool('create_only', query.get('create_only'), false);
	const match = query.get('match');
	if (match !== null && match !== 'domain') throw new ApiError(400, 'Validation Error', 'match must be domain.', { errors: { match: ["Only 'domain' is supported for companies."] } });
	const pathRef = { namespace, id };
	const existing = findByRef(core.store.companies, namespace, id);
	const deleted = existing ? undefined : findByRef(core.store.companies, namespace, id, { includeDeleted: true });
	let byDomain: CompanyRecord | undefined;
	const wantedDomain = typeof body.homepageUrl === 'string' ? normaliseDomain(body.homepageUrl) : typeof body.domain === 'string' ? normaliseDomain(body.domain) : null;
	if (!existing && !(deleted && revive) && match === 'domain' && wantedDomain) {
		// Domain index hits are candidates (table order); re-check each record as it is now.
		byDomain = core.store.companies
			.idsWithKey(wantedDomain)
			.map((cid) => core.store.companies.get(cid)!)
			.find((c) => !c.deletedUtc && c.domain === wantedDomain);
		const clash = byDomain?.externalRefs.find((r) => r.namespace.toLowerCase() === namespace.toLowerCase());
		if (byDomain && clash) throw conflict(`Company '${byDomain.id}' with domain '${wantedDomain}' already has ${clash.namespace}/${clash.id}.`);
	}
	const target = existing ?? (deleted && revive ? deleted : undefined) ?? byDomain;
	if (createOnly) {
		if (core.switches.createOnlyMeaning === 'create-only' && target) throw conflict(`A company for ${namespace}/${id} already exists ('${target.id}'); create_only=true refuses to update it.`);
		if (core.switches.createOnlyMeaning === 'update-only' && !target) throw notFound(`Company with external reference ${namespace}/${id}`);
	}
	if (existing) return { record: updateCompany(ctx, existing, body, pathRef), action: 'updated' };
	if (deleted && revive) return { record: updateCompany(ctx, deleted, body, pathRef, true), action: 'revived' };
	if (byDomain) return { record: updateCompany(ctx, byDomain, body, pathRef), action: 'updated' };
	if (deleted) {
		deleted.externalRefs = deleted.externalRefs.filter((r) => !(r.namespace.toLowerCase() === namespace.toLowerCase() && r.id === id));
		core.store.companies.reindex(deleted);
	}
	return { record: createCompany(ctx, body, pathRef), action: 'created' };
}

// ---- find-duplicates -------------------------------------------------------------------------

const LEGAL_SUFFIXES = new Set(['ab', 'publ', 'as', 'asa', 'a/s', 'aps', 'oy', 'oyj', 'ab.', 'ltd', 'limited', 'gmbh', 'inc', 'llc', 'plc', 'bv', 'sa', 'ag', 'hb', 'kb', 'ky']);

function fold(s: string): string {
	return s
		.toLowerCase()
		.replace(/æ/g, 'ae')
		.replace(/ø/g, 'o')
		.replace(/å/g, 'a')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '');
}

export function nameTokens(name: string): string[] {
	return fold(name)
		.replace(/[()]/g, ' ')
		.split(/[\s,.&-]+/)
		.filter((t) => t && !LEGAL_SUFFIXES.has(t));
}

export function jaroWinkler(a: string, b: string): number {
	if (a === b) return 1;
	if (!a.length || !b.length) return 0;
	const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
	const aM = new Array<boolean>(a.length).fill(false);
	const bM = new Array<boolean>(b.length).fill(false);
	let matches = 0;
	for (let i = 0; i < a.length; i++) {
		for (let j = Math.max(0, i - range); j < Math.min(b.length, i + range + 1); j++) {
			if (bM[j] || a[i] !== b[j]) continue;
			aM[i] = bM[j] = true;
			matches++;
			break;
		}
	}
	if (!matches) return 0;
	let t = 0;
	let k = 0;
	for (let i = 0; i < a.length; i++) {
		if (!aM[i]) continue;
		while (!bM[k]) k++;
		if (a[i] !== b[k]) t++;
		k++;
	}
	const jaro = (matches / a.length + matches / b.length + (matches - t / 2) / matches) / 3;
	let prefix = 0;
	while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
	return jaro + prefix * 0.1 * (1 - jaro);
}

/** Candidates by Domain (1.0), NormalizedName (0.95), TokenContainment (0.8) or JaroWinkler (≥ 0.88). */
export function findDuplicates(core: SimCore, input: { name: string | null; domain: string | null; countryCode: string | null }) {
	const results: { id: string; name: string; domain: string | null; countryCode: string | null; method: string; score: number }[] = [];
	const wantTokens = input.name ? nameTokens(input.name) : [];
	const wantNorm = wantTokens.join(' ');
	for (const c of core.store.companies.values()) {
		if (c.deletedUtc) continue;
		if (input.countryCode && c.countryCode && c.countryCode !== input.countryCode.toUpperCase()) continue;
		let method: string | null = null;
		let score = 0;
		if (input.domain && c.domain === input.domain) {
			method = 'Domain';
			score = 1;
		} else if (wantNorm) {
			const tokens = nameTokens(c.name);
			const norm = tokens.join(' ');
			const [short, long] = wantTokens.length <= tokens.length ? [wantTokens, tokens] : [tokens, wantTokens];
			const jw = jaroWinkler(wantNorm, norm);
			if (norm === wantNorm) {
				method = 'NormalizedName';
				score = 0.95;
			} else if (short.length > 0 && short.every((t) => long.includes(t))) {
				method = 'TokenContainment';
				score = 0.8;
			} else if (jw >= 0.88) {
				method = 'JaroWinkler';
				score = Math.min(0.9, Math.round(jw * 100) / 100);
			}
		}
		if (method) results.push({ id: c.id, name: c.name, domain: c.domain, countryCode: c.countryCode, method, score });
	}
	return results.sort((a, b) => b.score - a.score);
}

export function registerCompanyRoutes(router: Router, core: SimCore, writeCtx: (req: SimRequest) => WriteContext): void {
	const base = '/api/v1/network/companies';
	router.add('GET', base, (req) => listResponse(core, req, core.store.companies, (c) => companyView(core, c)));
	router.add('GET', `${base}/{id}`, (req) => withEtag(200, companyView(core, live(core.store.companies, req.params.id, 'Company'))));
	router.add('GET', `${base}/external/{namespace}/{id}`, (req) => {
		const record = findByRef(core.store.companies, req.params.namespace, req.params.id);
		if (!record) throw notFound(`Company with external reference ${req.params.namespace}/${req.params.id}`);
		return withEtag(200, companyView(core, record));
	});
	router.add('GET', `${base}/{id}/contacts`, (req) => {
		live(core.store.companies, req.params.id, 'Company');
		const pageSize = parsePageSize(req.query);
		const links = activeLinks(core, { companyId: req.params.id }).sort((a, b) => Number(a.id) - Number(b.id));
		const after = req.query.get('cursor');
		const afterId = after ? String(JSON.parse(Buffer.from(after, 'base64').toString('utf8')).i) : null;
		const rest = afterId ? links.filter((l) => Number(l.id) > Number(afterId)) : links;
		const items = rest.slice(0, pageSize);
		const hasMore = rest.length > items.length;
		const data = items.map((l) => {
			const contact = core.store.contacts.get(l.contactId);
			return { id: l.contactId, linkId: l.id, createdUtc: l.createdUtc, updatedUtc: l.updatedUtc, email: contact?.email ?? null, firstName: contact?.firstName ?? null, lastName: contact?.lastName ?? null, isPrimary: l.isPrimary, jobTitle: l.jobTitle, uri: null };
		});
		const last = items[items.length - 1];
		return json(200, { data, page: { nextCursor: hasMore && last ? encodeCursor({ u: last.updatedUtc, i: last.id }) : null, pageSize, hasMore } });
	});
	router.add('POST', base, (req) => {
		const body = requireObject(req.body);
		if (core.switches.duplicateRefOnCreate === 'return-existing' && Array.isArray(body.externalRefs)) {
			for (const ref of body.externalRefs as ExternalRef[]) {
				const owner = ref && typeof ref.namespace === 'string' ? findByRef(core.store.companies, ref.namespace, String(ref.id)) : undefined;
				if (owner) return withEtag(200, companyView(core, owner));
			}
		}
		const record = createCompany(writeCtx(req), body);
		return withEtag(201, companyView(core, record, true), { Location: `${base}/${record.id}` });
	});
	router.add('PATCH', `${base}/{id}`, (req) => {
		const record = live(core.store.companies, req.params.id, 'Company');
		checkIfMatch(req, record.etag, false);
		updateCompany(writeCtx(req), record, requireObject(req.body, true));
		return withEtag(200, companyView(core, record, true));
	});
	router.add('PATCH', `${base}/external/{namespace}/{id}`, (req) => {
		const body = requireObject(req.body, true);
		const existing = findByRef(core.store.companies, req.params.namespace, req.params.id);
		if (existing) checkIfMatch(req, existing.etag, false);
		const { record, action } = upsertCompany(writeCtx(req), req.params.namespace, req.params.id, body, req.query);
		const headers: Record<string, string> = { 'X-Propstreet-Upsert-Action': action };
		if (action === 'created') headers.Location = `${base}/${record.id}`;
		return withEtag(action === 'created' ? 201 : 200, companyView(core, record, true), headers);
	});
	router.add('DELETE', `${base}/{id}`, (req) => {
		const record = live(core.store.companies, req.params.id, 'Company');
		checkIfMatch(req, record.etag, false);
		deleteCompany(writeCtx(req), record);
		return noContent();
	});
	// §22 #16: the changelog's path and the /network variant both answer.
	for (const path of ['/api/v1/companies/find-duplicates', `${base}/find-duplicates`]) {
		router.add('POST', path, (req) => {
			const body = requireObject(req.body);
			const c = new FieldErrorCollector();
			const name = readString(c, body, 'name', { max: 255 });
			const domain = readString(c, body, 'domain', { max: 255 });
			const homepageUrl = readString(c, body, 'homepageUrl', { max: 500 });
			const countryCode = readString(c, body, 'countryCode', { max: 10 });
			if (!name && !domain && !homepageUrl) c.add('name', 'Provide a name, a domain or a homepageUrl.');
			c.throwIfAny();
			const d = homepageUrl ? normaliseDomain(homepageUrl) : domain ? normaliseDomain(domain) : null;
			const data = findDuplicates(core, { name: name ?? null, domain: d, countryCode: countryCode ?? null });
			return json(200, core.switches.findDuplicatesResponse === 'array' ? data : { data });
		});
	}
}
