/** /v1/webhooks management and Webhooks v2 deliveries: shape, typed custom fields, previous, auth, retries, ban, merges. */
import { apiClient } from '../../helpers/httpClient';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhookReceiver';
import { startPipedriveSimulator, type PipedriveSimulator } from './index';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Pipedrive simulator: webhooks', () => {
	let sim: PipedriveSimulator;
	let call: ReturnType<typeof apiClient>;
	let receiver: WebhookReceiver;

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true, webhookRetryDelaysMs: [40, 80, 120] });
		call = apiClient(sim.url);
		receiver = await startWebhookReceiver();
	});
	afterEach(async () => {
		await sim.close();
		await receiver.close();
	});

	async function subscribe(body: Record<string, unknown> = {}) {
		const res = await call('POST', '/v1/webhooks', { body: { subscription_url: receiver.url, event_action: '*', event_object: '*', ...body } });
		expect(res.status).toBe(201);
		return res.body.data as { id: number };
	}

	it('creates (201, default version 2.0), lists and deletes webhooks, and validates input', async () => {
		// Pipedrive Trigger 1.1 sends no version and no name.
		const created = await call('POST', '/v1/webhooks', { body: { event_action: 'change', event_object: 'person', subscription_url: receiver.url } });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ success: true, status: 'ok' });
		expect(created.body.data).toMatchObject({
			id: expect.any(Number), company_id: 7001234, owner_id: 1, user_id: 1, event_action: 'change', event_object: 'person', subscription_url: receiver.url,
			version: '2.0', is_active: 1, type: 'general', http_auth_user: null, http_auth_password: null, remove_time: null, name: null,
		});
		const list = await call('GET', '/v1/webhooks');
		expect(list.body).toEqual({ success: true, status: 'ok', data: [created.body.data] });
		const bad = await call('POST', '/v1/webhooks', { body: { event_action: 'added', event_object: 'person', subscription_url: 'not a url' } });
		expect(bad.status).toBe(400);
		expect(bad.body).toMatchObject({ success: false, status: 'error', errors: { event_action: expect.any(Array), subscription_url: expect.any(Array) } });
		const v1 = await call('POST', '/v1/webhooks', { body: { event_action: 'added', event_object: 'person', subscription_url: receiver.url, version: '1.0' } });
		expect(v1.status).toBe(201);
		expect((await call('DELETE', `/v1/webhooks/${created.body.data.id}`)).body).toEqual({ success: true, status: 'ok' });
		expect((await call('DELETE', `/v1/webhooks/${created.body.data.id}`)).status).toBe(404);
		expect((await call('GET', '/v1/webhooks')).body.data.map((w: { id: number }) => w.id)).toEqual([v1.body.data.id]);
	});

	it('delivers a v2 change with meta, typed custom fields in data and only the changed fields in previous', async () => {
		const hook = await subscribe({ event_action: 'change', event_object: 'person' });
		const strategy = sim.control.fieldKey('person', 'investor_strategy');
		const classification = sim.control.fieldKey('person', 'classification');
		const bidder = sim.control.optionId('person', 'classification', 'Bidder');
		const res = await call('PATCH', '/api/v2/persons/1001', { body: { job_title: 'Partner', custom_fields: { [classification]: bidder, [strategy]: 'Office only' } } });
		expect(res.status).toBe(200);
		const [delivery] = await receiver.waitFor(1);
		const { meta, data, previous } = delivery.body;
		expect(meta).toEqual({
			action: 'change', entity: 'person', entity_id: '1001', id: expect.stringMatching(UUID), correlation_id: expect.stringMatching(UUID),
			company_id: '7001234', user_id: '1', webhook_id: String(hook.id), webhook_owner_id: '1', type: 'general', version: '2.0',
			change_source: 'api', is_bulk_edit: false, attempt: 1, host: 'propstreet-sim.pipedrive.com',
			timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/), permitted_user_ids: ['1', '2'],
		});
		expect(data).toMatchObject({ id: 1001, name: 'Astrid Öberg', first_name: 'Astrid', org_id: 2001, owner_id: 1, visible_to: '3', label: 1, emails: expect.any(Array), phones: expect.any(Array) });
		expect(data.custom_fields).toEqual({
			[sim.control.fieldKey('person', 'propstreet_contact_id')]: { type: 'varchar', value: '5001' },
			[strategy]: { type: 'text', value: 'Office only' },
			[classification]: { type: 'enum', id: bidder },
		});
		// job_title is not among the crucial webhook fields, so only the custom fields show as changed.
		expect(previous).toEqual({ custom_fields: { [strategy]: { type: 'text', value: 'Office, Stockholm inner city, SEK 300M+' }, [classification]: { type: 'enum', id: sim.control.optionId('person', 'classification', 'Interested') } } });
		expect(delivery.headers['content-type']).toBe('application/json');
		expect(delivery.headers.authorization).toBeUndefined();
	});

	it('marks web-app edits as change_source app, and sends deal stage moves as change.deal', async () => {
		await subscribe({ event_object: 'deal' });
		const deal = sim.control.moveDealToStage(3002, 'Due Diligence', { userId: 2 });
		// Deliveries are asynchronous: nothing has been sent yet when the edit returns.
		expect(sim.control.deliveries()).toHaveLength(0);
		await sim.control.flushWebhooks();
		const [delivery] = sim.control.deliveries();
		const body = delivery.body as Record<string, any>;
		expect(body.meta).toMatchObject({ action: 'change', entity: 'deal', entity_id: '3002', change_source: 'app', user_id: '2' });
		expect(body.data).toMatchObject({ id: 3002, stage_id: deal.stage_id, pipeline_id: 1, status: 'open', currency: 'NOK', visible_to: '3' });
		expect(body.previous).toEqual({ stage_id: sim.control.stageId('Investor Outreach'), stage_change_time: expect.any(String) });
		const typed = body.data.custom_fields;
		expect(typed[sim.control.fieldKey('deal', 'is_portfolio')]).toEqual({ type: 'enum', id: sim.control.optionId('deal', 'is_portfolio', 'No') });
		expect(typed[sim.control.fieldKey('deal', 'property_type')]).toEqual({ type: 'set', values: [{ id: sim.control.optionId('deal', 'property_type', 'Logistics') }] });
		expect(typed[sim.control.fieldKey('deal', 'property_count')]).toBeNull();
	});

	it('sends create (previous null) and delete (data null, previous = last state), filtered by action and object', async () => {
		await subscribe({ event_action: 'create', event_object: 'organization' });
		await subscribe({ event_action: 'delete', event_object: 'organization' });
		const created = await call('POST', '/api/v2/organizations', { body: { name: 'Tromsø Eiendom AS', address: { value: 'Tromsø, Norge', country: 'Norge' } } });
		await call('PATCH', `/api/v2/organizations/${created.body.data.id}`, { body: { name: 'Tromsø Eiendom ASA' } });
		await call('DELETE', `/api/v2/organizations/${created.body.data.id}`);
		await call('POST', '/api/v2/persons', { body: { name: 'Not an org' } });
		await sim.control.flushWebhooks();
		const bodies = receiver.received.map((r) => r.body);
		expect(bodies.map((b) => b.meta.action)).toEqual(['create', 'delete']);
		expect(bodies[0]).toMatchObject({ data: { name: 'Tromsø Eiendom AS', country_code: 'NO', address: expect.objectContaining({ value: 'Tromsø, Norge' }) }, previous: null });
		expect(bodies[1]).toMatchObject({ data: null, previous: { id: created.body.data.id, name: 'Tromsø Eiendom ASA' } });
	});

	it('sends nothing for a write that changes nothing', async () => {
		await subscribe();
		const before = (await call('GET', '/api/v2/persons/1003')).body.data;
		const same = await call('PATCH', '/api/v2/persons/1003', { body: { name: before.name, emails: before.emails } });
		expect(same.body.data.update_time).toBe(before.update_time);
		await sim.control.flushWebhooks();
		expect(receiver.received).toHaveLength(0);
	});

	it('sends HTTP basic auth when the webhook was registered with credentials', async () => {
		await subscribe({ http_auth_user: 'n8n', http_auth_password: 's3cret' });
		sim.control.updatePerson(1002, { job_title: 'CEO' });
		const [delivery] = await receiver.waitFor(1);
		expect(delivery.headers.authorization).toBe('Basic ' + Buffer.from('n8n:s3cret').toString('base64'));
	});

	it('retries a failed delivery after the (compressed) delays with the same event id and rising attempt', async () => {
		await subscribe({ event_object: 'person' });
		receiver.respondWith((index) => (index < 2 ? 500 : 200));
		sim.control.updatePerson(1001, { name: 'Astrid Öberg-Lind' });
		await receiver.waitFor(3, 3000);
		await sim.control.flushWebhooks();
		const bodies = receiver.received.map((r) => r.body.meta);
		expect(bodies.map((m) => m.attempt)).toEqual([1, 2, 3]);
		expect(new Set(bodies.map((m) => m.id)).size).toBe(1);
		expect(receiver.received[1].at - receiver.received[0].at).toBeGreaterThanOrEqual(35);
		expect(receiver.received[2].at - receiver.received[1].at).toBeGreaterThanOrEqual(75);
		expect(sim.control.deliveries().map((d) => d.status)).toEqual([500, 500, 200]);
	});

	it('gives up after four attempts, and flush can skip the delays', async () => {
		const slow = await startPipedriveSimulator({ seed: true }); // real delays: 3 s, 30 s, 150 s
		try {
			const slowCall = apiClient(slow.url);
			await slowCall('POST', '/v1/webhooks', { body: { subscription_url: receiver.url, event_action: '*', event_object: 'person' } });
			receiver.respondWith(503);
			slow.control.updatePerson(1001, { name: 'Astrid Ö.' });
			await slow.control.flushWebhooks({ runRetriesNow: true });
			expect(receiver.received.map((r) => r.body.meta.attempt)).toEqual([1, 2, 3, 4]);
			expect(slow.control.pendingRetries()).toBe(0);
			const hook = slow.control.webhooks()[0];
			expect(hook.last_http_status).toBe(503);
			expect(hook.failedFirstAttempts).toBe(1);
		} finally {
			await slow.close();
		}
	});

	it('bans a webhook for 30 minutes after 10 failed first attempts, dropping events, then reactivates it', async () => {
		const hook = await subscribe({ event_object: 'person' });
		receiver.respondWith(500);
		for (let i = 0; i < 10; i++) {
			sim.control.updatePerson(1001, { name: `Astrid ${i}` });
			await sim.control.flushWebhooks({ runRetriesNow: true });
		}
		expect(sim.control.webhookState(hook.id)).toMatchObject({ failedFirstAttempts: 10, bannedUntil: expect.any(String) });
		const received = receiver.received.length;
		expect(received).toBe(40);
		receiver.respondWith(200);
		sim.control.updatePerson(1001, { name: 'Astrid during ban' });
		await sim.control.flushWebhooks();
		expect(receiver.received).toHaveLength(received);
		expect(sim.control.droppedEvents()).toHaveLength(1);
		sim.control.advanceClock(30 * 60_000 + 1);
		sim.control.updatePerson(1001, { name: 'Astrid after ban' });
		await sim.control.flushWebhooks();
		expect(receiver.received).toHaveLength(received + 1);
		expect(receiver.received[received].body.data.name).toBe('Astrid after ban');
		expect(sim.control.webhookState(hook.id)).toEqual({ failedFirstAttempts: 0, bannedUntil: null });
	});

	it('reports a merge as delete (merged_to_id) of the removed person and change (merged_from_id) of the survivor', async () => {
		await subscribe({ event_object: 'person' });
		// Bjørn (1004) is merged into Ingrid (1003): deals, participants and notes move to Ingrid.
		sim.control.addParticipant(3001, 1004);
		const note = await call('POST', '/v1/notes', { body: { content: 'met Bjørn', person_id: 1004 } });
		const res = await call('PUT', '/v1/persons/1004/merge', { body: { merge_with_id: 1003 } });
		expect(res.status).toBe(200);
		expect(res.body.data).toMatchObject({ id: 1003, name: 'Ingrid Sæther' });
		expect(res.body.data.email.map((e: { value: string }) => e.value)).toEqual([
			'ingrid.saether@fjordkapital.example.no', 'bjorn.lovas@fjordkapital.example.no', 'b.lovas@fjordkapital.example.no',
		]);
		await sim.control.flushWebhooks();
		const events = receiver.received.map((r) => r.body);
		const removed = events.find((e) => e.meta.action === 'delete');
		const survivor = events.find((e) => e.meta.action === 'change');
		expect(removed.meta).toMatchObject({ entity_id: '1004', merged_to_id: '1003', change_source: 'api' });
		expect(removed.data).toBeNull();
		expect(removed.previous).toMatchObject({ id: 1004, name: 'Bjørn Løvås' });
		expect(survivor.meta).toMatchObject({ entity_id: '1003', merged_from_id: '1004' });
		expect(survivor.meta.merged_to_id).toBeUndefined();
		expect(survivor.previous.emails).toHaveLength(1);
		expect(survivor.data.emails).toHaveLength(3);
		expect((await call('GET', '/api/v2/persons/1004')).status).toBe(404);
		expect(sim.control.participants(3001).map((p) => p.person_id)).toContain(1003);
		expect((await call('GET', `/v1/notes/${note.body.data.id}`)).body.data.person_id).toBe(1003);
		expect((await call('PUT', '/v1/persons/1003/merge', { body: { merge_with_id: 1003 } })).status).toBe(400);
	});

	it('reports a deal merge like a person merge; the survivor keeps its values, fills empty custom fields and takes the participants', async () => {
		await subscribe({ event_object: 'deal' });
		const [first, second] = sim.control.deals();
		const projectKey = sim.control.fieldKey('deal', 'propstreet_project_id');
		sim.control.updateDeal(second.id as number, { custom_fields: { [projectKey]: null } });
		sim.control.addParticipant(first.id as number, 1004);
		await sim.control.flushWebhooks();
		const seen = receiver.received.length;
		const res = await call('PUT', `/v1/deals/${first.id}/merge`, { body: { merge_with_id: second.id } });
		expect(res.status).toBe(200);
		await sim.control.flushWebhooks();
		const events = receiver.received.slice(seen).map((r) => r.body.meta);
		expect(events.map((m) => [m.action, m.entity_id, m.merged_to_id ?? m.merged_from_id])).toEqual([
			['delete', String(first.id), String(second.id)],
			['change', String(second.id), String(first.id)],
		]);
		const survivor = sim.control.deal(second.id as number)!;
		expect(survivor.title).toBe(second.title);
		expect((survivor.custom_fields as Record<string, unknown>)[projectKey]).toBe((first.custom_fields as Record<string, unknown>)[projectKey]);
		expect(sim.control.participants(second.id as number).map((p) => p.person_id)).toContain(1004);
		expect((await call('GET', `/api/v2/deals/${first.id}`)).status).toBe(404);
	});

	it('merges organizations through control.merge, moving persons and deals', async () => {
		await subscribe({ event_object: 'organization' });
		const survivor = sim.control.merge('organization', 2008, 2001);
		expect(survivor.id).toBe(2001);
		expect(sim.control.person(1012)!.org_id).toBe(2001);
		await sim.control.flushWebhooks();
		const events = receiver.received.map((r) => r.body.meta);
		expect(events.map((m) => [m.action, m.entity_id, m.merged_to_id ?? m.merged_from_id, m.change_source])).toEqual([
			['delete', '2008', '2001', 'app'],
			['change', '2001', '2008', 'app'],
		]);
	});

	it('delivers the legacy v1 format to version 1.0 webhooks', async () => {
		await subscribe({ version: '1.0', event_action: 'updated', event_object: 'person' });
		sim.control.updatePerson(1002, { job_title: 'CFO' });
		const [delivery] = await receiver.waitFor(1);
		expect(delivery.body).toMatchObject({ v: 1, event: 'updated.person', retry: 0, meta: { action: 'updated', object: 'person', id: 1002, change_source: 'app' } });
		expect(delivery.body.current).toMatchObject({ id: 1002, job_title: 'CFO' });
		expect(delivery.body.previous).toMatchObject({ id: 1002, job_title: 'CIO' });
	});
});
