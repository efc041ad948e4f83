/**
 * Field comparison for sync: which differences are real. Normalises the things Propstreet
 * normalises itself (email case, domain form (read with `../domain`), phone punctuation, tag order) so a write that the
 * server would store unchanged is recognised as `unchanged` and a sync loop stops.
 */
import { guardDepth } from '../depth';
import { domainOf } from '../domain';
import type { ExternalRef, JsonRecord } from './types';

/** Server-managed or read-only fields: never compared, never sent. */
export const READ_ONLY_FIELDS = new Set([
	'id', 'uri', 'etag', 'createdUtc', 'updatedUtc', 'deletedUtc', 'changeType', 'changeOrigin',
	'companies', 'contacts', 'primaryCompanyId', 'profilePictureUrl', 'status', 'teaser', 'properties',
]);

/** Fields merged rather than replaced: a sync adds to them and never removes what others put there. */
export const MERGED_FIELDS = new Set(['externalRefs', 'connections']);

function blankToNull(value: unknown): unknown {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string') {
		const t = value.trim();
		return t === '' ? null : t;
	}
	return value;
}

export function normalizeEmail(value: unknown): string | null {
	const v = blankToNull(value);
	return typeof v === 'string' ? v.toLowerCase() : null;
}

/** A domain field's comparable form: the normalised domain, else (not a domain) its lower-case text. */
function domainKey(value: unknown): string | null {
	return domainOf(value) ?? normalizeEmail(value);
}

/**
 * Phones: punctuation is ignored, and a national number with a trunk 0 equals its E.164 form
 * (Propstreet normalises to E.164 where it can, so "070-123 45 67" comes back "+46701234567").
 */
export function phonesEqual(a: unknown, b: unknown): boolean {
	const x = blankToNull(a);
	const y = blankToNull(b);
	if (x === null || y === null) return x === y;
	const dx = String(x).replace(/[^\d]/g, '');
	const dy = String(y).replace(/[^\d]/g, '');
	if (dx === dy) return true;
	const nx = dx.replace(/^0+/, '');
	const ny = dy.replace(/^0+/, '');
	if (nx.length < 6 || ny.length < 6) return false;
	return nx.length > ny.length ? nx.endsWith(ny) && nx.length - ny.length <= 3 : ny.endsWith(nx) && ny.length - nx.length <= 3;
}

function stringSet(value: unknown, lower: boolean): string[] {
	if (!Array.isArray(value)) return [];
	const out = new Set<string>();
	for (const v of value) {
		const t = typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : JSON.stringify(v);
		if (t) out.add(lower ? t.toLowerCase() : t);
	}
	return [...out].sort();
}

/** Stable JSON for deep comparison (object keys sorted). */
export function stableStringify(value: unknown, depth = 0): string {
	if (value === undefined) return 'null';
	if (value === null || typeof value !== 'object') return JSON.stringify(value);
	guardDepth(depth);
	if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item, depth + 1)).join(',')}]`;
	const obj = value as JsonRecord;
	return `{${Object.keys(obj)
		.filter((k) => obj[k] !== undefined)
		.sort()
		.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k], depth + 1)}`)
		.join(',')}}`;
}

function emailsOf(value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	return stringSet(value.map((e) => (e && typeof e === 'object' ? (e as JsonRecord).address : e)), true);
}

function phonesOf(value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	return stringSet(
		value.map((p) => String((p && typeof p === 'object' ? (p as JsonRecord).number : p) ?? '').replace(/[^\d+]/g, '')),
		false,
	);
}

/** Are the current and desired values of one (non-merged) field equal for sync purposes? */
export function fieldEquals(field: string, current: unknown, desired: unknown): boolean {
	switch (field) {
		case 'email':
			return normalizeEmail(current) === normalizeEmail(desired);
		case 'domain':
			return domainKey(current) === domainKey(desired);
		case 'phone':
			return phonesEqual(current, desired);
		case 'countryCode':
		case 'primaryLanguage': {
			const a = blankToNull(current);
			const b = blankToNull(desired);
			return (typeof a === 'string' ? a.toUpperCase() : a) === (typeof b === 'string' ? b.toUpperCase() : b);
		}
		case 'tags':
		case 'positiveTags':
		case 'negativeTags':
			return stableStringify(stringSet(current, true)) === stableStringify(stringSet(desired, true));
		case 'emails':
			return stableStringify(emailsOf(current)) === stableStringify(emailsOf(desired));
		case 'phones':
			return stableStringify(phonesOf(current)) === stableStringify(phonesOf(desired));
		default: {
			const a = blankToNull(current);
			const b = blankToNull(desired);
			if (typeof a === 'string' || typeof b === 'string') return a === b;
			if (Array.isArray(a) && a.length === 0 && b === null) return true;
			if (Array.isArray(b) && b.length === 0 && a === null) return true;
			return stableStringify(a) === stableStringify(b);
		}
	}
}

export function readExternalRefs(value: unknown): ExternalRef[] {
	if (!Array.isArray(value)) return [];
	const out: ExternalRef[] = [];
	for (const r of value) {
		if (!r || typeof r !== 'object') continue;
		const { namespace, id } = r as JsonRecord;
		if (typeof namespace === 'string' && namespace && (typeof id === 'string' || typeof id === 'number') && String(id)) {
			out.push({ namespace, id: String(id) });
		}
	}
	return out;
}

export function findExternalRef(refs: unknown, namespace: string): ExternalRef | undefined {
	const ns = namespace.toLowerCase();
	return readExternalRefs(refs).find((r) => r.namespace.toLowerCase() === ns);
}

/**
 * Merge desired refs into current ones. Propstreet's PATCH replaces the whole list, so the body must
 * carry the existing refs too. One ref per namespace (case-insensitive); desired wins on a clash.
 * Returns undefined when the merge changes nothing.
 */
export function mergeExternalRefs(current: unknown, desired: unknown): ExternalRef[] | undefined {
	const merged = readExternalRefs(current);
	let changed = false;
	for (const ref of readExternalRefs(desired)) {
		const at = merged.findIndex((r) => r.namespace.toLowerCase() === ref.namespace.toLowerCase());
		if (at === -1) {
			merged.push(ref);
			changed = true;
		} else if (merged[at].id !== ref.id) {
			merged[at] = { namespace: merged[at].namespace, id: ref.id };
			changed = true;
		}
	}
	return changed ? merged : undefined;
}

export function withExternalRef(record: JsonRecord, ref: ExternalRef): JsonRecord {
	const merged = mergeExternalRefs(record.externalRefs, [ref]);
	return merged ? { ...record, externalRefs: merged } : record;
}

interface ConnectionView {
	companyId: string;
	jobTitle: string | null | undefined;
	primary: boolean | undefined;
}

function desiredConnections(value: unknown): ConnectionView[] {
	if (!Array.isArray(value)) return [];
	const out: ConnectionView[] = [];
	for (const c of value) {
		if (!c || typeof c !== 'object') continue;
		const conn = c as JsonRecord;
		const company = conn.company as JsonRecord | undefined;
		const companyId = company && (company.id ?? company.companyId);
		if (companyId === undefined || companyId === null || companyId === '') continue;
		out.push({
			companyId: String(companyId),
			jobTitle: conn.jobTitle === undefined ? undefined : (blankToNull(conn.jobTitle) as string | null),
			primary: typeof conn.primary === 'boolean' ? conn.primary : undefined,
		});
	}
	return out;
}

/** Current connections as a contact response shows them (`companies[]`). */
function currentConnections(contact: JsonRecord): ConnectionView[] {
	const list = Array.isArray(contact.companies) ? contact.companies : Array.isArray(contact.connections) ? contact.connections : [];
	return list
		.filter((c): c is JsonRecord => !!c && typeof c === 'object')
		.map((c) => {
			const company = c.company as JsonRecord | undefined;
			return {
				companyId: String(c.id ?? company?.id ?? ''),
				jobTitle: blankToNull(c.jobTitle) as string | null,
				primary: c.isPrimary === true || c.primary === true,
			};
		})
		.filter((c) => c.companyId !== '');
}

/**
 * Merge desired company connections into the contact's current ones (PATCH replaces the list,
 * inferred like externalRefs). Connections the source does not mention stay. If the source marks
 * one primary, the others lose the flag (Propstreet allows one primary). Undefined = no change.
 */
export function mergeConnections(contact: JsonRecord, desired: unknown): JsonRecord[] | undefined {
	const wanted = desiredConnections(desired);
	if (!wanted.length) return undefined;
	const current = currentConnections(contact);
	const merged = current.map((c) => ({ ...c }));
	let changed = false;
	for (const w of wanted) {
		const at = merged.find((c) => c.companyId === w.companyId);
		if (!at) {
			merged.push({ companyId: w.companyId, jobTitle: w.jobTitle ?? null, primary: w.primary ?? false });
			changed = true;
			continue;
		}
		if (w.jobTitle !== undefined && at.jobTitle !== w.jobTitle) {
			at.jobTitle = w.jobTitle;
			changed = true;
		}
		if (w.primary !== undefined && at.primary !== w.primary) {
			at.primary = w.primary;
			changed = true;
		}
	}
	const primaryWanted = wanted.find((w) => w.primary === true);
	if (primaryWanted) {
		for (const c of merged) {
			if (c.companyId !== primaryWanted.companyId && c.primary) {
				c.primary = false;
				changed = true;
			}
		}
	}
	if (!changed) return undefined;
	if (merged.length && !merged.some((c) => c.primary)) merged[0].primary = true;
	return merged.map((c) => ({ company: { kind: 'existing', id: c.companyId }, jobTitle: c.jobTitle ?? null, primary: !!c.primary }));
}
