/** The membership core (core/membership): presence three-way, pending, tombstones, classification settling, one run at a time. */
import { syncMembership } from '../../../nodes/shared/core/membership/sync';
import { planMembership } from '../../../nodes/shared/core/membership/plan';
import { mergeClassification } from '../../../nodes/shared/core/membership/classification';
import { dealsWithResolvedClassifications } from '../../../nodes/shared/core/membership/classificationReview';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';
import { MemoryReviewQueue } from '../../../nodes/shared/core/review/memory';
import { FakeWorld, runFor } from './fakeWorld';

const target = (dealId = 'd1', projectId = 'P1') => ({ dealId, projectId, eventSide: 'pipedrive' as const });

function world(): FakeWorld {
	const w = new FakeWorld();
	for (const [person, contact] of [['1', 'c1'], ['2', 'c2'], ['3', 'c3']]) w.personContact.set(person, contact);
	w.addDeal('d1', '1', ['1', '2']);
	w.userAddsProspect('P1', 'c1', 'interested');
	w.userAddsProspect('P1', 'c2', 'contacted');
	return w;
}

describe('membership sync (core)', () => {
	it('links what both sides hold, then a second run writes nothing', async () => {
		const w = world();
		const store = new MemoryStateStore();
		const first = await syncMembership(runFor(w, store), target());
		expect(first.changes.filter((c) => c.change === 'linked')).toHaveLength(2);
		expect(w.personClass.get('1')).toBe('interested');
		w.writes = [];
		const second = await syncMembership(runFor(w, store), target());
		expect(second.action).toBe('unchanged');
		expect(w.writes).toEqual([]);
	});

	it('adds both ways: a new participant becomes a prospect, a new prospect a participant', async () => {
		const w = world();
		const store = new MemoryStateStore();
		await syncMembership(runFor(w, store), target());
		w.userAddsParticipant('d1', '3');
		w.personContact.set('4', 'c4');
		w.userAddsProspect('P1', 'c4', 'bidder');
		const out = await syncMembership(runFor(w, store), target());
		expect(out.changes.map((c) => c.change).sort()).toEqual(['addedParticipant', 'addedProspect', 'classifiedPerson', 'classifiedPerson'].sort());
		expect(w.prospectContacts('P1')).toEqual(['c1', 'c2', 'c3', 'c4']);
		expect(w.participantPersons('d1')).toEqual(['1', '2', '3', '4']);
		expect(w.personClass.get('4')).toBe('bidder');
		// The new participant's empty person field is filled from its new prospect.
		expect(w.personClass.get('3')).toBe('not_contacted');
	});

	it('removes both ways only what it had seen linked', async () => {
		const w = world();
		const store = new MemoryStateStore();
		await syncMembership(runFor(w, store), target());
		w.userRemovesParticipant('d1', '2');
		const out = await syncMembership(runFor(w, store), target());
		expect(out.changes.map((c) => c.change)).toEqual(['removedProspect']);
		expect(w.prospectContacts('P1')).toEqual(['c1']);
		w.userAddsParticipant('d1', '2');
		w.userRemovesProspect('P1', 'c1');
		// Person 1 is the primary person: it cannot be removed from the deal, and is not added back.
		const again = await syncMembership(runFor(w, store), target());
		expect(again.changes.map((c) => c.change)).toEqual(['addedProspect', 'classifiedProspect']);
		expect(again.warnings.join(' ')).toMatch(/primary person/);
		expect((await syncMembership(runFor(w, store), target())).action).toBe('unchanged');
		expect(w.prospectContacts('P1')).toEqual(['c2']);
	});

	it('case 1: a prospect whose contact has no person yet stays pending, is never removed, and is added once linked', async () => {
		const w = world();
		const store = new MemoryStateStore();
		await syncMembership(runFor(w, store), target());
		w.userAddsProspect('P1', 'c9', 'interested');
		const pending = await syncMembership(runFor(w, store), target());
		expect(pending.pending).toHaveLength(1);
		expect(w.prospectContacts('P1')).toContain('c9');
		expect((await syncMembership(runFor(w, store), target())).pending).toHaveLength(1);
		w.personContact.set('9', 'c9');
		const linked = await syncMembership(runFor(w, store), target());
		expect(linked.changes.map((c) => c.change)).toContain('addedParticipant');
		expect(w.participantPersons('d1')).toContain('9');
		expect(w.prospectContacts('P1')).toContain('c9');
		expect(w.personClass.get('9')).toBe('interested');
	});

	it('case 13: a prospect removed in Propstreet removes the stale participant; a late event changes nothing', async () => {
		const w = world();
		const store = new MemoryStateStore();
		await syncMembership(runFor(w, store), target());
		w.userRemovesProspect('P1', 'c2');
		const poll = await syncMembership(runFor(w, store), target());
		expect(poll.changes.map((c) => c.change)).toEqual(['removedParticipant']);
		expect(w.participantPersons('d1')).toEqual(['1']);
		expect(w.prospectContacts('P1')).toEqual(['c1']);
		w.writes = [];
		expect((await syncMembership(runFor(w, store), { ...target(), eventSide: 'propstreet' })).action).toBe('unchanged');
		expect(w.writes).toEqual([]);
	});

	it('case 17: a person on two projects with different classifications settles', async () => {
		const w = world();
		w.addDeal('d2', '3', ['2']);
		w.userAddsProspect('P2', 'c2', 'bidder');
		const store = new MemoryStateStore();
		await syncMembership(runFor(w, store), target('d1', 'P1'));
		await syncMembership(runFor(w, store), target('d2', 'P2'));
		w.writes = [];
		for (let i = 0; i < 3; i++) {
			await syncMembership(runFor(w, store), target('d1', 'P1'));
			await syncMembership(runFor(w, store), target('d2', 'P2'));
		}
		expect(w.writes).toEqual([]);
		// Each project keeps its own classification.
		expect(w.projects.get('P1')!.find((p) => p.contactId === 'c2')!.classification).toBe('contacted');
		expect(w.projects.get('P2')!.find((p) => p.contactId === 'c2')!.classification).toBe('bidder');
		// A Propstreet change on one project moves the person field; the other project is not touched.
		w.userClassifies('P1', 'c2', 'interested');
		await syncMembership(runFor(w, store), target('d1', 'P1'));
		await syncMembership(runFor(w, store), target('d2', 'P2'));
		expect(w.personClass.get('2')).toBe('interested');
		expect(w.projects.get('P2')!.find((p) => p.contactId === 'c2')!.classification).toBe('bidder');
		// A Pipedrive user's edit reaches both prospects.
		w.personClass.set('2', 'not_interested');
		await syncMembership(runFor(w, store), target('d1', 'P1'));
		await syncMembership(runFor(w, store), target('d2', 'P2'));
		expect(w.projects.get('P1')!.find((p) => p.contactId === 'c2')!.classification).toBe('not_interested');
		expect(w.projects.get('P2')!.find((p) => p.contactId === 'c2')!.classification).toBe('not_interested');
	});

	it('a Pipedrive edit back to a value the sync once wrote there is still an edit (seen edits forget the own write)', async () => {
		const w = world();
		const store = new MemoryStateStore();
		await syncMembership(runFor(w, store), target());
		expect(w.personClass.get('1')).toBe('interested');
		w.personClass.set('1', 'bidder');
		await syncMembership(runFor(w, store), target());
		expect(w.projects.get('P1')!.find((p) => p.contactId === 'c1')!.classification).toBe('bidder');
		w.personClass.set('1', 'interested');
		await syncMembership(runFor(w, store), target());
		expect(w.projects.get('P1')!.find((p) => p.contactId === 'c1')!.classification).toBe('interested');
	});

	it('classification under Manual Review: the conflict lands in the review queue, a resolution there is applied at the next sync and closes the row', async () => {
		const w = world();
		const store = new MemoryStateStore();
		const review = new MemoryReviewQueue();
		const manual = () => ({ ...runFor(w, store), rules: { policy: 'manualReview' as const }, review });
		await syncMembership(manual(), target());
		expect(await review.all()).toEqual([]);
		// Both sides reclassify Astrid's membership before the next sync.
		w.personClass.set('1', 'bidder');
		w.userClassifies('P1', 'c1', 'not_interested');
		w.writes = [];
		const held = await syncMembership(manual(), target());
		expect(held.review).toEqual([expect.objectContaining({ field: 'prospect.classification', pipedriveValue: 'bidder', propstreetValue: 'not_interested' })]);
		expect(w.writes).toEqual([]);
		const prospectId = w.projects.get('P1')!.find((p) => p.contactId === 'c1')!.prospectId;
		const [row] = await review.openFor('prospect', 'd1:1', prospectId);
		expect(row).toMatchObject({ entity: 'prospect', field: 'prospect.classification', pipedriveValue: 'bidder', propstreetValue: 'not_interested', status: 'open', resolution: '' });
		// Unresolved, the next sync keeps the row (one row, refreshed) and writes nothing.
		await syncMembership(manual(), target());
		expect(w.writes).toEqual([]);
		expect((await review.all()).filter((r) => r.status === 'open')).toHaveLength(1);
		// A person picks Propstreet: the next sync writes its value to the person and closes the row.
		review.resolve(row.rowId, 'propstreet');
		await syncMembership(manual(), target());
		expect(w.personClass.get('1')).toBe('not_interested');
		expect((await review.all()).map((r) => ({ status: r.status, resolution: r.resolution }))).toEqual([{ status: 'applied', resolution: 'propstreet' }]);
		w.writes = [];
		expect((await syncMembership(manual(), target())).action).toBe('unchanged');
		expect(w.writes).toEqual([]);
	});

	it('case 18: concurrent runs for one deal take turns and write each change once', async () => {
		const w = world();
		const store = new MemoryStateStore();
		await syncMembership(runFor(w, store), target());
		w.userAddsParticipant('d1', '3');
		w.userRemovesProspect('P1', 'c2');
		w.writes = [];
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const slow = { ...runFor(w, store, 'a'), ports: Object.assign(Object.create(w), { listMembers: async (id: string) => { await gate; return w.listMembers(id); } }) };
		const first = syncMembership(slow, target());
		let waited = 0;
		const second = syncMembership({ ...runFor(w, store, 'b'), wait: async () => { if (++waited === 2) release(); await Promise.resolve(); } }, target());
		await Promise.all([first, second]);
		expect(w.writes.filter((x) => x.startsWith('addProspect'))).toHaveLength(1);
		expect(w.writes.filter((x) => x.startsWith('removeParticipant'))).toHaveLength(1);
		expect(waited).toBeGreaterThan(0);
	});

	it('after a Pipedrive person merge (same participant record, another person) the prospect add uses a key of its own', async () => {
		const w = world();
		const store = new MemoryStateStore();
		w.personContact.set('4', 'c4');
		await syncMembership(runFor(w, store), target());
		w.userAddsParticipant('d1', '3');
		await syncMembership(runFor(w, store), target());
		expect(w.prospectContacts('P1')).toEqual(['c1', 'c2', 'c3']);
		w.userMergesPerson('3', '4');
		const out = await syncMembership(runFor(w, store), target());
		expect(out.changes.map((c) => c.change)).toEqual(expect.arrayContaining(['addedProspect', 'removedProspect']));
		expect(w.prospectContacts('P1')).toEqual(['c1', 'c2', 'c4']);
		expect([...w.keys.keys()]).toHaveLength(2);
	});

	it('a person, contact or project deleted after its link was stored is not a failure: nothing is added, the rest syncs', async () => {
		const w = world();
		const store = new MemoryStateStore();
		await syncMembership(runFor(w, store), target());
		w.personContact.set('5', 'c5');
		w.personContact.set('6', 'c6');
		w.userAddsProspect('P1', 'c5');
		w.gone.add('person:5');
		w.userAddsParticipant('d1', '6');
		w.gone.add('contact:c6');
		w.userRemovesParticipant('d1', '2');
		const out = await syncMembership(runFor(w, store), target());
		expect(out.pending.map((p) => p.reason)).toEqual(expect.arrayContaining([expect.stringContaining('person 5 no longer exists'), expect.stringContaining('contact c6 (or project P1) no longer exists')]));
		expect(w.writes.filter((x) => x.startsWith('add'))).toEqual([]);
		expect(w.prospectContacts('P1')).toEqual(['c1', 'c5']);
		w.gone.add('project:P1');
		expect(await syncMembership(runFor(w, store), target())).toMatchObject({ action: 'skipped', reason: expect.stringContaining('project P1 no longer exists') });
	});

	it('a deal deleted or merged away after a sweep listed it is skipped, with nothing written on either side', async () => {
		const w = world();
		const store = new MemoryStateStore();
		await syncMembership(runFor(w, store), target());
		w.userAddsProspect('P1', 'c3');
		w.gone.add('deal:d1');
		const before = w.writes.length;
		expect(await syncMembership(runFor(w, store), target())).toMatchObject({ action: 'skipped', reason: 'Pipedrive deal d1 no longer exists; nothing was written' });
		expect(w.writes.slice(before)).toEqual([]);
	});

	it('the plan leaves teaser prospects and tombstones alone', () => {
		const steps = planMembership({
			dealId: 'd1',
			members: [],
			prospects: [{ prospectId: 'p1', contactId: 'c1', personId: '1', classification: null, teaser: true }],
			rows: { byPerson: new Map(), byProspect: new Map() },
		});
		expect(steps.map((s) => s.kind)).toEqual(['skip']);
	});

	it('classification: a conflict goes through decideConflict, and manual review keeps the old baseline', () => {
		const baseline = { pipedrive: { 'prospect.classification': 'contacted' }, propstreet: { 'prospect.classification': 'contacted' } };
		const both = { pipedrive: 'bidder', propstreet: 'interested', baseline, eventSide: 'pipedrive' as const, times: { pipedrive: '2026-01-01T10:00:05Z', propstreet: '2026-01-01T10:00:01Z' } };
		expect(mergeClassification({ ...both, rules: { policy: 'lastWriteWins' } }).write).toEqual({ propstreet: 'bidder' });
		const review = mergeClassification({ ...both, rules: { policy: 'manualReview' } });
		expect(review.write).toEqual({});
		expect(review.baselineAfter({ pipedrive: 'bidder', propstreet: 'interested' }, {})).toBe(baseline);
	});
});

describe('dealsWithResolvedClassifications', () => {
	it('names each deal once that has an open classification row with a readable resolution', () => {
		const row = (pipedriveId: string, resolution: string, status: 'open' | 'applied' = 'open', entity: 'prospect' | 'contact' = 'prospect') =>
			({ entity, pipedriveId, propstreetId: 'p', field: 'prospect.classification', resolution, status }) as never;
		expect(dealsWithResolvedClassifications([row('7:1', 'ps'), row('7:2', 'Pipedrive'), row('8:1', ''), row('9:1', 'propstreet', 'applied'), row('10:1', 'maybe'), row('11', 'pd', 'open', 'contact'), row('12:3', 'pd')])).toEqual(['7', '12']);
	});
});
