/**
 * Delta polling against an in-memory list that behaves like Propstreet's: ordered by
 * (updatedUtc, id), `updated_since` inclusive, soft-deleted rows only with include_deleted,
 * keyset cursors.
 */
import {
	classifyChange,
	pollChanges,
	readPollState,
	recordKey,
	updatedSinceFor,
	type ListPage,
	type PageQuery,
	type PolledRecord,
	type PollState,
} from '../../../nodes/shared/core/polling';

class FakeList {
	rows = new Map<string, PolledRecord>();

	calls: PageQuery[] = [];

	private version = 0;

	constructor(private readonly pageSize: number) {}

	put(id: string, at: string, changes: Partial<PolledRecord> = {}): PolledRecord {
		const existing = this.rows.get(id);
		const row: PolledRecord = {
			...(existing ?? { createdUtc: at }),
			...changes,
			id,
			updatedUtc: at,
			deletedUtc: changes.deletedUtc ?? existing?.deletedUtc ?? null,
			etag: `W/"${++this.version}"`,
		};
		this.rows.set(id, row);
		return row;
	}

	fetch = async (query: PageQuery): Promise<ListPage> => {
		this.calls.push(query);
		const since = Date.parse(query.updatedSince);
		const sorted = [...this.rows.values()]
			.filter((r) => Date.parse(String(r.updatedUtc)) >= since)
			.sort((a, b) => Date.parse(String(a.updatedUtc)) - Date.parse(String(b.updatedUtc)) || String(a.id).localeCompare(String(b.id)));
		const start = query.cursor ? Number(Buffer.from(query.cursor, 'base64').toString()) : 0;
		const data = sorted.slice(start, start + this.pageSize).map((r) => ({ ...r }));
		const more = start + this.pageSize < sorted.length;
		return {
			data,
			page: { nextCursor: more ? Buffer.from(String(start + this.pageSize)).toString('base64') : null, hasMore: more, pageSize: this.pageSize },
		};
	};
}

const NOW = Date.parse('2026-03-01T12:00:00Z');
const iso = (minute: number, second = 0) => new Date(Date.UTC(2026, 2, 1, 10, minute, second)).toISOString();

describe('classifyChange / recordKey / readPollState', () => {
	it('classifies deletions, creations and updates', () => {
		expect(classifyChange({ id: 1, createdUtc: iso(1), updatedUtc: iso(2), deletedUtc: iso(2) })).toBe('deleted');
		expect(classifyChange({ id: 1, createdUtc: iso(1), updatedUtc: iso(1), deletedUtc: null })).toBe('created');
		expect(classifyChange({ id: 1, createdUtc: '2026-03-01T10:01:00Z', updatedUtc: '2026-03-01T10:01:00.0000000Z' })).toBe('created');
		expect(classifyChange({ id: 1, createdUtc: iso(1), updatedUtc: iso(2), deletedUtc: null })).toBe('updated');
		expect(classifyChange({ id: 1, createdUtc: iso(1), updatedUtc: iso(2), status: 'deleted' })).toBe('deleted');
	});

	it('keys by id and etag, falling back to updatedUtc', () => {
		expect(recordKey({ id: 5, etag: 'W/"x"' })).toBe('5|W/"x"');
		expect(recordKey({ id: '5', updatedUtc: iso(3) })).toBe(`5|u:${iso(3)}`);
	});

	it('accepts only well-formed stored state', () => {
		expect(readPollState(undefined)).toBeNull();
		expect(readPollState({ version: 2, highWaterMark: iso(1) })).toBeNull();
		expect(readPollState({ version: 1, highWaterMark: 'yesterday' })).toBeNull();
		expect(readPollState({ version: 1, highWaterMark: iso(1), boundary: [['a', 1], 'x'], resume: { cursor: 5 } })).toEqual({
			version: 1,
			highWaterMark: iso(1),
			boundary: [['a', 1]],
			resume: null,
		});
	});

	it('subtracts the overlap from the high-water mark, or keeps the exact text without overlap', () => {
		expect(updatedSinceFor('2026-03-01T10:05:00.1234567Z', 60)).toBe('2026-03-01T10:04:00.123Z');
		expect(updatedSinceFor('2026-03-01T10:05:00.1234567Z', 0)).toBe('2026-03-01T10:05:00.1234567Z');
	});
});

describe('pollChanges', () => {
	it('first run without a start date only stores a starting point', async () => {
		const list = new FakeList(2);
		list.put('1', iso(1));
		const outcome = await pollChanges(null, list.fetch, { resource: 'contacts', nowMs: NOW });
		expect(outcome.initialised).toBe(true);
		expect(outcome.changes).toEqual([]);
		expect(list.calls).toHaveLength(0);
		expect(outcome.state.highWaterMark).toBe(new Date(NOW).toISOString());
	});

	it('follows cursors across pages, classifies, then finds nothing new on the next poll', async () => {
		const list = new FakeList(2);
		list.put('1', iso(1));
		list.put('2', iso(2));
		list.put('2', iso(3), { firstName: 'changed' });
		list.put('3', iso(4));
		list.put('4', iso(5));
		list.put('4', iso(6), { deletedUtc: iso(6) });
		list.put('5', iso(7));

		const first = await pollChanges(null, list.fetch, { resource: 'contacts', nowMs: NOW, startFrom: iso(0), overlapSeconds: 30 });
		expect(first.pages).toBe(3);
		expect(list.calls.map((c) => Boolean(c.cursor))).toEqual([false, true, true]);
		expect(new Set(list.calls.map((c) => c.updatedSince)).size).toBe(1);
		expect(first.complete).toBe(true);
		expect(first.changes.map((c) => [c.record.id, c.event])).toEqual([
			['1', 'contact.created'],
			['2', 'contact.updated'],
			['3', 'contact.created'],
			['4', 'contact.deleted'],
			['5', 'contact.created'],
		]);
		expect(first.state.highWaterMark).toBe(iso(7));
		expect(first.state.resume).toBeNull();

		list.calls = [];
		const second = await pollChanges(first.state, list.fetch, { resource: 'contacts', nowMs: NOW, overlapSeconds: 30 });
		expect(list.calls[0].updatedSince).toBe(iso(6, 30));
		// The boundary record (id 5) comes back because updated_since is inclusive; it is not re-emitted.
		expect(second.changes).toEqual([]);
		expect(second.state.highWaterMark).toBe(iso(7));
	});

	it('emits a record again only when it really changed (new etag), including a later deletion', async () => {
		const list = new FakeList(10);
		list.put('1', iso(1));
		const first = await pollChanges(null, list.fetch, { resource: 'projects', nowMs: NOW, startFrom: iso(0) });
		expect(first.changes.map((c) => c.event)).toEqual(['project.created']);

		list.put('1', iso(2), { name: 'renamed' });
		const second = await pollChanges(first.state, list.fetch, { resource: 'projects', nowMs: NOW });
		expect(second.changes.map((c) => [c.record.id, c.event])).toEqual([['1', 'project.updated']]);

		list.put('1', iso(3), { deletedUtc: iso(3) });
		const third = await pollChanges(second.state, list.fetch, { resource: 'projects', nowMs: NOW });
		expect(third.changes.map((c) => c.event)).toEqual(['project.deleted']);
		const fourth = await pollChanges(third.state, list.fetch, { resource: 'projects', nowMs: NOW });
		expect(fourth.changes).toEqual([]);
	});

	it('catches a row committed late with the boundary timestamp or slightly before it', async () => {
		const list = new FakeList(2);
		list.put('a', iso(5));
		const first = await pollChanges(null, list.fetch, { resource: 'links', nowMs: NOW, startFrom: iso(0), overlapSeconds: 60 });
		expect(first.changes.map((c) => c.record.id)).toEqual(['a']);

		// Same timestamp as the high-water mark, and one 20 s earlier: both committed after poll 1 read.
		list.put('b', iso(5));
		list.put('c', iso(4, 40));
		const second = await pollChanges(first.state, list.fetch, { resource: 'links', nowMs: NOW, overlapSeconds: 60 });
		expect(second.changes.map((c) => [c.record.id, c.event])).toEqual([
			['c', 'link.created'],
			['b', 'link.created'],
		]);
	});

	it('with no overlap, still dedupes the inclusive boundary record', async () => {
		const list = new FakeList(5);
		list.put('x', iso(9));
		const first = await pollChanges(null, list.fetch, { resource: 'companies', nowMs: NOW, startFrom: iso(0), overlapSeconds: 0 });
		const second = await pollChanges(first.state, list.fetch, { resource: 'companies', nowMs: NOW, overlapSeconds: 0 });
		expect(list.calls[1].updatedSince).toBe(iso(9));
		expect(second.changes).toEqual([]);
		expect(second.state.boundary.map(([k]) => k)).toEqual([recordKey(list.rows.get('x')!)]);
	});

	it('drains a backlog over several polls from a stored cursor without skipping or repeating', async () => {
		const list = new FakeList(2);
		for (let i = 1; i <= 7; i++) list.put(`p${i}`, iso(i));
		const emitted: string[] = [];
		let state: PollState | null = null;
		let outcome;
		let polls = 0;
		do {
			outcome = await pollChanges(state, list.fetch, {
				resource: 'prospects',
				nowMs: NOW,
				startFrom: iso(0),
				maxPages: 2,
				overlapSeconds: 30,
			});
			emitted.push(...outcome.changes.map((c) => String(c.record.id)));
			state = outcome.state;
			polls++;
		} while (!outcome.complete && polls < 10);
		expect(polls).toBe(2);
		expect(emitted).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']);
		// The second poll resumed the first query (same updated_since) from its cursor.
		expect(list.calls[2]).toEqual({ updatedSince: list.calls[0].updatedSince, cursor: expect.any(String) });
		expect(state!.resume).toBeNull();
		expect(state!.highWaterMark).toBe(iso(7));
	});

	it('stops early when asked and keeps the cursor', async () => {
		const list = new FakeList(1);
		list.put('1', iso(1));
		list.put('2', iso(2));
		const outcome = await pollChanges(null, list.fetch, { resource: 'contacts', nowMs: NOW, startFrom: iso(0), shouldStop: () => true });
		expect(outcome.complete).toBe(false);
		expect(outcome.pages).toBe(1);
		expect(outcome.state.resume?.cursor).toEqual(expect.any(String));
	});

	it('does not mutate the stored state it was given', async () => {
		const list = new FakeList(5);
		list.put('1', iso(1));
		const state: PollState = { version: 1, highWaterMark: iso(0), boundary: [['old|1', Date.parse(iso(0))]], resume: null };
		const copy = JSON.parse(JSON.stringify(state));
		await pollChanges(state, list.fetch, { resource: 'contacts', nowMs: NOW });
		expect(state).toEqual(copy);
	});

	it('caps the remembered boundary keys', async () => {
		const list = new FakeList(500);
		for (let i = 0; i < 50; i++) list.put(`r${i}`, iso(5));
		const outcome = await pollChanges(null, list.fetch, { resource: 'contacts', nowMs: NOW, startFrom: iso(0), maxBoundaryKeys: 10 });
		expect(outcome.changes).toHaveLength(50);
		expect(outcome.state.boundary).toHaveLength(10);
	});
});
