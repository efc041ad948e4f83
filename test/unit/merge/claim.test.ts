import { awaitLink, claimCreation } from '../../../nodes/shared/core/syncState/claim';
import { decodeBaseline, encodeBaseline } from '../../../nodes/shared/core/syncState/link';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';

const now = new Date('2026-05-01T10:00:00Z');
const opts = (owner: string) => ({ entity: 'contact' as const, side: 'propstreet' as const, id: 'c1', owner, now });

describe('claimCreation', () => {
	it('one of many concurrent claimants wins; the others lose to it and leave no row behind', async () => {
		const store = new MemoryStateStore(() => now);
		const results = await Promise.all(['a', 'b', 'c', 'd'].map((o) => claimCreation(store, opts(o))));
		expect(results.filter((r) => r.kind === 'won')).toHaveLength(1);
		expect(results.filter((r) => r.kind === 'lost')).toHaveLength(3);
		expect(store.all()).toHaveLength(1);
	});

	it('an existing link is returned instead of a claim', async () => {
		const store = new MemoryStateStore(() => now);
		await store.insert({ entity: 'contact', pipedriveId: '9', propstreetId: 'c1', status: 'linked', baseline: null, owner: null });
		const r = await claimCreation(store, opts('a'));
		expect(r.kind).toBe('linked');
		expect(store.all()).toHaveLength(1);
	});

	it('a stale claim (its owner died) is ignored', async () => {
		let clock = now;
		const store = new MemoryStateStore(() => clock);
		await claimCreation(store, opts('dead'));
		clock = new Date(now.getTime() + 11 * 60 * 1000);
		const r = await claimCreation(store, { ...opts('alive'), now: clock });
		expect(r.kind).toBe('won');
	});

	it('on a store whose inserts show late (Postgres ids are drawn before commit), a claimant that saw only its own row looks again and yields to the lower one', async () => {
		// Claimant a draws row id 1, but its insert commits (becomes visible, and returns) only after
		// b has inserted row 2 and looked. Without a second look both would believe they won.
		const inner = new MemoryStateStore(() => now);
		const hidden = new Set<number>();
		let aDrewItsId!: () => void;
		const aDrew = new Promise<void>((resolve) => (aDrewItsId = resolve));
		let commitA!: () => void;
		const aCommitted = new Promise<void>((resolve) => (commitA = resolve));
		const store = Object.assign(Object.create(inner) as MemoryStateStore, {
			insertVisibleWithinMs: 50,
			find: async (...args: Parameters<MemoryStateStore['find']>) => (await inner.find(...args)).filter((r) => !hidden.has(r.rowId)),
			insert: async (link: Parameters<MemoryStateStore['insert']>[0]) => {
				const row = await inner.insert(link);
				if (link.owner === 'a') {
					hidden.add(row.rowId);
					aDrewItsId();
					await aCommitted;
					hidden.delete(row.rowId);
				}
				return row;
			},
		});
		const waits: number[] = [];
		const wait = async (ms: number) => {
			waits.push(ms);
			commitA(); // a's insert commits while b waits
			await aCommitted;
		};
		const a = claimCreation(store, { ...opts('a'), wait: async () => undefined });
		await aDrew;
		const b = await claimCreation(store, { ...opts('b'), wait });
		expect(waits).toEqual([50]);
		expect(b.kind).toBe('lost');
		expect((await a).kind).toBe('won');
		expect(inner.all().map((r) => r.owner)).toEqual(['a']);
	});

	it('a store without late inserts never makes a claimant wait', async () => {
		const store = new MemoryStateStore(() => now);
		const wait = jest.fn(async () => undefined);
		expect((await claimCreation(store, { ...opts('a'), wait })).kind).toBe('won');
		expect(wait).not.toHaveBeenCalled();
	});

	it('the same owner asking again keeps its claim', async () => {
		const store = new MemoryStateStore(() => now);
		const first = await claimCreation(store, opts('a'));
		const again = await claimCreation(store, opts('a'));
		expect(again.kind).toBe('won');
		expect(first.kind === 'won' && again.kind === 'won' && first.claim.rowId === again.claim.rowId).toBe(true);
	});
});

describe('awaitLink', () => {
	it('returns the link once the winner stores it', async () => {
		const store = new MemoryStateStore(() => now);
		const won = await claimCreation(store, opts('a'));
		if (won.kind !== 'won') throw new Error('expected a win');
		let waits = 0;
		const link = await awaitLink(store, opts('b'), async () => {
			waits++;
			if (waits === 2) await store.update(won.claim.rowId, won.claim.version, { status: 'linked', pipedriveId: '77' });
		});
		expect(link?.pipedriveId).toBe('77');
		expect(waits).toBe(2);
	});

	it('gives up with null when the claim disappears without a link', async () => {
		const store = new MemoryStateStore(() => now);
		const won = await claimCreation(store, opts('a'));
		if (won.kind !== 'won') throw new Error('expected a win');
		const link = await awaitLink(store, opts('b'), async () => store.remove(won.claim.rowId));
		expect(link).toBeNull();
	});
});

describe('baseline encoding', () => {
	it('round-trips, and damaged text reads as no baseline', () => {
		const b = { pipedrive: { name: 'x' }, propstreet: { name: 'y' }, at: { pipedrive: '2026-05-01 10:00:00', propstreet: null } };
		expect(decodeBaseline(encodeBaseline(b))).toEqual(b);
		expect(decodeBaseline('{not json')).toBeNull();
		expect(decodeBaseline(JSON.stringify({ pipedrive: { name: 1 }, propstreet: {} }))).toBeNull();
		expect(decodeBaseline('')).toBeNull();
	});
});
