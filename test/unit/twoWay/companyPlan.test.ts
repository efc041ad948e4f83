import { COMPANY_SPEC, organizationMatchesCompany } from '../../../nodes/shared/core/twoWay/companySpec';
import { planTwoWay, signaturesOf } from '../../../nodes/shared/core/twoWay/plan';
import type { Baseline } from '../../../nodes/shared/core/merge/threeWay';
import { KEYS, setup } from '../mapping/fixtures';

const { config, ctx } = setup('company');

function org(over: Record<string, unknown> = {}, custom: Record<string, unknown> = {}) {
	return {
		id: 7,
		name: 'Fjord Capital AB',
		address: { value: 'Stockholm, Sverige', country: 'Sverige' },
		website: null,
		custom_fields: { [KEYS.companyId]: 'co-1', [KEYS.domain]: 'fjordcapital.example.se', [KEYS.orgNumber]: '556677-8899', ...custom },
		update_time: '2026-05-01 10:00:00',
		...over,
	};
}

function company(over: Record<string, unknown> = {}) {
	return {
		id: 'co-1',
		name: 'Fjord Capital AB',
		countryCode: 'SE',
		domain: 'fjordcapital.example.se',
		externalRefs: [
			{ namespace: 'crm-x', id: 'x-1' },
			{ namespace: 'pipedrive', id: '7' },
			{ namespace: 'orgnr-se', id: '5566778899' },
		],
		updatedUtc: '2026-05-01T10:00:00.500Z',
		...over,
	};
}

const baselineOf = (pd: Record<string, unknown>, ps: Record<string, unknown>): Baseline => ({
	pipedrive: signaturesOf(COMPANY_SPEC, 'pipedrive', pd, config, ctx),
	propstreet: signaturesOf(COMPANY_SPEC, 'propstreet', ps, config, ctx),
});

function plan(pd: Record<string, unknown>, ps: Record<string, unknown>, baseline: Baseline | null, eventSide: 'pipedrive' | 'propstreet' = 'pipedrive', policy: 'lastWriteWins' | 'manualReview' | 'sourceOfTruth' = 'lastWriteWins', owners?: Record<string, 'pipedrive' | 'propstreet'>) {
	return planTwoWay({ spec: COMPANY_SPEC, pipedrive: pd, propstreet: ps, baseline, rules: { policy, owners }, eventSide, config, ctx });
}

describe('two-way company plan', () => {
	it('a synced pair plans no write on either side, with or without a baseline', () => {
		for (const base of [baselineOf(org(), company()), null]) {
			const p = plan(org(), company(), base);
			expect(p.merge.settled).toBe(true);
			expect(p.pipedrivePatch).toEqual({});
			expect(p.propstreetPatch).toEqual({});
		}
	});

	it('a one-sided Pipedrive rename flows to Propstreet even when the company is newer', () => {
		const p = plan(org({ name: 'Fjord Capital Group AB' }), company({ updatedUtc: '2026-05-01T11:00:00Z' }), baselineOf(org(), company()));
		expect(p.propstreetPatch).toEqual({ name: 'Fjord Capital Group AB' });
		expect(p.pipedrivePatch).toEqual({});
	});

	it('a one-sided Propstreet domain edit flows to the Pipedrive custom field found by name', () => {
		const p = plan(org({ update_time: '2026-05-01 12:00:00' }), company({ domain: 'fjordgroup.example.se' }), baselineOf(org(), company()), 'propstreet');
		expect(p.pipedrivePatch).toEqual({ custom_fields: { [KEYS.domain]: 'fjordgroup.example.se' } });
		expect(p.propstreetPatch).toEqual({});
	});

	it("a side's own formatting is not an edit: URL vs domain, typed vs stored org number, country name vs code", () => {
		const typed = org({ address: { value: 'Sweden', country: 'Sweden' } }, { [KEYS.domain]: 'https://www.FjordCapital.example.se/om-oss', [KEYS.orgNumber]: '5566778899' });
		const base = baselineOf(org(), company());
		const p = plan(typed, company(), base);
		expect(p.merge.settled).toBe(true);
		expect(p.pipedrivePatch).toEqual({});
		expect(p.propstreetPatch).toEqual({});
		expect(signaturesOf(COMPANY_SPEC, 'pipedrive', typed, config, ctx)).toEqual(base.pipedrive);
		// And with no baseline at all, the two still agree.
		expect(plan(typed, company(), null).merge.settled).toBe(true);
	});

	it('edits of different fields on both sides both survive', () => {
		const base = baselineOf(org(), company());
		const p = plan(org({ name: 'Fjord Capital Group AB', update_time: '2026-05-01 10:00:02' }), company({ domain: 'fjordgroup.example.se', updatedUtc: '2026-05-01T10:00:01Z' }), base);
		expect(p.propstreetPatch).toEqual({ name: 'Fjord Capital Group AB' });
		expect(p.pipedrivePatch).toEqual({ custom_fields: { [KEYS.domain]: 'fjordgroup.example.se' } });
	});

	it('the same field changed on both sides: last write wins, source of truth, or review', () => {
		const base = baselineOf(org(), company());
		const pd = org({ name: 'Fjord A', update_time: '2026-05-01 10:00:05' });
		const ps = company({ name: 'Fjord B', updatedUtc: '2026-05-01T10:00:09Z' });
		expect(plan(pd, ps, base).pipedrivePatch).toEqual({ name: 'Fjord B' });
		expect(plan(pd, ps, base).propstreetPatch).toEqual({});
		const owned = plan(pd, ps, base, 'propstreet', 'sourceOfTruth', { 'company.name': 'pipedrive' });
		expect(owned.propstreetPatch).toEqual({ name: 'Fjord A' });
		expect(owned.pipedrivePatch).toEqual({});
		const review = plan(pd, ps, base, 'pipedrive', 'manualReview');
		expect(review.merge.review.map((d) => d.field)).toEqual(['company.name']);
		expect(review.pipedrivePatch).toEqual({});
		expect(review.propstreetPatch).toEqual({});
	});

	it('a new Pipedrive org number replaces only the org-number ref; other refs and the link are kept', () => {
		const base = baselineOf(org(), company());
		const p = plan(org({}, { [KEYS.orgNumber]: '559123-4561' }), company(), base);
		const refs = p.propstreetPatch.externalRefs as Array<{ namespace: string; id: string }>;
		expect(refs).toEqual([
			{ namespace: 'crm-x', id: 'x-1' },
			{ namespace: 'pipedrive', id: '7' },
			{ namespace: 'orgnr-se', id: '5591234561' },
		]);
	});

	it('an org number the merge holds back is never written along with a missing link; the link alone is', () => {
		// Propstreet changed its org number; Pipedrive still holds the old one, and the company lost its pipedrive ref.
		const base = baselineOf(org(), company());
		const ps = company({ externalRefs: [{ namespace: 'orgnr-no', id: '923456783' }] });
		const p = plan(org(), ps, base, 'propstreet');
		expect(p.propstreetPatch).toEqual({ externalRefs: [{ namespace: 'orgnr-no', id: '923456783' }, { namespace: 'pipedrive', id: '7' }] });
		expect(p.pipedrivePatch).toEqual({ custom_fields: { [KEYS.orgNumber]: '923456783' } });
	});

	it('a first link where Propstreet has no org number: the newer company clears it in Pipedrive and still gets its link', () => {
		// A company created in Propstreet and matched by domain to an older organization (the Cloud 05 e2e case).
		const pd = org({}, { [KEYS.companyId]: null });
		const ps = company({ externalRefs: [{ namespace: 'crm-x', id: 'x-1' }], updatedUtc: '2026-06-01T10:00:00Z' });
		const p = plan(pd, ps, null, 'propstreet');
		expect(p.pipedrivePatch).toEqual({ custom_fields: { [KEYS.companyId]: 'co-1', [KEYS.orgNumber]: null } });
		expect(p.propstreetPatch).toEqual({ externalRefs: [{ namespace: 'crm-x', id: 'x-1' }, { namespace: 'pipedrive', id: '7' }] });
	});

	it('a link already stored is not rewritten when the org number flows to Pipedrive', () => {
		const base = baselineOf(org(), company());
		const ps = company({ externalRefs: [{ namespace: 'pipedrive', id: '7' }, { namespace: 'orgnr-no', id: '923456783' }] });
		const p = plan(org(), ps, base, 'propstreet');
		expect(p.propstreetPatch).toEqual({});
	});

	it('a missing link is written whatever the merge says', () => {
		const pd = org({}, { [KEYS.companyId]: null });
		const ps = company({ externalRefs: [{ namespace: 'orgnr-se', id: '5566778899' }] });
		const p = plan(pd, ps, baselineOf(pd, ps));
		expect(p.pipedrivePatch).toEqual({ custom_fields: { [KEYS.companyId]: 'co-1' } });
		expect(p.propstreetPatch).toEqual({ externalRefs: [{ namespace: 'orgnr-se', id: '5566778899' }, { namespace: 'pipedrive', id: '7' }] });
	});

	it('a partial webhook body carries only some groups, so the engine reads the rest before writing', () => {
		const partial = { id: 7, name: 'Fjord Capital AB', update_time: '2026-05-01 10:00:00' };
		const carried = Object.keys(signaturesOf(COMPANY_SPEC, 'pipedrive', partial, config, ctx));
		expect(carried).toEqual(['company.name']);
		expect(COMPANY_SPEC.groups.every((g) => g in signaturesOf(COMPANY_SPEC, 'pipedrive', org(), config, ctx))).toBe(true);
	});

	it('a Propstreet company with deletedUtc reads as deleted; the ids each side stores are the link', () => {
		expect(COMPANY_SPEC.isDeleted('propstreet', company({ deletedUtc: '2026-05-01T12:00:00Z' }))).toBe(true);
		expect(COMPANY_SPEC.isDeleted('propstreet', company({ deletedUtc: null }))).toBe(false);
		expect(COMPANY_SPEC.isDeleted('pipedrive', org({ is_deleted: true }))).toBe(true);
		expect(COMPANY_SPEC.counterpartId('pipedrive', org(), config, ctx)).toBe('co-1');
		expect(COMPANY_SPEC.counterpartId('propstreet', company(), config, ctx)).toBe('7');
	});

	it('a searched organization matches by domain or org number, never when linked to another company', () => {
		expect(organizationMatchesCompany(org({}, { [KEYS.companyId]: null, [KEYS.orgNumber]: null }), company(), config, ctx)).toBe(true);
		expect(organizationMatchesCompany(org({}, { [KEYS.companyId]: null, [KEYS.domain]: null, [KEYS.orgNumber]: '5566778899' }), company(), config, ctx)).toBe(true);
		expect(organizationMatchesCompany(org({}, { [KEYS.companyId]: 'co-2' }), company(), config, ctx)).toBe(false);
		expect(organizationMatchesCompany(org({}, { [KEYS.companyId]: null, [KEYS.domain]: 'other.example.se', [KEYS.orgNumber]: null }), company(), config, ctx)).toBe(false);
	});
});
