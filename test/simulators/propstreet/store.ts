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

export class Store {
	contacts = new Map<string, ContactRecord>();
	companies = new Map<string, CompanyRecord>();
	links = new Map<string, LinkRecord>();
	projects = new Map<string, ProjectRecord>();
	prospects = new Map<string, ProspectRecord>();
	properties = new Map<string, PropertyRecord>();
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
	}
}

/** Namespace compare is case-insensitive, id compare is exact (reference §2). */
export function sameRef(a: ExternalRef, namespace: string, id: string): boolean {
	return a.namespace.toLowerCase() === namespace.toLowerCase() && a.id === id;
}

export function findByRef<T extends VersionedRecord & { externalRefs: ExternalRef[] }>(
	records: Iterable<T>,
	namespace: string,
	id: string,
	opts: { includeDeleted?: boolean; scope?: (r: T) => boolean } = {},
): T | undefined {
	let found: T | undefined;
	for (const record of records) {
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
export function keysetPage<T extends VersionedRecord>(records: Iterable<T>, q: ListQuery): Page<T> {
	const rows = [...records]
		.filter((r) => q.includeDeleted || !r.deletedUtc)
		.filter((r) => !q.updatedSince || r.updatedUtc >= q.updatedSince)
		.sort((a, b) => (a.updatedUtc < b.updatedUtc ? -1 : a.updatedUtc > b.updatedUtc ? 1 : compareIds(a.id, b.id)));
	const after = q.cursor
		? rows.filter((r) => r.updatedUtc > q.cursor!.u || (r.updatedUtc === q.cursor!.u && compareIds(r.id, q.cursor!.i) > 0))
		: rows;
	const items = after.slice(0, q.pageSize);
	const hasMore = after.length > items.length;
	const last = items[items.length - 1];
	return { items, hasMore, nextCursor: hasMore && last ? encodeCursor({ u: last.updatedUtc, i: last.id }) : null };
}

/** The list envelope: `{data, page:{nextCursor,pageSize,hasMore}}`, or the flat variant (§22 #1). */
export function envelope(switches: PropstreetSwitches, data: unknown[], page: { nextCursor: string | null; hasMore: boolean }, requestedSize: number) {
	const pageSize = switches.pageSizeMeaning === 'requested' ? requestedSize : data.length;
	if (switches.listEnvelope === 'flat') return { data, nextCursor: page.nextCursor, hasMore: page.hasMore, pageSize };
	return { data, page: { nextCursor: page.nextCursor, pageSize, hasMore: page.hasMore } };
}
