import { chunk, collectPages, pageSizeFor, readPage, type PageResult } from '../../../nodes/shared/core/http';

describe('cursor pagination', () => {
	it('reads the page envelope, the flat envelope and a bare array', () => {
		expect(readPage({ data: [1, 2], page: { nextCursor: 'c2', hasMore: true, pageSize: 2 } })).toEqual({ items: [1, 2], nextCursor: 'c2' });
		expect(readPage({ data: [3], page: { nextCursor: 'c3', hasMore: false } })).toEqual({ items: [3], nextCursor: undefined });
		expect(readPage({ data: [4], hasMore: true, nextCursor: 'flat' })).toEqual({ items: [4], nextCursor: 'flat' });
		expect(readPage([5, 6])).toEqual({ items: [5, 6] });
		expect(readPage(null)).toEqual({ items: [] });
	});

	function pager(pages: Record<string, PageResult<number>>) {
		const calls: Array<string | undefined> = [];
		return {
			calls,
			fetchPage: async (cursor: string | undefined) => {
				calls.push(cursor);
				return pages[cursor ?? 'first'];
			},
		};
	}

	it('follows cursors until the last page', async () => {
		const p = pager({ first: { items: [1, 2], nextCursor: 'a' }, a: { items: [3, 4], nextCursor: 'b' }, b: { items: [5] } });
		expect(await collectPages({ fetchPage: p.fetchPage })).toEqual([1, 2, 3, 4, 5]);
		expect(p.calls).toEqual([undefined, 'a', 'b']);
	});

	it('stops at the limit without fetching further pages', async () => {
		const p = pager({ first: { items: [1, 2], nextCursor: 'a' }, a: { items: [3, 4], nextCursor: 'b' }, b: { items: [5] } });
		expect(await collectPages({ fetchPage: p.fetchPage, limit: 3 })).toEqual([1, 2, 3]);
		expect(p.calls).toEqual([undefined, 'a']);
	});

	it('does not loop forever on a repeated cursor', async () => {
		const p = pager({ first: { items: [1], nextCursor: 'same' }, same: { items: [2], nextCursor: 'same' } });
		expect(await collectPages({ fetchPage: p.fetchPage })).toEqual([1, 2]);
		expect(p.calls).toEqual([undefined, 'same']);
	});

	it('asks for no more than needed, within 1–500', () => {
		expect(pageSizeFor(undefined)).toBe(500);
		expect(pageSizeFor(20)).toBe(20);
		expect(pageSizeFor(5000)).toBe(500);
		expect(pageSizeFor(0)).toBe(1);
	});

	it('chunks into batches of at most n', () => {
		const list = Array.from({ length: 250 }, (_, i) => i);
		const parts = chunk(list, 100);
		expect(parts.map((p) => p.length)).toEqual([100, 100, 50]);
		expect(parts.flat()).toEqual(list);
		expect(chunk([], 100)).toEqual([]);
		expect(() => chunk([1], 0)).toThrow(RangeError);
	});
});
