/** PropstreetTrigger.webhook(): signature gate, dedupe, filters and the emitted item. */
import { createHmac } from 'crypto';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { forgetProcessDeliveries } from '../../../nodes/PropstreetTrigger/deliveryMemory';
import { PropstreetTrigger } from '../../../nodes/PropstreetTrigger/PropstreetTrigger.node';
import { webhookContext } from './context';

const BASE = 'http://propstreet.test';
const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const SECRET = `whsec_${KEY.toString('base64')}`;

function signedRequest(body: object | string, options: { id?: string; ts?: number; secret?: Buffer; test?: boolean } = {}) {
	const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
	const id = options.id ?? 'msg_001';
	const ts = String(options.ts ?? Math.floor(Date.now() / 1000));
	const sig = createHmac('sha256', options.secret ?? KEY)
		.update(Buffer.concat([Buffer.from(`${id}.${ts}.`), raw]))
		.digest('base64');
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'webhook-id': id,
		'webhook-timestamp': ts,
		'webhook-signature': `v1,${sig}`,
	};
	if (options.test) headers['x-propstreet-test'] = 'true';
	return { rawBody: raw, headers };
}

const contactUpdated = {
	type: 'contact.updated',
	timestamp: '2026-05-18T20:22:36.959Z',
	data: { id: '789', firstName: 'Åsa', changeType: 'update', changeOrigin: 'ui', etag: 'W/"1"' },
};

async function deliver(
	request: ReturnType<typeof signedRequest>,
	options: { staticData?: IDataObject; parameters?: IDataObject } = {},
) {
	const staticData = options.staticData ?? { webhookId: 'wh_1', secret: SECRET, events: ['contact.updated'] };
	const { context, response } = webhookContext({
		baseUrl: BASE,
		staticData,
		parameters: { events: ['contact.updated', 'prospect.updated'], options: {}, ...(options.parameters ?? {}) },
		...request,
	});
	const result = await new PropstreetTrigger().webhook.call(context);
	return { result, response, staticData, context };
}

/** The one 401 body the trigger ever sends. */
const INVALID = { error: 'invalid_signature', message: 'invalid signature' };

/** Lines the trigger logged as warnings. */
const warnings = (context: unknown): string[] =>
	((context as { logger: { warn: jest.Mock } }).logger.warn.mock.calls as unknown[][]).map((call) => String(call[0]));

afterEach(() => nock.cleanAll());

// Each case starts from a fresh n8n process: the trigger's in-process memory is emptied.
beforeEach(() => forgetProcessDeliveries());

describe('Propstreet Trigger webhook()', () => {
	it('emits one item for a correctly signed delivery', async () => {
		const { result, response } = await deliver(signedRequest(contactUpdated));
		// The trigger answers 200 itself, before the run (see the node), and hands n8n the item.
		expect(response.status).toBe(200);
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData![0]).toEqual([
			{
				json: {
					event: 'contact.updated',
					entity: 'contact',
					entityId: '789',
					occurredAt: '2026-05-18T20:22:36.959Z',
					changeOrigin: 'ui',
					changeType: 'update',
					action: null,
					deliveryId: 'msg_001',
					isTest: false,
					deleted: false,
					fetched: false,
					data: contactUpdated.data,
				},
			},
		]);
	});

	it('answers 401 and starts nothing when the body was tampered with', async () => {
		const request = signedRequest(contactUpdated);
		request.rawBody = Buffer.from(request.rawBody.toString().replace('Åsa', 'Eve'));
		const { result, response } = await deliver(request);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(401);
		expect(JSON.parse(response.body!)).toEqual(INVALID);
	});

	it('answers 401 for a wrong secret, a stale timestamp and missing headers', async () => {
		const wrong = await deliver(signedRequest(contactUpdated, { secret: Buffer.from('another-key-another-key-another!') }));
		expect(wrong.response.status).toBe(401);
		const stale = await deliver(signedRequest(contactUpdated, { ts: Math.floor(Date.now() / 1000) - 3600 }));
		expect(stale.response.status).toBe(401);
		const request = signedRequest(contactUpdated);
		delete (request.headers as Record<string, string>)['webhook-signature'];
		const missing = await deliver(request);
		// The sender only ever hears "invalid signature"; which check failed goes to the log.
		for (const r of [wrong, stale, missing]) {
			expect(r.result.workflowData).toBeUndefined();
			expect(JSON.parse(r.response.body!)).toEqual(INVALID);
		}
		expect(warnings(stale.context)).toEqual([expect.stringContaining('(timestamp_too_old)')]);
		expect(warnings(missing.context)).toEqual([expect.stringContaining('(missing_signature)')]);
	});

	it('logs a malformed timestamp header without repeating it', async () => {
		const request = signedRequest(contactUpdated);
		const hostile = `1700000000\n[error] forged log line ${'x'.repeat(5000)}`;
		request.headers['webhook-timestamp'] = hostile;
		const { response, context } = await deliver(request);
		expect(response.status).toBe(401);
		expect(JSON.parse(response.body!)).toEqual(INVALID);
		const [line] = warnings(context);
		expect(line).toContain('(invalid_timestamp)');
		expect(line).not.toContain('forged');
		expect(line.length).toBeLessThan(200);
	});

	it('holds the signature tolerance to 10–3600 s, also when an expression gives more', async () => {
		const dayOld = signedRequest(contactUpdated, { ts: Math.floor(Date.now() / 1000) - 86_400 });
		const lax = await deliver(dayOld, { parameters: { options: { toleranceSeconds: 10_000_000 } } });
		expect(lax.response.status).toBe(401);
		expect(warnings(lax.context)).toEqual([expect.stringContaining('at most 3600 s is accepted')]);
		const fiveSecondsOff = signedRequest(contactUpdated, { ts: Math.floor(Date.now() / 1000) - 5 });
		const strict = await deliver(fiveSecondsOff, { parameters: { options: { toleranceSeconds: 0 } } });
		expect(strict.result.workflowData).toHaveLength(1);
	});

	it('answers 401 when no secret is stored', async () => {
		const { result, response } = await deliver(signedRequest(contactUpdated), { staticData: {} });
		expect(result.workflowData).toBeUndefined();
		expect(response.status).toBe(401);
		expect(JSON.parse(response.body!)).toEqual(INVALID);
	});

	it('starts at most one execution per webhook-id and keeps the memory in static data', async () => {
		const staticData: IDataObject = { webhookId: 'wh_1', secret: SECRET };
		const first = await deliver(signedRequest(contactUpdated, { id: 'msg_dup' }), { staticData });
		expect(first.result.workflowData).toHaveLength(1);
		// A retry carries the same id (and a fresh timestamp and signature).
		const again = await deliver(signedRequest(contactUpdated, { id: 'msg_dup', ts: Math.floor(Date.now() / 1000) + 1 }), {
			staticData: JSON.parse(JSON.stringify(staticData)),
		});
		expect(again.result.workflowData).toBeUndefined();
		expect(again.response.status).toBe(200);
		expect(JSON.parse(again.response.body!).ignored).toBe('duplicate_delivery');
		const other = await deliver(signedRequest(contactUpdated, { id: 'msg_other' }), { staticData });
		expect(other.result.workflowData).toHaveLength(1);
	});

	it('drops test deliveries when asked, and passes them otherwise', async () => {
		const dropped = await deliver(signedRequest(contactUpdated, { test: true }), {
			parameters: { options: { dropTestDeliveries: true } },
		});
		expect(dropped.result.workflowData).toBeUndefined();
		expect(dropped.response.status).toBe(200);
		const kept = await deliver(signedRequest({ ...contactUpdated, type: 'company.created' }, { test: true }));
		expect((kept.result.workflowData![0][0].json as IDataObject).isTest).toBe(true);
	});

	it('skips changes from ignored origins and, with "ignore own changes", from the API', async () => {
		const apiChange = { ...contactUpdated, data: { ...contactUpdated.data, changeOrigin: 'api' } };
		const own = await deliver(signedRequest(apiChange), { parameters: { options: { ignoreOwnChanges: true } } });
		expect(own.result.workflowData).toBeUndefined();
		expect(JSON.parse(own.response.body!).ignored).toBe('change_origin');
		const byUi = await deliver(signedRequest(contactUpdated), { parameters: { options: { ignoreOrigins: ['ui'] } } });
		expect(byUi.result.workflowData).toBeUndefined();
		// A new delivery: the same webhook-id would now be a repeat, which starts nothing.
		const kept = await deliver(signedRequest(apiChange, { id: 'msg_002' }), { parameters: { options: { ignoreOrigins: ['ui'] } } });
		expect(kept.result.workflowData).toHaveLength(1);
	});

	it('skips events that are not selected', async () => {
		const { result, response } = await deliver(signedRequest({ ...contactUpdated, type: 'company.updated' }));
		expect(result.workflowData).toBeUndefined();
		expect(JSON.parse(response.body!).ignored).toBe('event_not_selected');
	});

	it('answers 400 for a signed body that is not the expected envelope', async () => {
		const { result, response } = await deliver(signedRequest('not json'));
		expect(result.workflowData).toBeUndefined();
		expect(response.status).toBe(400);
	});

	it('fetches the current record when asked, and marks a record that is gone as deleted', async () => {
		const fresh = { id: '789', firstName: 'Åsa (newer)', etag: 'W/"2"', deletedUtc: null };
		const scope = nock(BASE).get('/api/v1/network/contacts/789').matchHeader('authorization', 'Bearer propstreet-dev-token').reply(200, fresh);
		const { result } = await deliver(signedRequest(contactUpdated), { parameters: { options: { fetchCurrentRecord: true } } });
		const item = result.workflowData![0][0].json as IDataObject;
		expect(item.data).toEqual(fresh);
		expect(item.fetched).toBe(true);
		expect(item.changeOrigin).toBe('ui');
		expect(scope.isDone()).toBe(true);

		nock(BASE).get('/api/v1/projects/123/prospects/456').reply(404, { title: 'Not Found', status: 404 });
		const prospect = {
			type: 'prospect.updated',
			timestamp: '2026-05-18T20:22:36.959Z',
			data: { id: '456', projectId: '123', changeOrigin: 'api' },
			action: { type: 'removed' },
		};
		const gone = await deliver(signedRequest(prospect, { id: 'msg_p' }), { parameters: { options: { fetchCurrentRecord: true } } });
		const goneItem = gone.result.workflowData![0][0].json as IDataObject;
		expect(goneItem).toMatchObject({ entity: 'prospect', deleted: true, fetched: false, action: 'removed' });
	});

	it('answers 503 with Retry-After (no execution, id not remembered) when the record cannot be read', async () => {
		const scope = nock(BASE).get('/api/v1/network/contacts/789').times(2).reply(500, { title: 'Boom', status: 500 });
		const staticData: IDataObject = { webhookId: 'wh_1', secret: SECRET };
		const { result, response } = await deliver(signedRequest(contactUpdated, { id: 'msg_retry' }), {
			staticData,
			parameters: { options: { fetchCurrentRecord: true } },
		});
		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(503);
		expect(response.headers!['Retry-After']).toBe('60');
		expect(staticData.seenDeliveryIds).toBeUndefined();
	});

	it('answers 500 with the problem for a 403 or 400 on the record read, starting nothing', async () => {
		for (const status of [403, 400]) {
			nock(BASE).get('/api/v1/network/contacts/789').reply(status, { title: `Refused ${status}`, status });
			const staticData: IDataObject = { webhookId: 'wh_1', secret: SECRET };
			const { result, response } = await deliver(signedRequest(contactUpdated, { id: `msg_${status}` }), {
				staticData,
				parameters: { options: { fetchCurrentRecord: true } },
			});
			expect(result.workflowData).toBeUndefined();
			expect(response.status).toBe(500);
			expect(JSON.parse(response.body!)).toMatchObject({ error: 'record_fetch_failed', status });
			expect(JSON.parse(response.body!).message).toContain(`Refused ${status}`);
			expect(staticData.seenDeliveryIds).toBeUndefined();
		}
	});
});
