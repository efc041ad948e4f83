/**
 * Repeated deliveries (issue 15, item 5): the same webhook-id starts one execution, whichever store
 * remembers it — n8n's deduplication store when the webhook context offers it, this process's
 * memory otherwise — and a malformed envelope is refused with its field path.
 */
import { createHmac } from 'crypto';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { forgetProcessDeliveries } from '../../../nodes/PropstreetTrigger/deliveryMemory';
import { PropstreetTrigger } from '../../../nodes/PropstreetTrigger/PropstreetTrigger.node';
import { webhookContext } from './context';

const KEY = Buffer.from('fedcba9876543210fedcba9876543210');
const SECRET = `whsec_${KEY.toString('base64')}`;
const contactUpdated = { type: 'contact.updated', timestamp: '2026-05-18T20:22:36.959Z', data: { id: '789', firstName: 'Åsa', changeOrigin: 'ui' } };

function signed(body: unknown, id: string) {
	const raw = Buffer.from(JSON.stringify(body));
	const ts = String(Math.floor(Date.now() / 1000));
	const sig = createHmac('sha256', KEY).update(Buffer.concat([Buffer.from(`${id}.${ts}.`), raw])).digest('base64');
	return { rawBody: raw, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` } };
}

/** n8n's processed-data store as Remove Duplicates sees it: one set per node, check-and-record in one step. */
function fakeDatabaseStore() {
	const processed = new Set<string>();
	return {
		processed,
		checkProcessedAndRecord: jest.fn(async (items: string[]) => {
			const fresh = items.filter((i) => !processed.has(i));
			fresh.forEach((i) => processed.add(i));
			return { new: fresh, processed: items.filter((i) => !fresh.includes(i)) };
		}),
		removeProcessed: jest.fn(async (items: string[]) => items.forEach((i) => processed.delete(i))),
	};
}

/** One delivery with fresh static data each time: n8n 2.40 does not save what webhook() writes there. */
async function deliver(body: unknown, id: string, database?: ReturnType<typeof fakeDatabaseStore>, parameters: IDataObject = {}) {
	const { context, response } = webhookContext({
		baseUrl: 'http://127.0.0.1:9',
		staticData: { webhookId: 'wh_1', secret: SECRET, events: ['contact.updated'] },
		parameters: { events: ['contact.updated'], options: {}, ...parameters },
		...signed(body, id),
	});
	if (database) Object.assign(context.helpers, { checkProcessedAndRecord: database.checkProcessedAndRecord, removeProcessed: database.removeProcessed });
	const result = await new PropstreetTrigger().webhook.call(context);
	return { started: result.workflowData !== undefined, status: response.status, body: response.body ? (JSON.parse(response.body) as IDataObject) : undefined };
}

beforeEach(() => forgetProcessDeliveries());

describe('Propstreet Trigger: a repeated delivery starts nothing', () => {
	it('three sends of one delivery start one execution, although static data is not kept', async () => {
		const runs = [await deliver(contactUpdated, 'msg_a'), await deliver(contactUpdated, 'msg_a'), await deliver(contactUpdated, 'msg_a')];
		expect(runs.map((r) => r.started)).toEqual([true, false, false]);
		expect(runs[2].body).toMatchObject({ ignored: 'duplicate_delivery' });
		expect((await deliver(contactUpdated, 'msg_b')).started).toBe(true);
	});

	it('two copies arriving at the same moment start one execution', async () => {
		const runs = await Promise.all([deliver(contactUpdated, 'msg_c'), deliver(contactUpdated, 'msg_c')]);
		expect(runs.filter((r) => r.started)).toHaveLength(1);
	});

	it("uses n8n's deduplication store when the host offers it, so a restart forgets nothing", async () => {
		const database = fakeDatabaseStore();
		expect((await deliver(contactUpdated, 'msg_d', database)).started).toBe(true);
		expect(database.checkProcessedAndRecord).toHaveBeenCalledWith(['msg_d'], 'node', expect.objectContaining({ mode: 'entries' }));
		forgetProcessDeliveries(); // a restart: process memory gone, the database remains
		const replay = await deliver(contactUpdated, 'msg_d', database);
		expect(replay).toMatchObject({ started: false, status: 200, body: { ignored: 'duplicate_delivery' } });
	});

	it('releases a delivery it refused, so the retry of a fixed one is handled', async () => {
		const database = fakeDatabaseStore();
		const bad = await deliver({ ...contactUpdated, data: { ...contactUpdated.data, id: { value: 789 } } }, 'msg_e', database);
		expect(bad).toMatchObject({ started: false, status: 400 });
		expect(database.removeProcessed).toHaveBeenCalledWith(['msg_e'], 'node', { mode: 'entries' });
		expect(database.processed.has('msg_e')).toBe(false);
		expect((await deliver(contactUpdated, 'msg_e', database)).started).toBe(true);
	});
});

describe('Propstreet Trigger: malformed envelopes are refused with the field path', () => {
	it.each([
		['data missing', { type: 'contact.updated', timestamp: 'x' }, /data is missing/],
		['data a list', { type: 'contact.updated', data: [{ id: '1' }] }, /data must be object, not array/],
		['id nested', { type: 'contact.updated', data: { id: { value: '789' } } }, /data\.id must be number or string, not object/],
		['id that walks the URL', { type: 'contact.updated', data: { id: '../projects/9' } }, /data\.id is not a Propstreet id/],
		['type of the wrong type', { type: 7, data: { id: '1' } }, /type must be string, not number/],
		['externalRefs not a list', { type: 'contact.updated', data: { id: '1', externalRefs: {} } }, /data\.externalRefs/],
		['action a string', { type: 'prospect.updated', data: { id: '1', projectId: 'p1' }, action: 'removed' }, /action/],
	])('%s', async (_label, body, message) => {
		const result = await deliver(body, `msg_${_label.replace(/\W/g, '_')}`);
		expect(result.started).toBe(false);
		expect(result.status).toBe(400);
		expect(result.body).toMatchObject({ error: 'invalid_payload' });
		expect(String(result.body?.message)).toMatch(message);
	});

	it('lets unknown extra fields through', async () => {
		const result = await deliver({ ...contactUpdated, newTopLevel: { a: 1 }, data: { ...contactUpdated.data, brandNew: [1, { x: 2 }] } }, 'msg_extra');
		expect(result.started).toBe(true);
	});
});

describe('Propstreet Trigger: the record Propstreet answers must be one', () => {
	it('answers 500 naming the field when the fetched record has no id, starting nothing', async () => {
		nock('http://127.0.0.1:9').get('/api/v1/network/contacts/789').reply(200, { firstName: 'Åsa' });
		const result = await deliver(contactUpdated, 'msg_noid', undefined, { options: { fetchCurrentRecord: true } });
		nock.cleanAll();
		expect(result).toMatchObject({ started: false, status: 500, body: { error: 'record_fetch_failed' } });
		expect(String(result.body?.message)).toMatch(/Propstreet's answer for contact 789: id is missing/);
		// Not remembered: Propstreet's retry is handled.
		nock('http://127.0.0.1:9').get('/api/v1/network/contacts/789').reply(200, { id: '789', firstName: 'Åsa' });
		expect((await deliver(contactUpdated, 'msg_noid', undefined, { options: { fetchCurrentRecord: true } })).started).toBe(true);
		nock.cleanAll();
	});
});
