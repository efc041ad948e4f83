/** Filtering, sorting and pagination shared by the v2 lists, and the search endpoints (v1 and v2). */
import { searchableText } from '../fields';
import type { Store } from '../store';
import type { DealRecord, FieldEntity, OrganizationRecord, PersonRecord } from '../types';
import { badRequest, decodeCursor, encodeCursor, queryBool, queryIdList, queryInt, queryTime, rfc3339, type Query } from '../util';

type Listable = { id: number; add_time: number; update_time: number };

/**
 * v2 list: `ids`, `updated_since` (>=), `updated_until` (<), `sort_by` id|update_time|add_time,
 * `sort_direction`, `limit` (default 100, max 500) and an opaque keyset cursor.
 */
export function listV2<T extends Listable>(records: T[], query: Query, extraFilter?: (r: T) => boolean): { page: T[]; nextCursor: string | null } {
	const ids = queryIdList(query, 'ids');
	const since = queryTime(query, 'updated_since');
	const until = queryTime(query, 'updated_until');
	const sortBy = query.sort_by ?? 'id';
	if (!['id', 'update_time', 'add_time'].includes(sortBy)) throw badRequest("'sort_by' must be id, update_time or add_time");
	const direction = query.sort_direction ?? 'asc';
	if (direction !== 'asc' && direction !== 'desc') throw badRequest("'sort_direction' must be asc or desc");
	const limit = queryInt(query, 'limit', { min: 1, max: 500 }) ?? 100;
	if (query.filter_id) throw badRequest('filter_id (saved filters) is not modelled by the simulator');
	let rows = records.filter((r) => (!ids || ids.includes(r.id)) && (since === undefined || r.update_time >= since) && (until === undefined || r.update_time < until));
	if (extraFilter) rows = rows.filter(extraFilter);
	const key = (r: T) => (sortBy === 'id' ? r.id : sortBy === 'add_time' ? r.add_time : r.update_time);
	const sign = direction === 'asc' ? 1 : -1;
	rows.sort((a, b) => sign * (key(a) - key(b) || a.id - b.id));
	if (query.cursor) {
		const cursor = decodeCursor(query.cursor);
		if (cursor.s !== sortBy || cursor.d !== direction || typeof cursor.v !== 'number' || typeof cursor.i !== 'number') throw badRequest('Invalid cursor for this sort order');
		const v = cursor.v;
		const i = cursor.i;
		rows = rows.filter((r) => sign * (key(r) - v) > 0 || (key(r) === v && sign * (r.id - i) > 0));
	}
	const page = rows.slice(0, limit);
	const last = page[page.length - 1];
	const nextCursor = rows.length > limit && last ? encodeCursor({ s: sortBy, d: direction, v: key(last), i: last.id }) : null;
	return { page, nextCursor };
}

export function splitList(query: Query, name: string, allowed?: string[], max?: number): string[] | undefined {
	const raw = query[name];
	if (raw === undefined || raw === '') return undefined;
	const parts = raw.split(',').map((p) => p.trim()).filter(Boolean);
	if (allowed) for (const part of parts) if (!allowed.includes(part)) throw badRequest(`'${name}' accepts only: ${allowed.join(', ')}`);
	if (max !== undefined && parts.length > max) throw badRequest(`'${name}' accepts at most ${max} values`);
	return parts;
}

// ---------------------------------------------------------------------------------------------
// Search

export interface SearchHit {
	score: number;
	item: Record<string, unknown>;
	id: number;
}

export interface SearchParams {
	term: string;
	fields: string[];
	exact: boolean;
}

export function readSearchParams(query: Query, allowedFields: string[]): SearchParams {
	const term = (query.term ?? '').trim();
	const exact = queryBool(query, 'exact_match') ?? false;
	if (term.length < (exact ? 1 : 2)) throw badRequest(`'term' is required: at least 2 characters, or 1 with exact_match`);
	const fields = splitList(query, 'fields', allowedFields) ?? allowedFields;
	return { term, fields, exact };
}

const stripHtml = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
const digits = (s: string) => s.replace(/\D/g, '');

/** Score of one value: 1 exact (case-insensitive), 0.75 prefix, 0.5 contains; null when no match. */
function scoreValue(value: string, params: SearchParams, phone = false): number | null {
	const v = value.trim().toLowerCase();
	const t = params.term.toLowerCase();
	if (v === t || (phone && digits(v) !== '' && digits(v) === digits(t))) return 1;
	if (params.exact) return null;
	if (v.startsWith(t)) return 0.75;
	if (v.includes(t) || (phone && digits(t).length >= 4 && digits(v).includes(digits(t)))) return 0.5;
	return null;
}

function customSearch(store: Store, entity: FieldEntity, custom: Record<string, unknown>, params: SearchParams): { score: number | null; matched: string[] } {
	let best: number | null = null;
	const matched: string[] = [];
	for (const field of store.fields.custom(entity)) {
		const text = searchableText(field, custom[field.key]);
		if (text === null) continue;
		const s = scoreValue(text, params);
		if (s !== null) {
			matched.push(text);
			best = Math.max(best ?? 0, s);
		}
	}
	return { score: best, matched };
}

function best(...scores: (number | null)[]): number | null {
	const valid = scores.filter((s): s is number => s !== null);
	return valid.length ? Math.max(...valid) : null;
}

function noteTexts(store: Store, match: (n: { person_id: number | null; org_id: number | null; deal_id: number | null }) => boolean): string[] {
	return [...store.notes.values()].filter((n) => n.active_flag && match(n)).map((n) => stripHtml(n.content));
}

export function searchPersons(store: Store, params: SearchParams, organizationId?: number): SearchHit[] {
	const hits: SearchHit[] = [];
	for (const p of store.persons.values()) {
		if (p.is_deleted || (organizationId !== undefined && p.org_id !== organizationId)) continue;
		const f = params.fields;
		const custom = f.includes('custom_fields') ? customSearch(store, 'person', p.custom, params) : { score: null, matched: [] };
		const notes = f.includes('notes') ? noteTexts(store, (n) => n.person_id === p.id) : [];
		const noteScores = notes.map((n) => scoreValue(n, params));
		const score = best(
			f.includes('name') ? scoreValue(p.name, params) : null,
			...(f.includes('email') ? p.emails.map((e) => scoreValue(e.value, params)) : []),
			...(f.includes('phone') ? p.phones.map((ph) => scoreValue(ph.value, params, true)) : []),
			custom.score,
			...noteScores,
		);
		if (score === null) continue;
		hits.push({ score, id: p.id, item: personSearchItem(store, p, custom.matched, notes.filter((_n, i) => noteScores[i] !== null)) });
	}
	return sortHits(hits);
}

function personSearchItem(store: Store, p: PersonRecord, customMatched: string[], notes: string[]): Record<string, unknown> {
	const org = p.org_id !== null ? store.organizations.get(p.org_id) : undefined;
	return {
		id: p.id,
		type: 'person',
		name: p.name,
		// Search items carry emails and phones as plain strings, unlike the person object.
		phones: p.phones.map((x) => x.value),
		emails: p.emails.map((x) => x.value),
		primary_email: p.emails.find((e) => e.primary)?.value ?? null,
		visible_to: p.visible_to,
		owner: { id: p.owner_id },
		organization: org ? { id: org.id, name: org.name, address: org.address?.value ?? null } : null,
		custom_fields: customMatched,
		notes,
		update_time: rfc3339(p.update_time),
	};
}

export function searchOrganizations(store: Store, params: SearchParams): SearchHit[] {
	const hits: SearchHit[] = [];
	for (const o of store.organizations.values()) {
		if (o.is_deleted) continue;
		const f = params.fields;
		const custom = f.includes('custom_fields') ? customSearch(store, 'organization', o.custom, params) : { score: null, matched: [] };
		const notes = f.includes('notes') ? noteTexts(store, (n) => n.org_id === o.id) : [];
		const noteScores = notes.map((n) => scoreValue(n, params));
		const score = best(
			f.includes('name') ? scoreValue(o.name, params) : null,
			f.includes('address') && o.address?.value ? scoreValue(o.address.value, params) : null,
			custom.score,
			...noteScores,
		);
		if (score === null) continue;
		hits.push({ score, id: o.id, item: organizationSearchItem(o, custom.matched, notes.filter((_n, i) => noteScores[i] !== null)) });
	}
	return sortHits(hits);
}

function organizationSearchItem(o: OrganizationRecord, customMatched: string[], notes: string[]): Record<string, unknown> {
	return {
		id: o.id, type: 'organization', name: o.name, address: o.address?.value ?? null, visible_to: o.visible_to, owner: { id: o.owner_id },
		custom_fields: customMatched, notes, update_time: rfc3339(o.update_time),
	};
}

export function searchDeals(store: Store, params: SearchParams, filters: { personId?: number; organizationId?: number; status?: string }): SearchHit[] {
	const hits: SearchHit[] = [];
	for (const d of store.deals.values()) {
		if (d.is_deleted || d.is_archived) continue;
		if (filters.personId !== undefined && d.person_id !== filters.personId) continue;
		if (filters.organizationId !== undefined && d.org_id !== filters.organizationId) continue;
		if (filters.status && d.status !== filters.status) continue;
		const f = params.fields;
		const custom = f.includes('custom_fields') ? customSearch(store, 'deal', d.custom, params) : { score: null, matched: [] };
		const notes = f.includes('notes') ? noteTexts(store, (n) => n.deal_id === d.id) : [];
		const noteScores = notes.map((n) => scoreValue(n, params));
		const score = best(f.includes('title') ? scoreValue(d.title, params) : null, custom.score, ...noteScores);
		if (score === null) continue;
		hits.push({ score, id: d.id, item: dealSearchItem(store, d, custom.matched, notes.filter((_n, i) => noteScores[i] !== null)) });
	}
	return sortHits(hits);
}

function dealSearchItem(store: Store, d: DealRecord, customMatched: string[], notes: string[]): Record<string, unknown> {
	const person = d.person_id !== null ? store.persons.get(d.person_id) : undefined;
	const org = d.org_id !== null ? store.organizations.get(d.org_id) : undefined;
	const stage = store.stages.get(d.stage_id);
	return {
		id: d.id, type: 'deal', title: d.title, value: d.value, currency: d.currency, status: d.status, visible_to: d.visible_to, owner: { id: d.owner_id },
		stage: stage ? { id: stage.id, name: stage.name } : null, person: person ? { id: person.id, name: person.name } : null,
		organization: org ? { id: org.id, name: org.name, address: org.address?.value ?? null } : null, custom_fields: customMatched, notes,
		update_time: rfc3339(d.update_time),
	};
}

function sortHits(hits: SearchHit[]): SearchHit[] {
	return hits.sort((a, b) => b.score - a.score || a.id - b.id);
}

/** v2 search answer: `{ data: { items }, additional_data: { next_cursor } }` with an offset cursor. */
export function searchPageV2(hits: SearchHit[], query: Query): { body: Record<string, unknown> } {
	const limit = queryInt(query, 'limit', { min: 1, max: 500 }) ?? 100;
	let offset = 0;
	if (query.cursor) {
		const c = decodeCursor(query.cursor);
		if (typeof c.o !== 'number') throw badRequest('Invalid cursor');
		offset = c.o;
	}
	const page = hits.slice(offset, offset + limit);
	const next = offset + limit < hits.length ? encodeCursor({ o: offset + limit }) : null;
	return {
		body: {
			success: true,
			data: { items: page.map((h) => ({ result_score: Math.round(h.score * 1e4) / 1e4, item: h.item })) },
			additional_data: { next_cursor: next },
		},
	};
}

/** v1 offset pagination block. */
export function v1Pagination(start: number, limit: number, total: number): Record<string, unknown> {
	const more = start + limit < total;
	return more ? { start, limit, more_items_in_collection: true, next_start: start + limit } : { start, limit, more_items_in_collection: false };
}

export function v1Page<T>(rows: T[], query: Query): { page: T[]; pagination: Record<string, unknown> } {
	const start = queryInt(query, 'start', { min: 0 }) ?? 0;
	const limit = queryInt(query, 'limit', { min: 1, max: 500 }) ?? 100;
	return { page: rows.slice(start, start + limit), pagination: v1Pagination(start, limit, rows.length) };
}
