import { mergeFields, type Baseline, type FieldSignatures } from '../../../nodes/shared/core/merge/threeWay';
import { decideConflict } from '../../../nodes/shared/core/merge/policy';

const baseline: Baseline = {
	pipedrive: { name: 'pd-name-0', email: 'pd-email-0', strategy: 'pd-strat-0' },
	propstreet: { name: 'ps-name-0', email: 'ps-email-0', strategy: 'ps-strat-0' },
};

function field(name: string, pipedrive: string, propstreet: string, agree = false): FieldSignatures {
	return { field: name, pipedrive, propstreet, agree };
}

const times = { pipedrive: '2026-05-01T10:00:00Z', propstreet: '2026-05-01T10:00:02.500Z' };

describe('mergeFields', () => {
	it('a field changed on one side flows to the other, whichever record is newer', () => {
		const out = mergeFields({
			fields: [field('name', 'pd-name-1', 'ps-name-0'), field('email', 'pd-email-0', 'ps-email-1'), field('strategy', 'pd-strat-0', 'ps-strat-0')],
			baseline,
			rules: { policy: 'lastWriteWins' },
			times,
			eventSide: 'pipedrive',
		});
		// Propstreet's record is newer (10:00:02), yet Pipedrive's one-sided name edit still flows.
		expect(out.toPropstreet).toEqual(['name']);
		expect(out.toPipedrive).toEqual(['email']);
		expect(out.decisions.find((d) => d.field === 'strategy')?.action).toBe('none');
		expect(out.settled).toBe(false);
	});

	it('an echo (each side equals its own baseline) writes nothing even when the mapped values look different', () => {
		const out = mergeFields({
			fields: [field('name', 'pd-name-0', 'ps-name-0', false)],
			baseline,
			rules: { policy: 'lastWriteWins' },
			times,
			eventSide: 'pipedrive',
		});
		expect(out.settled).toBe(true);
		expect(out.decisions[0].reason).toMatch(/neither side changed/);
	});

	it('both sides changed to equivalent values: nothing to write', () => {
		const out = mergeFields({ fields: [field('name', 'pd-name-2', 'ps-name-2', true)], baseline, rules: { policy: 'manualReview' }, times, eventSide: 'propstreet' });
		expect(out.settled).toBe(true);
		expect(out.decisions[0].changedOn).toEqual(['pipedrive', 'propstreet']);
	});

	it('both sides changed to different values: last write wins by record time', () => {
		const out = mergeFields({ fields: [field('name', 'pd-name-2', 'ps-name-2')], baseline, rules: { policy: 'lastWriteWins' }, times, eventSide: 'pipedrive' });
		expect(out.toPipedrive).toEqual(['name']);
		expect(out.decisions[0].conflict).toBe(true);
	});

	it('both changed: the per-field owner wins under source of truth, others fall back to last write wins', () => {
		const out = mergeFields({
			fields: [field('name', 'pd-name-2', 'ps-name-2'), field('strategy', 'pd-strat-2', 'ps-strat-2')],
			baseline,
			rules: { policy: 'sourceOfTruth', owners: { name: 'pipedrive' } },
			times,
			eventSide: 'pipedrive',
		});
		expect(out.toPropstreet).toEqual(['name']);
		expect(out.toPipedrive).toEqual(['strategy']);
	});

	it('both changed under manual review: the field waits for review and neither side is written', () => {
		const out = mergeFields({ fields: [field('name', 'pd-name-2', 'ps-name-2')], baseline, rules: { policy: 'manualReview' }, times, eventSide: 'pipedrive' });
		expect(out.review.map((d) => d.field)).toEqual(['name']);
		expect(out.toPipedrive).toEqual([]);
		expect(out.toPropstreet).toEqual([]);
		expect(out.settled).toBe(false);
	});

	it('without a baseline a difference is decided like the stateless sync: the newer record, else the event side', () => {
		const newerPs = mergeFields({ fields: [field('name', 'a', 'b')], baseline: null, rules: { policy: 'lastWriteWins' }, times, eventSide: 'pipedrive' });
		expect(newerPs.toPipedrive).toEqual(['name']);
		const unknown = mergeFields({ fields: [field('name', 'a', 'b')], baseline: null, rules: { policy: 'lastWriteWins' }, times: { pipedrive: null, propstreet: 'x' }, eventSide: 'pipedrive' });
		expect(unknown.toPropstreet).toEqual(['name']);
		expect(unknown.decisions[0].reason).toMatch(/no baseline/);
	});

	it('a field missing from the baseline (added to the mapping later) is treated as without baseline', () => {
		const out = mergeFields({ fields: [field('phone', 'a', 'b')], baseline, rules: { policy: 'lastWriteWins' }, times, eventSide: 'propstreet' });
		expect(out.decisions[0].conflict).toBe(true);
		expect(out.toPipedrive).toEqual(['phone']);
	});
});

describe('decideConflict', () => {
	it('a tie in time goes to the fallback side', () => {
		const t = '2026-05-01T10:00:00Z';
		expect(decideConflict('x', { policy: 'lastWriteWins' }, { pipedrive: t, propstreet: t }, 'propstreet').winner).toBe('propstreet');
		expect(decideConflict('x', { policy: 'lastWriteWins' }, { pipedrive: t, propstreet: t }, 'pipedrive').winner).toBe('pipedrive');
	});

	it('a default owner covers fields without their own owner; an unknown owner falls back to time', () => {
		const rules = { policy: 'sourceOfTruth' as const, defaultOwner: 'propstreet' as const, owners: { name: 'pipedrive' as const } };
		expect(decideConflict('name', rules, times, 'propstreet').winner).toBe('pipedrive');
		expect(decideConflict('email', rules, times, 'pipedrive').winner).toBe('propstreet');
		expect(decideConflict('email', { policy: 'sourceOfTruth' }, times, 'pipedrive').winner).toBe('propstreet');
	});

	it('an owners map never reads inherited keys', () => {
		expect(decideConflict('constructor', { policy: 'sourceOfTruth', owners: {} }, times, 'pipedrive').winner).toBe('propstreet');
	});
});
