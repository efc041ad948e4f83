/**
 * Pipedrive's two list styles (reference §4): API v2 (and a few v1 endpoints) page with an opaque
 * cursor in `additional_data.next_cursor` (null on the last page); v1 pages by offset, with
 * `additional_data.pagination.{ more_items_in_collection, next_start }`. Some v1 schemas put those
 * keys straight under `additional_data`, so both are read. v1 sends `data: null` for an empty list.
 */

/** Where the next page starts: a v2 cursor or a v1 offset. */
export type PipedrivePageToken = { cursor: string } | { start: number };

export interface PipedrivePage<T> {
	items: T[];
	next?: PipedrivePageToken;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function nextToken(additional: Record<string, unknown> | undefined): PipedrivePageToken | undefined {
	if (!additional) return undefined;
	if (typeof additional.next_cursor === 'string' && additional.next_cursor) return { cursor: additional.next_cursor };
	const offset = asRecord(additional.pagination) ?? additional;
	if (offset.more_items_in_collection !== true) return undefined;
	const start = Number(offset.next_start);
	return Number.isInteger(start) && start >= 0 ? { start } : undefined;
}

/** One page of a Pipedrive list answer. */
export function readPipedrivePage<T = unknown>(body: unknown): PipedrivePage<T> {
	const envelope = asRecord(body);
	if (!envelope) return { items: [] };
	const data = envelope.data;
	// Search answers wrap the rows: `data: { items: [...] }`.
	const rows = Array.isArray(data) ? data : Array.isArray(asRecord(data)?.items) ? (asRecord(data)!.items as unknown[]) : [];
	return { items: rows as T[], next: nextToken(asRecord(envelope.additional_data)) };
}

/** Query parameters that ask for the page at `token`. */
export function pageQuery(token: PipedrivePageToken | undefined): Record<string, string | number> {
	if (!token) return {};
	return 'cursor' in token ? { cursor: token.cursor } : { start: token.start };
}

function tokenKey(token: PipedrivePageToken): string {
	return 'cursor' in token ? `c:${token.cursor}` : `s:${token.start}`;
}

export interface CollectPipedriveOptions<T> {
	fetchPage: (token: PipedrivePageToken | undefined) => Promise<PipedrivePage<T>>;
	/** Most pages to read. */
	maxPages: number;
	/** Stop once this many rows are collected (then more pages do not count as truncation). */
	limit?: number;
}

export interface CollectedPages<T> {
	items: T[];
	/** True when pages were left unread because of `maxPages`: the list is incomplete. */
	truncated: boolean;
}

/** Follows next-page tokens until the last page, the limit, `maxPages`, or a repeated token (a server loop). */
export async function collectPipedrivePages<T>(options: CollectPipedriveOptions<T>): Promise<CollectedPages<T>> {
	const items: T[] = [];
	const seen = new Set<string>();
	const full = () => options.limit !== undefined && items.length >= options.limit;
	let token: PipedrivePageToken | undefined;
	for (let page = 0; page < options.maxPages; page++) {
		const result = await options.fetchPage(token);
		for (const item of result.items) {
			if (full()) break;
			items.push(item);
		}
		if (full() || !result.next || seen.has(tokenKey(result.next))) return { items, truncated: false };
		seen.add(tokenKey(result.next));
		token = result.next;
	}
	return { items, truncated: true };
}
