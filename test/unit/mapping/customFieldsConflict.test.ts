import { resolveConflicts, sameValue } from '../../../nodes/shared/core/conflict';
import { customFieldText, customFieldWriteValue, FieldCatalog, normaliseFieldDefinitions, readCustomField } from '../../../nodes/shared/core/customFields';
import { buildCatalogs, mapRecord } from '../../../nodes/shared/core/mapping';
import { persons, firms, deals, STAGES } from '../../simulators/seed/nordic';
import { dealFieldsV2, KEYS, personFieldsV1, setup } from './fixtures';

const deal = new FieldCatalog(normaliseFieldDefinitions(dealFieldsV2));
const person = new FieldCatalog(normaliseFieldDefinitions(personFieldsV1));

describe('custom field shapes', () => {
	it.each([
		['API v2 enum id', { custom_fields: { [KEYS.isPortfolio]: 21 } }, 'Yes', ['21']],
		['API v2 enum with include_option_labels', { custom_fields: { [KEYS.isPortfolio]: { id: 22, label: 'No' } } }, 'No', ['22']],
		['webhook v2 enum', { custom_fields: { [KEYS.isPortfolio]: { type: 'enum', id: 21 } } }, 'Yes', ['21']],
		['v1 top-level enum id as text', { [KEYS.isPortfolio]: '22' }, 'No', ['22']],
		['API v2 set', { custom_fields: { [KEYS.propertyType]: [31, 32] } }, 'Office, Retail', ['31', '32']],
		['webhook v2 set', { custom_fields: { [KEYS.propertyType]: { type: 'set', values: [{ id: 33 }] } } }, 'Logistics', ['33']],
		['v1 set as comma list', { [KEYS.propertyType]: '34,35' }, 'Residential, Hotel', ['34', '35']],
		['webhook v2 number', { custom_fields: { [KEYS.propertyCount]: { type: 'double', value: 3 } } }, '3', []],
		['API v2 monetary-like object', { custom_fields: { [KEYS.propertyCount]: { value: 7, currency: 'SEK' } } }, '7', []],
		['webhook null', { custom_fields: { [KEYS.propertyCount]: null } }, null, []],
		['set label given instead of id', { [KEYS.propertyType]: 'Office' }, 'Office', ['31']],
	])('%s', (_case, record, text, ids) => {
		const value = readCustomField(record, Object.keys((record as { custom_fields?: object }).custom_fields ?? record)[0], deal);
		expect(customFieldText(value)).toBe(text);
		expect(value?.optionIds).toEqual(ids);
	});

	it('tells a missing field from a cleared one', () => {
		expect(readCustomField({ custom_fields: {} }, KEYS.propertyCount, deal)).toBeUndefined();
		expect(readCustomField({ custom_fields: { [KEYS.propertyCount]: null } }, KEYS.propertyCount, deal)).toEqual({ value: null, optionIds: [], optionLabels: [] });
	});

	it('resolves names to keys (v1 and v2 shapes) and writes option labels as ids', () => {
		expect(person.resolveKey('investor_strategy')).toBe(KEYS.strategy);
		expect(person.resolveKey('INVESTOR_STRATEGY')).toBe(KEYS.strategy);
		expect(deal.resolveKey('is_portfolio')).toBe(KEYS.isPortfolio);
		expect(deal.resolveKey('unknown_name')).toBe('unknown_name');
		expect(customFieldWriteValue(KEYS.propertyType, ['Office', 'Hotel'], deal)).toEqual({ ok: true, value: [31, 35] });
		expect(customFieldWriteValue(KEYS.propertyType, [], deal)).toEqual({ ok: true, value: null });
		expect(customFieldWriteValue(KEYS.isPortfolio, 'Maybe', deal)).toEqual({ ok: false, reason: expect.stringMatching(/not an option/) });
		expect(customFieldWriteValue(KEYS.propertyCount, '12', deal)).toEqual({ ok: true, value: 12 });
	});

	it('builds per-entity catalogs from keyed or flat definitions', () => {
		expect(buildCatalogs({ dealFields: dealFieldsV2 }, 'contact').deal.size).toBe(4);
		expect(buildCatalogs(personFieldsV1, 'contact').person.size).toBe(6);
		expect(buildCatalogs('', 'contact').person.size).toBe(0);
	});
});

describe('resolveConflicts', () => {
	const base = {
		body: { name: 'A', custom_fields: { k1: 'x', k2: 'y' } },
		fieldPaths: { name: 'contact.name', 'custom_fields.k1': 'contact.strategy', 'custom_fields.k2': 'contact.propstreetId' },
		current: { name: 'B', custom_fields: { k1: 'x', k2: 'z' } },
		sourceSystem: 'propstreet' as const,
		sourceUpdatedAt: '2026-03-01T00:00:00Z',
		targetUpdatedAt: '2026-03-02T00:00:00Z',
	};
	it.each([
		['lastWriteWins', { custom_fields: { k1: 'x' } }, false],
		['manualReview', base.body, true],
	] as const)('%s', (strategy, body, review) => {
		const out = resolveConflicts({ ...base, strategy });
		expect(out.body).toEqual(body);
		expect(out.needsReview).toBe(review);
		expect(out.changedFields).toEqual(['contact.name', 'contact.propstreetId']);
	});
	it('source wins everything when it is newer', () => {
		const out = resolveConflicts({ ...base, strategy: 'manualReview', sourceUpdatedAt: '2026-03-03T00:00:00Z' });
		expect(out.body).toEqual(base.body);
		expect(out.conflicts).toEqual([]);
	});
	it('loose equality: numbers vs numeric text, empty vs null, tag order', () => {
		expect(sameValue(3, '3')).toBe(true);
		expect(sameValue('', null)).toBe(true);
		expect(sameValue(['b', 'a'], ['a', 'b'])).toBe(true);
		expect(sameValue('a ', 'a')).toBe(true);
		expect(sameValue('a', 'b')).toBe(false);
	});
});

describe('the shared Nordic seed maps cleanly', () => {
	const { config, ctx } = setup('contact');
	it.each(persons.map((p, i) => [p.key, p, i] as const))('person %s', (_key, p, i) => {
		const record = {
			id: 1001 + i,
			name: p.name,
			emails: p.emails,
			phones: p.phones,
			label_ids: p.labels.map((l) => ['Investor', 'Broker', 'Lender', 'VIP'].indexOf(l) + 1),
			custom_fields: { [KEYS.strategy]: p.strategy },
		};
		const item = mapRecord(record, 'contact', 'toPropstreet', config, ctx);
		expect(item.body.firstName).toBe(p.firstName);
		expect(item.body.lastName ?? '').toBe(p.lastName);
		expect(item.body.email).toBe(p.emails.find((e) => e.primary)?.value);
		expect(item.body.tags).toEqual(p.labels.map((l) => l.toLowerCase()).sort());
		expect(item.body.strategy).toBe(p.strategy);
	});

	const org = setup('company');
	it.each(firms.map((f, i) => [f.key, f, i] as const))('firm %s', (_key, f, i) => {
		const item = mapRecord({ id: 2001 + i, name: f.name, address: { value: f.addressLocality, country: f.addressCountry }, custom_fields: { [KEYS.orgNumber]: f.orgNumber, [KEYS.domain]: f.domain } }, 'company', 'toPropstreet', org.config, org.ctx);
		expect(item.warnings).toEqual([]);
		expect(item.body.countryCode).toBe(f.countryCode);
		expect(item.match.orgNumber?.namespace).toBe(`orgnr-${f.countryCode.toLowerCase()}`);
		expect(item.match.orgNumber?.formatted.replace(/\D/g, '')).toBe(f.orgNumber?.replace(/\D/g, ''));
	});

	const pr = setup('project');
	it.each(deals.map((d, i) => [d.key, d, i] as const))('deal %s', (_key, d, i) => {
		const item = mapRecord({ id: 3001 + i, title: d.title, status: d.status, stage_id: STAGES.indexOf(d.stage as (typeof STAGES)[number]) + 1 }, 'project', 'toPropstreet', pr.config, pr.ctx);
		expect(item.body.name).toBe(d.title);
		expect(item.body.classification).toBe(d.status === 'open' ? (['Lead In', 'Property Added'].includes(d.stage) ? 'draft' : 'active') : 'inactive');
	});
});
