/** Transport details easiest to pin down with exact stubbed answers (nock): headers, redirects, Retry-After. */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import nock from 'nock';
import { NodeApiError, sleep } from 'n8n-workflow';
import { createPerson, getPerson, lastRateLimit, pipedriveRequest } from '../../../nodes/shared/pipedrive';
import { makePipedriveContext } from './context';

const BASE = 'http://pipedrive.test';
const OTHER = 'http://elsewhere.test';
const TOKEN = 'nock-pipedrive-token';
const sleepMock = sleep as unknown as jest.Mock;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => sleepMock.mockReset());
afterEach(() => nock.cleanAll());

const context = () => makePipedriveContext({ baseUrl: `${BASE}/`, token: TOKEN });
const person = { success: true, data: { id: 7, name: 'Ada' } };

describe('pipedriveRequest (nock)', () => {
	it('sends the token only as the x-api-token header: no Authorization, no api_token query', async () => {
		const scope = nock(BASE, { reqheaders: { 'x-api-token': TOKEN, accept: /application\/json/ }, badheaders: ['authorization'] })
			.get('/api/v2/persons/7')
			.query((q) => !('api_token' in q))
			.reply(200, person);
		expect(await getPerson(context().ctx, 7)).toEqual({ id: 7, name: 'Ada' });
		scope.done();
	});

	it('drops empty query values and sends JSON bodies', async () => {
		const scope = nock(BASE).patch('/api/v2/deals/3', { title: 'T' }).query({ a: '1' }).reply(200, { success: true, data: { id: 3 } });
		const res = await pipedriveRequest(context().ctx, { method: 'PATCH', path: '/api/v2/deals/3', qs: { a: 1, b: '', c: undefined, d: null }, body: { title: 'T' } });
		expect(res).toMatchObject({ status: 200, body: { data: { id: 3 } } });
		scope.done();
	});

	it('does not follow a cross-host redirect, so the token never reaches the other host', async () => {
		nock(BASE).get('/api/v2/persons/7').reply(302, '', { Location: `${OTHER}/steal` });
		const other = nock(OTHER).get('/steal').reply(200, person);
		const error = await getPerson(context().ctx, 7).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			`Reading Pipedrive person 7: Pipedrive answered with a redirect (302) to ${OTHER}/steal; not followed, so the API token stays with Pipedrive`,
		);
		expect(other.isDone()).toBe(false);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('waits for Retry-After on a 429 (over the burst reset), then retries', async () => {
		nock(BASE).get('/api/v2/persons/7').reply(429, { success: false, error: 'Request over limit', errorCode: 429 }, { 'Retry-After': '7', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' });
		nock(BASE).get('/api/v2/persons/7').reply(200, person);
		expect(await getPerson(context().ctx, 7)).toMatchObject({ id: 7 });
		expect(sleepMock).toHaveBeenCalledTimes(1);
		expect(sleepMock.mock.calls[0][0]).toBeGreaterThanOrEqual(7000);
		expect(sleepMock.mock.calls[0][0]).toBeLessThanOrEqual(7500);
	});

	it('retries a 429 for a POST too (a refused request did not run), and gives up after maxAttempts', async () => {
		nock(BASE).post('/api/v2/persons').reply(429, { success: false, error: 'Request over limit' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
		nock(BASE).post('/api/v2/persons').reply(200, person);
		expect(await createPerson(context().ctx, { name: 'Ada' })).toMatchObject({ id: 7 });
		nock(BASE).get('/api/v2/persons/8').times(3).reply(503, { success: false, error: 'Service temporarily unavailable' });
		const error = await pipedriveRequest(context().ctx, { method: 'GET', path: '/api/v2/persons/8', maxAttempts: 3, operation: 'Reading person 8' }).catch((e) => e);
		expect(error.message).toBe('Reading person 8: Service temporarily unavailable (503)');
		expect(nock.isDone()).toBe(true);
	});

	it('does not replay a POST that timed out', async () => {
		const scope = nock(BASE).post('/api/v2/persons').delay(300).reply(200, person);
		const error = await pipedriveRequest(context().ctx, { method: 'POST', path: '/api/v2/persons', body: { name: 'Ada' }, timeoutMs: 50 }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Pipedrive POST \/api\/v2\/persons: the request failed in transit/);
		expect(sleepMock).not.toHaveBeenCalled();
		scope.done();
	});

	it('treats `success: false` in a 200 as an error, and hands back accepted statuses', async () => {
		nock(BASE).get('/v1/notes/5').reply(200, { success: false, error: 'Something odd', error_info: 'details' });
		const error = await pipedriveRequest(context().ctx, { method: 'GET', path: '/v1/notes/5', operation: 'Reading note 5', itemIndex: 2 }).catch((e) => e);
		expect(error.message).toBe('Reading note 5: Something odd (200)');
		expect(error.description).toBe('details');
		expect(error.context.itemIndex).toBe(2);
		nock(BASE).delete('/api/v2/persons/9').reply(404, { success: false, error: 'Person not found' });
		const gone = await pipedriveRequest(context().ctx, { method: 'DELETE', path: '/api/v2/persons/9', acceptStatuses: [404] });
		expect(gone.status).toBe(404);
	});

	it('pauses before the next call when the burst window is used up', async () => {
		nock(BASE).get('/api/v2/persons/7').reply(200, person, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2', 'x-daily-ratelimit-token-remaining': '100' });
		nock(BASE).get('/api/v2/persons/7').reply(200, person);
		const { ctx } = context();
		await getPerson(ctx, 7);
		expect(sleepMock).not.toHaveBeenCalled();
		expect(lastRateLimit(ctx)).toMatchObject({ burstRemaining: 0, dailyTokensRemaining: 100 });
		await getPerson(ctx, 7);
		expect(sleepMock).toHaveBeenCalledTimes(1);
		expect(sleepMock.mock.calls[0][0]).toBeGreaterThan(0);
		expect(sleepMock.mock.calls[0][0]).toBeLessThanOrEqual(2000);
	});
});
