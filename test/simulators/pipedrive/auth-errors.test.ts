/** Authentication (header, legacy query, OAuth bearer), the 401 shape and Pipedrive's error envelope. */
import { apiClient } from '../../helpers/httpClient';
import { startPipedriveSimulator, type PipedriveSimulator } from './index';

describe('Pipedrive simulator: auth and errors', () => {
	let sim: PipedriveSimulator;
	let call: ReturnType<typeof apiClient>;

	beforeAll(async () => {
		sim = await startPipedriveSimulator({ seed: true, token: 'tok-main', extraTokens: ['tok-second'], oauthTokens: ['oauth-access-1'] });
		call = apiClient(sim.url, 'tok-main');
	});
	afterAll(() => sim.close());

	it('accepts the x-api-token header, the api_token query parameter and an OAuth bearer token', async () => {
		expect((await call('GET', '/api/v2/persons/1001', { auth: 'header' })).status).toBe(200);
		expect((await call('GET', '/api/v2/persons/1001', { auth: 'query' })).status).toBe(200);
		expect((await call('GET', '/api/v2/persons/1001', { auth: 'bearer', token: 'oauth-access-1' })).status).toBe(200);
		expect((await call('GET', '/api/v2/persons/1001', { token: 'tok-second' })).status).toBe(200);
	});

	it('answers 401 with the gateway header and errorCode body for a missing or wrong token', async () => {
		for (const res of [
			await call('GET', '/api/v2/persons', { token: null }),
			await call('GET', '/api/v2/persons', { token: 'nope' }),
			// An API token is not an OAuth access token.
			await call('GET', '/api/v2/persons', { token: 'tok-main', auth: 'bearer' }),
		]) {
			expect(res.status).toBe(401);
			expect(res.headers.get('x-401-by-gw')).toBe('true');
			expect(res.body).toEqual({ success: false, error: 'unauthorized access', errorCode: 401, error_info: 'Please check developers.pipedrive.com' });
		}
	});

	it('can refuse the legacy query parameter when switched off', async () => {
		const strict = await startPipedriveSimulator({ switches: { acceptQueryToken: false } });
		try {
			const res = await apiClient(strict.url)('GET', '/api/v2/persons', { auth: 'query' });
			expect(res.status).toBe(401);
			expect((await apiClient(strict.url)('GET', '/api/v2/persons')).status).toBe(200);
		} finally {
			await strict.close();
		}
	});

	it('counts requests per client', async () => {
		sim.control.resetStats();
		await call('GET', '/api/v2/persons/1001');
		await call('GET', '/api/v2/persons/1001', { token: 'tok-second' });
		await call('GET', '/api/v2/persons/1001', { token: 'tok-second' });
		const byClient = sim.control.stats().byClient;
		expect(byClient['api_token:tok-main'].requests).toBe(1);
		expect(byClient['api_token:tok-second'].requests).toBe(2);
	});

	it('uses the error envelope for 404, 400 and 405, and sends x-correlation-id', async () => {
		const missing = await call('GET', '/api/v2/persons/999999');
		expect(missing.status).toBe(404);
		expect(missing.body).toEqual({ success: false, error: 'Person not found', error_info: 'Please check developers.pipedrive.com', data: null, additional_data: null });
		expect(missing.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);

		const invalid = await call('POST', '/api/v2/persons', { body: { name: 'X', org_id: '2001' } });
		expect(invalid.status).toBe(400);
		expect(invalid.body).toMatchObject({ success: false, error: expect.stringContaining('org_id'), data: null, additional_data: null });

		const wrongMethod = await call('PUT', '/api/v2/persons/1001', { body: { name: 'X' } });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.body.success).toBe(false);

		const unknown = await call('GET', '/api/v2/nothing-here');
		expect(unknown.status).toBe(404);
		expect(unknown.body.success).toBe(false);

		const badJson = await call('POST', '/api/v2/persons', { rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
		expect(badJson.status).toBe(400);
		expect(badJson.body.error).toMatch(/Invalid JSON/);
	});

	it('validates v2 bodies strictly (no coercion of strings or 0/1)', async () => {
		const cases: [Record<string, unknown>, RegExp][] = [
			[{ name: 'A', visible_to: '3' }, /visible_to/],
			[{ name: 'A', emails: [{ value: 'a@x', primary: 1 }] }, /primary/],
			[{ name: 'A', emails: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: true }] }, /Only one/],
			[{ name: 'A', label_ids: [999] }, /Label 999/],
			[{ name: 'A', custom_fields: { ['f'.repeat(40)]: 'x' } }, /does not exist/],
			[{ name: 'A', custom_fields: { [sim.control.fieldKey('person', 'classification')]: 'Interested' } }, /option id/],
			[{}, /name/],
		];
		for (const [body, message] of cases) {
			const res = await call('POST', '/api/v2/persons', { body });
			expect(res.status).toBe(400);
			expect(res.body.error).toMatch(message);
		}
		const badDeal = await call('POST', '/api/v2/deals', { body: { title: 'T', value: '100' } });
		expect(badDeal.status).toBe(400);
		const lostReason = await call('POST', '/api/v2/deals', { body: { title: 'T', lost_reason: 'price' } });
		expect(lostReason.status).toBe(400);
		expect(lostReason.body.error).toMatch(/lost_reason/);
	});

	it('names the offending field_code in custom field validation errors', async () => {
		const key = sim.control.fieldKey('deal', 'property_count');
		const res = await call('PATCH', '/api/v2/deals/3001', { body: { custom_fields: { [key]: '3' } } });
		expect(res.status).toBe(400);
		expect(res.body.field_code).toBe(key);
		const emptySet = await call('PATCH', '/api/v2/deals/3001', { body: { custom_fields: { [sim.control.fieldKey('deal', 'property_type')]: [] } } });
		expect(emptySet.status).toBe(400);
		expect(emptySet.body.error).toMatch(/null, not \[\]/);
	});

	it('serves /v1 and its /api/v1 alias', async () => {
		const a = await call('GET', '/v1/users/me');
		const b = await call('GET', '/api/v1/users/me');
		expect(a.status).toBe(200);
		expect(b.body).toEqual(a.body);
		expect(a.body.data).toMatchObject({ id: 1, company_domain: 'propstreet-sim', is_you: true });
		expect(sim.control.requestsByRoute()['GET /v1/users/me']).toBeGreaterThanOrEqual(2);
	});
});
