/** Cloud 08's targets: the poll snapshot (first poll only remembers), the daily check's tick, Sync now (every deal, the ids it names, or the check), a prospect delivery. */
import { membershipTargets, pollPlan } from '../../../nodes/shared/core/cloud/membershipTargets';

const deals = (...rows: Array<[number, number, string]>) => rows.map(([id, participants_count, update_time]) => ({ id, participants_count, update_time }));
const HOUR = 3_600_000;

describe('Cloud 08 targets', () => {
	it('a scheduled run polls; the first poll keeps a snapshot and syncs nothing; the next syncs only the deal whose count moved', () => {
		expect(membershipTargets({})).toEqual({ poll: { manual: false, check: null } });
		const first = pollPlan({ manual: false, check: null }, undefined, deals([1, 1, '2026-12-04T10:00:00Z'], [2, 0, '2026-12-04T10:00:00Z']), 1000);
		expect(first).toMatchObject({ targets: [], check: null });
		const second = pollPlan({ manual: false, check: null }, JSON.parse(JSON.stringify(first.snapshot)), deals([1, 2, '2026-12-04T10:00:00Z'], [2, 0, '2026-12-04T10:00:00Z']), 2000);
		expect(second.targets).toEqual([{ dealId: '1' }]);
		expect(second.check).toBeNull();
		expect(second.snapshot?.deals['1']).toEqual({ count: 2, updated: '2026-12-04T10:00:00.000Z' });
	});

	it('the participation check is due a day after the last one, as the Deal Poll Trigger’s default', () => {
		const first = pollPlan({ manual: false, check: null }, undefined, deals([1, 1, '2026-12-04T10:00:00Z']), 0);
		const early = pollPlan({ manual: false, check: null }, first.snapshot, deals([1, 1, '2026-12-04T10:00:00Z']), 23 * HOUR);
		expect(early.check).toBeNull();
		const due = pollPlan({ manual: false, check: null }, early.snapshot, deals([1, 1, '2026-12-04T10:00:00Z']), 24 * HOUR);
		expect(due).toMatchObject({ targets: [], check: 'check' });
		expect(pollPlan({ manual: false, check: null }, due.snapshot, deals([1, 1, '2026-12-04T10:00:00Z']), 25 * HOUR).check).toBeNull();
	});

	it('Sync now reads every deal (then takes the check’s baseline), only the deal or project its body names, or runs the check alone', () => {
		const all = membershipTargets({ syncNow: { headers: {}, body: {} } });
		expect(all).toEqual({ poll: { manual: true, check: null } });
		const plan = pollPlan((all as { poll: any }).poll, undefined, deals([1, 1, '2026-12-04T10:00:00Z'], [2, 0, '2026-12-04T10:00:00Z']), 1000);
		expect(plan).toMatchObject({ targets: [{ dealId: '1' }, { dealId: '2' }], check: 'baseline' });
		expect(membershipTargets({ syncNow: { headers: {}, body: { projectId: 'p_9' } } })).toEqual({ targets: [{ projectId: 'p_9' }] });
		const check = membershipTargets({ syncNow: { headers: {}, body: { participationCheck: 'check' } } });
		expect(check).toEqual({ poll: { manual: false, check: 'check' } });
		// On demand, the check syncs no deal of its own accord and leaves the poll's snapshot as it is.
		expect(pollPlan((check as { poll: any }).poll, { deals: {} }, deals([1, 1, '2026-12-04T10:00:00Z']), 1000)).toEqual({ targets: [], snapshot: null, check: 'check' });
	});

	it('a prospect delivery names its project', () => {
		const delivery = { event: { event: 'prospect.deleted', entity: 'prospect', data: { id: 'pr_1', projectId: 'p_7' } } };
		expect(membershipTargets({ delivery })).toEqual({ targets: [{ projectId: 'p_7' }] });
	});
});
