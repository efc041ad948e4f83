/**
 * The Propstreet node's transport serving the trigger contexts (hook, webhook, poll) and list
 * searches: parameters are read without an item index, the chosen credential is used, non-2xx
 * statuses the trigger asks for come back, and per-call limits hold.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import nock from 'nock';
import { NodeApiError, sleep } from 'n8n-workflow';
import { propstreetRequest, TRIGGER_LIMITS } from '../../../nodes/Propstreet/transport';
import { makeLoadOptionsContext } from '../propstreet/context';
import { hookContext, pollContext, webhookContext, type ContextSetup } from './context';

const BASE = 'http://propstreet.test';
const sleepMock = sleep as unknown as jest.Mock;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => sleepMock.mockReset());
afterEach(() => nock.cleanAll());

const nodeLevelContexts: Array<[string, (setup: ContextSetup) => { getNodeParameter: unknown; helpers: unknown }]> = [
	['hook', (setup) => hookContext({ ...setup, webhookUrl: 'https://n8n.example.com/webhook/x' })],
	['webhook', (setup) => webhookContext({ ...setup, rawBody: Buffer.from(''), headers: {} }).context],
	['poll', (setup) => pollContext(setup)],
];

describe('transport in node-level contexts', () => {
	it.each(nodeLevelContexts)('%s: reads settings as (name, fallback) and uses the OAuth2 credential when chosen', async (_kind, make) => {
		nock(BASE).get('/api/v1/projects').reply(200, { data: [] });
		const context = make({ baseUrl: BASE, parameters: { authentication: 'oAuth2' } });
		const response = await propstreetRequest(context as never, { method: 'GET', path: '/api/v1/projects' });
		expect(response.statusCode).toBe(200);

		const http = (context.helpers as { httpRequestWithAuthentication: jest.Mock }).httpRequestWithAuthentication;
		expect(http).toHaveBeenCalledTimes(1);
		expect(http.mock.calls[0][0]).toBe('propstreetOAuth2Api');
		const paramCalls = (context.getNodeParameter as jest.Mock).mock.calls;
		expect(paramCalls).toContainEqual(['authentication', 'accessToken']);
		expect(paramCalls).toContainEqual(['requestOptions', {}]);
		// No item index in these contexts: the second argument is always the fallback.
		for (const call of paramCalls) expect(typeof call[1]).not.toBe('number');
	});

	it('load options: uses the personal token by default', async () => {
		nock(BASE, { reqheaders: { authorization: 'Bearer lo-token' } }).get('/api/v1/network/contacts').reply(200, { data: [{ id: '1' }] });
		const context = makeLoadOptionsContext(BASE, 'lo-token');
		const response = await propstreetRequest(context, { method: 'GET', path: '/api/v1/network/contacts' });
		expect(response.body).toEqual({ data: [{ id: '1' }] });
		expect((context.helpers.httpRequestWithAuthentication as jest.Mock).mock.calls[0][0]).toBe('propstreetApi');
		expect((context.getNodeParameter as jest.Mock).mock.calls).toContainEqual(['authentication', 'accessToken']);
	});

	it('hands back an accepted 404 and throws other refusals with the operation named', async () => {
		nock(BASE).delete('/api/v1/webhooks/wh_1').reply(404, { title: 'Not Found', status: 404 });
		const context = hookContext({ baseUrl: BASE, webhookUrl: 'https://n8n.example.com/webhook/x' });
		const gone = await propstreetRequest(context, { method: 'DELETE', path: '/api/v1/webhooks/wh_1', acceptStatuses: [404] });
		expect(gone.statusCode).toBe(404);

		nock(BASE).delete('/api/v1/webhooks/wh_2').reply(403, { title: 'Forbidden', status: 403 }, { 'content-type': 'application/problem+json' });
		const error = await propstreetRequest(context, {
			method: 'DELETE',
			path: '/api/v1/webhooks/wh_2',
			acceptStatuses: [404],
			operation: 'Deleting Propstreet webhook wh_2',
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Deleting Propstreet webhook wh_2: Forbidden (403)');
	});

	it('per-call limits: maxAttempts bounds the tries, maxDelayMs caps a server-requested wait', async () => {
		const context = pollContext({ baseUrl: BASE });
		nock(BASE).get('/a').times(TRIGGER_LIMITS.maxAttempts!).reply(503, { title: 'Unavailable', status: 503 });
		await expect(propstreetRequest(context, { method: 'GET', path: '/a', ...TRIGGER_LIMITS })).rejects.toThrow(/Unavailable/);
		expect(sleepMock).toHaveBeenCalledTimes(TRIGGER_LIMITS.maxAttempts! - 1);
		expect(nock.pendingMocks()).toEqual([]);

		sleepMock.mockReset();
		nock(BASE).get('/b').reply(429, { title: 'Too Many Requests', status: 429 }, { 'Retry-After': '90' });
		nock(BASE).get('/b').reply(200, { ok: true });
		const response = await propstreetRequest(context, { method: 'GET', path: '/b', maxAttempts: 2, maxDelayMs: 2000 });
		expect(response.body).toEqual({ ok: true });
		expect(sleepMock).toHaveBeenCalledTimes(1);
		expect(sleepMock.mock.calls[0][0]).toBe(2000);

		sleepMock.mockReset();
		nock(BASE).post('/c').reply(503, '');
		await expect(propstreetRequest(context, { method: 'POST', path: '/c', body: {}, maxAttempts: 1 })).rejects.toThrow(NodeApiError);
		expect(sleepMock).not.toHaveBeenCalled();
	});
});
