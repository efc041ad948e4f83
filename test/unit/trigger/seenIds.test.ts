import { DEFAULT_SEEN_IDS_CAPACITY, DEFAULT_SEEN_IDS_TTL_MS, SeenIds } from '../../../nodes/shared/core/seenIds';

const T0 = Date.UTC(2026, 0, 1);

describe('SeenIds', () => {
	it('reports a repeated id as seen, a new one as new', () => {
		const memory = new SeenIds();
		expect(memory.checkAndRemember('msg_1', T0)).toBe(true);
		expect(memory.checkAndRemember('msg_1', T0 + 1000)).toBe(false);
		expect(memory.checkAndRemember('msg_2', T0 + 2000)).toBe(true);
		expect(memory.size).toBe(2);
	});

	it('never holds more than its capacity and forgets the oldest first', () => {
		const memory = new SeenIds({ capacity: 3 });
		for (let i = 1; i <= 5; i++) memory.add(`msg_${i}`, T0 + i);
		expect(memory.size).toBe(3);
		expect(memory.has('msg_1', T0 + 10)).toBe(false);
		expect(memory.has('msg_2', T0 + 10)).toBe(false);
		expect(memory.has('msg_3', T0 + 10)).toBe(true);
		expect(memory.has('msg_5', T0 + 10)).toBe(true);
	});

	it('stays bounded under a long stream of ids', () => {
		const memory = new SeenIds();
		for (let i = 0; i < 5000; i++) memory.add(`msg_${i}`, T0 + i);
		expect(memory.size).toBe(DEFAULT_SEEN_IDS_CAPACITY);
		expect(JSON.stringify(memory.toJSON()).length).toBeLessThan(40_000);
	});

	it('forgets ids older than the TTL', () => {
		const memory = new SeenIds({ ttlMs: 60_000 });
		memory.add('msg_old', T0);
		memory.add('msg_new', T0 + 50_000);
		expect(memory.has('msg_old', T0 + 59_000)).toBe(true);
		expect(memory.has('msg_old', T0 + 61_000)).toBe(false);
		expect(memory.has('msg_new', T0 + 61_000)).toBe(true);
		expect(memory.size).toBe(1);
	});

	it('keeps retries within Propstreet’s ~35 h retry window by default', () => {
		const memory = new SeenIds();
		memory.add('msg_retry', T0);
		expect(memory.has('msg_retry', T0 + 36 * 3600 * 1000)).toBe(true);
		expect(memory.has('msg_retry', T0 + DEFAULT_SEEN_IDS_TTL_MS + 1)).toBe(false);
	});

	it('keeps the first-seen time of an id added twice', () => {
		const memory = new SeenIds({ ttlMs: 1000 });
		memory.add('msg_1', T0);
		memory.add('msg_1', T0 + 900);
		expect(memory.has('msg_1', T0 + 1001)).toBe(false);
	});

	it('survives a JSON round trip (static data) and applies the bound on load', () => {
		const memory = new SeenIds();
		memory.add('msg_a', T0);
		memory.add('msg_b', T0 + 1);
		const stored = JSON.parse(JSON.stringify(memory.toJSON()));
		const restored = SeenIds.fromJSON(stored);
		expect(restored.has('msg_a', T0 + 2)).toBe(true);
		expect(restored.has('msg_b', T0 + 2)).toBe(true);
		const small = SeenIds.fromJSON(stored, { capacity: 1 });
		expect(small.size).toBe(1);
		expect(small.has('msg_b', T0 + 2)).toBe(true);
	});

	it('treats missing or malformed stored data as empty and skips bad entries', () => {
		expect(SeenIds.fromJSON(undefined).size).toBe(0);
		expect(SeenIds.fromJSON({ entries: 'nope' }).size).toBe(0);
		const restored = SeenIds.fromJSON({ version: 1, entries: [['ok', T0], ['', T0], [5, T0], ['nan', 'x'], 'junk'] });
		expect(restored.toJSON().entries).toEqual([['ok', T0]]);
	});
});
