/** Field definitions: seeded custom fields, create/list in v1 and v2, 40-hex keys, enum/set options. */
import { createHash } from 'crypto';

import { apiClient } from '../../helpers/httpClient';
import { SEEDED_CUSTOM_FIELDS, startPipedriveSimulator, type PipedriveSimulator } from './index';

describe('Pipedrive simulator: fields', () => {
	let sim: PipedriveSimulator;
	let call: ReturnType<typeof apiClient>;

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true });
		call = apiClient(sim.url);
	});
	afterEach(() => sim.close());

	it('seeds the integration fields with deterministic keys (sha1 of the name) and options', async () => {
		const v2 = await call('GET', '/api/v2/personFields');
		const custom = v2.body.data.filter((f: { is_custom_field: boolean }) => f.is_custom_field);
		expect(custom.map((f: { field_name: string; field_type: string }) => [f.field_name, f.field_type])).toEqual([
			['propstreet_contact_id', 'varchar'], ['investor_strategy', 'text'], ['classification', 'enum'],
		]);
		for (const f of custom) expect(f.field_code).toBe(createHash('sha1').update(f.field_name).digest('hex'));
		const classification = custom.find((f: { field_name: string }) => f.field_name === 'classification');
		expect(classification.options.map((o: { label: string }) => o.label)).toEqual(['Not contacted', 'Contacted', 'Interested', 'Not interested', 'Bidder']);
		expect(classification.options.every((o: { id: unknown }) => Number.isInteger(o.id))).toBe(true);
		const labels = v2.body.data.find((f: { field_code: string }) => f.field_code === 'label_ids');
		expect(labels.options.map((o: { label: string }) => o.label)).toEqual(['Investor', 'Broker', 'Lender', 'VIP']);

		const deal = await call('GET', '/v1/dealFields');
		const byName = Object.fromEntries(deal.body.data.filter((f: { edit_flag: boolean }) => f.edit_flag).map((f: { name: string }) => [f.name, f]));
		expect(Object.keys(byName)).toEqual(['propstreet_project_id', 'is_portfolio', 'property_count', 'property_type']);
		expect(byName.property_type).toMatchObject({ field_type: 'set', key: expect.stringMatching(/^[0-9a-f]{40}$/), id: expect.any(Number), active_flag: true });
		expect(byName.property_type.options.map((o: { label: string }) => o.label)).toEqual(['Office', 'Retail', 'Logistics', 'Residential', 'Hotel', 'Industrial']);
		expect(byName.is_portfolio.options.map((o: { label: string }) => o.label)).toEqual(['Yes', 'No']);
		expect(deal.body.additional_data.pagination).toMatchObject({ start: 0, more_items_in_collection: false });
		const org = await call('GET', '/api/v2/organizationFields');
		expect(org.body.data.filter((f: { is_custom_field: boolean }) => f.is_custom_field).map((f: { field_name: string }) => f.field_name)).toEqual(['propstreet_company_id', 'domain', 'org_number']);
		expect(SEEDED_CUSTOM_FIELDS).toHaveLength(10);
	});

	it('creates fields through v1 and v2 with fresh 40-hex keys, and uses them on records', async () => {
		const v1 = await call('POST', '/v1/personFields', { body: { name: 'Tier', field_type: 'enum', options: [{ label: 'A' }, { label: 'B' }] } });
		expect(v1.status).toBe(200);
		expect(v1.body.data).toMatchObject({ name: 'Tier', field_type: 'enum', edit_flag: true, key: expect.stringMatching(/^[0-9a-f]{40}$/) });
		const v2 = await call('POST', '/api/v2/dealFields', { body: { field_name: 'Yield', field_type: 'double' } });
		expect(v2.body.data).toMatchObject({ field_name: 'Yield', field_type: 'double', is_custom_field: true, field_code: expect.stringMatching(/^[0-9a-f]{40}$/) });
		// Names are not unique; keys are.
		const again = await call('POST', '/api/v2/dealFields', { body: { field_name: 'Yield', field_type: 'double' } });
		expect(again.body.data.field_code).not.toBe(v2.body.data.field_code);

		const optionB = v1.body.data.options.find((o: { label: string }) => o.label === 'B').id;
		const person = await call('PATCH', '/api/v2/persons/1001', { body: { custom_fields: { [v1.body.data.key]: optionB } } });
		expect(person.body.data.custom_fields[v1.body.data.key]).toBe(optionB);
		const legacy = await call('GET', '/v1/persons/1001');
		expect(legacy.body.data[v1.body.data.key]).toBe(String(optionB));
		const deal = await call('PATCH', '/api/v2/deals/3001', { body: { custom_fields: { [v2.body.data.field_code]: 5.25 } } });
		expect(deal.body.data.custom_fields[v2.body.data.field_code]).toBe(5.25);

		expect((await call('POST', '/api/v2/personFields', { body: { field_name: 'X', field_type: 'set' } })).status).toBe(400);
		expect((await call('POST', '/api/v2/personFields', { body: { field_name: 'X', field_type: 'bogus' } })).status).toBe(400);
		expect((await call('POST', '/v1/personFields', { body: { field_type: 'varchar' } })).status).toBe(400);
	});

	it('adds options (v1 PUT with all options, v2 options POST) and deletes fields', async () => {
		const tier = (await call('POST', '/v1/personFields', { body: { name: 'Tier', field_type: 'set', options: [{ label: 'A' }, { label: 'B' }] } })).body.data;
		const put = await call('PUT', `/v1/personFields/${tier.id}`, { body: { options: [{ id: tier.options[0].id, label: 'A+' }, { label: 'C' }] } });
		expect(put.body.data.options.map((o: { label: string }) => o.label)).toEqual(['A+', 'C']);
		const added = await call('POST', `/api/v2/personFields/${tier.key}/options`, { body: [{ label: 'D' }] });
		expect(added.body.data.map((o: { label: string }) => o.label)).toEqual(['D']);
		expect((await call('GET', `/api/v2/personFields/${tier.key}`)).body.data.options).toHaveLength(3);
		expect((await call('DELETE', `/v1/personFields/${tier.id}`)).body).toEqual({ success: true, data: { id: tier.id } });
		expect((await call('GET', `/api/v2/personFields/${tier.key}`)).status).toBe(404);
		expect((await call('DELETE', '/api/v2/personFields/name')).status).toBe(400);
	});

	it('stores every custom field type in v2 form and validates it', async () => {
		const types: [string, unknown, unknown?][] = [
			['monetary', { value: 100, currency: 'EUR' }],
			['date', '2026-05-01'],
			['daterange', { value: '2026-05-01', until: '2026-05-31' }],
			['time', { value: '09:30:00', timezone_name: 'Europe/Oslo' }, { value: '09:30:00', timezone_id: 310, timezone_name: 'Europe/Oslo' }],
			['address', { value: 'Storgata 1, Oslo' }],
			['people', 1003],
			['org', 2002],
			['user', 2],
		];
		for (const [type, value, expected] of types) {
			const field = (await call('POST', '/api/v2/personFields', { body: { field_name: `f-${type}`, field_type: type } })).body.data;
			const res = await call('PATCH', '/api/v2/persons/1002', { body: { custom_fields: { [field.field_code]: value } } });
			expect(res.status).toBe(200);
			const stored = res.body.data.custom_fields[field.field_code];
			if (type === 'address') expect(stored).toMatchObject({ value: 'Storgata 1, Oslo', locality: null, country: null });
			else expect(stored).toEqual(expected ?? value);
			const bad = await call('PATCH', '/api/v2/persons/1002', { body: { custom_fields: { [field.field_code]: 'nonsense' } } });
			expect(bad.status).toBe(400);
			const cleared = await call('PATCH', '/api/v2/persons/1002', { body: { custom_fields: { [field.field_code]: null } } });
			expect(cleared.body.data.custom_fields[field.field_code]).toBeNull();
		}
	});
});
