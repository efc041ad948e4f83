import { collectPipedrivePages, normalizeHeaders, pageQuery, parseResponseBody, readPipedrivePage, type PipedrivePageToken } from '../../../nodes/shared/core/pipedrive';

describe('readPipedrivePage', () => {
	it('reads a v2 cursor, null on the last page', () => {
		expect(readPipedrivePage({ success: true, data: [{ id: 1 }], additional_data: { next_cursor: 'abc' } })).toEqual({ items: [{ id: 1 }], next: { cursor: 'abc' } });
		expect(readPipedrivePage({ success: true, data: [{ id: 2 }], additional_data: { next_cursor: null } })).toEqual({ items: [{ id: 2 }], next: undefined });
	});

	it('reads v1 offsets, wrapped or flat, and `data: null` as empty', () => {
		const wrapped = { data: [{ id: 1 }], additional_data: { pagination: { start: 0, limit: 1, more_items_in_collection: true, next_start: 1 } } };
		expect(readPipedrivePage(wrapped).next).toEqual({ start: 1 });
		const flat = { data: [{ id: 1 }], additional_data: { start: 0, limit: 1, more_items_in_collection: true, next_start: 1 } };
		expect(readPipedrivePage(flat).next).toEqual({ start: 1 });
		expect(readPipedrivePage({ data: [], additional_data: { pagination: { more_items_in_collection: false } } }).next).toBeUndefined();
		expect(readPipedrivePage({ success: true, data: null, additional_data: null })).toEqual({ items: [], next: undefined });
	});

	it('reads search answers (`data.items`) and tolerates junk', () => {
		expect(readPipedrivePage({ data: { items: [{ item: { id: 3 } }] }, additional_data: { next_cursor: null } }).items).toEqual([{ item: { id: 3 } }]);
		expect(readPipedrivePage('<html>')).toEqual({ items: [] });
	});

	it('turns a token into query parameters', () => {
		expect(pageQuery({ cursor: 'c1' })).toEqual({ cursor: 'c1' });
		expect(pageQuery({ start: 500 })).toEqual({ start: 500 });
		expect(pageQuery(undefined)).toEqual({});
	});
});

describe('collectPipedrivePages', () => {
	const pages = (n: number) => async (token: PipedrivePageToken | undefined) => {
		const i = token && 'cursor' in token ? Number(token.cursor) : 0;
		return { items: [i * 10, i * 10 + 1], next: i + 1 < n ? { cursor: String(i + 1) } : undefined };
	};

	it('follows tokens to the last page', async () => {
		expect(await collectPipedrivePages({ fetchPage: pages(3), maxPages: 10 })).toEqual({ items: [0, 1, 10, 11, 20, 21], truncated: false });
	});

	it('stops at a row limit without calling it truncated', async () => {
		const fetchPage = jest.fn(pages(5));
		expect(await collectPipedrivePages({ fetchPage, maxPages: 10, limit: 3 })).toEqual({ items: [0, 1, 10], truncated: false });
		expect(fetchPage).toHaveBeenCalledTimes(2);
	});

	it('says truncated when pages remain after maxPages', async () => {
		expect(await collectPipedrivePages({ fetchPage: pages(5), maxPages: 2 })).toEqual({ items: [0, 1, 10, 11], truncated: true });
		expect(await collectPipedrivePages({ fetchPage: pages(2), maxPages: 2 })).toEqual({ items: [0, 1, 10, 11], truncated: false });
	});

	it('stops when the server repeats a token', async () => {
		const fetchPage = jest.fn(async () => ({ items: [1], next: { start: 100 } }));
		expect(await collectPipedrivePages({ fetchPage, maxPages: 50 })).toEqual({ items: [1, 1], truncated: false });
		expect(fetchPage).toHaveBeenCalledTimes(2);
	});
});

describe('response normalising', () => {
	it('lower-cases header names, joins lists, reads toJSON objects', () => {
		expect(normalizeHeaders({ 'X-RateLimit-Remaining': 5, 'Set-Cookie': ['a', 'b'], Gone: undefined })).toEqual({ 'x-ratelimit-remaining': '5', 'set-cookie': 'a, b' });
		expect(normalizeHeaders({ toJSON: () => ({ 'Content-Type': 'application/json' }) })).toEqual({ 'content-type': 'application/json' });
		expect(normalizeHeaders(null)).toEqual({});
	});

	it('parses JSON-looking strings only', () => {
		expect(parseResponseBody('{"success":true}')).toEqual({ success: true });
		expect(parseResponseBody('<html></html>')).toBe('<html></html>');
		expect(parseResponseBody('{broken')).toBe('{broken');
		expect(parseResponseBody('  ')).toBeUndefined();
		expect(parseResponseBody({ a: 1 })).toEqual({ a: 1 });
	});
});
