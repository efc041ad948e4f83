/** Transport details that are easiest to pin down with exact stubbed responses (nock). */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import nock from 'nock';
import { NodeApiError, sleep } from 'n8n-workflow';
import { propstreetRequest } from '../../../nodes/Propstreet/transport';
import { makeContext } from './context';

const BASE = 'http://propstreet.test';
const sleepMock = sleep as unknown as jest.Mock;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => sleepMock.mockReset());
afterEach(() => nock.cleanAll());

const ctx = (params: Record<string, unknown> = {}) => makeContext({ baseUrl: `${BASE}/`, token: 'nock-token', params });

describe('propstreetRequest', () => {
	it('sends Bearer auth, JSON, If-Match, and strips empty query values', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: 'Bearer nock-token', 'if-match': 'W/"5"' } })
			.patch('/api/v1/projects/7', { classification: 'active' })
			.query({ a: '1' })
			.reply(200, { id: '7' }, { ETag: 'W/"6"' });
		const { ctx: c } = ctx();
		const res = await propstreetRequest(c, { method: 'PATCH', path: '/api/v1/projects/7', qs: { a: 1, b: '', c: undefined }, body: { classification: 'active' }, ifMatch: 'W/"5"' });
		expect(res).toMatchObject({ statusCode: 200, body: { id: '7' } });
		expect(res.headers.etag).toBe('W/"6"');
		scope.done();
	});

	it('a per-call timeoutMs shortens the request timeout (never lengthens it)', async () => {
		nock(BASE).get('/slow').delay(800).reply(200, { ok: true });
		// The reply comes after 800 ms: with the node's own timeout it would succeed, so a rejection
		// shows the shorter per-call timeout was applied.
		await expect(propstreetRequest(ctx().ctx, { method: 'GET', path: '/slow', timeoutMs: 200, maxAttempts: 1 })).rejects.toThrow();
		// A longer per-call value does not override the node's own (here 200 ms) timeout.
		nock(BASE).get('/slow2').delay(800).reply(200, { ok: true });
		const short = ctx({ requestOptions: { timeout: 200, maxAttempts: 1 } }).ctx;
		await expect(propstreetRequest(short, { method: 'GET', path: '/slow2', timeoutMs: 10 * 60_000, maxAttempts: 1 })).rejects.toThrow();
	});

	it('holds Max Attempts to 1–12 when an expression gives more (or less)', async () => {
		let calls = 0;
		nock(BASE)
			.persist()
			.get('/busy')
			.reply(() => {
				calls++;
				return [503, { title: 'Unavailable', status: 503 }];
			});
		await expect(propstreetRequest(ctx({ requestOptions: { maxAttempts: 1000 } }).ctx, { method: 'GET', path: '/busy' })).rejects.toThrow();
		expect(calls).toBe(12);
		calls = 0;
		await expect(propstreetRequest(ctx({ requestOptions: { maxAttempts: -5 } }).ctx, { method: 'GET', path: '/busy' })).rejects.toThrow();
		expect(calls).toBe(1);
	});

	it('waits for an HTTP-date Retry-After, then retries', async () => {
		const at = new Date(Date.now() + 30_000).toUTCString();
		nock(BASE).get('/x').reply(429, { title: 'Too Many Requests', status: 429 }, { 'Retry-After': at, 'Content-Type': 'application/problem+json' });
		nock(BASE).get('/x').reply(200, { ok: true });
		const res = await propstreetRequest(ctx().ctx, { method: 'GET', path: '/x' });
		expect(res.body).toEqual({ ok: true });
		expect(sleepMock).toHaveBeenCalledTimes(1);
		expect(sleepMock.mock.calls[0][0]).toBeGreaterThan(28_000);
		expect(sleepMock.mock.calls[0][0]).toBeLessThan(31_000);
	});

	it('pauses before the next call when the window is used up (RateLimit-Remaining: 0)', async () => {
		nock(BASE).get('/a').reply(200, {}, { 'RateLimit-Remaining': '0', 'RateLimit-Reset': '12' });
		nock(BASE).get('/b').reply(200, {});
		const { ctx: c } = ctx();
		await propstreetRequest(c, { method: 'GET', path: '/a' });
		expect(sleepMock).not.toHaveBeenCalled();
		await propstreetRequest(c, { method: 'GET', path: '/b' });
		expect(sleepMock).toHaveBeenCalledTimes(1);
		expect(sleepMock.mock.calls[0][0]).toBeGreaterThan(11_000);
	});

	it('returns accepted statuses instead of throwing, and throws NodeApiError with field errors otherwise', async () => {
		nock(BASE).get('/missing').reply(404, { title: 'Not Found', status: 404 });
		const r = await propstreetRequest(ctx().ctx, { method: 'GET', path: '/missing', acceptStatuses: [404] });
		expect(r.statusCode).toBe(404);
		nock(BASE)
			.post('/api/v1/network/contacts')
			.reply(409, '{"title":"Conflict","status":409,"detail":"External reference in use","errors":{"externalRefs[0]":["pipedrive/1 belongs to contact 5"]}}', { 'Content-Type': 'application/problem+json' });
		const error = await propstreetRequest(ctx().ctx, { method: 'POST', path: '/api/v1/network/contacts', body: {}, itemIndex: 3 }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Conflict (409)');
		expect(error.description).toBe('External reference in use\nexternalRefs[0]: pipedrive/1 belongs to contact 5');
		expect(error.context.itemIndex).toBe(3);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('generates one Idempotency-Key per POST and keeps it across 5xx retries', async () => {
		const keys: string[] = [];
		nock(BASE)
			.post('/p')
			.times(3)
			.reply(function () {
				keys.push(String(this.req.headers['idempotency-key']));
				return keys.length < 3 ? [503, ''] : [201, { id: '1' }];
			});
		await propstreetRequest(ctx().ctx, { method: 'POST', path: '/p', body: {} });
		expect(keys).toHaveLength(3);
		expect(new Set(keys).size).toBe(1);
		nock(BASE).post('/p').reply(function () {
			keys.push(String(this.req.headers['idempotency-key']));
			return [201, {}];
		});
		await propstreetRequest(ctx().ctx, { method: 'POST', path: '/p', body: {} });
		expect(keys[3]).not.toBe(keys[0]);
	});

	it('reads the authentication per item in an execute context', async () => {
		nock(BASE).get('/x').times(2).reply(200, {});
		const { ctx: c, sent } = ctx({ authentication: (itemIndex: number) => (itemIndex === 2 ? 'oAuth2' : 'accessToken') });
		await propstreetRequest(c, { method: 'GET', path: '/x', itemIndex: 2 });
		await propstreetRequest(c, { method: 'GET', path: '/x', itemIndex: 0 });
		expect(sent.map((r) => r.credentialType)).toEqual(['propstreetOAuth2Api', 'propstreetApi']);
		expect((c.getNodeParameter as unknown as jest.Mock).mock.calls).toContainEqual(['authentication', 2, 'accessToken']);
	});
});
