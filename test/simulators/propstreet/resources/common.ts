/** Helpers shared by the resource modules: audit-field views, list responses and simple lookups. */
import type { SimCore } from '../context';
import { notFound } from '../errors';
import { json, type SimRequest, type SimResponse } from '../http';
import { envelope, keysetPage, parseListQuery, type RecordTable } from '../store';
import type { VersionedRecord } from '../types';

/** Audit fields as shown to the caller: changeType/changeOrigin only on write responses and webhooks. */
export function auditFields(core: SimCore, r: VersionedRecord, withChange: boolean) {
	const show = withChange || core.switches.changeFieldsOnReads;
	return {
		createdUtc: r.createdUtc,
		updatedUtc: r.updatedUtc,
		deletedUtc: r.deletedUtc,
		etag: r.etag,
		changeType: show ? r.changeType : null,
		changeOrigin: show ? r.changeOrigin : null,
	};
}

/** A live (not soft-deleted) record or 404. */
export function live<T extends VersionedRecord>(table: Map<string, T>, id: string, what: string): T {
	const record = table.get(id);
	if (!record || record.deletedUtc) throw notFound(`${what} '${id}'`);
	return record;
}

export function listResponse<T extends VersionedRecord>(
	core: SimCore,
	req: SimRequest,
	records: RecordTable<T> | Iterable<T>,
	view: (r: T) => unknown,
	filter?: (r: T) => boolean,
): SimResponse {
	const q = parseListQuery(req.query);
	// A store table is paged from its cached keyset order; the filter is applied while paging.
	const page = keysetPage(records, q, filter);
	return json(200, envelope(core.switches, page.items.map(view), page, q.pageSize));
}

/** Single-resource responses carry the ETag header too. */
export function withEtag(status: number, body: { etag: string }, headers: Record<string, string> = {}): SimResponse {
	return json(status, body, { ETag: body.etag, ...headers });
}

export function fullName(first: string | null, last: string | null): string | null {
	const name = [first, last].filter((s) => s && s.trim()).join(' ');
	return name || null;
}

/** Stable JSON for change detection (writes that change nothing bump nothing). */
export function snapshot(value: unknown): string {
	return JSON.stringify(value);
}
