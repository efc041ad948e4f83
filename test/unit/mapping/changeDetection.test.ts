/**
 * Change detection end to end through mapRecord: canonical comparison in both directions, the
 * changed-only `patch`, the hash of the canonical form, the stage-echo rule and won/lost safety.
 */
import { mapRecord, type JsonRecord, type MapperConfigInput } from '../../../nodes/shared/core/mapping';
import { KEYS, setup } from './fixtures';

// ---------------------------------------------------------------- Pipedrive person → Propstreet contact

const astrid = {
	id: 1001,
	name: 'Astrid Öberg',
	org_id: 2001,
	emails: [{ value: 'astrid.oberg@nordhav.example.se', label: 'work', primary: true }],
	phones: [{ value: '+46 70 123 45 67', label: 'mobile', primary: true }],
	label_ids: [1, 4],
	job_title: 'Head of Transactions',
	update_time: '2026-03-04T10:00:00Z',
	custom_fields: { [KEYS.contactId]: '5001', [KEYS.strategy]: 'Office, Stockholm inner city' },
};

/** Astrid as Propstreet stores her after a sync: E.164 phone, lower-cased e-mail, its own ref and tag order. */
const astridInPropstreet = {
	id: '5001',
	firstName: 'Astrid',
	lastName: 'Öberg',
	email: 'Astrid.Oberg@nordhav.example.se',
	phone: '+46701234567',
	strategy: 'Office, Stockholm inner city ',
	tags: ['VIP', 'investor'],
	companies: [{ id: '6001', name: 'Nordhav', jobTitle: 'Head of Transactions', isPrimary: true }],
	externalRefs: [{ namespace: 'salesforce', id: '003X' }, { namespace: 'Pipedrive', id: '1001' }],
	updatedUtc: '2026-03-01T09:00:00Z',
};

function toContact(person: JsonRecord, current: JsonRecord | null, config: MapperConfigInput = {}) {
	const { config: c, ctx } = setup('contact', { lookups: { propstreetCompanyId: '6001' }, current, config });
	return mapRecord(person, 'contact', 'toPropstreet', c, ctx);
}

describe('person → contact against the current Propstreet contact', () => {
	it('finds nothing to write when Propstreet holds the same data in its own formats', () => {
		const item = toContact(astrid, astridInPropstreet);
		expect(item.conflict).toMatchObject({ unchanged: true, changedFields: [], conflicts: [] });
		expect(item.patch).toEqual({});
	});

	it.each<[string, JsonRecord, JsonRecord, JsonRecord]>([
		['strategy only', { custom_fields: { ...astrid.custom_fields, [KEYS.strategy]: 'Logistics' } }, {}, { strategy: 'Logistics' }],
		['a new phone number', { phones: [{ value: '+46 70 999 00 00', primary: true }] }, {}, { phone: '+46 70 999 00 00' }],
		['a cleared phone (explicit null clears it in Propstreet)', { phones: [] }, {}, { phone: null }],
		['a renamed person', { name: 'Astrid Öberg-Lind' }, {}, { lastName: 'Öberg-Lind' }],
		// Lists the target replaces appear whole (merged with what Propstreet keeps).
		['a label removed: whole tag list, Propstreet-only tags kept', { label_ids: [1] }, { tags: ['VIP', 'investor', 'institutional'] }, { tags: ['institutional', 'investor'] }],
		['no pipedrive ref yet: whole ref list', {}, { externalRefs: [{ namespace: 'salesforce', id: '003X' }] }, { externalRefs: [{ namespace: 'salesforce', id: '003X' }, { namespace: 'pipedrive', id: '1001' }] }],
		[
			'another primary company: whole connection list',
			{},
			{ companies: [{ id: '6009', jobTitle: 'Board member', isPrimary: true }, { id: '6001', jobTitle: 'Head of Transactions', isPrimary: false }] },
			{
				connections: [
					{ company: { kind: 'existing', id: '6001' }, jobTitle: 'Head of Transactions', primary: true },
					{ company: { kind: 'existing', id: '6009' }, jobTitle: 'Board member', primary: false },
				],
			},
		],
	])('%s → only that in the patch', (_case, personChange, currentChange, patch) => {
		const item = toContact({ ...astrid, ...personChange }, { ...astridInPropstreet, ...currentChange });
		expect(item.patch).toEqual(patch);
		expect(item.conflict?.unchanged).toBe(false);
		expect(item.conflict?.changedFields).toHaveLength(1);
	});

	it('respects the conflict rule: last write wins drops what Propstreet changed later, manual review keeps it', () => {
		const newer = { ...astridInPropstreet, strategy: 'Edited in Propstreet', updatedUtc: '2026-03-05T00:00:00Z' };
		const person = { ...astrid, name: 'Astrid Öberg-Lind' };
		const lww = toContact(person, newer);
		expect(lww.patch).toEqual({});
		expect(lww.conflict?.changedFields).toEqual(['contact.name', 'contact.strategy']);
		expect(lww.conflict?.conflicts.every((c) => c.resolution === 'target')).toBe(true);
		const review = toContact(person, newer, { conflict: { strategy: 'manualReview' } });
		expect(review.patch).toEqual({ lastName: 'Öberg-Lind', strategy: 'Office, Stockholm inner city' });
		expect(review.conflict?.needsReview).toBe(true);
		const owned = toContact(person, newer, { conflict: { strategy: 'sourceOfTruthPerField', sourceOfTruth: { 'contact.strategy': 'pipedrive' } } });
		expect(owned.patch).toEqual({ strategy: 'Office, Stockholm inner city' });
	});

	it('respects the per-field switches', () => {
		const person = { ...astrid, phones: [{ value: '+46 70 999 00 00', primary: true }], custom_fields: { ...astrid.custom_fields, [KEYS.strategy]: 'Logistics' } };
		const item = toContact(person, astridInPropstreet, { fieldDirections: { 'contact.phone': 'toPipedrive', 'contact.strategy': 'off' } });
		expect(item.patch).toEqual({});
		expect(item.conflict?.unchanged).toBe(true);
	});

	it('has no patch without a current record', () => {
		expect(toContact(astrid, null).patch).toBeUndefined();
	});
});

describe('the hash is taken over the canonical form', () => {
	const hashOf = (person: JsonRecord) => toContact(person, null).hash;

	it.each<[string, JsonRecord]>([
		['the phone as Propstreet stores it (E.164)', { phones: [{ value: '+46701234567', label: 'mobile', primary: true }] }],
		['the e-mail in another case', { emails: [{ value: 'ASTRID.OBERG@nordhav.example.se', primary: true }] }],
		['label ids in another order, as text', { label_ids: ['4', '1'] }],
		['padded text', { custom_fields: { ...astrid.custom_fields, [KEYS.strategy]: ' Office, Stockholm inner city ' } }],
	])('a no-op round trip with %s hashes equal', (_case, change) => {
		expect(hashOf({ ...astrid, ...change })).toBe(hashOf(astrid));
	});

	it.each<[string, JsonRecord]>([
		['another phone', { phones: [{ value: '+46701234568', primary: true }] }],
		['another strategy', { custom_fields: { ...astrid.custom_fields, [KEYS.strategy]: 'Retail' } }],
		['a label less', { label_ids: [1] }],
	])('a real change (%s) hashes differently', (_case, change) => {
		expect(hashOf({ ...astrid, ...change })).not.toBe(hashOf(astrid));
	});
});

// ---------------------------------------------------------------- Propstreet contact → Pipedrive person

const karin = {
	id: '5008',
	externalRefs: [{ namespace: 'pipedrive', id: '1008' }],
	firstName: 'Karin',
	lastName: 'von Essen',
	email: 'karin.vonessen@malarstaden.example.se',
	phone: '+4621102030',
	tags: ['investor'],
	strategy: 'Social infrastructure',
	companies: [],
	updatedUtc: '2026-03-06T09:59:00Z',
};

const karinInPipedrive = {
	id: 1008,
	name: 'Karin von Essen',
	emails: [{ value: 'Karin.vonEssen@malarstaden.example.se', primary: true, label: 'work' }, { value: 'karin@privat.example.se', primary: false, label: 'home' }],
	phones: [{ value: '+46 21 10 20 30', primary: true, label: 'work' }],
	label_ids: [1],
	update_time: '2026-03-01T00:00:00Z',
	custom_fields: { [KEYS.strategy]: 'Social infrastructure', [KEYS.contactId]: '5008' },
};

function toPerson(contact: JsonRecord, current: JsonRecord | null) {
	const { config, ctx } = setup('contact', { current });
	return mapRecord(contact, 'contact', 'toPipedrive', config, ctx);
}

describe('contact → person against the current Pipedrive person', () => {
	it('an E.164 phone and another e-mail case are not a change; Pipedrive keeps its formatting', () => {
		const item = toPerson(karin, karinInPipedrive);
		expect(item.conflict).toMatchObject({ unchanged: true, changedFields: [] });
		expect(item.patch).toEqual({});
		expect(item.body.phones).toEqual([{ value: '+46 21 10 20 30', primary: true, label: 'work' }]);
	});

	it.each<[string, JsonRecord, JsonRecord]>([
		['strategy: that custom field only', { strategy: 'Schools' }, { custom_fields: { [KEYS.strategy]: 'Schools' } }],
		[
			'a new primary e-mail: the whole merged list',
			{ email: 'karin@malarstaden.example.se' },
			{
				emails: [
					{ value: 'karin@malarstaden.example.se', primary: true, label: 'work' },
					{ value: 'Karin.vonEssen@malarstaden.example.se', primary: false, label: 'work' },
					{ value: 'karin@privat.example.se', primary: false, label: 'home' },
				],
			},
		],
		['a new phone: the whole list', { phone: '+46 70 000 11 22' }, { phones: [{ value: '+46 70 000 11 22', primary: true, label: 'work' }, { value: '+46 21 10 20 30', primary: false, label: 'work' }] }],
		['a new tag: the whole label list', { tags: ['investor', 'vip'] }, { label_ids: [1, 4] }],
	])('%s', (_case, change, patch) => {
		expect(toPerson({ ...karin, ...change }, karinInPipedrive).patch).toEqual(patch);
	});
});

// ---------------------------------------------------------------- companies

describe('companies', () => {
	const company = {
		id: '6005',
		name: 'Mälarstaden Invest AB',
		countryCode: 'se',
		domain: 'Malarstaden.example.se',
		externalRefs: [{ namespace: 'orgnr-se', id: '5567890123' }, { namespace: 'pipedrive', id: '2005' }],
		updatedUtc: '2026-03-06T10:00:00Z',
	};
	const org = {
		id: 2005,
		name: 'Mälarstaden Invest AB',
		address: { value: 'Kopparbergsvägen 10, Västerås', locality: 'Västerås', country: 'Sweden', route: null },
		update_time: '2026-03-01T00:00:00Z',
		custom_fields: { [KEYS.domain]: 'malarstaden.example.se', [KEYS.orgNumber]: '556789-0123', [KEYS.companyId]: '6005' },
	};

	it('company → organization: domain case and the same country are no change', () => {
		const { config, ctx } = setup('company', { current: org });
		const item = mapRecord(company, 'company', 'toPipedrive', config, ctx);
		expect(item.patch).toEqual({});
	});

	it('company → organization: a changed country sends the whole address, a changed name just the name', () => {
		const { config, ctx } = setup('company', { current: org });
		const item = mapRecord({ ...company, name: 'Mälarstaden AB', countryCode: 'NO' }, 'company', 'toPipedrive', config, ctx);
		expect(item.patch).toEqual({ name: 'Mälarstaden AB', address: { value: 'Kopparbergsvägen 10, Västerås', locality: 'Västerås', country: 'Norway', route: null } });
		expect(item.conflict?.changedFields).toEqual(['company.country', 'company.name']);
	});

	it('organization → company: refs in another order and namespace case are no change', () => {
		const current = { id: '6005', name: 'Mälarstaden Invest AB', countryCode: 'SE', domain: 'malarstaden.example.se', externalRefs: [{ namespace: 'PIPEDRIVE', id: '2005' }, { namespace: 'orgnr-se', id: '5567890123' }], updatedUtc: '2026-03-01T00:00:00Z' };
		const { config, ctx } = setup('company', { current });
		const item = mapRecord({ ...org, address: { value: 'Västerås', country: 'Sverige' }, update_time: '2026-03-04T10:00:00Z' }, 'company', 'toPropstreet', config, ctx);
		expect(item.patch).toEqual({});
		expect(item.conflict?.unchanged).toBe(true);
	});
});

// ---------------------------------------------------------------- projects → deals

const project = {
	id: '7002',
	name: 'Alnabru Logistics Hub',
	externalRefs: [{ namespace: 'pipedrive', id: '3002' }],
	asset: { type: 'portfolio', propertyCount: 2 },
	status: 'open',
	classification: 'active',
	teaser: { stage: 'communicated' },
	updatedUtc: '2026-03-06T10:00:00Z',
};

const deal = (stageId: number, extra: JsonRecord = {}) => ({
	id: 3002,
	title: 'Alnabru Logistics Hub',
	status: 'open',
	stage_id: stageId,
	pipeline_id: 1,
	update_time: '2026-03-01T00:00:00Z',
	custom_fields: { [KEYS.isPortfolio]: 21, [KEYS.propertyCount]: 2, [KEYS.projectId]: '7002' },
	...extra,
});

function toDeal(proj: JsonRecord, current: JsonRecord, config: MapperConfigInput = {}) {
	const { config: c, ctx } = setup('project', { current, config });
	return mapRecord(proj, 'project', 'toPipedrive', c, ctx);
}

describe('project → deal: the stage echo', () => {
	// Stages 1 Lead In, 2 Property Added (draft); 3 Teaser Drafting, 4 Investor Outreach, 5 Due Diligence, 6 Closing (active).
	it.each([
		[3, 'active', null],
		[3, 'active', 'communicated'],
		[4, 'active', 'drafting'],
		[5, 'active', null],
		[5, 'active', 'published'],
		[6, 'active', 'verified'],
		[1, 'draft', 'drafting'],
		[2, 'draft', null],
	])('a deal in stage %i stays there for a %s project with teaser %s (default stage table)', (stageId, classification, teaser) => {
		const item = toDeal({ ...project, classification, teaser: teaser ? { stage: teaser } : null }, deal(stageId));
		expect(item.body).not.toHaveProperty('stage_id');
		expect(item.patch).toEqual({});
	});

	it.each([
		[1, 'active', 'communicated', 4],
		[1, 'active', null, 3],
		[5, 'draft', null, 1],
		[6, 'draft', 'drafting', 2],
	])('a deal in stage %i moves for a %s project (teaser %s) to stage %i', (stageId, classification, teaser, target) => {
		const item = toDeal({ ...project, classification, teaser: teaser ? { stage: teaser } : null }, deal(stageId));
		expect(item.patch).toEqual({ stage_id: target });
		expect(item.conflict?.changedFields).toEqual(['project.stage']);
	});

	it('the old teaser-driven rule is still available as an option', () => {
		const item = toDeal({ ...project, teaser: { stage: 'drafting' } }, deal(5), { reverseStage: 'teaserStage' });
		expect(item.patch).toEqual({ stage_id: 3 });
	});
});

describe('project → deal: a won or lost deal is not reopened by default', () => {
	it.each(['won', 'lost'] as const)('deal %s, project open → no status, reported', (status) => {
		const item = toDeal({ ...project, classification: 'inactive' }, deal(5, { status }));
		expect(item.body).not.toHaveProperty('status');
		expect(item.patch).toEqual({});
		expect(item.lifecycle).toMatchObject({ event: 'reopened', action: 'none', deal: status });
		expect(item.lifecycle?.note).toMatch(/not reopened/);
		expect(item.warnings.find((w) => w.field === 'status')?.message).toMatch(new RegExp(`deal left ${status}`));
	});

	it('reopens when the option says so', () => {
		const item = toDeal({ ...project, classification: 'inactive' }, deal(5, { status: 'won' }), { onProjectOpenDealClosed: 'reopen' });
		expect(item.patch).toEqual({ status: 'open' });
		expect(item.lifecycle).toEqual({ event: 'reopened', action: 'none', deal: 'won' });
	});

	it('a closed project still marks an open deal won, and the patch says only that', () => {
		const item = toDeal({ ...project, status: 'closed' }, deal(5));
		expect(item.patch).toEqual({ status: 'won' });
		expect(item.lifecycle).toEqual({ event: 'closed', action: 'markDealWon' });
	});

	it('custom fields appear per key in the patch', () => {
		const item = toDeal({ ...project, asset: { type: 'portfolio', propertyCount: 3 } }, deal(5));
		expect(item.patch).toEqual({ custom_fields: { [KEYS.propertyCount]: 3 } });
	});
});
