/** Cloud 08's targets: the poll snapshot (first poll only remembers), Sync now (every deal, or the ids it names), a prospect delivery. */
import { membershipTargets } from '../../../nodes/shared/core/cloud/membershipTargets';

const list = (...deals: Array<[number, number, string]>) => ({ data: deals.map(([id, participants_count, update_time]) => ({ id, participants_count, update_time })) });

describe('Cloud 08 targets', () => {
	it('first poll keeps a snapshot and syncs nothing; the next syncs only the deal whose count moved', () => {
		const first = membershipTargets({ dealList: list([1, 1, '2026-12-04T10:00:00Z'], [2, 0, '2026-12-04T10:00:00Z']), snapshot: undefined, nowMs: 1000 });
		expect(first.targets).toEqual([]);
		const second = membershipTargets({ dealList: list([1, 2, '2026-12-04T10:00:00Z'], [2, 0, '2026-12-04T10:00:00Z']), snapshot: JSON.parse(JSON.stringify(first.snapshot)), nowMs: 2000 });
		expect(second.targets).toEqual([{ dealId: '1' }]);
		expect(second.snapshot?.deals['1']).toEqual({ count: 2, updated: '2026-12-04T10:00:00.000Z' });
	});

	it('Sync now reads every deal, or only the deal or project its body names', () => {
		const all = membershipTargets({ syncNow: { headers: {}, body: {} }, dealList: list([1, 1, '2026-12-04T10:00:00Z'], [2, 0, '2026-12-04T10:00:00Z']), snapshot: undefined, nowMs: 1000 });
		expect(all.targets).toEqual([{ dealId: '1' }, { dealId: '2' }]);
		expect(membershipTargets({ syncNow: { headers: {}, body: { projectId: 'p_9' } }, snapshot: undefined, nowMs: 1 }).targets).toEqual([{ projectId: 'p_9' }]);
	});

	it('a prospect delivery names its project', () => {
		const delivery = { event: { event: 'prospect.deleted', entity: 'prospect', data: { id: 'pr_1', projectId: 'p_7' } } };
		expect(membershipTargets({ delivery, snapshot: null, nowMs: 1 }).targets).toEqual([{ projectId: 'p_7' }]);
	});
});
