/** The backfill sweep core: where a sweep starts reading, what it counts, when its mark moves. */
import type { RunOutcome } from '../../../nodes/shared/core/twoWay/ports';
import { SWEEP_OVERLAP_MS, sweepRecords, sweepSince } from '../../../nodes/shared/core/twoWay/sweep';

const outcome = (action: RunOutcome['action'], review = 0): RunOutcome => ({
	action,
	entity: 'contact',
	pipedriveId: '1',
	propstreetId: '2',
	written: { pipedrive: {}, propstreet: {} },
	decisions: [],
	review: Array.from({ length: review }, () => ({ field: 'contact.name', reason: 'both', pipedriveValue: 'a', propstreetValue: 'b' })),
	warnings: [],
	reason: '',
});
const scope = { entity: 'contact', side: 'pipedrive' as const, since: null, startedAt: new Date('2026-05-02T03:00:00.000Z'), lastMark: '2026-05-01T03:00:00.000Z' };

describe('backfill sweep (core)', () => {
	it('reads from the last mark minus the overlap; a full sweep or no mark reads everything', () => {
		expect(sweepSince('2026-05-01T03:00:00.000Z', false)).toBe(new Date(Date.parse('2026-05-01T03:00:00.000Z') - SWEEP_OVERLAP_MS).toISOString());
		expect(sweepSince('2026-05-01T03:00:00.000Z', true)).toBeNull();
		expect(sweepSince(undefined, false)).toBeNull();
		expect(sweepSince('not a time', false)).toBeNull();
	});

	it('counts every outcome, keeps the ones that changed something, and moves the mark to the start of the sweep', async () => {
		const actions: RunOutcome['action'][] = ['unchanged', 'updated', 'created', 'skipped', 'unchanged'];
		let n = 0;
		const { summary, reviewed } = await sweepRecords(actions.map((_, i) => ({ id: i + 1 })), scope, async () => outcome(actions[n++], n === 2 ? 1 : 0));
		expect(summary.counts).toEqual({ unchanged: 2, updated: 1, created: 1, unlinked: 0, relinked: 0, skipped: 1 });
		expect(summary.changes.map((c) => c.action)).toEqual(['updated', 'created']);
		expect(summary.review).toBe(1);
		expect(reviewed).toHaveLength(1);
		expect(summary.nextMark).toBe('2026-05-02T03:00:00.000Z');
	});

	it('a failing record is named, the others still run, and the mark stays where it was', async () => {
		const seen: unknown[] = [];
		const { summary } = await sweepRecords([{ id: 7 }, { id: 8 }], scope, async (r) => {
			seen.push(r.id);
			if (r.id === 7) throw new Error('Propstreet said 500');
			return outcome('updated');
		});
		expect(seen).toEqual([7, 8]);
		expect(summary.failed).toEqual([{ id: '7', error: 'Propstreet said 500' }]);
		expect(summary.counts.updated).toBe(1);
		expect(summary.nextMark).toBe(scope.lastMark);
	});

	it('stops before the record at which shouldStop says so (e.g. the API budget is nearly spent) and leaves the mark', async () => {
		const seen: unknown[] = [];
		let asked = 0;
		const { summary } = await sweepRecords([{ id: 1 }, { id: 2 }, { id: 3 }], scope, async (r) => (seen.push(r.id), outcome('updated')), async () => ++asked > 2);
		expect(seen).toEqual([1, 2]);
		expect(summary.stoppedAfter).toBe(2);
		expect(summary.listed).toBe(3);
		expect(summary.nextMark).toBe(scope.lastMark);
		const full = await sweepRecords([{ id: 1 }], scope, async () => outcome('unchanged'), () => false);
		expect(full.summary.stoppedAfter).toBeUndefined();
		expect(full.summary.nextMark).toBe('2026-05-02T03:00:00.000Z');
	});
});
