/**
 * The one canonical form for change detection, used by both mapping directions, by the conflict
 * rules (`../conflict.ts`) and by the stable hash. Two values are "the same" when their canonical
 * forms are equal, so a value that the other side only reformats (Propstreet stores phones as
 * E.164, Pipedrive keeps what was typed; tags come back in another order; refs in another order)
 * is never reported as changed, never conflicts and never ends up in a patch.
 *
 * Rules for every kind: `undefined`, `null`, `''`, whitespace-only text, `[]` and `{}` are all
 * "empty" (canonical `null`); strings are trimmed.
 */
import { domainOf } from '../domain';
import { guardDepth } from '../depth';
import { canonicalJson } from '../hash';

/**
 * How a value is compared:
 * - `auto`: by the path's last segment (see `kindForPath`), else `generic`;
 * - `generic`: trimmed text, numeric text as numbers, primitive arrays as sets, objects member by
 *   member with empty members dropped;
 * - `email` / `code`: text compared case-insensitively (`code`: country codes);
 * - `domain`: the normalised domain (`../domain`), else text compared case-insensitively;
 * - `phone`: E.164-like digits (`+46 70 123 45 67` = `+46701234567` = `0046-70-123 45 67`);
 * - `tags`: a set of lower-cased, space-folded tags;
 * - `idSet`: a set of ids (`[3, "1"]` = `["1", "3"]`), e.g. Pipedrive `label_ids`;
 * - `externalRefs`: a set keyed by lower-cased namespace + id;
 * - `emailList` / `phoneList`: Pipedrive's `[{ value, primary, label }]` (or Propstreet's
 *   `{ address | number, isPrimary, type }`): which value is primary, plus the set of all values;
 * - `connections`: Propstreet contact ⇄ company connections, a set keyed by company id.
 */
export type CompareKind =
	| 'auto'
	| 'generic'
	| 'email'
	| 'domain'
	| 'code'
	| 'phone'
	| 'tags'
	| 'idSet'
	| 'externalRefs'
	| 'emailList'
	| 'phoneList'
	| 'connections';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kinds recognised by a body path's last segment (`custom_fields.<key>` paths need an explicit kind). */
const KIND_BY_NAME: Record<string, CompareKind> = {
	email: 'email',
	emails: 'emailList',
	phone: 'phone',
	phones: 'phoneList',
	tags: 'tags',
	label_ids: 'idSet',
	externalrefs: 'externalRefs',
	connections: 'connections',
	domain: 'domain',
	countrycode: 'code',
};

export function kindForPath(path: string): CompareKind {
	const last = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
	return KIND_BY_NAME[last] ?? 'generic';
}

function trimmed(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const t = value.trim();
	return t === '' ? null : t;
}

/**
 * A phone number as digits with a leading `+` when it carries a country code (`+` or `00`).
 * A `(0)` trunk prefix after the country code is dropped, as E.164 does. National numbers
 * (`070-123 45 67`) keep their digits only: without the country they cannot be made E.164, so
 * they equal only the same national number, never the `+46…` form.
 */
export function canonicalPhone(value: unknown): string | null {
	const t = trimmed(value);
	if (t === null) return null;
	if (!/^[+\d\s\-()./]+$/.test(t)) return t.toLowerCase();
	let s = t.replace(/\(0\)/g, '');
	const international = s.startsWith('+') || /^00[1-9]/.test(s.replace(/\D/g, ''));
	s = s.replace(/\D/g, '');
	if (s === '') return null;
	if (international && !t.startsWith('+')) s = s.slice(2);
	return international ? `+${s}` : s;
}

export function canonicalEmail(value: unknown): string | null {
	return trimmed(value)?.toLowerCase() ?? null;
}

export function canonicalTag(value: unknown): string | null {
	const t = trimmed(value);
	return t === null ? null : t.replace(/\s+/g, ' ').toLowerCase();
}

function sortedSet(values: Array<string | null>): string[] | null {
	const out = [...new Set(values.filter((v): v is string => v !== null))].sort();
	return out.length ? out : null;
}

function idText(value: unknown): string | null {
	if (isObj(value)) return idText(value.id ?? value.value);
	return trimmed(value);
}

function canonicalRefs(value: unknown): string[] | null {
	if (!Array.isArray(value)) return null;
	return sortedSet(
		value.map((r) => {
			if (!isObj(r)) return null;
			const ns = trimmed(r.namespace);
			const id = trimmed(r.id);
			return ns && id ? `${ns.toLowerCase()}\u0000${id}` : null;
		}),
	);
}

function canonicalContactList(value: unknown, item: (v: unknown) => string | null): Obj | null {
	if (value === undefined || value === null) return null;
	const list = Array.isArray(value) ? value : [value];
	const entries = list
		.map((v) => {
			const raw = isObj(v) ? (v.value ?? v.address ?? v.number) : v;
			const primary = isObj(v) && (v.primary === true || v.isPrimary === true);
			return { value: item(raw), primary };
		})
		.filter((e): e is { value: string; primary: boolean } => e.value !== null);
	if (entries.length === 0) return null;
	// No flag set: the first entry is primary (Pipedrive and Propstreet both read lists that way).
	const primary = (entries.find((e) => e.primary) ?? entries[0]).value;
	return { primary, values: sortedSet(entries.map((e) => e.value)) };
}

function canonicalConnections(value: unknown): Obj[] | null {
	if (!Array.isArray(value)) return null;
	const byId = new Map<string, Obj>();
	for (const c of value) {
		if (!isObj(c)) continue;
		const id = idText(isObj(c.company) ? c.company.id : (c.companyId ?? c.id));
		if (id === null || byId.has(id)) continue;
		byId.set(id, { id, jobTitle: trimmed(c.jobTitle), primary: c.primary === true || c.isPrimary === true });
	}
	const out = [...byId.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, c]) => c);
	return out.length ? out : null;
}

function canonicalGeneric(value: unknown, depth = 0): unknown {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string') {
		const t = value.trim();
		if (t === '') return null;
		return /^-?\d+(\.\d+)?$/.test(t) && t.length < 16 ? Number(t) : t;
	}
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	guardDepth(depth);
	if (Array.isArray(value)) {
		const items = value.map((item) => canonicalGeneric(item, depth + 1));
		if (items.length === 0) return null;
		if (items.every((v) => v === null || typeof v !== 'object')) {
			const set = [...new Set(items.filter((v) => v !== null).map((v) => canonicalJson(v)))].sort();
			return set.length ? set.map((v) => JSON.parse(v) as unknown) : null;
		}
		return items;
	}
	if (isObj(value)) {
		const out: Obj = {};
		for (const [k, v] of Object.entries(value)) {
			const c = canonicalGeneric(v, depth + 1);
			if (c !== null) out[k] = c;
		}
		return Object.keys(out).length ? out : null;
	}
	return value;
}

/** The canonical form of one value. */
export function canonicalValue(value: unknown, kind: CompareKind = 'generic'): unknown {
	switch (kind) {
		case 'auto':
		case 'generic':
			return canonicalGeneric(value);
		case 'email':
			return canonicalEmail(value);
		case 'domain':
			return domainOf(value) ?? canonicalEmail(value);
		case 'code':
			return trimmed(value)?.toUpperCase() ?? null;
		case 'phone':
			return canonicalPhone(value);
		case 'tags':
			return Array.isArray(value) ? sortedSet(value.map(canonicalTag)) : canonicalTag(value) === null ? null : [canonicalTag(value) as string];
		case 'idSet':
			return Array.isArray(value) ? sortedSet(value.map(idText)) : idText(value) === null ? null : [idText(value) as string];
		case 'externalRefs':
			return canonicalRefs(value);
		case 'emailList':
			return canonicalContactList(value, canonicalEmail);
		case 'phoneList':
			return canonicalContactList(value, canonicalPhone);
		case 'connections':
			return canonicalConnections(value);
	}
}

/** Canonical comparison of two values of the same field. */
export function sameValue(a: unknown, b: unknown, kind: CompareKind = 'generic'): boolean {
	return canonicalJson(canonicalValue(a, kind)) === canonicalJson(canonicalValue(b, kind));
}

/** Same as `sameValue`, with the kind taken from `kinds[path]` or the path's name. */
export function sameAtPath(path: string, a: unknown, b: unknown, kinds: Record<string, CompareKind> = {}): boolean {
	const kind = kinds[path] ?? kindForPath(path);
	return sameValue(a, b, kind === 'auto' ? kindForPath(path) : kind);
}

/**
 * A whole body in canonical form (for the stable hash): every member canonicalised by its path's
 * kind, one level of nesting (`custom_fields.<key>`) followed, empty members dropped.
 */
export function canonicalBody(body: unknown, kinds: Record<string, CompareKind> = {}, prefix = ''): Obj | null {
	if (!isObj(body)) return null;
	const out: Obj = {};
	for (const [key, value] of Object.entries(body)) {
		const path = prefix ? `${prefix}.${key}` : key;
		const explicit = kinds[path];
		const kind = explicit && explicit !== 'auto' ? explicit : kindForPath(path);
		const c = !prefix && kind === 'generic' && isObj(value) ? canonicalBody(value, kinds, path) : canonicalValue(value, kind);
		if (c !== null) out[key] = c;
	}
	return Object.keys(out).length ? out : null;
}
