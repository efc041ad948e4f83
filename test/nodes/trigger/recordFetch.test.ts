/**
 * "Fetch Current Record" against the Propstreet simulator with faults on the record GET: a
 * transient failure is answered 503 + Retry-After with no execution and the delivery id not
 * remembered, so Propstreet's retry of the same delivery gets through; a 404 still means deleted;
 * a credential Propstreet refuses gets a 500 answer naming the problem, never the token.
 */
import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import { forgetProcessDeliveries } from '../../../nodes/PropstreetTrigger/deliveryMemory';
import { PropstreetTrigger } from '../../../nodes/PropstreetTrigger/PropstreetTrigger.node';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { webhookContext } from './context';

const TOKEN = 'propstreet-fetch-test-token';
const KEY = Buffer.from('fedcba9876543210fedcba9876543210');
const SECRET = `whsec_${KEY.toString('base64')}`;
const CONTACT_ROUTE = 'GET /api/v1/network/contacts/{id}';

function signed(body: object, id: string) {
	const rawBody = Buffer.from(JSON.stringify(body));
	const ts = String(Math.floor(Date.now() / 1000));
	const sig = createHmac('sha256', KEY)
		.update(Buffer.concat([Buffer.from(`${id}.${ts}.`), rawBody]))
		.digest('base64');
	return {
		rawBody,
		headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` },
	};
}

// Each case starts from a fresh n8n process: the trigger's in-process memory is emptied.
beforeEach(() => forgetProcessDeliveries());

describe('Propstreet Trigger: reading the current record when Propstreet misbehaves', () => {
	let sim: PropstreetSimulator;
	let contactId: string;

	beforeAll(async () => {
		sim = await startPropstreetSimulator({ token: TOKEN });
	});
	afterAll(() => sim.close());

	beforeEach(() => {
		sim.control.reset();
		contactId = String(sim.control.createContact({ firstName: 'Ingrid', lastName: 'Halvorsen', email: 'ingrid@example.no' }).id);
	});

	function envelope(id = contactId) {
		return {
			type: 'contact.updated',
			timestamp: new Date().toISOString(),
			data: { id, firstName: 'Ingrid (as delivered)', changeType: 'update', changeOrigin: 'ui' },
		};
	}

	async function deliver(deliveryId: string, staticData: IDataObject, options: { token?: string; body?: object } = {}) {
		const { context, response } = webhookContext({
			baseUrl: sim.url,
			token: options.token ?? TOKEN,
			staticData,
			parameters: { events: ['contact.updated'], options: { fetchCurrentRecord: true } },
			...signed(options.body ?? envelope(), deliveryId),
		});
		const result = await new PropstreetTrigger().webhook.call(context);
		return { result, response, context };
	}

	function recordGets(): number {
		return sim.control.countRequests({ method: 'GET', route: CONTACT_ROUTE });
	}

	function freshStaticData(): IDataObject {
		return { webhookId: 'wh_1', secret: SECRET, events: ['contact.updated'] };
	}

	it('answers a 429 that outlasts the budget with 503 + its Retry-After at once, and takes the retry of the same delivery', async () => {
		const staticData = freshStaticData();
		sim.control.injectFaults({ status: 429, count: 5, retryAfterSec: 7, routes: [CONTACT_ROUTE] });
		const first = await deliver('msg_rate', staticData);
		// Waiting 7 s would outlast Propstreet's 10 s answer window, so no retry here: one read only.
		expect(recordGets()).toBe(1);
		expect(first.result).toEqual({ noWebhookResponse: true });
		expect(first.result.workflowData).toBeUndefined();
		expect(first.response.status).toBe(503);
		expect(first.response.headers).toMatchObject({ 'Retry-After': '7', 'Content-Type': 'application/json' });
		expect(JSON.parse(first.response.body!)).toMatchObject({ error: 'propstreet_unavailable', retryAfterSeconds: 7 });
		expect(staticData.seenDeliveryIds).toBeUndefined();

		// Propstreet retries the same delivery (same webhook-id) after the rate limit has cleared.
		sim.control.clearFaults();
		const retry = await deliver('msg_rate', staticData);
		expect(retry.response.status).toBe(200);
		const item = retry.result.workflowData![0][0].json as IDataObject;
		expect(item).toMatchObject({ deliveryId: 'msg_rate', fetched: true, deleted: false, entityId: contactId });
		expect((item.data as IDataObject).firstName).toBe('Ingrid');
	});

	it('retries once within the budget; a 429 that persists is answered 503 with Retry-After', async () => {
		const staticData = freshStaticData();
		sim.control.injectFaults({ status: 429, count: 2, retryAfterSec: 1, routes: [CONTACT_ROUTE] });
		const { result, response } = await deliver('msg_429', staticData);
		expect(recordGets()).toBe(2);
		expect(result.workflowData).toBeUndefined();
		expect(response.status).toBe(503);
		expect(response.headers!['Retry-After']).toBe('1');
		expect(staticData.seenDeliveryIds).toBeUndefined();

		const again = await deliver('msg_429', staticData);
		expect(again.result.workflowData![0]).toHaveLength(1);
		// Now the id is remembered (within this static data object).
		expect(JSON.stringify(staticData.seenDeliveryIds)).toContain('msg_429');
	});

	it('gets through a single 429 blip with the short retry and starts the execution', async () => {
		sim.control.injectFaults({ status: 429, count: 1, retryAfterSec: 1, routes: [CONTACT_ROUTE] });
		const { result, response } = await deliver('msg_blip', freshStaticData());
		expect(recordGets()).toBe(2);
		expect(response.status).toBe(200);
		expect((result.workflowData![0][0].json as IDataObject).fetched).toBe(true);
	});

	it.each([503, 500, 502, 504])('answers a persistent %i with 503 and no execution', async (status) => {
		const staticData = freshStaticData();
		sim.control.injectFaults({ status, count: 2, retryAfterSec: 1, routes: [CONTACT_ROUTE] });
		const { result, response } = await deliver(`msg_${status}`, staticData);
		expect(recordGets()).toBe(2);
		expect(result.workflowData).toBeUndefined();
		expect(response.status).toBe(503);
		// The simulator sends Retry-After only with 503; RateLimit-Reset on a 5xx is no hint.
		expect(response.headers!['Retry-After']).toBe(status === 503 ? '1' : '60');
		expect(JSON.parse(response.body!).message).toContain(String(status));
		expect(staticData.seenDeliveryIds).toBeUndefined();
	});

	it('answers 503 when the connection is dropped, and the retried delivery starts the execution', async () => {
		const staticData = freshStaticData();
		sim.control.injectFaults({ status: 'reset', count: 2, routes: [CONTACT_ROUTE] });
		const first = await deliver('msg_reset', staticData);
		expect(first.result.workflowData).toBeUndefined();
		expect(first.response.status).toBe(503);
		expect(first.response.headers!['Retry-After']).toBe('60');
		expect(JSON.parse(first.response.body!).message).toMatch(/could not be reached/);
		expect(staticData.seenDeliveryIds).toBeUndefined();

		const retry = await deliver('msg_reset', staticData);
		expect((retry.result.workflowData![0][0].json as IDataObject).fetched).toBe(true);
	});

	it('still emits a record that is gone (404) with deleted: true', async () => {
		const staticData = freshStaticData();
		const { result, response } = await deliver('msg_gone', staticData, { body: envelope('999999') });
		expect(response.status).toBe(200);
		expect(result.workflowData![0][0].json).toMatchObject({ entityId: '999999', deleted: true, fetched: false });
		expect(recordGets()).toBe(1);
		expect(JSON.stringify(staticData.seenDeliveryIds)).toContain('msg_gone');
	});

	it('answers 500 naming the problem when Propstreet refuses the credential (401), without the token and without an execution', async () => {
		const staticData = freshStaticData();
		const badToken = 'pat_not-a-valid-token-4711';
		const { result, response, context } = await deliver('msg_401', staticData, { token: badToken });
		expect(recordGets()).toBe(1);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(500);
		const body = JSON.parse(response.body!);
		expect(body).toMatchObject({ error: 'record_fetch_failed', status: 401 });
		expect(body.message).toMatch(/credential/i);
		expect(response.body).not.toContain(badToken);
		expect(JSON.stringify((context.logger.warn as jest.Mock).mock.calls)).not.toContain(badToken);
		expect(staticData.seenDeliveryIds).toBeUndefined();
	});
});
