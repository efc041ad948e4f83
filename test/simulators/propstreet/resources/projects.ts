/**
 * Projects: list (status / teaser_stage / classification filters), get, get by external ref, create,
 * patch, delete, project notes and timeline, the project teaser, and linked properties.
 *
 * `status` and `teaser.stage` are read-only (the system sets them; control calls can, as the app
 * would). `classification` is set with `PATCH {classification}` — the spec's reading; the reference
 * found no documented way (ARCHITECTURE.md "API decisions").
 */
import type { SimCore, WriteContext } from '../context';
import { ApiError, FieldErrorCollector, conflict, notFound, unprocessable } from '../errors';
import { json, noContent, type Router, type SimRequest } from '../http';
import { findByRef, keysetPage, envelope, parseListQuery } from '../store';
import type { Price, PriceRange, ProjectClassification, ProjectRecord, ProjectStatus, TeaserRecord, TeaserStage } from '../types';
import { checkIfMatch, checkReadOnly, has, readEnum, readExternalRefs, readNumber, readString, requireObject, type Body } from '../validate';
import { auditFields, listResponse, live, snapshot, withEtag } from './common';
import { propertyView } from './properties';
import { addAudit, createProjectNote, listTimeline, reviseNote } from './timeline';

export const PROJECT_CLASSIFICATIONS: ProjectClassification[] = ['draft', 'active', 'inactive'];
export const TEASER_STAGES: TeaserStage[] = ['property_added', 'drafting', 'published', 'verified', 'communicated'];
const SCALES: Price['scale'][] = ['none', 'thousands', 'millions', 'billions'];
const EXCLUSIVITY = ['exclusive', 'non_exclusive', 'other'] as const;

export function teaserView(core: SimCore, project: ProjectRecord, t: TeaserRecord, withChange = false) {
	const show = withChange || core.switches.changeFieldsOnReads;
	return {
		id: t.id,
		uri: null,
		stage: t.stage,
		createdUtc: t.createdUtc,
		updatedUtc: t.updatedUtc,
		etag: t.etag,
		changeType: show ? t.changeType : null,
		changeOrigin: show ? t.changeOrigin : null,
		publishedUtc: t.publishedUtc,
		verifiedUtc: t.verifiedUtc,
		communicatedUtc: t.communicatedUtc,
		isPreMarket: t.isPreMarket,
		exclusivity: project.exclusivity,
		title: t.title,
		tags: [...t.tags],
		navigateUri: `propstreet://projects/${project.id}/teaser`,
		nudge: null,
		options: t.options,
	};
}

export function projectView(core: SimCore, p: ProjectRecord, withChange = false) {
	return {
		id: p.id,
		uri: null,
		externalRefs: p.externalRefs.map((r) => ({ ...r })),
		name: p.name,
		asset: { ...p.asset },
		status: p.status,
		classification: p.classification,
		exclusivity: p.exclusivity,
		// Deprecated alias, filled with the same value during the deprecation window.
		mandate: p.exclusivity,
		price: p.price ? { ...p.price } : null,
		priceRange: p.priceRange ? { ...p.priceRange } : null,
		properties: p.propertyIds.map((id) => ({ id, uri: null, name: core.store.properties.get(id)?.name ?? null })),
		teaser: p.teaser ? teaserView(core, p, p.teaser, withChange) : null,
		...auditFields(core, p, withChange),
	};
}

function readPrice(c: FieldErrorCollector, body: Body, field: string): Price | null | undefined {
	if (!has(body, field)) return undefined;
	const v = body[field];
	if (v === null) return null;
	if (!v || typeof v !== 'object') {
		c.add(field, `${field} must be an object {value, currency, scale}.`);
		return undefined;
	}
	const o = v as Body;
	const value = readNumber(c, o, 'value', { min: 0 });
	if (value === undefined || value === null) c.add(`${field}.value`, 'value is required and must be ≥ 0.');
	if (typeof o.currency !== 'string' || !/^[A-Z]{3}$/.test(o.currency)) c.add(`${field}.currency`, 'currency must be a 3-letter ISO 4217 code.');
	const scale = o.scale === undefined || o.scale === null ? 'none' : o.scale;
	if (!SCALES.includes(scale as Price['scale'])) c.add(`${field}.scale`, `scale must be one of: ${SCALES.join(', ')}.`);
	return { value: value ?? 0, currency: String(o.currency), scale: scale as Price['scale'] };
}

function readPriceRange(c: FieldErrorCollector, body: Body): PriceRange | null | undefined {
	if (!has(body, 'priceRange')) return undefined;
	const v = body.priceRange;
	if (v === null) return null;
	if (!v || typeof v !== 'object') {
		c.add('priceRange', 'priceRange must be an object.');
		return undefined;
	}
	const o = v as Body;
	const min = readNumber(c, o, 'min', { min: 0 }) ?? null;
	const max = readNumber(c, o, 'max', { min: 0 }) ?? null;
	if (typeof o.currency !== 'string' || !/^[A-Z]{3}$/.test(o.currency)) c.add('priceRange.currency', 'currency must be a 3-letter ISO 4217 code.');
	const scale = o.scale == null ? 'none' : o.scale;
	if (!SCALES.includes(scale as Price['scale'])) c.add('priceRange.scale', `scale must be one of: ${SCALES.join(', ')}.`);
	if (min !== null && max !== null && min > max) c.add('priceRange', 'min must not exceed max.');
	return { min, max, currency: String(o.currency), scale: scale as Price['scale'] };
}

/** `asset: {type, propertyCount}`; the spec's flat `isPortfolio` / `propertyCount` are accepted as aliases. */
function readAsset(c: FieldErrorCollector, body: Body): ProjectRecord['asset'] | undefined {
	if (has(body, 'asset') && body.asset !== null) {
		const a = body.asset as Body;
		if (!a || typeof a !== 'object') {
			c.add('asset', 'asset must be an object {type, propertyCount}.');
			return undefined;
		}
		const type = readEnum(c, a, 'type', ['single', 'portfolio'] as const, false);
		if (type === undefined && !has(a, 'type')) c.add('asset.type', 'asset.type is required.');
		const count = readNumber(c, a, 'propertyCount', { integer: true, min: 1 });
		if (type === 'single' && count != null && count !== 1) c.add('asset.propertyCount', 'propertyCount is only used for portfolios.');
		return { type: type ?? 'single', propertyCount: type === 'portfolio' ? count ?? null : null };
	}
	if (has(body, 'isPortfolio') || has(body, 'propertyCount')) {
		if (has(body, 'isPortfolio') && typeof body.isPortfolio !== 'boolean') c.add('isPortfolio', 'isPortfolio must be a boolean.');
		const count = readNumber(c, body, 'propertyCount', { integer: true, min: 1 });
		const portfolio = body.isPortfolio === true || (body.isPortfolio === undefined && count != null && count > 1);
		return { type: portfolio ? 'portfolio' : 'single', propertyCount: portfolio ? count ?? null : null };
	}
	return has(body, 'asset') ? { type: 'single', propertyCount: null } : undefined;
}

function readProjectInput(core: SimCore, body: Body, mode: 'create' | 'patch') {
	const c = new FieldErrorCollector();
	checkReadOnly(c, body, mode === 'create' ? ['status', 'classification', 'teaser'] : ['status', 'teaser'], core.switches);
	const name = readString(c, body, 'name', { min: 1, max: 200, nullable: false });
	if (mode === 'create' && name === undefined && !c.errors.name) c.add('name', 'The name field is required.');
	if (typeof name === 'string' && !name.trim()) c.add('name', 'The name field must not be blank.');
	const asset = readAsset(c, body);
	const exclusivity = readEnum(c, body, 'exclusivity', EXCLUSIVITY);
	const mandate = readEnum(c, body, 'mandate', EXCLUSIVITY);
	const externalRefs = readExternalRefs(c, body);
	const price = readPrice(c, body, 'price');
	const priceRange = readPriceRange(c, body);
	const classification = mode === 'patch' ? readEnum(c, body, 'classification', PROJECT_CLASSIFICATIONS, false) : undefined;
	c.throwIfAny();
	if (exclusivity != null && mandate != null) {
		throw unprocessable('Send either exclusivity or the deprecated mandate, not both.', { mandate: ['mandate is deprecated; use exclusivity.'] });
	}
	return { name, asset, exclusivity: exclusivity !== undefined ? exclusivity : mandate, externalRefs, price, priceRange, classification };
}

function assertUniqueRefs(core: SimCore, p: ProjectRecord): void {
	for (const ref of p.externalRefs) {
		const owner = findByRef(core.store.projects, ref.namespace, ref.id);
		if (owner && owner.id !== p.id) throw conflict(`External reference ${ref.namespace}/${ref.id} is already used by project '${owner.id}'.`);
	}
}

function checkPriceRange(p: ProjectRecord): void {
	if (p.priceRange && !p.price) throw new ApiError(400, 'Validation Error', 'priceRange needs a price.', { errors: { priceRange: ['priceRange must be accompanied by price.'] } });
}

export function createProject(ctx: WriteContext, body: Body): ProjectRecord {
	const { core } = ctx;
	const input = readProjectInput(core, body, 'create');
	const p: ProjectRecord = {
		...core.store.newVersioned(ctx.origin),
		name: (input.name as string).trim(),
		externalRefs: input.externalRefs ?? [],
		asset: input.asset ?? { type: 'single', propertyCount: null },
		status: 'open',
		classification: 'draft',
		exclusivity: input.exclusivity ?? null,
		price: input.price ?? null,
		priceRange: input.priceRange ?? null,
		propertyIds: [],
		teaser: null,
	};
	checkPriceRange(p);
	assertUniqueRefs(core, p);
	core.store.projects.set(p.id, p);
	addAudit(ctx, 'project', p.id, 'ProjectCreated', Object.keys(body));
	core.emit('project.created', projectView(core, p, true));
	return p;
}

export interface SystemProjectPatch {
	status?: ProjectStatus;
	teaserStage?: TeaserStage | null;
}

/** PATCH fields, plus system-owned ones (status, teaser stage) that only control calls may pass. */
export function updateProject(ctx: WriteContext, p: ProjectRecord, body: Body, system: SystemProjectPatch = {}): ProjectRecord {
	const { core } = ctx;
	const input = readProjectInput(core, body, 'patch');
	const before = snapshot(projectView(core, p));
	const backup = JSON.parse(JSON.stringify(p)) as ProjectRecord;
	if (input.name !== undefined && input.name !== null) p.name = input.name.trim();
	if (input.asset !== undefined) p.asset = input.asset;
	if (input.exclusivity !== undefined) p.exclusivity = input.exclusivity;
	if (input.externalRefs !== undefined) p.externalRefs = input.externalRefs ?? [];
	if (input.price !== undefined) p.price = input.price;
	if (input.priceRange !== undefined) p.priceRange = input.priceRange;
	if (input.classification !== undefined && input.classification !== null) p.classification = input.classification;
	if (system.status) p.status = system.status;
	if (system.teaserStage !== undefined) setTeaserStage(core, ctx, p, system.teaserStage);
	try {
		checkPriceRange(p);
		assertUniqueRefs(core, p);
	} catch (err) {
		Object.assign(p, backup);
		throw err;
	}
	if (snapshot(projectView(core, p)) === before) return p;
	core.store.touch(p, 'update', ctx.origin);
	addAudit(ctx, 'project', p.id, 'ProjectUpdated', [...Object.keys(body), ...Object.keys(system)]);
	core.emit('project.updated', projectView(core, p, true));
	return p;
}

function setTeaserStage(core: SimCore, ctx: WriteContext, p: ProjectRecord, stage: TeaserStage | null): void {
	if (stage === null) {
		p.teaser = null;
		return;
	}
	const now = core.clock.iso();
	if (!p.teaser) {
		p.teaser = { id: `t${core.store.nextId()}`, stage, createdUtc: now, updatedUtc: now, etag: core.store.nextEtag(), publishedUtc: null, verifiedUtc: null, communicatedUtc: null, isPreMarket: false, title: p.name, tags: [], options: {}, changeType: 'create', changeOrigin: ctx.origin };
	} else if (p.teaser.stage !== stage) {
		p.teaser.stage = stage;
		p.teaser.updatedUtc = now;
		p.teaser.etag = core.store.nextEtag();
		p.teaser.changeType = 'update';
		p.teaser.changeOrigin = ctx.origin;
	}
	const rank = TEASER_STAGES.indexOf(stage);
	p.teaser.publishedUtc = rank >= 2 ? p.teaser.publishedUtc ?? now : null;
	p.teaser.verifiedUtc = rank >= 3 ? p.teaser.verifiedUtc ?? now : null;
	p.teaser.communicatedUtc = rank >= 4 ? p.teaser.communicatedUtc ?? now : null;
}

/** Soft delete: `status` becomes `deleted`; its prospects are deleted with it (`prospect.deleted`, inferred). */
export function deleteProject(ctx: WriteContext, p: ProjectRecord): void {
	const { core } = ctx;
	const now = core.clock.iso();
	for (const prospect of core.store.prospects.values()) {
		if (prospect.projectId !== p.id || prospect.deletedUtc) continue;
		prospect.deletedUtc = now;
		core.store.touch(prospect, 'delete', ctx.origin);
		core.emit('prospect.deleted', { ...prospectViewRef(core, prospect.id) });
	}
	p.deletedUtc = now;
	p.status = 'deleted';
	core.store.touch(p, 'delete', ctx.origin);
	addAudit(ctx, 'project', p.id, 'ProjectDeleted', []);
	core.emit('project.deleted', projectView(core, p, true));
}

// Late-bound to avoid a module cycle with prospects.ts.
let prospectViewRef: (core: SimCore, id: string) => Record<string, unknown> = () => ({});
export function bindProspectView(fn: (core: SimCore, id: string) => Record<string, unknown>): void {
	prospectViewRef = fn;
}

export function registerProjectRoutes(router: Router, core: SimCore, writeCtx: (req: SimRequest) => WriteContext): void {
	const base = '/api/v1/projects';
	router.add('GET', base, (req) => {
		const c = new FieldErrorCollector();
		const q: Body = Object.fromEntries(req.query.entries());
		const status = readEnum(c, q, 'status', ['open', 'closed', 'deleted'] as const, false);
		const stage = readEnum(c, q, 'teaser_stage', TEASER_STAGES, false);
		const classification = readEnum(c, q, 'classification', PROJECT_CLASSIFICATIONS, false);
		for (const geo of ['near', 'radius', 'location']) if (req.query.has(geo)) c.add(geo, 'Geographic filters are not modelled by the simulator.');
		c.throwIfAny();
		// Asking for status=deleted implies deleted rows.
		if (status === 'deleted' && !req.query.has('include_deleted')) req.query.set('include_deleted', 'true');
		return listResponse(core, req, core.store.projects, (p) => projectView(core, p), (p) => (!status || p.status === status) && (!stage || p.teaser?.stage === stage) && (!classification || p.classification === classification));
	});
	router.add('GET', `${base}/{id}`, (req) => withEtag(200, projectView(core, live(core.store.projects, req.params.id, 'Project'))));
	router.add('GET', `${base}/external/{namespace}/{id}`, (req) => {
		const p = findByRef(core.store.projects, req.params.namespace, req.params.id);
		if (!p) throw notFound(`Project with external reference ${req.params.namespace}/${req.params.id}`);
		return withEtag(200, projectView(core, p));
	});
	router.add('POST', base, (req) => {
		const p = createProject(writeCtx(req), requireObject(req.body));
		return withEtag(201, projectView(core, p, true), { Location: `${base}/${p.id}` });
	});
	router.add('PATCH', `${base}/{id}`, (req) => {
		const p = live(core.store.projects, req.params.id, 'Project');
		checkIfMatch(req, p.etag, false);
		updateProject(writeCtx(req), p, requireObject(req.body, true));
		return withEtag(200, projectView(core, p, true));
	});
	router.add('DELETE', `${base}/{id}`, (req) => {
		const p = live(core.store.projects, req.params.id, 'Project');
		checkIfMatch(req, p.etag, false);
		deleteProject(writeCtx(req), p);
		return noContent();
	});
	router.add('POST', `${base}/{id}/notes`, (req) => {
		live(core.store.projects, req.params.id, 'Project');
		const note = createProjectNote(writeCtx(req), 'project', req.params.id, requireObject(req.body));
		return json(201, { id: note.id, etag: note.etag });
	});
	router.add('PATCH', `${base}/{id}/notes/{noteId}`, (req) => {
		live(core.store.projects, req.params.id, 'Project');
		reviseNote(writeCtx(req), req, 'project', req.params.id, req.params.noteId);
		return noContent();
	});
	router.add('GET', `${base}/{id}/actions`, (req) => {
		const p = core.store.projects.get(req.params.id);
		if (!p) throw notFound(`Project '${req.params.id}'`);
		const rollups = req.query.get('include_rollups') !== 'false';
		const parents: { kind: 'project' | 'prospect'; id: string; subject?: string }[] = [{ kind: 'project', id: p.id }];
		if (rollups) for (const pr of core.store.prospects.values()) if (pr.projectId === p.id) parents.push({ kind: 'prospect', id: pr.id, subject: 'prospect' });
		return listTimeline(core, req, parents);
	});
	router.add('GET', `${base}/{id}/teaser`, (req) => {
		const p = live(core.store.projects, req.params.id, 'Project');
		if (!p.teaser) throw notFound(`Teaser of project '${p.id}'`);
		return withEtag(200, teaserView(core, p, p.teaser));
	});
	router.add('PATCH', `${base}/{id}/teaser`, (req) => {
		const p = live(core.store.projects, req.params.id, 'Project');
		if (!p.teaser) throw notFound(`Teaser of project '${p.id}'`);
		const t = p.teaser;
		checkIfMatch(req, t.etag, false);
		const body = requireObject(req.body, true);
		const c = new FieldErrorCollector();
		checkReadOnly(c, body, ['stage', 'publishedUtc', 'verifiedUtc', 'communicatedUtc'], core.switches);
		if (has(body, 'options') && (body.options === null || typeof body.options !== 'object')) c.add('options', 'options must be an object.');
		if (has(body, 'tags') && body.tags !== null && !Array.isArray(body.tags)) c.add('tags', 'tags must be an array or null.');
		c.throwIfAny();
		if (TEASER_STAGES.indexOf(t.stage) >= 2) throw conflict('The project is published; unpublish it in the app before editing the teaser.');
		if (body.options) t.options = { ...t.options, ...(body.options as Body) };
		if (has(body, 'tags')) t.tags = Array.isArray(body.tags) ? (body.tags as string[]) : [];
		t.updatedUtc = core.clock.iso();
		t.etag = core.store.nextEtag();
		t.changeType = 'update';
		t.changeOrigin = writeCtx(req).origin;
		return withEtag(200, teaserView(core, p, t, true));
	});
	router.add('GET', `${base}/{id}/properties`, (req) => {
		const p = live(core.store.projects, req.params.id, 'Project');
		const q = parseListQuery(req.query);
		const linked = p.propertyIds.map((id) => core.store.properties.get(id)).filter((x): x is NonNullable<typeof x> => !!x);
		const page = keysetPage(linked, q);
		return json(200, envelope(core.switches, page.items.map((r) => propertyView(core, r)), page, q.pageSize));
	});
}
