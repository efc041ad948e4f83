/**
 * A Propstreet prospect's classification change on a linked membership, without reading the deal's
 * participants (issue 14): the same merge as a full run, the person read alone, one write; anything
 * the state row does not settle falls back to the full membership sync (null).
 */
import { syncProspectClassification } from '../../../nodes/shared/core/membership/classificationOnly';
import { syncMembership } from '../../../nodes/shared/core/membership/sync';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';
import { FakeWorld, runFor } from './fakeWorld';

const target = { dealId: 'd1', projectId: 'P1', eventSide: 'propstreet' as const };

async function linkedWorld() {
	const w = new FakeWorld();
	for (const [person, contact] of [['1', 'c1'], ['2', 'c2']]) w.personContact.set(person, contact);
	w.addDeal('d1', '1', ['1', '2']);
	w.userAddsProspect('P1', 'c1', 'interested');
	w.userAddsProspect('P1', 'c2', 'contacted');
	const store = new MemoryStateStore();
	await syncMembership(runFor(w, store), { ...target, eventSide: 'pipedrive' });
	w.writes = [];
	const listMembers = jest.spyOn(w, 'listMembers');
	return { w, store, listMembers, prospectOf: (contact: string) => w.projects.get('P1')!.find((p) => p.contactId === contact)!.prospectId };
}

describe('classification-only path', () => {
	it('writes the person once without reading the participants, and a full run afterwards finds nothing to do', async () => {
		const { w, store, listMembers, prospectOf } = await linkedWorld();
		w.userClassifies('P1', 'c2', 'bidder');
		const out = await syncProspectClassification(runFor(w, store), target, prospectOf('c2'));
		expect(out?.changes).toEqual([{ change: 'classifiedPerson', personId: '2', value: 'bidder' }]);
		expect(w.writes).toEqual(['classifyPerson 2 bidder']);
		expect(listMembers).not.toHaveBeenCalled();
		w.writes = [];
		expect((await syncMembership(runFor(w, store), { ...target, eventSide: 'pipedrive' })).action).toBe('unchanged');
		expect(w.writes).toEqual([]);
		expect(w.personClass.get('2')).toBe('bidder');
	});

	it('a person field that moved since the last sync (a Pipedrive edit) falls back to the full run, which merges both', async () => {
		const { w, store, listMembers, prospectOf } = await linkedWorld();
		w.userClassifies('P1', 'c2', 'bidder');
		w.personClass.set('2', 'not_interested');
		expect(await syncProspectClassification(runFor(w, store), target, prospectOf('c2'))).toBeNull();
		expect(w.writes).toEqual([]);
		expect(listMembers).not.toHaveBeenCalled();
		await syncMembership(runFor(w, store), target);
		expect(w.writes).toHaveLength(1);
	});

	it('falls back (null) for a prospect with no linked row, one on another deal, or one removed meanwhile; the lease is given back', async () => {
		const { w, store, listMembers, prospectOf } = await linkedWorld();
		const fresh = w.userAddsProspect('P1', 'c9', 'bidder');
		expect(await syncProspectClassification(runFor(w, store), target, fresh.prospectId)).toBeNull();
		expect(await syncProspectClassification(runFor(w, store), { ...target, dealId: 'd2' }, prospectOf('c1'))).toBeNull();
		const gone = prospectOf('c1');
		w.userRemovesProspect('P1', 'c1');
		expect(await syncProspectClassification(runFor(w, store), target, gone)).toBeNull();
		expect(w.writes).toEqual([]);
		expect(listMembers).not.toHaveBeenCalled();
		// Nothing was left held: the deal's lease row has no owner.
		const [lease] = await store.find('prospect', 'pipedrive', 'deal:d1');
		expect(lease.owner).toBeNull();
	});
});
