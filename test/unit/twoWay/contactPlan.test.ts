import { CONTACT_SPEC } from '../../../nodes/shared/core/twoWay/contactSpec';
import { nextBaseline, planTwoWay, signaturesOf } from '../../../nodes/shared/core/twoWay/plan';
import type { Baseline } from '../../../nodes/shared/core/merge/threeWay';
import { KEYS, setup } from '../mapping/fixtures';

const { config, ctx } = setup('contact');

function person(over: Record<string, unknown> = {}) {
	return {
		id: 11,
		name: 'Anna Berg',
		first_name: 'Anna',
		last_name: 'Berg',
		emails: [{ value: 'anna@nordic.example', primary: true, label: 'work' }],
		phones: [{ value: '+46 70 123 45 67', primary: true, label: 'work' }],
		label_ids: [1],
		org_id: null,
		custom_fields: { [KEYS.contactId]: 'c-1', [KEYS.strategy]: 'Office' },
		update_time: '2026-05-01 10:00:00',
		...over,
	};
}

function contact(over: Record<string, unknown> = {}) {
	return {
		id: 'c-1',
		firstName: 'Anna',
		lastName: 'Berg',
		email: 'anna@nordic.example',
		phone: '+46701234567',
		strategy: 'Office',
		tags: ['investor'],
		companies: [],
		externalRefs: [{ namespace: 'pipedrive', id: '11' }],
		updatedUtc: '2026-05-01T10:00:00.500Z',
		...over,
	};
}

function baselineOf(pd: Record<string, unknown>, ps: Record<string, unknown>): Baseline {
	return { pipedrive: signaturesOf(CONTACT_SPEC, 'pipedrive', pd, config, ctx), propstreet: signaturesOf(CONTACT_SPEC, 'propstreet', ps, config, ctx) };
}

function plan(pd: Record<string, unknown>, ps: Record<string, unknown>, baseline: Baseline | null, eventSide: 'pipedrive' | 'propstreet' = 'pipedrive', policy: 'lastWriteWins' | 'manualReview' = 'lastWriteWins') {
	return planTwoWay({ spec: CONTACT_SPEC, pipedrive: pd, propstreet: ps, baseline, rules: { policy }, eventSide, config, ctx });
}

describe('two-way contact plan', () => {
	it('a synced pair with its baseline plans no write on either side', () => {
		const p = plan(person(), contact(), baselineOf(person(), contact()));
		expect(p.merge.settled).toBe(true);
		expect(p.pipedrivePatch).toEqual({});
		expect(p.propstreetPatch).toEqual({});
	});

	it('a Pipedrive edit flows to Propstreet even though the Propstreet record is newer', () => {
		const base = baselineOf(person(), contact());
		const p = plan(person({ custom_fields: { [KEYS.contactId]: 'c-1', [KEYS.strategy]: 'Logistics' } }), contact({ updatedUtc: '2026-05-01T10:00:05Z' }), base);
		expect(p.propstreetPatch).toEqual({ strategy: 'Logistics' });
		expect(p.pipedrivePatch).toEqual({});
	});

	it('edits of different fields on both sides within a second both survive', () => {
		const base = baselineOf(person(), contact());
		const p = plan(person({ name: 'Anna Lind', update_time: '2026-05-01 10:00:01' }), contact({ strategy: 'Retail', updatedUtc: '2026-05-01T10:00:01.400Z' }), base);
		expect(p.propstreetPatch).toEqual({ lastName: 'Lind' });
		expect(p.pipedrivePatch).toEqual({ custom_fields: { [KEYS.strategy]: 'Retail' } });
	});

	it('a name Pipedrive re-splits does not come back as an edit (case 4)', () => {
		// Propstreet "Anna Maria / Berg" was written to Pipedrive as "Anna Maria Berg"; Pipedrive splits it its own way.
		const ps = contact({ firstName: 'Anna Maria', lastName: 'Berg' });
		const pd = person({ name: 'Anna Maria Berg', first_name: 'Anna', last_name: 'Maria Berg' });
		const p = plan(pd, ps, baselineOf(pd, ps));
		expect(p.propstreetPatch).toEqual({});
		expect(p.merge.settled).toBe(true);
	});

	it('without a baseline, agreeing values write nothing and a difference goes to the newer side', () => {
		const same = plan(person(), contact(), null);
		expect(same.merge.settled).toBe(true);
		const differ = plan(person({ custom_fields: { [KEYS.contactId]: 'c-1', [KEYS.strategy]: 'Hotel' } }), contact({ updatedUtc: '2026-05-01T12:00:00Z' }), null);
		expect(differ.pipedrivePatch).toEqual({ custom_fields: { [KEYS.strategy]: 'Office' } });
	});

	it('the link fields are written when missing, whatever the merge says', () => {
		const pd = person({ custom_fields: { [KEYS.strategy]: 'Office' } });
		const ps = contact({ externalRefs: [] });
		const p = plan(pd, ps, baselineOf(pd, ps));
		expect(p.pipedrivePatch).toEqual({ custom_fields: { [KEYS.contactId]: 'c-1' } });
		expect(p.propstreetPatch).toEqual({ externalRefs: [{ namespace: 'pipedrive', id: '11' }] });
	});

	it('a conflict under manual review writes nothing and keeps its old baseline', () => {
		const base = baselineOf(person(), contact());
		const pd = person({ custom_fields: { [KEYS.contactId]: 'c-1', [KEYS.strategy]: 'Hotel' } });
		const ps = contact({ strategy: 'Retail' });
		const p = plan(pd, ps, base, 'pipedrive', 'manualReview');
		expect(p.merge.review.map((d) => d.field)).toEqual(['contact.strategy']);
		expect(p.pipedrivePatch).toEqual({});
		expect(p.propstreetPatch).toEqual({});
		const next = nextBaseline(p, p.signatures, { pipedrive: null, propstreet: null }, base);
		expect(next.pipedrive['contact.strategy']).toBe(base.pipedrive['contact.strategy']);
		expect(next.pipedrive['contact.name']).toBe(p.signatures.pipedrive['contact.name']);
	});

	it('a change someone made between our read and our write stays out of the baseline, with the read time, so its event still counts', () => {
		const base = baselineOf(person(), contact());
		const pd = person({ custom_fields: { [KEYS.contactId]: 'c-1', [KEYS.strategy]: 'Hotel' } });
		const p = plan(pd, contact(), base, 'pipedrive');
		expect(p.propstreetPatch).toEqual({ strategy: 'Hotel' });
		// Pipedrive's answer to another write shows a rename made meanwhile; Propstreet's shows our value.
		const renamed = signaturesOf(CONTACT_SPEC, 'pipedrive', { ...pd, name: 'Anna Lind' }, config, ctx);
		const written = signaturesOf(CONTACT_SPEC, 'propstreet', contact({ strategy: 'Hotel' }), config, ctx);
		const next = nextBaseline(p, { pipedrive: renamed, propstreet: written, at: { pipedrive: '2026-05-01T10:00:09Z', propstreet: '2026-05-01T10:00:09Z' } }, { pipedrive: '2026-05-01T10:00:05Z', propstreet: '2026-05-01T10:00:04Z' }, base);
		expect(next.pipedrive['contact.name']).toBe(p.signatures.pipedrive['contact.name']);
		expect(next.pipedrive['contact.name']).not.toBe(renamed['contact.name']);
		expect(next.at?.pipedrive).toBe('2026-05-01T10:00:05Z');
		expect(next.propstreet['contact.strategy']).toBe(written['contact.strategy']);
		expect(next.at?.propstreet).toBe('2026-05-01T10:00:09Z');
	});

	it('an unmanaged Propstreet tag is not an edit Pipedrive must receive', () => {
		const base = baselineOf(person(), contact());
		const p = plan(person(), contact({ tags: ['investor', 'golf'] }), base, 'propstreet');
		expect(p.pipedrivePatch).toEqual({});
	});
});
