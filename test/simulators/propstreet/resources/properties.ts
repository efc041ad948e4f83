/** Properties: list (country / category / tags filters), get, create, patch, delete. Spatial search is not modelled. */
import type { SimCore, WriteContext } from '../context';
import { FieldErrorCollector, conflict, validationError } from '../errors';
import { noContent, type Router, type SimRequest } from '../http';
import { findByRef } from '../store';
import type { Price, PropertyRecord } from '../types';
import { checkIfMatch, has, readEnum, readExternalRefs, readNumber, readString, readStringArray, requireObject, type Body } from '../validate';
import { auditFields, listResponse, live, snapshot, withEtag } from './common';

export function propertyView(core: SimCore, p: PropertyRecord, withChange = false) {
	return {
		id: p.id,
		uri: null,
		name: p.name,
		description: p.description,
		location: p.location ? { ...p.location } : null,
		categories: p.categories.map((c) => ({ ...c })),
		avgContractLengthYears: p.avgContractLengthYears,
		price: p.price,
		operatingCosts: p.operatingCosts,
		parcelArea: p.parcelArea,
		tenure: p.tenure,
		yearBuilt: p.yearBuilt,
		tags: [...p.tags],
		externalRefs: p.externalRefs.map((r) => ({ ...r })),
		...auditFields(core, p, withChange),
	};
}

function readMoney(c: FieldErrorCollector, body: Body, field: string): Price | null | undefined {
	if (!has(body, field)) return undefined;
	const v = body[field] as Body | null;
	if (v === null) return null;
	if (!v || typeof v !== 'object' || typeof v.value !== 'number' || typeof v.currency !== 'string' || !/^[A-Z]{3}$/.test(v.currency)) {
		c.add(field, `${field} must be {value ≥ 0, currency (ISO 4217), scale}.`);
		return undefined;
	}
	return { value: v.value, currency: v.currency, scale: (v.scale as Price['scale']) ?? 'none' };
}

function readPropertyInput(body: Body, mode: 'create' | 'patch') {
	const c = new FieldErrorCollector();
	const f: Partial<PropertyRecord> = {};
	const name = readString(c, body, 'name', { min: 1, max: 200, nullable: false });
	if (mode === 'create' && name === undefined && !c.errors.name) c.add('name', 'The name field is required.');
	if (name) f.name = name;
	const description = readString(c, body, 'description');
	if (description !== undefined) f.description = description;
	if (has(body, 'location')) {
		const loc = body.location as Body | null;
		if (loc !== null && (typeof loc !== 'object' || !loc)) c.add('location', 'location must be an object.');
		else if (loc === null) f.location = null;
		else {
			const lat = readNumber(c, loc, 'latitude', { min: -90, max: 90 });
			const lon = readNumber(c, loc, 'longitude', { min: -180, max: 180 });
			const country = readString(c, loc, 'country', { pattern: /^[A-Za-z]{2}$/ });
			const locality = readString(c, loc, 'locality', { max: 200 });
			f.location = { latitude: lat ?? null, longitude: lon ?? null, country: country ? country.toUpperCase() : null, locality: locality ?? null };
		}
	}
	if (has(body, 'categories')) {
		if (!Array.isArray(body.categories) || body.categories.some((x) => !x || typeof x !== 'object' || typeof (x as Body).type !== 'string')) c.add('categories', 'categories must be an array of {type, …}.');
		else f.categories = body.categories as Record<string, unknown>[];
	}
	const avg = readNumber(c, body, 'avgContractLengthYears', { min: 0 });
	if (avg !== undefined) f.avgContractLengthYears = avg;
	const price = readMoney(c, body, 'price');
	if (price !== undefined) f.price = price;
	const op = readMoney(c, body, 'operatingCosts');
	if (op !== undefined) f.operatingCosts = op;
	if (has(body, 'parcelArea')) {
		const a = body.parcelArea as Body | null;
		if (a === null) f.parcelArea = null;
		else if (!a || typeof a.value !== 'number' || a.unit !== 'sqm') c.add('parcelArea', "parcelArea must be {value, unit: 'sqm'}.");
		else f.parcelArea = { value: a.value, unit: 'sqm' };
	}
	const tenure = readEnum(c, body, 'tenure', ['freehold', 'leasehold'] as const);
	if (tenure !== undefined) f.tenure = tenure;
	const yearBuilt = readNumber(c, body, 'yearBuilt', { integer: true, min: 1000, max: 3000 });
	if (yearBuilt !== undefined) f.yearBuilt = yearBuilt;
	const tags = readStringArray(c, body, 'tags', { maxItems: 100 });
	if (tags !== undefined) f.tags = tags ?? [];
	const refs = readExternalRefs(c, body, 10);
	if (refs !== undefined) f.externalRefs = refs ?? [];
	c.throwIfAny();
	return f;
}

function assertUniqueRefs(core: SimCore, p: PropertyRecord): void {
	for (const ref of p.externalRefs) {
		const owner = findByRef(core.store.properties, ref.namespace, ref.id);
		if (owner && owner.id !== p.id) throw conflict(`External reference ${ref.namespace}/${ref.id} is already used by property '${owner.id}'.`);
	}
}

export function createProperty(ctx: WriteContext, body: Body): PropertyRecord {
	const f = readPropertyInput(body, 'create');
	const p: PropertyRecord = {
		...ctx.core.store.newVersioned(ctx.origin),
		name: '',
		description: null,
		location: null,
		categories: [],
		avgContractLengthYears: null,
		price: null,
		operatingCosts: null,
		parcelArea: null,
		tenure: null,
		yearBuilt: null,
		tags: [],
		externalRefs: [],
		...f,
	};
	assertUniqueRefs(ctx.core, p);
	ctx.core.store.properties.set(p.id, p);
	return p;
}

export function registerPropertyRoutes(router: Router, core: SimCore, writeCtx: (req: SimRequest) => WriteContext): void {
	const base = '/api/v1/properties';
	router.add('GET', base, (req) => {
		const country = req.query.get('country')?.toUpperCase();
		const category = req.query.get('category');
		const tags = req.query.getAll('tags');
		for (const geo of ['near', 'radius', 'location']) if (req.query.has(geo)) throw validationError({ [geo]: ['Geographic filters are not modelled by the simulator.'] });
		return listResponse(core, req, core.store.properties, (p) => propertyView(core, p), (p) =>
			(!country || p.location?.country === country) &&
			(!category || p.categories.some((c) => String(c.type) === category || String(c.type).startsWith(`${category}/`))) &&
			(!tags.length || tags.some((t) => p.tags.includes(t))),
		);
	});
	router.add('GET', `${base}/{id}`, (req) => withEtag(200, propertyView(core, live(core.store.properties, req.params.id, 'Property'))));
	router.add('POST', base, (req) => {
		const p = createProperty(writeCtx(req), requireObject(req.body));
		return withEtag(201, propertyView(core, p, true), { Location: `${base}/${p.id}` });
	});
	router.add('PATCH', `${base}/{id}`, (req) => {
		const p = live(core.store.properties, req.params.id, 'Property');
		checkIfMatch(req, p.etag, false);
		const body = requireObject(req.body, true);
		const f = readPropertyInput(body, 'patch');
		if (body.clearCoordinates === true && p.location) f.location = { ...(f.location ?? p.location), latitude: null, longitude: null };
		else if (f.location && p.location) {
			// location is partial: only the given sub-fields change.
			const given = body.location as Body;
			f.location = { ...p.location, ...Object.fromEntries(Object.entries(f.location).filter(([k]) => has(given, k))) };
		}
		const before = snapshot(propertyView(core, p));
		const backup = JSON.parse(JSON.stringify(p)) as PropertyRecord;
		Object.assign(p, f);
		try {
			assertUniqueRefs(core, p);
		} catch (err) {
			Object.assign(p, backup);
			throw err;
		}
		if (snapshot(propertyView(core, p)) !== before) core.store.touch(p, 'update', writeCtx(req).origin);
		return withEtag(200, propertyView(core, p, true));
	});
	router.add('DELETE', `${base}/{id}`, (req) => {
		const p = live(core.store.properties, req.params.id, 'Property');
		checkIfMatch(req, p.etag, false);
		p.deletedUtc = core.clock.iso();
		core.store.touch(p, 'delete', writeCtx(req).origin);
		return noContent();
	});
}
