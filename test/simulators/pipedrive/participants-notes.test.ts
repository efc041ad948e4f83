/** v1 deal participants (list, add, delete, changelog; no webhook) and notes. */
import { apiClient } from '../../helpers/httpClient';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhookReceiver';
import { startPipedriveSimulator, type PipedriveSimulator } from './index';

describe('Pipedrive simulator: participants and notes', () => {
	let sim: PipedriveSimulator;
	let call: ReturnType<typeof apiClient>;
	let receiver: WebhookReceiver;

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true });
		call = apiClient(sim.url);
		receiver = await startWebhookReceiver();
		const hook = await call('POST', '/v1/webhooks', { body: { subscription_url: receiver.url, event_action: '*', event_object: '*', version: '2.0' } });
		expect(hook.status).toBe(201);
	});
	afterEach(async () => {
		await sim.close();
		await receiver.close();
	});

	it('shows participants_count on a v2 deal list only with include_fields; a participant change leaves update_time alone', async () => {
		const plain = await call('GET', '/api/v2/deals', { query: { status: 'open' } });
		expect(plain.body.data[0]).not.toHaveProperty('participants_count');
		const list = async () => (await call('GET', '/api/v2/deals', { query: { status: 'open', include_fields: 'participants_count' } })).body.data.find((d: { id: number }) => d.id === 3001);
		const before = await list();
		expect(before.participants_count).toBe(sim.control.participants(3001).length);
		await call('POST', '/v1/deals/3001/participants', { body: { person_id: 1010 } });
		const after = await list();
		expect(after.participants_count).toBe(before.participants_count + 1);
		expect(after.update_time).toBe(before.update_time);
		expect((await call('GET', '/api/v2/deals', { query: { include_fields: 'participant_count' } })).status).toBe(400);
	});

	it('counts a person\'s participations on the v2 person list only when asked: open and closed apart, the primary person included, deleted deals not', async () => {
		const person = 1010;
		const counts = async () => {
			const res = await call('GET', '/api/v2/persons', { query: { include_fields: 'participant_open_deals_count,participant_closed_deals_count', limit: 500 } });
			const p = res.body.data.find((x: { id: number }) => x.id === person);
			return [p.participant_open_deals_count, p.participant_closed_deals_count];
		};
		const plain = await call('GET', '/api/v2/persons', { query: { limit: 500 } });
		expect(plain.body.data[0]).not.toHaveProperty('participant_open_deals_count');
		const [open, closed] = await counts();
		await call('POST', '/v1/deals/3001/participants', { body: { person_id: person } });
		expect(await counts()).toEqual([open + 1, closed]);
		// Won: the participation moves from open to closed; open + closed stays.
		sim.control.updateDeal(3001, { status: 'won' });
		expect(await counts()).toEqual([open, closed + 1]);
		sim.control.deleteDeal(3001);
		expect(await counts()).toEqual([open, closed]);
		// A deal's primary person is among its participants here (primaryPersonIsParticipant), so it counts.
		const deal = sim.control.createDeal({ title: 'Counted', person_id: person, status: 'open' });
		expect(sim.control.participants(Number(deal.id)).map((p) => p.person_id)).toContain(person);
		expect(await counts()).toEqual([open + 1, closed]);
	});

	it('lists participants in the v1 shape (person_id object, v1 times, pagination, related_objects)', async () => {
		const res = await call('GET', '/v1/deals/3001/participants');
		expect(res.status).toBe(200);
		// The primary person is a participant too (switch primaryPersonIsParticipant).
		expect(res.body.data.map((p: { person_id: { value: number } }) => p.person_id.value)).toEqual([1001, 1002, 1008]);
		const first = res.body.data[0];
		expect(first).toMatchObject({
			id: expect.any(Number), active_flag: true, related_item_type: 'deal', related_item_id: 3001, related_item_data: { deal_id: 3001, title: 'Kista Office Portfolio' },
			person_id: { value: 1001, name: 'Astrid Öberg', active_flag: true, email: expect.any(Array), phone: expect.any(Array) },
			person: expect.objectContaining({ id: 1001, name: 'Astrid Öberg' }),
		});
		expect(first.add_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		expect(res.body.additional_data).toEqual({ pagination: { start: 0, limit: 100, more_items_in_collection: false } });
		expect(res.body.related_objects.person['1002']).toMatchObject({ id: 1002, name: 'Lars-Erik Åkesson' });
		const paged = await call('GET', '/v1/deals/3001/participants', { query: { start: 1, limit: 1 } });
		expect(paged.body.data.map((p: { person_id: { value: number } }) => p.person_id.value)).toEqual([1002]);
		expect(paged.body.additional_data.pagination).toEqual({ start: 1, limit: 1, more_items_in_collection: true, next_start: 2 });
	});

	it('adds and deletes participants, records the changelog, and sends no webhook', async () => {
		const before = (await call('GET', '/api/v2/deals/3001')).body.data;
		const added = await call('POST', '/v1/deals/3001/participants', { body: { person_id: 1010 } });
		expect(added.status).toBe(200);
		expect(added.body.data.person_id.value).toBe(1010);
		expect(added.body.related_objects.person['1010'].name).toBe('Sigrid Hågensen');
		const dup = await call('POST', '/v1/deals/3001/participants', { body: { person_id: 1010 } });
		expect(dup.status).toBe(400);
		expect((await call('POST', '/v1/deals/3001/participants', { body: {} })).status).toBe(400);

		const participantId = added.body.data.id;
		const removed = await call('DELETE', `/v1/deals/3001/participants/${participantId}`);
		expect(removed.body).toEqual({ success: true, data: { id: participantId } });
		expect((await call('DELETE', `/v1/deals/3001/participants/${participantId}`)).status).toBe(404);
		// The deal itself did not change (no update_time bump), and no event of any kind was delivered.
		expect((await call('GET', '/api/v2/deals/3001')).body.data.update_time).toBe(before.update_time);
		sim.control.addParticipant(3001, 1013);
		await sim.control.flushWebhooks();
		expect(receiver.received).toHaveLength(0);
		expect(sim.control.deliveries()).toHaveLength(0);

		const log = await call('GET', '/v1/deals/3001/participantsChangelog');
		const entries = log.body.data.map((e: { person_id: number; action: string }) => [e.person_id, e.action]);
		expect(entries).toEqual([[1001, 'added'], [1002, 'added'], [1008, 'added'], [1010, 'added'], [1010, 'removed'], [1013, 'added']]);
		expect(log.body.data[3]).toMatchObject({ actor_user_id: 1, time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) });
		const page = await call('GET', '/v1/deals/3001/participantsChangelog', { query: { limit: 4 } });
		expect(page.body.data).toHaveLength(4);
		const next = await call('GET', '/v1/deals/3001/participantsChangelog', { query: { limit: 4, cursor: page.body.additional_data.next_cursor } });
		expect(next.body.data.map((e: { person_id: number }) => e.person_id)).toEqual([1010, 1013]);
		expect(next.body.additional_data.next_cursor).toBeNull();
	});

	it('can emit change.deal for participant changes when switched on', async () => {
		sim.control.switches.participantWebhooks = true;
		sim.control.addParticipant(3002, 1001);
		await sim.control.flushWebhooks();
		expect(sim.control.deliveries({ entity: 'deal', action: 'change' })).toHaveLength(1);
	});

	it('creates, lists, filters, updates and deletes notes (v1), with note webhooks', async () => {
		expect((await call('POST', '/v1/notes', { body: { content: 'orphan' } })).status).toBe(400);
		expect((await call('POST', '/v1/notes', { body: { deal_id: 3001 } })).status).toBe(400);
		const created = await call('POST', '/v1/notes', { body: { content: '<p>Call went well</p><script>alert(1)</script>', deal_id: 3002, person_id: 1003, pinned_to_deal_flag: 1 } });
		expect(created.status).toBe(200);
		expect(created.body.data).toMatchObject({ content: '<p>Call went well</p>', deal_id: 3002, person_id: 1003, pinned_to_deal_flag: true, active_flag: true, deal: { title: 'Alnabru Logistics Hub' }, person: { name: 'Ingrid Sæther' } });
		const id = created.body.data.id;
		const list = await call('GET', '/v1/notes', { query: { deal_id: 3002 } });
		expect(list.body.data.map((n: { id: number }) => n.id)).toEqual([id]);
		expect(list.body.additional_data.pagination).toMatchObject({ start: 0, more_items_in_collection: false });
		const sorted = await call('GET', '/v1/notes', { query: { sort: 'id DESC' } });
		expect(sorted.body.data[0].id).toBe(id);
		const updated = await call('PUT', `/v1/notes/${id}`, { body: { content: 'Edited' } });
		expect(updated.body.data.content).toBe('Edited');
		expect((await call('DELETE', `/v1/notes/${id}`)).body).toEqual({ success: true, data: true });
		expect((await call('GET', `/v1/notes/${id}`)).status).toBe(404);
		await sim.control.flushWebhooks();
		const actions = sim.control.deliveries({ entity: 'note' }).map((d) => (d.body.meta as { action: string }).action);
		expect(actions).toEqual(['create', 'change', 'delete']);
		const change = sim.control.deliveries({ entity: 'note', action: 'change' })[0].body;
		expect(change.previous).toEqual({ content: '<p>Call went well</p>' });
	});
});
