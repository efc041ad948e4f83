/**
 * n8n's built-in Pipedrive Trigger (1.1), unchanged, against the simulator: its webhook lifecycle
 * (checkExists / create / delete through /v1/webhooks) and its webhook() handler accepting a real
 * Webhooks v2 delivery with basic auth. The hook context is a small stand-in; HTTP is real.
 */
import { PipedriveTrigger } from 'n8n-nodes-base/dist/nodes/Pipedrive/PipedriveTrigger.node';

import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../../helpers/webhookReceiver';
import { startPipedriveSimulator, type PipedriveSimulator } from './index';

type Params = Record<string, unknown>;

function hookContext(sim: PipedriveSimulator, webhookUrl: string, params: Params, staticData: Record<string, unknown>) {
	const basic = { user: 'n8n-hook', password: 'hook-secret' };
	return {
		getNodeWebhookUrl: () => webhookUrl,
		getNodeParameter: (name: string) => params[name],
		getWorkflowStaticData: () => staticData,
		getNode: () => ({ name: 'Pipedrive Trigger', typeVersion: 1.1, type: 'n8n-nodes-base.pipedriveTrigger', parameters: params }),
		getCredentials: async (type: string) => (type === 'httpBasicAuth' ? basic : { apiToken: sim.token }),
		helpers: {
			// What n8n does for the pipedriveApi credential: the api_token query parameter on the fixed host.
			async requestWithAuthentication(_type: string, options: { method: string; uri: string; qs?: Record<string, string>; body?: unknown }) {
				const url = new URL(options.uri.replace('https://api.pipedrive.com', sim.url));
				for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, v);
				url.searchParams.set('api_token', sim.token);
				const body = options.body === undefined ? undefined : JSON.stringify(options.body);
				const res = await fetch(url, { method: options.method, headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) }, body });
				const json = await res.json();
				if (res.status >= 400) throw Object.assign(new Error(`HTTP ${res.status}`), { response: { status: res.status, body: json } });
				return json;
			},
			returnJsonArray: (data: unknown) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		},
	};
}

describe('n8n Pipedrive Trigger 1.1 against the simulator', () => {
	let sim: PipedriveSimulator;
	let receiver: WebhookReceiver;

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true });
		receiver = await startWebhookReceiver('/webhook/pipedrive-trigger');
	});
	afterEach(async () => {
		await sim.close();
		await receiver.close();
	});

	it('registers, finds, receives (basic auth) and deletes its webhook', async () => {
		const trigger = new PipedriveTrigger();
		const methods = trigger.webhookMethods.default;
		const params: Params = { authentication: 'apiToken', incomingAuthentication: 'basicAuth', action: 'change', entity: 'person' };
		const staticData: Record<string, unknown> = {};
		const ctx = hookContext(sim, receiver.url, params, staticData) as never;

		expect(await methods.checkExists.call(ctx)).toBe(false);
		expect(await methods.create.call(ctx)).toBe(true);
		expect(staticData.webhookId).toEqual(expect.any(Number));
		const registered = sim.control.webhooks()[0];
		expect(registered).toMatchObject({ version: '2.0', event_action: 'change', event_object: 'person', http_auth_user: 'n8n-hook', subscription_url: receiver.url });
		delete staticData.webhookId;
		expect(await methods.checkExists.call(ctx)).toBe(true);
		expect(staticData.webhookId).toBe(registered.id);

		sim.control.updatePerson(1001, { job_title: 'Head of Deals' });
		const [delivery] = await receiver.waitFor(1);

		// The trigger's own webhook() handler accepts the delivery and emits it unchanged.
		const response = { writeHead: jest.fn(), end: jest.fn() };
		const webhookCtx = {
			...(ctx as object),
			getRequestObject: () => ({ headers: delivery.headers, body: delivery.body }) as unknown as ReceivedRequest,
			getResponseObject: () => response,
		};
		const result = await trigger.webhook.call(webhookCtx as never);
		expect(response.writeHead).not.toHaveBeenCalled();
		const item = (result.workflowData as { json: Record<string, any> }[][])[0][0].json;
		expect(item.meta).toMatchObject({ action: 'change', entity: 'person', entity_id: '1001', change_source: 'app' });

		// A delivery with wrong credentials is refused by the trigger.
		const wrong = await trigger.webhook.call({ ...webhookCtx, getRequestObject: () => ({ headers: { authorization: 'Basic ' + Buffer.from('x:y').toString('base64') }, body: {} }) } as never);
		expect(wrong.noWebhookResponse).toBe(true);
		expect(response.writeHead).toHaveBeenCalledWith(403, expect.anything());

		expect(await methods.delete.call(ctx)).toBe(true);
		expect(sim.control.webhooks()).toEqual([]);
		expect(staticData.webhookId).toBeUndefined();
	});
});
