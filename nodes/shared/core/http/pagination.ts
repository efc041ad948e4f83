/**
 * Cursor pagination over Propstreet list endpoints. The reference envelope is
 * `{ data, page: { nextCursor, hasMore, pageSize } }`; an older guide shows `hasMore`/`nextCursor`
 * at the top level, so both are read (reference §22 #1). A plain array is one final page.
 */

export interface PageResult<T> {
	items: T[];
	nextCursor?: string;
}

export function readPage<T = unknown>(body: unknown): PageResult<T> {
	if (Array.isArray(body)) return { items: body as T[] };
	if (!body || typeof body !== 'object') return { items: [] };
	const envelope = body as Record<string, unknown>;
	const items = (Array.isArray(envelope.data) ? envelope.data : Array.isArray(envelope.results) ? envelope.results : []) as T[];
	const page = (envelope.page && typeof envelope.page === 'object' ? envelope.page : envelope) as Record<string, unknown>;
	const cursor = typeof page.nextCursor === 'string' && page.nextCursor ? page.nextCursor : undefined;
	// hasMore=false ends the walk even if a cursor is (wrongly) present.
	const hasMore = page.hasMore === undefined ? cursor !== undefined : page.hasMore === true;
	return { items, nextCursor: hasMore ? cursor : undefined };
}

export interface CollectOptions<T> {
	fetchPage: (cursor: string | undefined) => Promise<PageResult<T>>;
	/** Stop once this many items are collected; undefined = all. */
	limit?: number;
	/** Guard against a server that keeps returning the same cursor. */
	maxPages?: number;
}

export async function collectPages<T>(options: CollectOptions<T>): Promise<T[]> {
	const out: T[] = [];
	const seenCursors = new Set<string>();
	const maxPages = options.maxPages ?? 10_000;
	let cursor: string | undefined;
	for (let pageNo = 0; pageNo < maxPages; pageNo++) {
		const page = await options.fetchPage(cursor);
		for (const item of page.items) {
			if (options.limit !== undefined && out.length >= options.limit) return out;
			out.push(item);
		}
		if (options.limit !== undefined && out.length >= options.limit) return out;
		if (!page.nextCursor || seenCursors.has(page.nextCursor)) return out;
		seenCursors.add(page.nextCursor);
		cursor = page.nextCursor;
	}
	return out;
}

/** Page size to ask for: no more than needed for a limit, within Propstreet's 1–500. */
export function pageSizeFor(limit: number | undefined, max = 500): number {
	if (limit === undefined) return max;
	return Math.max(1, Math.min(max, Math.floor(limit)));
}
