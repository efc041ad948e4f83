import { createHmac, timingSafeEqual } from 'crypto';
import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call, startReceiver, type ReceivedWebhook, type Receiver } from './testkit';

/** An independent Standard Webhooks verifier (does not use the simulator's signing code). */
function verify(msg: ReceivedWebhook, secret: string): boolean {
	const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
	const id = String(msg.headers['webhook-id']);
	const ts = String(msg.headers['webhook-timestamp']);
	const expected = createHmac('sha256', key).update(`${id}.${ts}.${msg.raw}`).digest();
	return String(msg.headers['webhook-signature'])
		.split(' ')
		.some((part) => {
			const [version, sig] = part.split(',');
			const given = Buffer.from(sig ?? '', 'base64');
			return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
		});
}

describe('Propstreet simulator: webhooks', () => {
	let sim: PropstreetSimulator;
	let receiver: Receiver;
	beforeEach(async () => {
		// A frozen clock: retries move only when the test moves time.
		sim = await startPropstreetSimulator({ webhookRetryDelaysMs: [0, 1000, 5000, 30_000], webhookTimeoutMs: 100, clock: { frozen: true } });
		receiver = await startReceiver();
	});
	afterEach(async () => {
		await sim.close();
		await receiver.close();
	});

	async function subscribe(events: string[] = ['contact.created', 'contact.updated', 'contact.deleted']) {
		const res = await call(sim, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events, name: 'CRM sync' } });
		expect(res.status).toBe(201);
		return res.body as { id: string; secret: string };
	}

	it('returns the whsec_ secret once, on creation only', async () => {
		const sub = await subscribe();
		expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
		const got = await call(sim, 'GET', `/api/v1/webhooks/${sub.id}`);
		expect(got.body).toMatchObject({ id: sub.id, url: receiver.url, enabled: true, events: ['contact.created', 'contact.updated', 'contact.deleted'] });
		expect(got.body.secret).toBeUndefined();
		const list = await call(sim, 'GET', '/api/v1/webhooks');
		expect(list.body.data).toHaveLength(1);
		expect(list.body.data[0].secret).toBeUndefined();
		expect((await call(sim, 'DELETE', `/api/v1/webhooks/${sub.id}`)).status).toBe(204);
		expect((await call(sim, 'GET', `/api/v1/webhooks/${sub.id}`)).status).toBe(404);
	});

	it('validates the URL (HTTPS or loopback http) and the 15 event names', async () => {
		const plain = await call(sim, 'POST', '/api/v1/webhooks', { body: { url: 'http://hooks.example.com/x', events: ['contact.created'] } });
		expect(plain.status).toBe(400);
		expect(plain.body.errors.url[0]).toMatch(/HTTPS/);
		expect((await call(sim, 'POST', '/api/v1/webhooks', { body: { url: 'https://hooks.example.com/x', events: ['contact.created'] } })).status).toBe(201);
		const badEvent = await call(sim, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['contact.*'] } });
		expect(badEvent.status).toBe(400);
		expect(badEvent.body.errors.events).toBeDefined();
		const all = ['contact', 'company', 'link', 'project', 'prospect'].flatMap((r) => ['created', 'updated', 'deleted'].map((a) => `${r}.${a}`));
		expect((await call(sim, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: all } })).status).toBe(201);
		const strict = await startPropstreetSimulator({ allowHttpLoopback: false });
		try {
			expect((await call(strict, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['contact.created'] } })).status).toBe(400);
		} finally {
			await strict.close();
		}
	});

	it('delivers signed {type, timestamp, data} envelopes asynchronously, with API and UI origins', async () => {
		const sub = await subscribe();
		receiver.delayMs = 80; // under the suite's 100 ms delivery timeout
		const created = await call(sim, 'POST', '/api/v1/network/contacts', { body: { firstName: 'Sigrid', lastName: 'Hågensen' } });
		// The API answered before the (slow) subscriber did: its delivery is not settled yet.
		expect(sim.control.deliveries(sub.id).map((d: { status: string }) => d.status)).not.toContain('delivered');
		sim.control.updateContact(created.body.id, { strategy: 'Retail parks, Vestland' });
		await sim.control.flushWebhooks();
		expect(receiver.received).toHaveLength(2);
		for (const msg of receiver.received) {
			expect(verify(msg, sub.secret)).toBe(true);
			expect(msg.headers['webhook-id']).toMatch(/^msg_/);
			expect(Number(msg.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -1);
			expect(msg.headers['content-type']).toBe('application/json');
			expect(msg.headers['x-propstreet-test']).toBeUndefined();
			expect(Object.keys(msg.body).sort()).toEqual(['data', 'timestamp', 'type']);
		}
		const [first, second] = receiver.received.map((r) => r.body);
		expect(first).toMatchObject({ type: 'contact.created', data: { id: created.body.id, lastName: 'Hågensen', changeType: 'create', changeOrigin: 'api' } });
		expect(second).toMatchObject({ type: 'contact.updated', data: { strategy: 'Retail parks, Vestland', changeType: 'update', changeOrigin: 'ui' } });
		// A tampered body fails the independent check.
		expect(verify({ ...receiver.received[0], raw: receiver.received[0].raw.replace('Sigrid', 'Sigurd') }, sub.secret)).toBe(false);
		const deliveries = await call(sim, 'GET', `/api/v1/webhooks/${sub.id}/deliveries`);
		expect(deliveries.body.data.map((d: any) => [d.eventType, d.status, d.attemptCount, d.lastStatusCode])).toEqual([
			['contact.updated', 'delivered', 1, 200],
			['contact.created', 'delivered', 1, 200],
		]);
		expect(deliveries.body.data[0]).toEqual(expect.objectContaining({ eventId: receiver.received[1].headers['webhook-id'], deliveredUtc: expect.any(String), lastDurationMs: expect.any(Number), lastError: null }));
	});

	it('only sends the events a subscription asked for', async () => {
		await subscribe(['company.created']);
		sim.control.createContact({ firstName: 'Not sent' });
		sim.control.createCompany({ name: 'Sent AB' });
		await sim.control.flushWebhooks();
		expect(receiver.received.map((r) => r.body.type)).toEqual(['company.created']);
	});

	it('retries failures on the schedule with a stable webhook-id, then delivers', async () => {
		const sub = await subscribe();
		receiver.respond = [500, 503];
		sim.control.createContact({ firstName: 'Retry' });
		await sim.control.flushWebhooks();
		expect(receiver.received).toHaveLength(1);
		expect(sim.control.deliveries(sub.id)[0]).toMatchObject({ status: 'failed', attemptCount: 1, lastStatusCode: 500 });
		sim.control.advanceClock(999);
		await sim.control.flushWebhooks();
		expect(receiver.received).toHaveLength(1);
		sim.control.advanceClock(1);
		await sim.control.flushWebhooks();
		expect(receiver.received).toHaveLength(2);
		await sim.control.drainWebhooks();
		expect(receiver.received).toHaveLength(3);
		expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
		expect(new Set(receiver.received.map((r) => r.raw)).size).toBe(1);
		for (const r of receiver.received) expect(verify(r, sub.secret)).toBe(true);
		expect(sim.control.deliveries(sub.id)[0]).toMatchObject({ status: 'delivered', attemptCount: 3, lastStatusCode: 200 });
	});

	it('marks a delivery exhausted after the last attempt and counts timeouts as failures', async () => {
		const sub = await subscribe();
		receiver.delayMs = 250; // longer than the 100 ms timeout
		sim.control.createContact({ firstName: 'Slow' });
		await sim.control.drainWebhooks();
		const [d] = sim.control.deliveries(sub.id);
		expect(d).toMatchObject({ status: 'exhausted', attemptCount: 4, lastStatusCode: null });
		expect(d.lastError).toMatch(/Timed out/);
		expect(receiver.received).toHaveLength(4);
	});

	it('a 410 answer disables the subscription at once', async () => {
		const sub = await subscribe();
		receiver.respond = [410];
		sim.control.createContact({ firstName: 'Gone' });
		await sim.control.drainWebhooks();
		sim.control.createContact({ firstName: 'After' });
		await sim.control.drainWebhooks();
		expect(receiver.received).toHaveLength(1);
		const got = await call(sim, 'GET', `/api/v1/webhooks/${sub.id}`);
		expect(got.body).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/410/) });
	});

	it('10 consecutive failed attempts disable the subscription; a success in between resets the count', async () => {
		const sub = await subscribe();
		receiver.fallback = 500;
		receiver.respond = [500, 500, 500, 500, 500, 200];
		for (let i = 0; i < 6; i++) sim.control.createContact({ firstName: `C${i}` });
		await sim.control.flushWebhooks();
		expect((await call(sim, 'GET', `/api/v1/webhooks/${sub.id}`)).body.enabled).toBe(true);
		await sim.control.drainWebhooks();
		expect(receiver.received).toHaveLength(16); // 6 first attempts (5 fail, 1 ok) + 10 retries until the 10th consecutive failure
		const got = (await call(sim, 'GET', `/api/v1/webhooks/${sub.id}`)).body;
		expect(got).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/10 consecutive/) });
	});

	it('test sends one synchronous X-Propstreet-Test delivery that is not stored', async () => {
		const sub = await subscribe();
		const res = await call(sim, 'POST', `/api/v1/webhooks/${sub.id}/test`, { body: { event_type: 'project.updated' } });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ success: true, status_code: 200, duration_ms: expect.any(Number), error: null });
		expect(receiver.received).toHaveLength(1);
		expect(receiver.received[0].headers['x-propstreet-test']).toBe('true');
		expect(receiver.received[0].body.type).toBe('project.updated');
		expect(verify(receiver.received[0], sub.secret)).toBe(true);
		expect(sim.control.deliveries(sub.id)).toHaveLength(0);
		receiver.respond = [500];
		const failing = await call(sim, 'POST', `/api/v1/webhooks/${sub.id}/test`);
		expect(failing.body).toMatchObject({ success: false, status_code: 500 });
	});

	it('replay re-queues failed and exhausted deliveries created since a time, resetting attempts', async () => {
		const sub = await subscribe();
		receiver.fallback = 500;
		const since = sim.control.now();
		sim.control.createContact({ firstName: 'A' });
		sim.control.createContact({ firstName: 'B' });
		await sim.control.drainWebhooks();
		expect(sim.control.deliveries(sub.id).map((d) => d.status)).toEqual(['exhausted', 'exhausted']);
		receiver.fallback = 200;
		const replay = await call(sim, 'POST', `/api/v1/webhooks/${sub.id}/replay`, { body: { since } });
		expect(replay.body).toEqual({ replayed_count: 2, message: '2 deliveries re-queued for retry' });
		await sim.control.flushWebhooks();
		expect(sim.control.deliveries(sub.id).map((d) => [d.status, d.attemptCount])).toEqual([
			['delivered', 1],
			['delivered', 1],
		]);
		const future = await call(sim, 'POST', `/api/v1/webhooks/${sub.id}/replay`, { body: { since: '2999-01-01T00:00:00Z' } });
		expect(future.body.replayed_count).toBe(0);
		expect((await call(sim, 'POST', `/api/v1/webhooks/${sub.id}/replay`, { body: {} })).status).toBe(400);
	});

	it('fault injection drops, duplicates and reorders deliveries', async () => {
		await subscribe();
		sim.control.injectWebhookFaults({ drop: 1 });
		sim.control.createContact({ firstName: 'Dropped' });
		await sim.control.flushWebhooks();
		expect(receiver.received).toHaveLength(0);

		sim.control.injectWebhookFaults({ duplicate: 1 });
		sim.control.createContact({ firstName: 'Twice' });
		await sim.control.flushWebhooks();
		expect(receiver.received.map((r) => r.body.data.firstName)).toEqual(['Twice', 'Twice']);
		expect(receiver.received[0].headers['webhook-id']).toBe(receiver.received[1].headers['webhook-id']);

		receiver.received.length = 0;
		sim.control.injectWebhookFaults({ reorder: 3 });
		for (const n of ['First', 'Second', 'Third']) sim.control.createContact({ firstName: n });
		await sim.control.flushWebhooks();
		expect(receiver.received.map((r) => r.body.data.firstName)).toEqual(['Third', 'Second', 'First']);
	});
});
