/**
 * The trigger against the Propstreet simulator (real HTTP): webhook lifecycle without duplicate
 * subscriptions, and a real signed delivery captured by a local server and fed into webhook().
 * Drives the simulator only through its public REST API plus start/close.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';
import { forgetProcessDeliveries } from '../../../nodes/PropstreetTrigger/deliveryMemory';
import { PropstreetTrigger } from '../../../nodes/PropstreetTrigger/PropstreetTrigger.node';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { hookContext, webhookContext } from './context';

const TOKEN = 'propstreet-trigger-test-token';

interface Captured {
	headers: http.IncomingHttpHeaders;
	rawBody: Buffer;
}

// Each case starts from a fresh n8n process: the trigger's in-process memory is emptied.
beforeEach(() => forgetProcessDeliveries());

describe('Propstreet Trigger against the Propstreet simulator', () => {
	let sim: PropstreetSimulator;
	let receiver: http.Server;
	let receiverUrl: string;
	const received: Captured[] = [];
	const methods = new PropstreetTrigger().webhookMethods.default;

	beforeAll(async () => {
		sim = await startPropstreetSimulator({ token: TOKEN });
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				received.push({ headers: req.headers, rawBody: Buffer.concat(chunks) });
				res.writeHead(200).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/wf-1/webhook`;
	});

	afterAll(async () => {
		await new Promise<void>((resolve) => receiver.close(() => resolve()));
		await sim.close();
	});

	async function api(method: string, route: string, body?: unknown): Promise<{ status: number; json: IDataObject }> {
		const res = await fetch(`${sim.url}${route}`, {
			method,
			headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		return { status: res.status, json: text ? JSON.parse(text) : {} };
	}

	async function subscriptionsAt(url: string): Promise<IDataObject[]> {
		const { json } = await api('GET', '/api/v1/webhooks');
		const list = (Array.isArray(json) ? json : (json.data as IDataObject[])) ?? [];
		return list.filter((s) => s.url === url);
	}

	function hooks(staticData: IDataObject, events: string[], url = receiverUrl) {
		return hookContext({ baseUrl: sim.url, token: TOKEN, webhookUrl: url, staticData, parameters: { events, options: {} } });
	}

	async function activate(staticData: IDataObject, events: string[], url = receiverUrl): Promise<'kept' | 'created'> {
		if (await methods.checkExists.call(hooks(staticData, events, url))) return 'kept';
		await methods.create.call(hooks(staticData, events, url));
		return 'created';
	}

	it('creates once, keeps the subscription on re-activation, replaces it when events change, deletes it', async () => {
		const url = `${receiverUrl}-lifecycle`;
		const staticData: IDataObject = {};
		expect(await activate(staticData, ['contact.created'], url)).toBe('created');
		expect(staticData.secret).toMatch(/^whsec_/);
		const firstId = staticData.webhookId;
		expect(await subscriptionsAt(url)).toHaveLength(1);

		// Restart / re-activation with the same static data: no second subscription.
		expect(await activate(staticData, ['contact.created'], url)).toBe('kept');
		expect(await activate(staticData, ['contact.created'], url)).toBe('kept');
		expect(await subscriptionsAt(url)).toHaveLength(1);
		expect(staticData.webhookId).toBe(firstId);

		// Events changed: the stale subscription goes, one new one replaces it.
		expect(await activate(staticData, ['contact.created', 'company.updated'], url)).toBe('created');
		const after = await subscriptionsAt(url);
		expect(after).toHaveLength(1);
		expect(after[0].id).not.toBe(firstId);
		expect([...(after[0].events as string[])].sort()).toEqual(['company.updated', 'contact.created']);

		// Secret lost (static data wiped, e.g. re-imported workflow): replaced, still only one.
		const wiped: IDataObject = {};
		expect(await activate(wiped, ['contact.created', 'company.updated'], url)).toBe('created');
		expect(await subscriptionsAt(url)).toHaveLength(1);

		expect(await methods.delete.call(hooks(wiped, ['contact.created', 'company.updated'], url))).toBe(true);
		expect(await subscriptionsAt(url)).toHaveLength(0);
		expect(wiped.webhookId).toBeUndefined();
	});

	it('verifies a real signed delivery from the simulator and emits it; a tampered copy gets 401', async () => {
		const staticData: IDataObject = {};
		await activate(staticData, ['contact.created']);
		const created = await api('POST', '/api/v1/network/contacts', { firstName: 'Åsa', lastName: 'Lindqvist', email: 'asa.lindqvist@example.se' });
		expect(created.status).toBeLessThan(300);

		const deadline = Date.now() + 10_000;
		while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
		expect(received.length).toBeGreaterThan(0);
		const delivery = received[0];

		const { context, response } = webhookContext({
			baseUrl: sim.url,
			token: TOKEN,
			staticData,
			parameters: { events: ['contact.created'], options: {} },
			rawBody: delivery.rawBody,
			headers: delivery.headers,
		});
		const result = await new PropstreetTrigger().webhook.call(context);
		expect(response.status).toBe(200);
		const item = result.workflowData![0][0].json as IDataObject;
		expect(item).toMatchObject({
			event: 'contact.created',
			entity: 'contact',
			entityId: String(created.json.id),
			changeOrigin: 'api',
			deliveryId: delivery.headers['webhook-id'],
		});
		expect((item.data as IDataObject).firstName).toBe('Åsa');

		const tampered = webhookContext({
			baseUrl: sim.url,
			token: TOKEN,
			staticData: { ...staticData, seenDeliveryIds: undefined },
			parameters: { events: ['contact.created'], options: {} },
			rawBody: Buffer.from(delivery.rawBody.toString('utf8').replace('Åsa', 'Eve')),
			headers: delivery.headers,
		});
		const rejected = await new PropstreetTrigger().webhook.call(tampered.context);
		expect(rejected.workflowData).toBeUndefined();
		expect(tampered.response.status).toBe(401);

		await methods.delete.call(hooks(staticData, ['contact.created']));
	});
});
