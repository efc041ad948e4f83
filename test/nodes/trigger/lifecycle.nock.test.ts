/** Webhook lifecycle (checkExists / create / delete) against nock-recorded Propstreet answers. */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { PropstreetTrigger } from '../../../nodes/PropstreetTrigger/PropstreetTrigger.node';
import { hookContext, type HttpCall } from './context';

const BASE = 'http://propstreet.test';
const URL = 'https://n8n.example.com/webhook/wf-1/webhook';
const EVENTS = ['contact.updated', 'contact.created'];

function context(staticData: IDataObject, calls: HttpCall[] = [], events = EVENTS) {
	return hookContext({ baseUrl: BASE, webhookUrl: URL, staticData, calls, parameters: { events, options: {} } });
}

const methods = new PropstreetTrigger().webhookMethods.default;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Propstreet Trigger webhook lifecycle (nock)', () => {
	it('checkExists → false on an empty list, create registers and stores id, secret and events', async () => {
		const staticData: IDataObject = {};
		nock(BASE).get('/api/v1/webhooks').reply(200, { data: [], page: { nextCursor: null, hasMore: false, pageSize: 500 } });
		expect(await methods.checkExists.call(context(staticData))).toBe(false);

		let posted: unknown;
		nock(BASE)
			.post('/api/v1/webhooks', (body) => {
				posted = body;
				return true;
			})
			.reply(201, { id: 'wh_1', url: URL, events: EVENTS, secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=' });
		expect(await methods.create.call(context(staticData))).toBe(true);
		expect(posted).toEqual({ url: URL, events: ['contact.created', 'contact.updated'], name: 'n8n Propstreet Trigger' });
		expect(staticData).toEqual({
			webhookId: 'wh_1',
			secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=',
			events: ['contact.created', 'contact.updated'],
		});
	});

	it('checkExists → true for our own subscription, following list pages, deleting nothing', async () => {
		const staticData: IDataObject = { webhookId: 'wh_9', secret: 'whsec_c2VjcmV0', events: EVENTS };
		nock(BASE)
			.get('/api/v1/webhooks')
			.reply(200, { data: [{ id: 'wh_other', url: 'https://elsewhere/x', events: EVENTS }], page: { nextCursor: 'c2', hasMore: true } })
			.get('/api/v1/webhooks')
			.query({ cursor: 'c2' })
			.reply(200, { data: [{ id: 'wh_9', url: URL, events: ['contact.created', 'contact.updated'] }], page: { nextCursor: null, hasMore: false } });
		expect(await methods.checkExists.call(context(staticData))).toBe(true);
		expect(staticData.webhookId).toBe('wh_9');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('deletes a match whose secret is lost and stale subscriptions at our URL, then returns false', async () => {
		const staticData: IDataObject = {};
		nock(BASE)
			.get('/api/v1/webhooks')
			.reply(200, {
				data: [
					{ id: 'wh_a', url: URL, events: EVENTS },
					{ id: 'wh_b', url: URL, events: ['company.created'] },
					{ id: 'wh_c', url: 'https://elsewhere/x', events: EVENTS },
				],
				page: { nextCursor: null, hasMore: false },
			});
		const deleted: string[] = [];
		nock(BASE)
			.delete(/\/api\/v1\/webhooks\/.+/)
			.times(2)
			.reply((uri) => {
				deleted.push(uri.split('/').pop()!);
				return [204];
			});
		expect(await methods.checkExists.call(context(staticData))).toBe(false);
		expect(deleted.sort()).toEqual(['wh_a', 'wh_b']);
	});

	it('delete removes the subscription and clears static data; 404 counts as gone', async () => {
		const staticData: IDataObject = { webhookId: 'wh_1', secret: 'whsec_x', events: EVENTS, seenDeliveryIds: { version: 1, entries: [] } };
		nock(BASE).delete('/api/v1/webhooks/wh_1').reply(404, { title: 'Not Found', status: 404 });
		expect(await methods.delete.call(context(staticData))).toBe(true);
		expect(staticData).toEqual({ seenDeliveryIds: { version: 1, entries: [] } });
	});

	it('delete keeps the id and returns false when Propstreet refuses', async () => {
		const staticData: IDataObject = { webhookId: 'wh_1', secret: 'whsec_x' };
		nock(BASE).delete('/api/v1/webhooks/wh_1').reply(403, { title: 'Forbidden', status: 403 });
		expect(await methods.delete.call(context(staticData))).toBe(false);
		expect(staticData.webhookId).toBe('wh_1');
	});

	it('create fails clearly when Propstreet returns no secret, and when no event is chosen', async () => {
		nock(BASE).post('/api/v1/webhooks').reply(201, { id: 'wh_1' });
		await expect(methods.create.call(context({}))).rejects.toThrow(/no id or secret/);
		await expect(methods.create.call(context({}, [], []))).rejects.toThrow(/at least one event/);
	});

	it('surfaces a problem+json refusal (e.g. a non-HTTPS URL) as an API error', async () => {
		nock(BASE)
			.post('/api/v1/webhooks')
			.reply(400, { title: 'Validation Error', status: 400, errors: { url: ['The URL must use HTTPS.'] } }, { 'content-type': 'application/problem+json' });
		await expect(methods.create.call(context({}))).rejects.toThrow(/Validation Error/);
	});

	it('create tries once (a retried POST could leave two subscriptions) and sends an Idempotency-Key', async () => {
		const calls: HttpCall[] = [];
		nock(BASE).post('/api/v1/webhooks').reply(503, { title: 'Service Unavailable', status: 503 });
		await expect(methods.create.call(context({}, calls))).rejects.toThrow(/Creating the Propstreet webhook: Service Unavailable/);
		expect(calls).toHaveLength(1);
		expect(calls[0].headers['Idempotency-Key']).toMatch(/\S{16,}/);
	});
});
