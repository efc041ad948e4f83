/**
 * The generated Code of the Cloud workflows, run under the Code node's sandbox (see
 * codeNodeSandbox.ts): the signature check against deliveries signed with Node's crypto (the
 * webhookSignature test's way of making vectors), the sync loop (00) end to end on one event, and the note sync.
 */
import { createHmac } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { runCodeNode } from './codeNodeSandbox';
import { answerOf, pdGet, psCreate, psEvent, startCloudBed } from './replayDriver';

const CLOUD = path.join(__dirname, '../../../workflows/cloud');

function codeOf(file: string, nodeName: string): string {
	const workflow = JSON.parse(fs.readFileSync(path.join(CLOUD, file), 'utf8')) as { nodes: Array<{ name: string; parameters: { jsCode?: string } }> };
	const node = workflow.nodes.find((n) => n.name === nodeName);
	if (!node?.parameters.jsCode) throw new Error(`${file} has no Code node ${nodeName}`);
	return node.parameters.jsCode;
}

const KEY = Buffer.alloc(32, 9);
const SECRET = `whsec_${KEY.toString('base64')}`;
// The generated code reads the real clock (Date.now()); deliveries are signed as of now.
const NOW = Date.now();
const TS = String(Math.floor(NOW / 1000));
const BODY = JSON.stringify({ type: 'contact.updated', timestamp: '2026-12-04T12:00:00Z', data: { id: 'c_123', firstName: 'Åsa', lastName: 'Berg', email: 'asa@example.se' } });

function sign(id: string, ts: string, body: string, key = KEY): string {
	return `v1,${createHmac('sha256', key).update(Buffer.concat([Buffer.from(`${id}.${ts}.`), Buffer.from(body)])).digest('base64')}`;
}

/** The secret as the setup keeps it: the secret table's row (default) or, from an earlier version, 01's static data. */
type SecretPlace = 'table' | 'staticData';

async function check(headers: Record<string, string>, body = BODY, secret: string | null = SECRET, binary: Record<string, unknown> = { data: Buffer.from(body).toString('base64') }, place: SecretPlace = 'table') {
	const input = { first: () => ({ json: { headers }, binary: { data: binary } }) };
	const row = place === 'table' && secret ? { id: 1, name: 'propstreet-webhook', secret, webhookId: 'w1', events: '["contact.created"]' } : {};
	const result = (await runCodeNode(codeOf('01-cloud-webhook-setup.json', 'Check Signature'), {
		$input: input,
		$: (name: string) => {
			if (name !== 'Read Secret') throw new Error(`Check Signature reads no node "${name}"`);
			return { first: () => ({ json: row }) };
		},
		$getWorkflowStaticData: () => (place === 'staticData' ? { propstreetWebhookSecret: secret } : {}),
		helpers: { getBinaryDataBuffer: async () => Buffer.from(body) },
	})) as Array<{ json: Record<string, unknown> }>;
	return result[0].json;
}

describe('Cloud: generated signature check (Code node sandbox, no modules)', () => {
	const headers = (sig: string, ts = TS) => ({ 'webhook-id': 'msg_1', 'webhook-timestamp': ts, 'webhook-signature': sig, 'content-type': 'application/json' });

	it('accepts a delivery signed with the whsec_ key and hands on the Propstreet Trigger item', async () => {
		const out = await check(headers(sign('msg_1', TS, BODY)));
		expect(out).toMatchObject({ valid: true, status: 200, event: { event: 'contact.updated', entity: 'contact', entityId: 'c_123', deliveryId: 'msg_1' } });
	});

	it('reads the raw body from stored binary data too', async () => {
		const out = await check(headers(sign('msg_1', TS, BODY)), BODY, SECRET, { id: 'filesystem-v2:abc', mimeType: 'application/json' });
		expect(out.valid).toBe(true);
	});

	it('answers 401 for a bad signature, a stale timestamp, another key or no stored secret', async () => {
		expect(await check(headers(sign('msg_1', TS, `${BODY} `)))).toMatchObject({ valid: false, status: 401, reason: 'no_matching_signature' });
		const old = String(Number(TS) - 301);
		expect(await check(headers(sign('msg_1', old, BODY), old))).toMatchObject({ valid: false, status: 401, reason: 'timestamp_too_old' });
		expect(await check(headers(sign('msg_1', TS, BODY, Buffer.alloc(32, 1))))).toMatchObject({ valid: false, status: 401, reason: 'no_matching_signature' });
		expect(await check(headers(sign('msg_1', TS, BODY)), BODY, null)).toMatchObject({ valid: false, status: 401, reason: 'no_secret' });
	});

	it('still checks with a secret an earlier version left in static data, and never puts the secret in its answer', async () => {
		const legacy = await check(headers(sign('msg_1', TS, BODY)), BODY, SECRET, undefined, 'staticData');
		expect(legacy).toMatchObject({ valid: true, status: 200 });
		expect(await check(headers(sign('msg_1', TS, BODY, Buffer.alloc(32, 1))), BODY, SECRET, undefined, 'staticData')).toMatchObject({ valid: false, status: 401 });
		expect(JSON.stringify(legacy)).not.toContain(SECRET.slice(6));
		expect(JSON.stringify(await check(headers(sign('msg_1', TS, BODY))))).not.toContain(SECRET.slice(6));
	});
});

describe('Cloud: generated sync loop (00 Sync Record, Code node sandbox)', () => {
	/** Next Call's routing expression, evaluated as n8n would for one step output. */
	const route = (workflow: { nodes: Array<{ name: string; parameters: Record<string, any> }> }) => {
		const rules = workflow.nodes.find((n) => n.name === 'Next Call')!.parameters.rules.values as Array<{ outputKey: string; conditions: { conditions: Array<{ leftValue: string }> } }>;
		const expression = rules[0].conditions.conditions[0].leftValue.replace(/^=\{\{/, '').replace(/\}\}$/, '');
		const keys = rules.map((r) => r.outputKey);
		return (json: unknown) => {
			const key = new Function('$json', `return (${expression});`)(json) as string;
			if (!keys.includes(key)) throw new Error(`Next Call has no output for "${key}" (${JSON.stringify(json).slice(0, 200)})`);
			return key;
		};
	};

	it('loops a new Propstreet contact to its Pipedrive person one call per round, every call routed, and ends Done', async () => {
		const workflow = JSON.parse(fs.readFileSync(path.join(CLOUD, '00-cloud-sync-record.json'), 'utf8'));
		const nextCall = route(workflow);
		const code = codeOf('00-cloud-sync-record.json', 'Sync Record');
		const bed = await startCloudBed();
		try {
			const contact = await psCreate(bed, 'contact', { firstName: 'Ola', lastName: 'Nordmann', email: 'ola.nordmann@example.no', tags: ['investor'] });
			const event = await psEvent(bed, 'contact', contact.id, 'created');
			const runs: Array<Record<string, any>> = [];
			const routes: string[] = [];
			let input: Array<{ json: unknown }> = [{ json: {} }];
			for (let round = 0; round < 200; round++) {
				const nodes: Record<string, unknown> = { 'Record Event': { entity: 'contact', event }, 'Read Settings': {} };
				const $ = (name: string) => ({ first: (_branch?: number, run?: number) => ({ json: name === 'Sync Record' ? runs[run as number] : nodes[name] }) });
				const $input = { first: () => input[0], all: () => input };
				const [out] = (await runCodeNode(code, { $, $input, $runIndex: round, $execution: { id: '7' }, $getWorkflowStaticData: () => bed.cache })) as Array<{ json: Record<string, any> }>;
				runs.push(out.json);
				routes.push(nextCall(out.json));
				if (out.json.action === 'finished') break;
				const answer = await answerOf(bed, out.json.lookup);
				input = Array.isArray(answer) ? answer.map((json) => ({ json })) : [{ json: answer }];
			}
			const last = runs[runs.length - 1];
			expect(last).toMatchObject({ action: 'finished', outcome: { action: 'created', propstreetId: contact.id, pipedriveId: expect.any(String) } });
			expect(routes[routes.length - 1]).toBe('done');
			expect(routes).toEqual(expect.arrayContaining(['state find', 'state insert', 'pipedrive write']));
			const person = await pdGet(bed, 'contact', last.outcome.pipedriveId);
			expect(person).toMatchObject({ name: 'Ola Nordmann' });
			expect(bed.state.rows.filter((r) => r.entity === 'contact').map((r) => ({ pipedriveId: r.pipedriveId, propstreetId: r.propstreetId, status: r.status }))).toEqual([
				{ pipedriveId: last.outcome.pipedriveId, propstreetId: contact.id, status: 'linked' },
			]);
		} finally {
			await bed.close();
		}
	});
});

describe('Cloud: generated note sync (Code node sandbox)', () => {
	it('loops one call at a time to a new note on the linked contact, then hands the state row to store', async () => {
		const code = codeOf('09-cloud-notes-pipedrive-to-propstreet.json', 'Sync Note');
		const event = { meta: { action: 'create', entity: 'note', entity_id: '501', version: '2.0' }, data: { id: 501, content: '<p>Hej <b>Kista</b></p>', person_id: 77, update_time: '2026-12-04 10:00:00' } };
		const contactRow = { id: 3, entity: 'contact', pipedriveId: '77', propstreetId: 'c_9', status: 'linked', version: 1, owner: '', baseline: '' };
		const timeline = (notes: unknown[]) => ({ statusCode: 200, body: { data: notes, page: { hasMore: false } } });
		let created = false;
		const answerOf = (lookup: Record<string, any>): { json: unknown }[] => {
			if (lookup.api === 'state') return [{ json: lookup.state.entity === 'contact' && lookup.state.value === '77' ? contactRow : {} }];
			if (lookup.method === 'POST') {
				created = true;
				return [{ json: { statusCode: 201, body: '' } }];
			}
			return [{ json: timeline(created ? [{ id: '900', type: 'note', details: { message: 'Hej Kista' }, etag: 'W/"1"', timestampUtc: '2026-12-04T10:00:01Z' }] : []) }];
		};
		const runs: Array<Record<string, any>> = [];
		let input: { json: unknown }[] = [{ json: {} }];
		for (let round = 0; round < 12; round++) {
			const nodes: Record<string, unknown> = { 'Pipedrive Trigger': event, 'Read Settings': {} };
			const $ = (name: string) => ({ first: (_branch?: number, run?: number) => ({ json: name === 'Sync Note' ? runs[run as number] : nodes[name] }) });
			const $input = { first: () => input[0], all: () => input };
			const [out] = (await runCodeNode(code, { $, $input, $runIndex: round, $execution: { id: '42' } })) as Array<{ json: Record<string, any> }>;
			runs.push(out.json);
			if (out.json.action === 'done') {
				expect(out.json.outcome).toMatchObject({ action: 'created', pipedriveId: '501' });
				expect(out.json.row).toMatchObject({ entity: 'note', pipedriveId: '501', propstreetId: 'contact/c_9/900', status: 'linked' });
				expect(runs.filter((r) => r.action === 'lookup' && r.lookup.method === 'POST')).toHaveLength(1);
				return;
			}
			input = answerOf(out.json.lookup);
		}
		throw new Error('the generated note sync did not finish in 12 rounds');
	});
});
