/**
 * The in-memory store: one table per resource, id and ETag generation, external-ref indexing and
 * keyset pagination. It knows nothing about HTTP; the resource modules validate and write through it.
 */
import { FIRST_RUNTIME_ID } from '../seed/ids';
import type { SimClock } from './clock';
import { badRequest } from './errors';
import type {
	ActionRecord,
	ChangeOrigin,
	ChangeType,
	CompanyRecord,
	ContactRecord,
	ExternalRef,
	LinkRecord,
	ProjectRecord,
	PropertyRecord,
	PropstreetSwitches,
	ProspectRecord,
	VersionedRecord,
	WebhookDelivery,
	WebhookSubscription,
} from './types';

/** Index key of one external reference: namespace case-insensitive, id exact (reference §2). */
function refKey(namespace: string, id: string): string {
	return `${namespace.toLowerCase()}\u0000${id}`;
}

/** The keyset order of every list: (updatedUtc, id) ascending. */
function keysetOrder(a: VersionedRecord, b: VersionedRecord): number {
	return a.updatedUtc < b.updatedUtc ? -1 : a.updatedUtc > b.updatedUtc ? 1 : compareIds(a.id, b.id);
}

type MaybeRefs = { externalRefs?: ExternalRef[] };

/**
 * One resource table: a Map by id (insertion order is the scan order every lookup used before the
 * indexes, and still decides ties), plus what keeps reads off full scans:
 * - external-ref index: ref key → ids that carry it (live and soft-deleted alike);
 * - optional extra keys (contacts: lower-cased primary e-mail; companies: domain) → ids;
 * - the (updatedUtc, id) order for keyset pages, rebuilt lazily after a write.
 *
 * The indexes are candidate lists: every hit is re-checked against the record itself, so an entry
 * left behind by a field that changed (e.g. during a write that is rolled back) can never produce a
 * wrong answer. What must not happen is a record *gaining* a ref, an e-mail or a new updatedUtc
 * without the table hearing of it: every write goes through `set` (new records), `Store.touch` (new
 * versions, incl. soft delete and revive) or, for the rare write that bumps no version, `reindex`.
 */
export class RecordTable<T extends VersionedRecord> extends Map<string, T> {
	private readonly byRef = new Map<string, Set<string>>();
	private readonly byKey = new Map<string, Set<string>>();
	private readonly keysOf = new Map<string, { refs: string[]; extra: string[] }>();
	/** Map insertion position per id, to return index hits in the order a full scan would. */
	private readonly position = new Map<string, number>();
	private nextPosition = 0;
	private sorted: T[] | null = null;

	/**
	 * @param extraKeys Further lookup keys of a record (normalised by the caller), e.g. its e-mail.
	 * @param onAdd Called for every record put into the table (the store tracks which table owns it).
	 */
	constructor(
		private readonly extraKeys: (record: T) => string[] = () => [],
		private readonly onAdd: (record: T, table: RecordTable<T>) => void = () => undefined,
	) {
		super();
	}

	override set(id: string, record: T): this {
		const previous = super.get(id);
		if (previous === undefined) this.position.set(id, this.nextPosition++);
		super.set(id, record);
		this.index(id, record);
		this.onAdd(record, this);
		return this;
	}

	override delete(id: string): boolean {
		if (!super.has(id)) return false;
		this.unindex(id);
		this.position.delete(id);
		this.sorted = null;
		return super.delete(id);
	}

	override clear(): void {
		super.clear();
		this.byRef.clear();
		this.byKey.clear();
		this.keysOf.clear();
		this.position.clear();
		this.sorted = null;
	}

	/** Re-reads a record's refs and keys and forgets the list order; call after changing a record in place. */
	reindex(record: T): void {
		if (super.get(record.id) === record) this.index(record.id, record);
	}

	/** Ids of records that carry (or carried, until re-checked) this ref, in table order. */
	idsWithRef(namespace: string, id: string): string[] {
		return this.ordered(this.byRef.get(refKey(namespace, id)));
	}

	/** Ids of records under an extra key (see the constructor), in table order. */
	idsWithKey(key: string): string[] {
		return this.ordered(this.byKey.get(key));
	}

	/** Every record in keyset order (updatedUtc, id); cached until the next write. */
	inKeysetOrder(): readonly T[] {
		this.sorted ??= [...super.values()].sort(keysetOrder);
		return this.sorted;
	}

	private ordered(ids: Set<string> | undefined): string[] {
		if (!ids || ids.size === 0) return [];
		const list = [...ids];
		if (list.length > 1) list.sort((a, b) => (this.position.get(a) ?? 0) - (this.position.get(b) ?? 0));
		return list;
	}

	private index(id: string, record: T): void {
		this.unindex(id);
		const refs = ((record as MaybeRefs).externalRefs ?? []).map((r) => refKey(r.namespace, r.id));
		const extra = this.extraKeys(record);
		for (const key of refs) add(this.byRef, key, id);
		for (const key of extra) add(this.byKey, key, id);
		this.keysOf.set(id, { refs, extra });
		this.sorted = null;
	}

	private unindex(id: string): void {
		const keys = this.keysOf.get(id);
		if (!keys) return;
		for (const key of keys.refs) remove(this.byRef, key, id);
		for (const key of keys.extra) remove(this.byKey, key, id);
		this.keysOf.delete(id);
	}
}

function add(index: Map<string, Set<string>>, key: string, id: string): void {
	let ids = index.get(key);
	if (!ids) index.set(key, (ids = new Set()));
	ids.add(id);
}

function remove(index: Map<string, Set<string>>, key: string, id: string): void {
	const ids = index.get(key);
	if (!ids) return;
	ids.delete(id);
	if (ids.size === 0) index.delete(key);
}

/** Lower-cased primary e-mail of a contact, the key its uniqueness and `match=email` go by. */
export function contactEmailKeys(c: ContactRecord): string[] {
	return c.email ? [c.email.toLowerCase()] : [];
}

/** A company's normalised domain, the key `match=domain` goes by. */
export function companyDomainKeys(c: CompanyRecord): string[] {
	return c.domain ? [c.domain] : [];
}

export class Store {
	/** Which table a record lives in, so `touch` can refresh that table's indexes. */
	private readonly home = new WeakMap<VersionedRecord, RecordTable<VersionedRecord>>();
	private readonly track = (record: VersionedRecord, table: RecordTable<VersionedRecord>) => void this.home.set(record, table);

	contacts = this.table<ContactRecord>(contactEmailKeys);
	companies = this.table<CompanyRecord>(companyDomainKeys);
	links = this.table<LinkRecord>();
	projects = this.table<ProjectRecord>();
	prospects = this.table<ProspectRecord>();
	properties = this.table<PropertyRecord>();
	actions = new Map<string, ActionRecord>();
	webhooks = new Map<string, WebhookSubscription>();
	deliveries = new Map<string, WebhookDelivery>();

	private idCounter = FIRST_RUNTIME_ID;
	private rowVersion = 1000;

	constructor(readonly clock: SimClock) {}

	reset(): void {
		for (const table of [this.contacts, this.companies, this.links, this.projects, this.prospects, this.properties, this.actions, this.webhooks, this.deliveries]) {
			table.clear();
		}
	}

	nextId(): string {
		return String(this.idCounter++);
	}

	/** A weak ETag over an 8-byte row-version counter, like the docs' `W/"AAAAAAAAK0Q="`. */
	nextEtag(): string {
		const buf = Buffer.alloc(8);
		buf.writeUInt32BE(Math.floor(++this.rowVersion / 0x100000000), 0);
		buf.writeUInt32BE(this.rowVersion % 0x100000000, 4);
		return `W/"${buf.toString('base64')}"`;
	}

	/** Fresh audit fields for a new record. */
	newVersioned(origin: ChangeOrigin, id = this.nextId()): VersionedRecord {
		const now = this.clock.iso();
		return { id, createdUtc: now, updatedUtc: now, deletedUtc: null, etag: this.nextEtag(), changeType: 'create', changeOrigin: origin };
	}

	/** Marks a new version of a record: new ETag, updatedUtc, and what changed it. */
	touch(record: VersionedRecord, changeType: ChangeType, origin: ChangeOrigin): void {
		record.updatedUtc = this.clock.iso();
		record.etag = this.nextEtag();
		record.changeType = changeType;
		record.changeOrigin = origin;
		this.home.get(record)?.reindex(record);
	}

	private table<T extends VersionedRecord>(extraKeys?: (record: T) => string[]): RecordTable<T> {
		return new RecordTable<T>(extraKeys, this.track as unknown as (record: T, table: RecordTable<T>) => void);
	}
}

/** Namespace compare is case-insensitive, id compare is exact (reference §2). */
export function sameRef(a: ExternalRef, namespace: string, id: string): boolean {
	return a.namespace.toLowerCase() === namespace.toLowerCase() && a.id === id;
}

/**
 * The record carrying `namespace/id`. Given a `RecordTable` it reads the ref index; given any other
 * iterable it scans. Either way the answer is the same: the first live match in table order, else
 * (with `includeDeleted`) the most recently deleted one.
 */
export function findByRef<T extends VersionedRecord & { externalRefs: ExternalRef[] }>(
	records: RecordTable<T> | Iterable<T>,
	namespace: string,
	id: string,
	opts: { includeDeleted?: boolean; scope?: (r: T) => boolean } = {},
): T | undefined {
	const candidates: Iterable<T> = records instanceof RecordTable ? records.idsWithRef(namespace, id).map((key) => records.get(key)!) : records;
	let found: T | undefined;
	for (const record of candidates) {
		if (opts.scope && !opts.scope(record)) continue;
		if (!opts.includeDeleted && record.deletedUtc) continue;
		if (!record.externalRefs.some((ref) => sameRef(ref, namespace, id))) continue;
		// Prefer a live record; among deleted ones the most recently deleted (for revive).
		if (!found || (found.deletedUtc && (!record.deletedUtc || record.deletedUtc > found.deletedUtc))) found = record;
	}
	return found;
}

export function compareIds(a: string, b: string): number {
	const na = Number(a);
	const nb = Number(b);
	if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
	return a < b ? -1 : a > b ? 1 : 0;
}

export interface ListQuery {
	pageSize: number;
	cursor: { u: string; i: string } | null;
	updatedSince: string | null;
	includeDeleted: boolean;
}

export function encodeCursor(value: Record<string, string>): string {
	return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

function decodeCursor(raw: string): Record<string, unknown> {
	try {
		const parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
		if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
	} catch {
		// fall through
	}
	throw badRequest('The cursor is not valid.', { cursor: ['The cursor is not valid.'] });
}

export function parseDateParam(name: string, raw: string | null): string | null {
	if (raw === null || raw === '') return null;
	const ms = Date.parse(raw);
	if (Number.isNaN(ms)) throw badRequest(`${name} is not a valid date-time.`, { [name]: [`'${raw}' is not a valid date-time.`] });
	return new Date(ms).toISOString();
}

export function parsePageSize(query: URLSearchParams, def = 500, max = 500): number {
	const raw = query.get('page_size');
	if (raw === null || raw === '') return def;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > max) {
		throw badRequest('page_size is out of range.', { page_size: [`page_size must be an integer between 1 and ${max}.`] });
	}
	return n;
}

export function parseBool(name: string, raw: string | null, def: boolean): boolean {
	if (raw === null || raw === '') return def;
	if (/^true$/i.test(raw)) return true;
	if (/^false$/i.test(raw)) return false;
	throw badRequest(`${name} must be true or false.`, { [name]: [`'${raw}' is not a boolean.`] });
}

export function parseListQuery(query: URLSearchParams): ListQuery {
	const rawCursor = query.get('cursor');
	let cursor: ListQuery['cursor'] = null;
	if (rawCursor) {
		const c = decodeCursor(rawCursor);
		if (typeof c.u !== 'string' || (typeof c.i !== 'string' && typeof c.i !== 'number')) {
			throw badRequest('The cursor is not valid.', { cursor: ['The cursor is not valid.'] });
		}
		cursor = { u: c.u, i: String(c.i) };
	}
	return {
		pageSize: parsePageSize(query),
		cursor,
		updatedSince: parseDateParam('updated_since', query.get('updated_since')),
		includeDeleted: parseBool('include_deleted', query.get('include_deleted'), false),
	};
}

export interface Page<T> {
	items: T[];
	nextCursor: string | null;
	hasMore: boolean;
}

/**
 * Keyset page ordered by (updatedUtc, id) ascending. `updated_since` is inclusive ("on or after"),
 * so a poller sees its boundary row again and dedupes by id + etag (reference §7.2).
 */
export function keysetPage<T extends VersionedRecord>(records: RecordTable<T> | Iterable<T>, q: ListQuery, filter?: (r: T) => boolean): Page<T> {
	const sorted = records instanceof RecordTable ? records.inKeysetOrder() : [...records].sort(keysetOrder);
	// Both bounds are monotonic along the sorted rows, so the page starts at a binary-searched index.
	let start = 0;
	if (q.updatedSince) start = firstIndex(sorted, (r) => r.updatedUtc >= q.updatedSince!);
	if (q.cursor) {
		const { u, i } = q.cursor;
		start = Math.max(start, firstIndex(sorted, (r) => r.updatedUtc > u || (r.updatedUtc === u && compareIds(r.id, i) > 0)));
	}
	const items: T[] = [];
	let hasMore = false;
	for (let k = start; k < sorted.length; k++) {
		const r = sorted[k];
		if (!q.includeDeleted && r.deletedUtc) continue;
		if (filter && !filter(r)) continue;
		if (items.length === q.pageSize) {
			hasMore = true;
			break;
		}
		items.push(r);
	}
	const last = items[items.length - 1];
	return { items, hasMore, nextCursor: hasMore && last ? encodeCursor({ u: last.updatedUtc, i: last.id }) : null };
}

/** The first index whose row satisfies `pred` (false…false true…true), or `rows.length`. */
function firstIndex<T>(rows: readonly T[], pred: (row: T) => boolean): number {
	let lo = 0;
	let hi = rows.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (pred(rows[mid])) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/** The list envelope: `{data, page:{nextCursor,pageSize,hasMore}}`, or the flat variant (§22 #1). */
export function envelope(switches: PropstreetSwitches, data: unknown[], page: { nextCursor: string | null; hasMore: boolean }, requestedSize: number) {
	const pageSize = switches.pageSizeMeaning === 'requested' ? requestedSize : data.length;
	if (switches.listEnvelope === 'flat') return { data, nextCursor: page.nextCursor, hasMore: page.hasMore, pageSize };
	return { data, page: { nextCursor: page.nextCursor, pageSize, hasMore: page.hasMore } };
}
