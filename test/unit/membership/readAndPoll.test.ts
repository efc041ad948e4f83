/** Reading both sides as memberships, what an item asks to sync, and the participant poll's snapshot. */
import { FieldCatalog } from '../../../nodes/shared/core/customFields';
import { decidePoll, readSnapshot } from '../../../nodes/shared/core/membership/dealSnapshot';
import { classificationWriteValue, membersOf, prospectsOf } from '../../../nodes/shared/core/membership/read';
import { editAlreadySynced, isProspectEcho, readMembershipItem } from '../../../nodes/shared/core/membership/targets';
import { normaliseFieldDefinitions } from '../../../nodes/shared/core/customFields';

const CLASS_KEY = 'a'.repeat(40);
const CONTACT_KEY = 'b'.repeat(40);
const catalog = new FieldCatalog(
	normaliseFieldDefinitions([
		{ field_code: CLASS_KEY, field_name: 'classification', field_type: 'enum', options: [{ id: 7, label: 'Interested' }, { id: 8, label: 'Bidder' }] },
		{ field_code: CONTACT_KEY, field_name: 'propstreet_contact_id', field_type: 'varchar' },
	]),
);
const keys = { contactId: CONTACT_KEY, classification: CLASS_KEY };

describe('membership reads', () => {
	it('reads participants (v1 persons, custom fields at the top level), skips inactive ones, adds an unlisted primary person', () => {
		const members = membersOf(
			{ id: 9, person_id: 1 },
			[
				{ id: 100, person_id: { value: 2 }, active_flag: true, person: { id: 2, [CONTACT_KEY]: 'c2', [CLASS_KEY]: '8', update_time: '2026-01-01 10:00:00' } },
				{ id: 101, person_id: { value: 3 }, active_flag: false },
			],
			keys,
			catalog,
		);
		expect(members).toEqual([
			{ personId: '1', participantId: null, primary: true, contactId: null },
			{ personId: '2', participantId: '100', primary: false, contactId: 'c2', classification: 'bidder', updatedAt: expect.stringMatching(/^2026-01-01T10:00:00/) },
		]);
	});

	it('reads live contact prospects with their pipedrive ref; removed and company-only ones are not members', () => {
		const prospects = prospectsOf(
			[
				{ id: 'p1', contactId: 'c1', classification: 'interested', externalRefs: [{ namespace: 'Pipedrive', id: '5' }], etag: 'W/"1"' },
				{ id: 'p2', contactId: 'c2', deletedUtc: '2026-01-01T00:00:00Z' },
				{ id: 'p3', companyId: 'co1' },
				{ id: 'p4', contactId: 'c4', teaser: { acceptedUtc: null } },
			],
			'pipedrive',
		);
		expect(prospects.map((p) => [p.prospectId, p.personId, p.classification, p.teaser])).toEqual([
			['p1', '5', 'interested', false],
			['p4', null, null, true],
		]);
	});

	it('writes a classification as the option id of the field, and refuses a code without an option', () => {
		expect(classificationWriteValue('bidder', CLASS_KEY, catalog)).toBe(8);
		expect(classificationWriteValue('contacted', CLASS_KEY, catalog)).toBeUndefined();
	});
});

describe('membership items', () => {
	it('tells a deal, a prospect event, ids, a sweep, the participation check and a bad item apart', () => {
		expect(readMembershipItem({ id: 9, title: 'Kista', pipeline_id: 1 })).toMatchObject({ kind: 'deal', dealId: '9' });
		expect(readMembershipItem({ event: 'prospect.updated', data: { id: 'p1', projectId: 'P1' } })).toMatchObject({ kind: 'project', projectId: 'P1', eventSide: 'propstreet', prospect: { prospectId: 'p1', removed: false } });
		expect(readMembershipItem({ headers: {}, body: { dealId: 9 } })).toEqual({ kind: 'ids', dealId: '9', projectId: undefined });
		expect(readMembershipItem({ headers: {}, params: {}, body: {} })).toEqual({ kind: 'sweep' });
		expect(readMembershipItem({ sweep: true })).toEqual({ kind: 'sweep' });
		// The poll's check item, and the same asked through the "sync now" webhook.
		expect(readMembershipItem({ pollReason: 'check', participationCheck: 'check', openDealIds: ['9', 10] })).toEqual({ kind: 'check', mode: 'check', openDealIds: ['9', '10'] });
		expect(readMembershipItem({ headers: {}, body: { participationCheck: 'check' } })).toEqual({ kind: 'check', mode: 'check', openDealIds: null });
		expect(readMembershipItem({ participationCheck: 'baseline' })).toMatchObject({ kind: 'check', mode: 'baseline' });
		expect(() => readMembershipItem({ participationCheck: 'sometimes' })).toThrow(/neither a Pipedrive deal/);
		expect(() => readMembershipItem({ something: 1 })).toThrow(/neither a Pipedrive deal/);
		expect(() => readMembershipItem({ event: 'prospect.updated', data: { id: 'p1' } })).toThrow(/names no project/);
	});
});

describe('prospect echoes', () => {
	const row = (classification: string) => ({ rowId: 1, entity: 'prospect' as const, pipedriveId: '9:1', propstreetId: 'p1', status: 'linked' as const, version: 1, owner: null, updatedAt: '', baseline: { pipedrive: { 'prospect.classification': classification }, propstreet: { 'prospect.classification': classification } } });
	const event = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => readMembershipItem({ event: 'prospect.updated', data: { id: 'p1', projectId: 'P1', ...data }, ...extra });
	it('an event repeating the stored classification is an echo; a change, a removal or an unknown prospect is not', () => {
		expect(isProspectEcho(event({ classification: 'bidder' }), [row('bidder')])).toBe(true);
		expect(isProspectEcho(event({ classification: 'interested' }), [row('bidder')])).toBe(false);
		expect(isProspectEcho(event({ classification: 'bidder' }, { deleted: true }), [row('bidder')])).toBe(false);
		expect(isProspectEcho(event({ classification: 'bidder', deletedUtc: '2026-01-01T00:00:00Z' }), [row('bidder')])).toBe(false);
		expect(isProspectEcho(event({ classification: 'bidder' }), [])).toBe(false);
		// A removal: an echo only when no row is left (our own removal went through on both sides).
		expect(isProspectEcho(event({ classification: 'bidder' }, { deleted: true }), [])).toBe(true);
		expect(isProspectEcho(event({ classification: 'bidder' }, { deleted: true }), [{ ...row('bidder'), status: 'unlinked' }])).toBe(false);
	});
});

describe('participant poll snapshot', () => {
	const deals = (n: number, count = 2) => Array.from({ length: n }, (_, i) => ({ id: i + 1, participants_count: count, update_time: '2026-01-01T10:00:00Z' }));
	const HOUR = 3_600_000;
	const DAILY = { checkEveryMs: 24 * HOUR };

	it('takes the snapshot first, then emits only deals whose count or update time moved, and asks for the check when due', () => {
		const first = decidePoll(null, deals(3), 0, DAILY);
		expect(first.sweep).toBe(false);
		expect(first.emit).toHaveLength(0);
		expect(decidePoll(null, deals(3), 0, DAILY, true).emit).toHaveLength(3);
		const same = decidePoll(first.next, deals(3), HOUR, DAILY);
		expect(same.emit).toEqual([]);
		const moved = deals(3);
		moved[1].participants_count = 3;
		moved[2].update_time = '2026-01-01T10:05:00Z';
		const decision = decidePoll(same.next, moved, 2 * HOUR, DAILY);
		expect(decision.emit.map((d) => d.id)).toEqual([2, 3]);
		// Deal 3's count is as before: only its update time moved.
		expect([...decision.updatedOnly]).toEqual(['3']);
		expect(decision.check).toBeNull();
		// A day on: the check's tick, not a full read (that is off by default).
		const tick = decidePoll(same.next, moved, 24 * HOUR, DAILY);
		expect(tick).toMatchObject({ sweep: false, check: 'check' });
		expect(tick.emit.map((d) => d.id)).toEqual([2, 3]);
		expect(decidePoll(tick.next, moved, 25 * HOUR, DAILY).check).toBeNull();
		// The editor's manual run reads every deal, then keeps the counts as they are.
		expect(decidePoll(null, deals(3), 0, DAILY, true)).toMatchObject({ sweep: true, check: 'baseline' });
	});

	it('emits a new deal and one whose count is missing; a damaged snapshot starts afresh', () => {
		const first = decidePoll(null, deals(1), 0, DAILY);
		expect(decidePoll(first.next, [...deals(1), { id: 5, participants_count: 1, update_time: null }], 1, DAILY).emit.map((d) => d.id)).toEqual([5]);
		expect(decidePoll(first.next, [{ id: 1, update_time: '2026-01-01T10:00:00Z' }], 1, DAILY).emit.map((d) => d.id)).toEqual([1]);
		expect(readSnapshot('garbage')).toBeNull();
		// A snapshot from before the check: its last sweep counts as its last check.
		expect(readSnapshot({ deals: {}, sweptAt: 5 })).toEqual({ deals: {}, sweptAt: 5, checkedAt: 5, checksSinceFullRead: 0 });
	});

	it('turns every Nth check into a full read of every deal when configured', () => {
		const weekly = { checkEveryMs: 24 * HOUR, fullReadEvery: 3 };
		let snapshot = decidePoll(null, deals(2), 0, weekly).next;
		const kinds: string[] = [];
		for (let day = 1; day <= 6; day++) {
			const decision = decidePoll(snapshot, deals(2), day * 24 * HOUR, weekly);
			kinds.push(decision.sweep ? `full(${decision.emit.length})` : String(decision.check));
			snapshot = decision.next;
		}
		expect(kinds).toEqual(['check', 'check', 'full(2)', 'check', 'check', 'full(2)']);
		// Every check a full read (1), or none (0).
		expect(decidePoll(snapshot, deals(2), 7 * 24 * HOUR, { checkEveryMs: 24 * HOUR, fullReadEvery: 1 }).sweep).toBe(true);
		expect(decidePoll(snapshot, deals(2), 7 * 24 * HOUR, { checkEveryMs: 0 })).toMatchObject({ sweep: false, check: 'check' });
	});
});

describe('a deal emitted only for a moved update time', () => {
	const link = (at: string | null) => ({ rowId: 1, entity: 'project' as const, pipedriveId: '3', propstreetId: 'p3', status: 'linked' as const, version: 1, owner: null, updatedAt: '', baseline: { pipedrive: {}, propstreet: {}, at: { pipedrive: at, propstreet: null } } });
	const deal = (pollReason: string, update_time = '2026-01-01T10:05:00Z') => ({ id: 3, participants_count: 2, update_time, pollReason });

	it('skips the participant read when the deal sync already synced that version (a deal edit)', () => {
		expect(editAlreadySynced(deal('updated'), link('2026-01-01T10:05:00.000Z'))).toBe(true);
	});

	it('reads when the count moved, when no deal sync explains the time, or on a sweep', () => {
		expect(editAlreadySynced(deal('changed'), link('2026-01-01T10:05:00Z'))).toBe(false);
		expect(editAlreadySynced(deal('updated'), link('2026-01-01T10:00:00Z'))).toBe(false);
		expect(editAlreadySynced(deal('updated'), link(null))).toBe(false);
		expect(editAlreadySynced(deal('updated'), undefined)).toBe(false);
		expect(editAlreadySynced(deal('sweep'), link('2026-01-01T10:05:00Z'))).toBe(false);
	});
});
