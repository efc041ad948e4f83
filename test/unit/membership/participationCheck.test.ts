/** The daily participation check (core/membership/participationCheck*.ts): the rule, and runs against an in-memory world. */
import { changedPersons, knownDealsOf, nextStored, observedCountsOf, outsideCounts, planCheck } from '../../../nodes/shared/core/membership/participationCheck';
import { CHECK_ROW_ID, runParticipationCheck, type CheckOutcome } from '../../../nodes/shared/core/membership/participationCheckRun';
import { syncMembership } from '../../../nodes/shared/core/membership/sync';
import type { LinkState } from '../../../nodes/shared/core/syncState/link';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';
import type { RunOutcome } from '../../../nodes/shared/core/twoWay/ports';
import { FakeWorld, runFor } from './fakeWorld';

const row = (pipedriveId: string, status: LinkState['status'] = 'linked'): LinkState => ({ rowId: 1, entity: 'prospect', pipedriveId, propstreetId: 'x', status, version: 1, baseline: null, owner: null, updatedAt: '' });

describe('participation check rule', () => {
	it('counts known deals from linked membership rows only (not lease, person, tombstone or its own rows)', () => {
		const known = knownDealsOf([row('10:1'), row('11:1'), row('10:2'), row('deal:10'), row('person:1'), row(CHECK_ROW_ID), row('12:3', 'unlinked')]);
		expect(Object.fromEntries([...known].map(([p, d]) => [p, [...d].sort()]))).toEqual({ '1': ['10', '11'], '2': ['10'] });
	});

	it('reads O as open + closed participations, and refuses a list without the counts', () => {
		const observed = observedCountsOf([
			{ id: 1, participant_open_deals_count: 2, participant_closed_deals_count: 1 },
			{ id: 2, participant_open_deals_count: 0, participant_closed_deals_count: 0 },
		]);
		expect([...observed]).toEqual([['1', 3]]);
		expect(() => observedCountsOf([{ id: 7, participant_open_deals_count: 1 }])).toThrow(/person 7: .*participant_closed_deals_count/);
	});

	it('keeps only non-zero X = O − K and names the persons whose X moved', () => {
		const known = knownDealsOf([row('10:1'), row('10:2')]);
		const x = outsideCounts(new Map([['1', 1], ['2', 3], ['3', 1]]), known);
		expect(x).toEqual({ '2': 2, '3': 1 });
		expect(changedPersons({ '2': 2, '4': 1 }, x)).toEqual(['3', '4']);
	});

	it('takes a baseline first, then reads the known deals of changed persons: open ones, not read yet, up to the limit', () => {
		const known = knownDealsOf([row('10:1'), row('11:1'), row('12:2'), row('13:3')]);
		const base = { now: { '1': -1, '3': 1 }, known, openDeals: new Set(['10', '11', '12', '13']), alreadyRead: new Set<string>() };
		expect(planCheck({ ...base, stored: null })).toEqual({ kind: 'baseline' });
		// Person 1 lost a participation (a swap on 10 or 11); person 3 gained one outside (its deal 13 is read too).
		expect(planCheck({ ...base, stored: {} })).toEqual({ kind: 'read', persons: ['1', '3'], deals: ['10', '11', '13'] });
		// Deal 11 closed (not in the poll's open list) and 10 already read: only 13.
		expect(planCheck({ ...base, stored: {}, openDeals: new Set(['10', '12', '13']), alreadyRead: new Set(['10']) })).toEqual({ kind: 'read', persons: ['1', '3'], deals: ['13'] });
		expect(planCheck({ ...base, stored: {}, maxDeals: 2 })).toEqual({ kind: 'fullRead', persons: ['1', '3'], candidates: 3 });
		expect(planCheck({ ...base, stored: { '1': -1, '3': 1 } })).toEqual({ kind: 'read', persons: [], deals: [] });
	});

	it('keeps the previous X of persons on a deal whose read failed, so the next check looks again', () => {
		const known = knownDealsOf([row('10:1'), row('11:2')]);
		expect(nextStored({ '1': 0, '2': 4 }, { '1': -1, '2': 5 }, known, new Set(['10']))).toEqual({ '1': 0, '2': 5 });
		expect(nextStored({}, { '1': -1 }, known, new Set(['10']))).toEqual({});
		expect(nextStored(null, { '1': -1 }, known, new Set(['10']))).toEqual({ '1': -1 });
	});
});

/** Deals d1…d3 ⇄ projects P1…P3; person n ⇄ contact cn. `outside` are participations in deals the sync does not cover. */
class CheckWorld {
	world = new FakeWorld();
	store = new MemoryStateStore();
	outside = new Map<string, number>();
	read: string[] = [];
	fullReads = 0;
	failing = new Set<string>();
	/** Whether Pipedrive's counts include each deal's primary person (the reference does not say). */
	primaryCounted = true;

	constructor(deals: Record<string, string[]>) {
		for (let p = 1; p <= 9; p++) this.world.personContact.set(String(p), `c${p}`);
		for (const [deal, people] of Object.entries(deals)) this.world.addDeal(deal, people[0], people);
	}

	observed(): Map<string, number> {
		const o = new Map(this.outside);
		for (const [deal, people] of this.world.deals) {
			for (const p of people.keys()) if (this.primaryCounted || this.world.primary.get(deal) !== p) o.set(p, (o.get(p) ?? 0) + 1);
		}
		return o;
	}

	async syncDeal(dealId: string): Promise<RunOutcome[]> {
		this.read.push(dealId);
		if (this.failing.has(dealId)) throw new Error('503 from Pipedrive');
		return [await syncMembership(runFor(this.world, this.store), { dealId, projectId: dealId.replace('d', 'P'), eventSide: 'pipedrive' })];
	}

	async check(options: { mode?: 'check' | 'baseline'; openDeals?: string[]; maxDeals?: number } = {}): Promise<CheckOutcome> {
		this.read = [];
		const ports = {
			observedCounts: async () => this.observed(),
			syncDeal: (d: string) => this.syncDeal(d),
			syncAll: async () => {
				this.fullReads++;
				const all: RunOutcome[] = [];
				for (const d of this.world.deals.keys()) all.push(...(await this.syncDeal(d)));
				return all;
			},
		};
		const outcomes = await runParticipationCheck({ ports, store: this.store, now: () => new Date(), mode: options.mode ?? 'check', openDeals: options.openDeals ? new Set(options.openDeals) : null, maxDeals: options.maxDeals });
		return outcomes[outcomes.length - 1] as CheckOutcome;
	}

	/** Every deal synced once (the "sync now" full read), then the baseline. */
	async linkAll(): Promise<void> {
		for (const d of this.world.deals.keys()) await this.syncDeal(d);
		expect((await this.check({ mode: 'baseline' })).check.mode).toBe('baseline');
		this.world.writes = [];
	}
}

describe('participation check run', () => {
	it('first check without a stored X only takes the baseline: reads no deal', async () => {
		const w = new CheckWorld({ d1: ['1', '2'], d2: ['3'] });
		for (const d of ['d1', 'd2']) await w.syncDeal(d);
		const first = await w.check();
		expect(first.check).toMatchObject({ mode: 'baseline', dealsRead: [] });
		expect(w.read).toEqual([]);
		expect(await w.store.find('prospect', 'pipedrive', CHECK_ROW_ID)).toHaveLength(1);
		expect((await w.check()).check).toMatchObject({ mode: 'check', changedPersons: [], dealsRead: [] });
	});

	it('finds a participant replaced by another (count unchanged) and the prospects follow', async () => {
		const w = new CheckWorld({ d1: ['1', '2'], d2: ['3'] });
		await w.linkAll();
		w.world.userRemovesParticipant('d1', '2');
		w.world.userAddsParticipant('d1', '4');
		const out = await w.check();
		expect(out.check).toMatchObject({ mode: 'check', changedPersons: ['2', '4'], dealsRead: ['d1'] });
		expect(w.read).toEqual(['d1']);
		expect(w.world.prospectContacts('P1')).toEqual(['c1', 'c4']);
		expect(w.world.prospectContacts('P2')).toEqual(['c3']);
		// Settled: the next check reads nothing.
		expect((await w.check()).check.dealsRead).toEqual([]);
	});

	it('finds the swap the same way when the primary person is not counted (a constant offset in X)', async () => {
		const w = new CheckWorld({ d1: ['1', '2'], d2: ['1', '3'] });
		w.primaryCounted = false;
		await w.linkAll();
		w.world.userRemovesParticipant('d2', '3');
		w.world.userAddsParticipant('d2', '4');
		expect((await w.check()).check).toMatchObject({ changedPersons: ['3', '4'], dealsRead: ['d2'] });
		expect(w.world.prospectContacts('P2')).toEqual(['c1', 'c4']);
		expect((await w.check()).check.dealsRead).toEqual([]);
	});

	it('follows a chain: B takes A’s place on d1 and C takes B’s on d2', async () => {
		const w = new CheckWorld({ d1: ['1', '2'], d2: ['5', '3'] });
		await w.linkAll();
		w.world.userRemovesParticipant('d1', '2');
		w.world.userAddsParticipant('d1', '3');
		w.world.userRemovesParticipant('d2', '3');
		w.world.userAddsParticipant('d2', '4');
		const out = await w.check();
		// Round 1: person 2 lost one (d1). After d1, person 3 is known on two deals but takes part in one: round 2 reads d2.
		expect(out.check.dealsRead).toEqual(['d1', 'd2']);
		expect(w.world.prospectContacts('P1')).toEqual(['c1', 'c3']);
		expect(w.world.prospectContacts('P2')).toEqual(['c4', 'c5']);
		expect((await w.check()).check.dealsRead).toEqual([]);
	});

	it('a change outside the synced deals reads only that person’s known deals, once', async () => {
		const w = new CheckWorld({ d1: ['1', '2'], d2: ['3'], d3: ['5'] });
		await w.linkAll();
		w.outside.set('2', 1); // person 2 added to a deal of another pipeline
		w.outside.set('7', 2); // a person the sync never saw
		const out = await w.check();
		expect(out.check).toMatchObject({ changedPersons: ['2', '7'], dealsRead: ['d1'] });
		expect(w.world.writes).toEqual([]);
		expect((await w.check()).check.dealsRead).toEqual([]);
	});

	it('a deal that closes changes nothing (O counts closed deals too); a closed known deal is not read', async () => {
		const w = new CheckWorld({ d1: ['1', '2'], d2: ['2', '3'] });
		await w.linkAll();
		// d2 is won: it leaves the poll's open list, its participants stay.
		expect((await w.check({ openDeals: ['d1'] })).check).toMatchObject({ changedPersons: [], dealsRead: [] });
		w.world.userRemovesParticipant('d1', '2');
		w.world.userAddsParticipant('d1', '4');
		const out = await w.check({ openDeals: ['d1'] });
		// Person 2 is known on d1 and d2; only the open one is read.
		expect(out.check).toMatchObject({ changedPersons: ['2', '4'], dealsRead: ['d1'] });
		expect(w.world.prospectContacts('P1')).toEqual(['c1', 'c4']);
	});

	it('falls back to reading every deal when too many are candidates', async () => {
		const w = new CheckWorld({ d1: ['1', '2'], d2: ['3', '5'], d3: ['6'] });
		await w.linkAll();
		for (const [d, p, q] of [['d1', '2', '4'], ['d2', '5', '7']]) {
			w.world.userRemovesParticipant(d, p);
			w.world.userAddsParticipant(d, q);
		}
		const out = await w.check({ maxDeals: 1 });
		expect(out.check.mode).toBe('fullRead');
		expect(w.fullReads).toBe(1);
		expect(w.read.sort()).toEqual(['d1', 'd2', 'd3']);
		expect(w.world.prospectContacts('P1')).toEqual(['c1', 'c4']);
		expect(w.world.prospectContacts('P2')).toEqual(['c3', 'c7']);
		expect((await w.check({ maxDeals: 1 })).check.dealsRead).toEqual([]);
	});

	it('a failed read keeps those persons’ old X: the next check reads the deal again', async () => {
		const w = new CheckWorld({ d1: ['1', '2'] });
		await w.linkAll();
		w.world.userRemovesParticipant('d1', '2');
		w.world.userAddsParticipant('d1', '4');
		w.failing.add('d1');
		const failed = await w.check();
		expect(failed.check.failedDeals).toEqual(['d1']);
		expect(failed.warnings[0]).toMatch(/Deal d1 could not be read \(503 from Pipedrive\)/);
		w.failing.clear();
		expect((await w.check()).check.dealsRead).toEqual(['d1']);
		expect(w.world.prospectContacts('P1')).toEqual(['c1', 'c4']);
	});

	it('cannot see a perfect cycle (two persons trading deals): every O and K stays as it was', async () => {
		const w = new CheckWorld({ d1: ['1', '2'], d2: ['5', '3'] });
		await w.linkAll();
		w.world.userRemovesParticipant('d1', '2');
		w.world.userAddsParticipant('d2', '2');
		w.world.userRemovesParticipant('d2', '3');
		w.world.userAddsParticipant('d1', '3');
		expect((await w.check()).check).toMatchObject({ changedPersons: [], dealsRead: [] });
		// The optional full read is what covers it.
		expect(w.world.prospectContacts('P1')).toEqual(['c1', 'c2']);
	});
});
