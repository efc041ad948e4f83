/** Persons / organizations / deals search (v2 and the v1 route n8n uses): fields, exact_match, burst 10 per 2 s. */
import { apiClient } from '../../helpers/httpClient';
import { startPipedriveSimulator, type PipedriveSimulator } from './index';

describe('Pipedrive simulator: search', () => {
	let sim: PipedriveSimulator;
	let call: ReturnType<typeof apiClient>;

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true, clock: { frozen: true } });
		call = apiClient(sim.url);
	});
	afterEach(() => sim.close());

	it('finds a person by exact email, case-insensitively, with emails/phones as plain strings', async () => {
		const res = await call('GET', '/api/v2/persons/search', { query: { term: 'Astrid.Oberg@NORDHAV.example.se', fields: 'email', exact_match: true } });
		expect(res.status).toBe(200);
		expect(res.body.additional_data).toEqual({ next_cursor: null });
		expect(res.body.data.items).toHaveLength(1);
		expect(res.body.data.items[0]).toEqual({
			result_score: 1,
			item: expect.objectContaining({
				id: 1001, type: 'person', name: 'Astrid Öberg', emails: ['astrid.oberg@nordhav.example.se', 'astrid.oberg@gmail.example.com'],
				phones: ['+46 70 123 45 67', '+46 8 555 010 20'], owner: { id: 1 }, organization: { id: 2001, name: 'Nordhav Fastigheter AB', address: 'Stockholm, Sverige' },
				update_time: expect.stringMatching(/Z$/),
			}),
		});
		// A secondary email matches too.
		const secondary = await call('GET', '/api/v2/persons/search', { query: { term: 'astrid.oberg@gmail.example.com', fields: 'email', exact_match: true } });
		expect(secondary.body.data.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([1001]);
	});

	it('exact_match requires the whole value; without it, partial matches are found and scored lower', async () => {
		const exact = await call('GET', '/api/v2/persons/search', { query: { term: 'nordhav.example.se', fields: 'email', exact_match: true } });
		expect(exact.body.data.items).toEqual([]);
		const partial = await call('GET', '/api/v2/persons/search', { query: { term: 'nordhav.example.se', fields: 'email' } });
		expect(partial.body.data.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([1001, 1002, 1015]);
		expect(partial.body.data.items.every((i: { result_score: number }) => i.result_score < 1)).toBe(true);
	});

	it('restricts to the requested fields and searches custom fields and phones', async () => {
		const nameOnly = await call('GET', '/api/v2/persons/search', { query: { term: 'astrid.oberg@nordhav.example.se', fields: 'name' } });
		expect(nameOnly.body.data.items).toEqual([]);
		const custom = await call('GET', '/api/v2/persons/search', { query: { term: '5001', fields: 'custom_fields', exact_match: true } });
		expect(custom.body.data.items.map((i: { item: { id: number; custom_fields: string[] } }) => [i.item.id, i.item.custom_fields])).toEqual([[1001, ['5001']]]);
		const phone = await call('GET', '/api/v2/persons/search', { query: { term: '+46701234567', fields: 'phone', exact_match: true } });
		expect(phone.body.data.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([1001]);
		expect((await call('GET', '/api/v2/persons/search', { query: { term: 'x', fields: 'email' } })).status).toBe(400);
		expect((await call('GET', '/api/v2/persons/search', { query: { term: 'x', fields: 'email', exact_match: true } })).status).toBe(200);
		expect((await call('GET', '/api/v2/persons/search', { query: { term: 'astrid', fields: 'title' } })).status).toBe(400);
		const inOrg = await call('GET', '/api/v2/persons/search', { query: { term: 'example', fields: 'email', organization_id: 2002 } });
		expect(inOrg.body.data.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([1003, 1004]);
	});

	it('finds organizations by domain or org number custom fields and by name', async () => {
		const domain = await call('GET', '/api/v2/organizations/search', { query: { term: 'oresund-ejendomme.example.dk', fields: 'custom_fields', exact_match: true } });
		expect(domain.body.data.items.map((i: { item: { id: number; type: string } }) => [i.item.id, i.item.type])).toEqual([[2003, 'organization']]);
		const orgNr = await call('GET', '/api/v2/organizations/search', { query: { term: '923456783', fields: 'custom_fields', exact_match: true } });
		expect(orgNr.body.data.items[0].item).toMatchObject({ id: 2002, name: 'Fjordkapital AS', address: 'Oslo, Norge' });
		const name = await call('GET', '/api/v2/organizations/search', { query: { term: 'Kapital', fields: 'name' } });
		expect(name.body.data.items.map((i: { item: { name: string } }) => i.item.name).sort()).toEqual(['Fjordkapital AS', 'Göta Kapitalförvaltning AB']);
		const deals = await call('GET', '/api/v2/deals/search', { query: { term: 'Portfolio', status: 'open' } });
		expect(deals.body.data.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([3001, 3005]);
	});

	it('pages search results with a cursor', async () => {
		const first = await call('GET', '/api/v2/persons/search', { query: { term: 'example', fields: 'email', limit: 5 } });
		expect(first.body.data.items).toHaveLength(5);
		const second = await call('GET', '/api/v2/persons/search', { query: { term: 'example', fields: 'email', limit: 5, cursor: first.body.additional_data.next_cursor } });
		const ids = [...first.body.data.items, ...second.body.data.items].map((i: { item: { id: number } }) => i.item.id);
		expect(new Set(ids).size).toBe(10);
	});

	it('serves the v1 search route with offset pagination (as n8n calls it)', async () => {
		const res = await call('GET', '/v1/persons/search', { query: { term: 'example', fields: 'email', exact_match: false, limit: 4, start: 0 } });
		expect(res.body.additional_data.pagination).toEqual({ start: 0, limit: 4, more_items_in_collection: true, next_start: 4 });
		expect(res.body.data.items).toHaveLength(4);
	});

	it('limits search to 10 requests per 2 seconds per token, with its own headers', async () => {
		sim.control.setBurstEnforcement(true);
		const statuses: number[] = [];
		let lastOk: Headers | undefined;
		for (let i = 0; i < 12; i++) {
			const res = await call('GET', '/api/v2/persons/search', { query: { term: 'astrid', fields: 'name' } });
			statuses.push(res.status);
			if (res.status === 200) lastOk = res.headers;
			if (res.status === 429) {
				expect(res.body).toMatchObject({ success: false, errorCode: 429, error: 'Request over limit' });
				expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
				expect(res.headers.get('x-ratelimit-limit')).toBe('10');
			}
		}
		expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
		expect(lastOk!.get('x-ratelimit-limit')).toBe('10');
		expect(lastOk!.get('x-ratelimit-remaining')).toBe('0');
		// Other endpoints are not affected by the search window.
		expect((await call('GET', '/api/v2/persons/1001')).status).toBe(200);
		// The v1 search shares the same window.
		expect((await call('GET', '/v1/persons/search', { query: { term: 'astrid' } })).status).toBe(429);
		sim.control.advanceClock(2001);
		expect((await call('GET', '/api/v2/persons/search', { query: { term: 'astrid', fields: 'name' } })).status).toBe(200);
	});

	it('does not enforce the search burst unless asked to (headers still count down)', async () => {
		const statuses: number[] = [];
		let remaining: string | null = null;
		for (let i = 0; i < 12; i++) {
			const res = await call('GET', '/api/v2/persons/search', { query: { term: 'astrid', fields: 'name' } });
			statuses.push(res.status);
			remaining = res.headers.get('x-ratelimit-remaining');
		}
		expect(statuses.every((s) => s === 200)).toBe(true);
		expect(remaining).toBe('0');
	});
});
