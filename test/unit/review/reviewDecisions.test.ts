/** Review decisions in the one conflict model, and which review rows a pass raises, refreshes or closes. */
import { decideConflict } from '../../../nodes/shared/core/merge/policy';
import { mergeFields, type Baseline, type FieldDecision, type FieldSignatures } from '../../../nodes/shared/core/merge/threeWay';
import { decisionsOf, planReviewRows, resolutionOf, reviewKey, type ReviewEntry, type ReviewRaise } from '../../../nodes/shared/core/review/queue';
import { applyResolvedPairs, resolvedPairs } from '../../../nodes/shared/core/twoWay/applyReview';
import type { TwoWayRun } from '../../../nodes/shared/core/twoWay/ports';

const baseline: Baseline = { pipedrive: { name: 'pd-0', email: 'pd-e0' }, propstreet: { name: 'ps-0', email: 'ps-e0' } };
const times = { pipedrive: '2026-05-01T10:00:00Z', propstreet: '2026-05-01T10:00:05Z' };
const field = (name: string, pipedrive: string, propstreet: string, agree = false): FieldSignatures => ({ field: name, pipedrive, propstreet, agree });

function entry(over: Partial<ReviewEntry> = {}): ReviewEntry {
	const base = { entity: 'contact' as const, pipedriveId: '7', propstreetId: 'c-1', field: 'contact.name', pipedriveValue: '"A"', propstreetValue: '"B"', lastSynced: '', rule: 'r', raisedAt: '2026-05-01T10:00:00.000Z' };
	return { ...base, rowId: 1, key: reviewKey(base), resolution: '', status: 'open', appliedAt: '', ...over };
}

describe('review decisions in the conflict rule', () => {
	it('a chosen side wins a conflict under every policy, with a reason naming the queue', () => {
		for (const policy of ['manualReview', 'lastWriteWins', 'sourceOfTruth'] as const) {
			const out = decideConflict('name', { policy, defaultOwner: 'propstreet', decisions: { name: 'pipedrive' } }, times, 'propstreet');
			expect(out).toEqual({ winner: 'pipedrive', reason: 'name: pipedrive chosen in the review queue' });
		}
		expect(decideConflict('email', { policy: 'manualReview', decisions: { name: 'pipedrive' } }, times, 'propstreet').winner).toBe('review');
	});

	it('manual review: a field changed on both sides goes to review; with a decision the chosen side flows and the others stay in review', () => {
		const fields = [field('name', 'pd-1', 'ps-1'), field('email', 'pd-e1', 'ps-e1')];
		const before = mergeFields({ fields, baseline, rules: { policy: 'manualReview' }, times, eventSide: 'pipedrive' });
		expect(before.review.map((d) => d.field)).toEqual(['name', 'email']);
		const after = mergeFields({ fields, baseline, rules: { policy: 'manualReview', decisions: { name: 'propstreet' } }, times, eventSide: 'pipedrive' });
		expect(after.toPipedrive).toEqual(['name']);
		expect(after.review.map((d) => d.field)).toEqual(['email']);
	});

	it('the chosen side wins even when only the other side changed since the row was raised', () => {
		// Pipedrive went back to its baseline value; Propstreet's value would flow on its own, but the person chose Pipedrive.
		const fields = [field('name', 'pd-0', 'ps-1')];
		expect(mergeFields({ fields, baseline, rules: { policy: 'manualReview' }, times, eventSide: 'pipedrive' }).toPipedrive).toEqual(['name']);
		const chosen = mergeFields({ fields, baseline, rules: { policy: 'manualReview', decisions: { name: 'pipedrive' } }, times, eventSide: 'propstreet' });
		expect(chosen.toPropstreet).toEqual(['name']);
		expect(chosen.toPipedrive).toEqual([]);
	});

	it('a decision on a field whose sides agree writes nothing', () => {
		const out = mergeFields({ fields: [field('name', 'pd-1', 'ps-1', true)], baseline, rules: { policy: 'manualReview', decisions: { name: 'pipedrive' } }, times, eventSide: 'pipedrive' });
		expect(out.settled).toBe(true);
	});
});

describe('review rows', () => {
	it('reads resolutions leniently and ignores text that names no side', () => {
		expect(['pipedrive', ' Pipedrive ', 'PD'].map(resolutionOf)).toEqual(['pipedrive', 'pipedrive', 'pipedrive']);
		expect(['propstreet', 'PropStreet', 'ps'].map(resolutionOf)).toEqual(['propstreet', 'propstreet', 'propstreet']);
		expect(['', 'both', 'x'].map(resolutionOf)).toEqual([null, null, null]);
		const rows = [entry({ resolution: 'Propstreet' }), entry({ rowId: 2, field: 'contact.email', resolution: 'maybe' }), entry({ rowId: 3, field: 'contact.phone', resolution: 'pipedrive', status: 'applied' })];
		expect(decisionsOf(rows)).toEqual({ 'contact.name': 'propstreet' });
	});

	it('a new conflict raises a row, a repeated one refreshes its open row instead of adding one', () => {
		const item: ReviewRaise = { ...entry(), pipedriveValue: '"A2"', raisedAt: '2026-05-02T00:00:00.000Z' };
		const review: FieldDecision = { field: 'contact.name', action: 'review', changedOn: ['pipedrive', 'propstreet'], conflict: true, reason: 'r' };
		expect(planReviewRows([], [review], [item], 'now')).toEqual({ raise: [item], update: [] });
		const again = planReviewRows([entry({ rowId: 4 })], [review], [item], 'now');
		expect(again.raise).toEqual([]);
		expect(again.update).toEqual([{ rowId: 4, change: { pipedriveValue: '"A2"', propstreetValue: '"B"', lastSynced: '', rule: 'r', raisedAt: '2026-05-02T00:00:00.000Z' } }]);
	});

	it('an open row whose field was decided is closed: applied with a resolution, settled without one', () => {
		const flowed: FieldDecision = { field: 'contact.name', action: 'toPipedrive', changedOn: [], conflict: true, reason: 'chosen' };
		const agreed: FieldDecision = { field: 'contact.email', action: 'none', changedOn: [], conflict: false, reason: 'both sides agree' };
		const rows = [entry({ rowId: 1, resolution: 'propstreet' }), entry({ rowId: 2, field: 'contact.email' }), entry({ rowId: 3, field: 'contact.phone', resolution: 'pipedrive' })];
		expect(planReviewRows(rows, [flowed, agreed], [], 'T').update).toEqual([
			{ rowId: 1, change: { status: 'applied', appliedAt: 'T' } },
			{ rowId: 2, change: { status: 'settled', appliedAt: 'T' } },
		]);
	});

	it('Apply Review Decisions takes the pairs with at least one resolution, with all their open rows', () => {
		const rows = [entry({ rowId: 1 }), entry({ rowId: 2, field: 'contact.email', resolution: 'ps' }), entry({ rowId: 3, pipedriveId: '8', propstreetId: 'c-2' }), entry({ rowId: 4, pipedriveId: '9', resolution: 'pipedrive', status: 'applied' })];
		expect(resolvedPairs(rows).map((pair) => pair.map((r) => r.rowId))).toEqual([[1, 2]]);
	});
});

describe('applyResolvedPairs (the Sync node and Cloud 11 share it)', () => {
	/** A run whose pairs are all unlinked: each resolved pair's rows are settled; a store that fails for one pair id. */
	function unlinkedRun(failFor = '') {
		const updates: Array<{ rowId: number; status?: string }> = [];
		const run = {
			spec: { entity: 'contact' },
			store: { find: async (_e: string, _s: string, id: string) => (id === failFor ? Promise.reject(new Error(`store down for ${id}`)) : []) },
			review: { update: async (rowId: number, change: { status?: string }) => void updates.push({ rowId, status: change.status }) },
			now: () => new Date('2026-05-02T00:00:00Z'),
		} as unknown as TwoWayRun;
		return { run, updates };
	}
	const pairs = (n: number) => Array.from({ length: n }, (_, i) => entry({ rowId: i + 1, pipedriveId: String(10 + i), resolution: 'pipedrive' }));

	it('takes at most maxPairs pairs and says how many are left; a failing pair is counted and the others go on', async () => {
		const { run, updates } = unlinkedRun('11');
		const { summary } = await applyResolvedPairs(run, [...pairs(4), entry({ rowId: 9, pipedriveId: '99' })], { maxPairs: 3 });
		expect(summary).toMatchObject({ entity: 'contact', pairs: 3, applied: 0, left: 1 });
		expect(summary.failed).toEqual([{ pipedriveId: '11', propstreetId: 'c-1', error: 'store down for 11' }]);
		expect(updates).toEqual([{ rowId: 1, status: 'settled' }, { rowId: 3, status: 'settled' }]);
	});

	it('ends at the pair after which the caller says it stopped (the Cloud replay meeting an unanswered call)', async () => {
		const { run, updates } = unlinkedRun();
		const { summary } = await applyResolvedPairs(run, pairs(3), { stopped: () => updates.length > 0 });
		expect(updates).toEqual([{ rowId: 1, status: 'settled' }]);
		expect(summary.pairs).toBe(3);
		expect(summary.left).toBeUndefined();
	});
});
