/** Token budget and costs, burst limits, headers, 429 and the 403 block, injected faults. */
import { apiClient } from '../../helpers/httpClient';
import { startPipedriveSimulator, type PipedriveSimulator } from './index';

describe('Pipedrive simulator: rate limits and faults', () => {
	let sim: PipedriveSimulator;
	let call: ReturnType<typeof apiClient>;

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true, clock: { start: '2026-03-02T10:00:00Z', frozen: true }, oauthTokens: ['oauth-1'] });
		call = apiClient(sim.url);
	});
	afterEach(() => sim.close());

	it('reports the burst window, the daily token budget and the POST/PUT fair-use counter in headers', async () => {
		const first = await call('GET', '/api/v2/persons');
		expect(first.headers.get('x-ratelimit-limit')).toBe('120'); // default plan ultimate, API token
		expect(first.headers.get('x-ratelimit-remaining')).toBe('119');
		expect(first.headers.get('x-ratelimit-reset')).toBe('2');
		expect(first.headers.get('x-daily-ratelimit-token-limit')).toBe(String(30_000 * 7 * 10));
		expect(first.headers.get('x-daily-ratelimit-token-remaining')).toBe(String(30_000 * 7 * 10 - 10));
		expect(first.headers.get('x-daily-requests-left')).toBe('10000');
		const post = await call('POST', '/api/v2/persons', { body: { name: 'Counter Test' } });
		expect(post.headers.get('x-daily-requests-left')).toBe('9999');
		expect(post.headers.get('x-ratelimit-remaining')).toBe('118');
		const oauth = await call('GET', '/api/v2/persons', { auth: 'bearer', token: 'oauth-1' });
		expect(oauth.headers.get('x-ratelimit-limit')).toBe('480');
		expect(oauth.headers.get('x-daily-requests-left')).toBeNull();
	});

	it('charges the documented token cost per endpoint and counts tokens per route', async () => {
		sim.control.resetStats();
		const before = sim.control.tokensUsed();
		await call('GET', '/api/v2/persons'); // 10
		await call('GET', '/api/v2/persons/1001'); // 1
		await call('PATCH', '/api/v2/persons/1001', { body: { job_title: 'X' } }); // 5
		await call('GET', '/api/v2/persons/search', { query: { term: 'astrid' } }); // 20
		await call('GET', '/v1/users/me'); // 2
		await call('GET', '/v1/webhooks'); // 10
		await call('GET', '/v1/notes'); // 20
		await call('POST', '/v1/notes', { body: { content: 'x', deal_id: 3001 } }); // 10
		await call('GET', '/api/v2/stages'); // 5
		await call('DELETE', '/api/v2/persons/1015'); // 3
		expect(sim.control.tokensUsed() - before).toBe(10 + 1 + 5 + 20 + 2 + 10 + 20 + 10 + 5 + 3);
		expect(sim.control.tokensByRoute()).toMatchObject({
			'GET /api/v2/persons': 10, 'GET /api/v2/persons/{id}': 1, 'PATCH /api/v2/persons/{id}': 5, 'GET /api/v2/persons/search': 20, 'GET /v1/users/me': 2,
			'GET /v1/webhooks': 10, 'GET /v1/notes': 20, 'POST /v1/notes': 10, 'GET /api/v2/stages': 5, 'DELETE /api/v2/persons/{id}': 3,
		});
		const stats = sim.control.stats();
		expect(stats.writes).toBe(3);
		expect(stats.byClient['api_token:pipedrive-dev-token']).toMatchObject({ requests: 10, writes: 3, tokens: 86 });
		expect(stats.byRoute['GET /api/v2/persons/{id}'].statuses).toEqual({ 200: 1 });
	});

	it('answers 429 when the daily budget is spent, until the next day', async () => {
		sim.control.setTokenBudget(25, 0);
		expect((await call('GET', '/api/v2/persons')).status).toBe(200); // 10
		expect((await call('GET', '/api/v2/persons')).status).toBe(200); // 20
		const over = await call('GET', '/api/v2/persons'); // would be 30
		expect(over.status).toBe(429);
		expect(over.body).toMatchObject({ success: false, errorCode: 429, error: expect.stringMatching(/budget/i), error_info: expect.any(String) });
		expect(over.headers.get('x-daily-ratelimit-token-remaining')).toBe('5');
		expect((await call('GET', '/api/v2/persons/1001')).status).toBe(200); // 1 token still fits
		sim.control.advanceClock(24 * 3_600_000);
		expect((await call('GET', '/api/v2/persons')).status).toBe(200);
	});

	it('derives the budget from plan and seats', async () => {
		sim.control.setPlan('lite', 2);
		expect(sim.control.dailyBudget()).toBe(60_000);
		const res = await call('GET', '/api/v2/persons/1001');
		expect(res.headers.get('x-ratelimit-limit')).toBe('20');
		sim.control.setPlan('growth', 3);
		expect(sim.control.dailyBudget()).toBe(180_000);
	});

	it('enforces the burst window when asked, then blocks an API-token client that keeps calling with 403 HTML', async () => {
		const limited = await startPipedriveSimulator({ switches: { enforceBurst: true }, rateLimit: { plan: 'lite', blockAfterLimitedRequests: 3, blockDurationMs: 60_000 }, clock: { frozen: true }, oauthTokens: ['oauth-1'] });
		try {
			const c = apiClient(limited.url);
			const statuses: number[] = [];
			for (let i = 0; i < 25; i++) statuses.push((await c('GET', '/api/v2/persons')).status);
			expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
			expect(statuses.slice(20, 23)).toEqual([429, 429, 429]);
			expect(statuses.slice(23)).toEqual([403, 403]);
			const blocked = await c('GET', '/api/v2/persons');
			expect(blocked.headers.get('content-type')).toMatch(/text\/html/);
			expect(blocked.text).toMatch(/<html/i);
			expect(limited.control.isBlocked('pipedrive-dev-token')).toBe(true);
			// OAuth traffic is not blocked, just limited.
			const o: number[] = [];
			for (let i = 0; i < 90; i++) o.push((await c('GET', '/api/v2/persons', { auth: 'bearer', token: 'oauth-1' })).status);
			expect(o.filter((s) => s === 429)).toHaveLength(10);
			expect(o).not.toContain(403);
			limited.control.advanceClock(60_001);
			expect((await c('GET', '/api/v2/persons')).status).toBe(200);
		} finally {
			await limited.close();
		}
	});

	it('injects 429/500/503 for the next N matching requests, and a 403 block', async () => {
		sim.control.failNext({ status: 500, count: 2, route: 'GET /api/v2/persons/{id}' });
		sim.control.failNext({ status: 429, count: 1, method: 'POST' });
		expect((await call('GET', '/api/v2/persons/1001')).status).toBe(500);
		expect((await call('GET', '/api/v2/persons')).status).toBe(200); // other route unaffected
		const second = await call('GET', '/api/v2/persons/1001');
		expect(second.status).toBe(500);
		expect(second.body).toMatchObject({ success: false, error: expect.any(String), data: null });
		expect((await call('GET', '/api/v2/persons/1001')).status).toBe(200);
		const throttled = await call('POST', '/api/v2/persons', { body: { name: 'Later' } });
		expect(throttled.status).toBe(429);
		expect(throttled.body.errorCode).toBe(429);
		expect((await call('POST', '/api/v2/persons', { body: { name: 'Later' } })).status).toBe(200);
		sim.control.failNext({ status: 503, route: /participants/ });
		expect((await call('GET', '/v1/deals/3001/participants')).status).toBe(503);
		sim.control.blockClient('pipedrive-dev-token');
		const blocked = await call('GET', '/api/v2/persons');
		expect(blocked.status).toBe(403);
		expect(blocked.text).toMatch(/<html/i);
		sim.control.unblockClients();
		expect((await call('GET', '/api/v2/persons')).status).toBe(200);
		expect(sim.control.requestLog().filter((e) => e.faulted).map((e) => e.status)).toEqual([500, 500, 429, 503]);
	});

	it('can delay or hang up on a request', async () => {
		sim.control.delayNext(150, { route: 'GET /api/v2/persons/{id}' });
		const started = Date.now();
		expect((await call('GET', '/api/v2/persons/1001')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		sim.control.hangUpNext({ route: 'GET /api/v2/persons/{id}' });
		await expect(call('GET', '/api/v2/persons/1001')).rejects.toThrow();
		expect((await call('GET', '/api/v2/persons/1001')).status).toBe(200);
	});
});
