import { mapRecord } from '../../../nodes/shared/core/mapping';
import { KEYS, pipedriveWebhook, setup } from './fixtures';

const nordhavWebhookData = {
	id: 2001,
	name: 'Nordhav Fastigheter AB',
	address: { value: 'Birger Jarlsgatan 1, Stockholm', locality: 'Stockholm', country: 'Sverige' },
	country_code: null,
	label: null,
	update_time: '2026-03-04T10:00:00Z',
	custom_fields: {
		[KEYS.companyId]: { type: 'varchar', value: '6001' },
		[KEYS.domain]: { type: 'varchar', value: 'https://www.Nordhav.example.se/om-oss' },
		[KEYS.orgNumber]: { type: 'varchar', value: '556123-4567' },
	},
};

describe('organization → company', () => {
	it('maps a Webhooks v2 organization: country name, domain, org number as external ref', () => {
		const { config, ctx } = setup('company');
		const item = mapRecord(pipedriveWebhook('organization', 'change', nordhavWebhookData), 'company', 'toPropstreet', config, ctx);
		expect(item.body).toEqual({
			name: 'Nordhav Fastigheter AB',
			countryCode: 'SE',
			domain: 'nordhav.example.se',
			externalRefs: [{ namespace: 'pipedrive', id: '2001' }, { namespace: 'orgnr-se', id: '5561234567' }],
		});
		expect(item.match).toMatchObject({
			domain: 'nordhav.example.se',
			orgNumber: { country: 'SE', digits: '5561234567', formatted: '556123-4567', namespace: 'orgnr-se' },
			pipedriveId: '2001',
			propstreetId: '6001',
		});
		expect(item.warnings).toEqual([]);
	});

	it.each([
		['organization', 'company', { id: 2001, name: 'Nordhav', custom_fields: { [KEYS.companyId]: '  6001 ' } }],
		['person', 'contact', { id: 1001, name: 'Astrid Öberg', custom_fields: { [KEYS.contactId]: ' 5001\n' } }],
		['deal', 'project', { id: 3001, title: 'Kista', custom_fields: { [KEYS.projectId]: ' 7001 ' } }],
	] as const)('reads the stored Propstreet id of a %s the same way (trimmed) for every entity', (_kind, entity, record) => {
		const { config, ctx } = setup(entity);
		const item = mapRecord(record, entity, 'toPropstreet', config, ctx);
		expect(item.match.propstreetId).toBe(String(record.custom_fields[Object.keys(record.custom_fields)[0] as keyof typeof record.custom_fields]).trim());
		expect(item.match.pipedriveId).toBe(String(record.id));
		expect(item.match.externalIds).toContainEqual({ namespace: 'pipedrive', id: String(record.id) });
	});

	it.each([
		['API v1 flat address and NO VAT form', { id: 2002, name: 'Fjordkapital AS', address_country: 'Norge', [KEYS.orgNumber]: 'NO 923 456 783 MVA', [KEYS.domain]: 'fjordkapital.example.no' }, 'NO', 'orgnr-no', '923456783'],
		['API v2 address object, Danish CVR', { id: 2003, name: 'Øresund Ejendomme A/S', address: { value: 'København', country: 'Danmark' }, custom_fields: { [KEYS.orgNumber]: 'DK31245672' } }, 'DK', 'orgnr-dk', '31245672'],
		['Finnish Y-tunnus with country hint', { id: 2004, name: 'Saimaa Kiinteistöt Oy', address: { value: 'Helsinki', country: 'Suomi' }, custom_fields: { [KEYS.orgNumber]: '23456780' } }, 'FI', 'orgnr-fi', '23456780'],
		['Swedish with century prefix', { id: 2008, name: 'Göta Kapitalförvaltning AB', address: { value: 'Göteborg', country: 'SE' }, custom_fields: { [KEYS.orgNumber]: '16559011-2230' } }, 'SE', 'orgnr-se', '5590112230'],
	])('%s', (_case, record, countryCode, namespace, id) => {
		const { config, ctx } = setup('company');
		const item = mapRecord(record, 'company', 'toPropstreet', config, ctx);
		expect(item.body.countryCode).toBe(countryCode);
		expect(item.body.externalRefs).toContainEqual({ namespace, id });
		expect(item.warnings).toEqual([]);
	});

	it.each([
		['invalid org number', { custom_fields: { [KEYS.orgNumber]: '556123-4568' } }, 'orgNumber', /Swedish organisationsnummer/],
		['org number of the wrong country', { custom_fields: { [KEYS.orgNumber]: '923456783' } }, 'orgNumber', /Swedish/],
		['domain that is not a host name', { custom_fields: { [KEYS.domain]: 'n/a' } }, 'domain', /no dot/],
		['unknown country', { address: { value: 'Atlantis', country: 'Atlantis' } }, 'country', /not a recognised country/],
	])('warns on %s and does not send it', (_case, patch, field, message) => {
		const { config, ctx } = setup('company');
		const item = mapRecord({ ...nordhavWebhookData, ...patch }, 'company', 'toPropstreet', config, ctx);
		expect(item.warnings.find((w) => w.field === field)?.message).toMatch(message);
		if (field === 'orgNumber') {
			expect(item.body.externalRefs).toEqual([{ namespace: 'pipedrive', id: '2001' }]);
			expect(item.match.orgNumber).toBeUndefined();
		}
		if (field === 'domain') expect(item.body).not.toHaveProperty('domain');
		if (field === 'country') expect(item.body).not.toHaveProperty('countryCode');
	});

	it('falls back to the built-in website and uses a custom org-number namespace prefix', () => {
		const { config, ctx } = setup('company', { config: { orgNumberPrefix: 'org-' } });
		const item = mapRecord({ id: 2009, name: 'Lappi Real Estate Oy', website: 'http://www.lappi-re.example.fi/', country_code: 'FI', custom_fields: { [KEYS.orgNumber]: '1987654-7' } }, 'company', 'toPropstreet', config, ctx);
		expect(item.body).toMatchObject({ domain: 'lappi-re.example.fi', countryCode: 'FI' });
		expect(item.body.externalRefs).toContainEqual({ namespace: 'org-fi', id: '19876547' });
	});
});

const company = {
	id: '6005',
	name: 'Mälarstaden Invest AB',
	countryCode: 'SE',
	domain: 'malarstaden.example.se',
	externalRefs: [{ namespace: 'pipedrive', id: '2005' }, { namespace: 'orgnr-se', id: '5567890123' }],
	updatedUtc: '2026-03-06T10:00:00Z',
};

describe('company → organization', () => {
	it('maps name, country, domain, org number and id into a v2 body', () => {
		const { config, ctx } = setup('company', { lookups: {} });
		const item = mapRecord({ ...company, externalRefs: [{ namespace: 'orgnr-se', id: '5567890123' }] }, 'company', 'toPipedrive', config, ctx);
		expect(item.body).toEqual({
			name: 'Mälarstaden Invest AB',
			address: { value: 'Sweden', country: 'Sweden' },
			custom_fields: { [KEYS.domain]: 'malarstaden.example.se', [KEYS.orgNumber]: '556789-0123', [KEYS.companyId]: '6005' },
		});
		expect(item.match.orgNumber).toMatchObject({ country: 'SE', digits: '5567890123' });
	});

	it('keeps the street of the current address and changes only the country', () => {
		const current = { id: 2005, name: 'Mälarstaden Invest AB', address: { value: 'Kopparbergsvägen 10, Västerås', locality: 'Västerås', country: 'Norway' }, update_time: '2026-03-01T00:00:00Z', custom_fields: {} };
		const { config, ctx } = setup('company', { current });
		const item = mapRecord({ type: 'company.updated', timestamp: '2026-03-06T10:00:00Z', data: company }, 'company', 'toPipedrive', config, ctx);
		expect(item.body.address).toEqual({ value: 'Kopparbergsvägen 10, Västerås', locality: 'Västerås', country: 'Sweden' });
		expect(item.match.pipedriveId).toBe('2005');
	});

	it('does not send an address for an update without the current organization', () => {
		const { config, ctx } = setup('company');
		const item = mapRecord(company, 'company', 'toPipedrive', config, ctx);
		expect(item.body).not.toHaveProperty('address');
		expect(item.warnings.find((w) => w.field === 'country')?.message).toMatch(/replace the whole address/);
	});
});
