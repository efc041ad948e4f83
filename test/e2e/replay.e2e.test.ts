/**
 * Issue 15, items 5 and 7, in a real n8n 2.x with the packed package:
 * - a signed Propstreet delivery sent three times starts one execution, and still only one after
 *   n8n restarts and the same delivery comes again (the seen-id memory is in the database);
 * - a malformed envelope is refused by the trigger's schema with the field path, no execution.
 */
import * as path from 'path';

import { signWebhook } from '../../nodes/shared/core/webhookSignature';
import { startN8n, type N8nInstance } from '../harness/n8n';
import { packedPackage } from '../harness/pack';
import { startPropstreetSimulator, type PropstreetSimulator } from '../simulators/propstreet';

const TOKEN = 'e2e-replay-token';
const WORKFLOW = 'E2E replay: Propstreet Trigger';
const WEBHOOK_PATH = '0f6c2f6e-2d7b-4b8e-9a51-3c4d5e6f7a81/webhook';

describe('Propstreet Trigger in real n8n: replays and malformed deliveries', () => {
	let n8n: N8nInstance;
	let propstreet: PropstreetSimulator;

	beforeAll(async () => {
		propstreet = await startPropstreetSimulator({ token: TOKEN });
		n8n = await startN8n({
			label: 'n8n-e2e-replay',
			packageTarball: await packedPackage(),
			credentials: [{ id: 'e2ePropstreetCr1', name: 'Propstreet (e2e)', type: 'propstreetApi', data: { accessToken: TOKEN, baseUrl: propstreet.url } }],
			workflowFiles: [path.join(__dirname, 'fixtures', 'replay-propstreet-trigger.json')],
			activate: 'all',
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await propstreet?.close();
	});

	/** The secret Propstreet gave the trigger's subscription (the simulator shows it). */
	function secret(): string {
		const subs = propstreet.control.webhookSubscriptions() as Array<{ url: string; secret: string }>;
		const sub = subs.find((s) => s.url.endsWith(WEBHOOK_PATH));
		if (!sub) throw new Error(`no subscription for ${WEBHOOK_PATH}: ${subs.map((s) => s.url).join(', ')}`);
		return sub.secret;
	}

	/** Sends one signed delivery; a fresh timestamp each time, as Propstreet's retries have. */
	async function deliver(id: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
		const raw = JSON.stringify(body);
		const timestamp = Math.floor(Date.now() / 1000);
		const res = await fetch(n8n.webhookUrl(WEBHOOK_PATH), {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'webhook-id': id,
				'webhook-timestamp': String(timestamp),
				'webhook-signature': signWebhook({ id, timestamp, body: raw, secret: secret() }),
			},
			body: raw,
		});
		const text = await res.text();
		// A delivery that starts a run is answered by n8n itself (onReceived), not always with JSON.
		let json: Record<string, unknown> = { text };
		try {
			json = JSON.parse(text) as Record<string, unknown>;
		} catch {
			/* keep the text */
		}
		return { status: res.status, json };
	}

	async function runs(): Promise<number> {
		const wf = await n8n.workflow(WORKFLOW);
		return (await n8n.executions({ workflowId: wf.id })).length;
	}

	const envelope = {
		type: 'contact.updated',
		timestamp: new Date().toISOString(),
		data: { id: 'c_replay1', firstName: 'Astrid', changeType: 'updated', changeOrigin: 'ui' },
	};

	const REPLAYED = 'msg_replay_0001';

	it('a delivery sent three times within the tolerance starts one execution', async () => {
		const answers = [];
		for (let i = 0; i < 3; i++) answers.push(await deliver(REPLAYED, envelope));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
		expect(answers.slice(1).map((a) => a.json.ignored)).toEqual(['duplicate_delivery', 'duplicate_delivery']);
		const [first] = await n8n.waitForExecutions(WORKFLOW, 1);
		expect(first.status).toBe('success');
		expect(await runs()).toBe(1);
	});

	// The restart empties the trigger's in-process memory: what is left is the static data n8n saved.
	it('after n8n restarts, the same delivery still starts nothing', async () => {
		await n8n.restart();
		const afterRestart = await deliver(REPLAYED, envelope);
		// A new delivery too: proof the trigger is live after the restart, and an event to wait on.
		expect((await deliver('msg_replay_0002', envelope)).status).toBe(200);
		await n8n.waitForExecutions(WORKFLOW, 2);
		expect(afterRestart).toMatchObject({ status: 200, json: { ignored: 'duplicate_delivery' } });
		expect(await runs()).toBe(2);
	});

	it('a malformed envelope is refused with the field path and starts nothing', async () => {
		await n8n.waitForExecutions(WORKFLOW, 1);
		const before = await runs();
		const nested = await deliver('msg_bad_0001', { ...envelope, data: { ...envelope.data, id: { value: 'c1' } } });
		expect(nested.status).toBe(400);
		expect(String(nested.json.message)).toMatch(/data\.id/);
		const missing = await deliver('msg_bad_0002', { type: 'contact.updated', timestamp: envelope.timestamp });
		expect(missing.status).toBe(400);
		expect(String(missing.json.message)).toMatch(/data/);
		// One good delivery after the bad ones: when its run is there, the bad ones would be too.
		expect((await deliver('msg_good_0003', envelope)).status).toBe(200);
		await n8n.waitForExecutions(WORKFLOW, before + 1);
		expect(await runs()).toBe(before + 1);
	});
});
