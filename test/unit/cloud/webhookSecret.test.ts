/**
 * Where the Cloud setup keeps the Propstreet `whsec_` secret (a data table row, read by 01 only),
 * how a secret an earlier version kept in 01's static data keeps working and moves to the table,
 * and the generated setup Code nodes that do it, under the Code node's sandbox.
 */
import * as fs from 'fs';
import * as path from 'path';
import { setupSteps } from '../../../nodes/shared/core/cloud/subscription';
import { forgetLegacySecret, SECRET_ROW_NAME, secretRowOf, storedSecret } from '../../../nodes/shared/core/cloud/webhookSecret';
import { runCodeNode } from './codeNodeSandbox';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OLD = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const URL = 'https://n8n.example/webhook/propstreet-cloud-contacts';
const EVENTS = ['contact.created', 'contact.updated'];
const row = { id: 4, name: SECRET_ROW_NAME, secret: SECRET, webhookId: 'w1', events: JSON.stringify(EVENTS) };
const legacy = () => ({ propstreetWebhookSecret: OLD, propstreetWebhookId: 'w0', propstreetWebhookEvents: EVENTS, other: 'kept' });

describe('Cloud webhook secret: the table row, with static data of earlier versions as a fallback', () => {
	it('reads the table row first, then static data, else nothing', () => {
		expect(storedSecret(row, legacy())).toEqual({ secret: SECRET, webhookId: 'w1', events: EVENTS, from: 'table' });
		expect(storedSecret({}, legacy())).toEqual({ secret: OLD, webhookId: 'w0', events: EVENTS, from: 'staticData' });
		// An error item (the table does not exist yet) or a row without a whsec_ value is no secret.
		expect(storedSecret({ error: 'Data table not found' }, {})).toBeNull();
		expect(storedSecret({ ...row, secret: 'plain' }, undefined)).toBeNull();
		expect(storedSecret({ ...row, name: 'other' }, {})).toBeNull();
	});

	it('makes the row from the create answer, or for a move from static data; refuses an answer without a secret', () => {
		expect(secretRowOf({ id: 12, url: URL, events: EVENTS, secret: SECRET }, legacy())).toEqual({ name: SECRET_ROW_NAME, secret: SECRET, webhookId: '12', events: JSON.stringify(EVENTS) });
		expect(secretRowOf({ kind: 'move' }, legacy())).toEqual({ name: SECRET_ROW_NAME, secret: OLD, webhookId: 'w0', events: JSON.stringify(EVENTS) });
		expect(() => secretRowOf({ id: 12, secret: 'nope' }, {})).toThrow(/whsec_/);
		expect(() => secretRowOf({ secret: SECRET }, {})).toThrow(/without an id/);
		expect(() => secretRowOf({ kind: 'move' }, {})).toThrow(/static data/);
	});

	it('forgets only the old secret keys, and reports whether there were any', () => {
		const data: Record<string, unknown> = legacy();
		expect(forgetLegacySecret(data)).toBe(true);
		expect(data).toEqual({ other: 'kept' });
		expect(forgetLegacySecret(data)).toBe(false);
	});

	it('setup moves a static-data secret of a subscription still in use on check and create, not otherwise', () => {
		const list = [{ id: 'w0', url: URL, events: EVENTS }];
		const stored = { webhookId: 'w0', events: EVENTS, hasSecret: true, legacy: true };
		expect(setupSteps({ action: 'check', url: URL, events: EVENTS, list, stored }).map((s) => s.kind)).toEqual(['move', 'report']);
		expect(setupSteps({ action: 'create', url: URL, events: EVENTS, list, stored }).map((s) => s.kind)).toEqual(['move', 'report']);
		expect(setupSteps({ action: 'check', url: URL, events: EVENTS, list, stored: { ...stored, legacy: false } }).map((s) => s.kind)).toEqual(['report']);
		// The subscription is gone: a create makes a new one (whose secret replaces the old), nothing to move.
		expect(setupSteps({ action: 'create', url: URL, events: EVENTS, list: [], stored }).map((s) => s.kind)).toEqual(['create', 'report']);
		expect(setupSteps({ action: 'delete', url: URL, events: EVENTS, list, stored }).map((s) => s.kind)).toEqual(['delete', 'forget', 'report']);
	});
});

describe('Cloud setup Code nodes (generated, sandboxed)', () => {
	const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../workflows/cloud/01-cloud-webhook-setup.json'), 'utf8')) as { nodes: Array<{ name: string; parameters: { jsCode?: string } }> };
	const codeOf = (name: string) => workflow.nodes.find((n) => n.name === name)!.parameters.jsCode!;
	const nodes = (answers: Record<string, unknown>) => (name: string) => ({ first: () => ({ json: answers[name] }) });

	it('Decide sees a static-data secret and asks to move it; with the row it only reports', async () => {
		const answers = { 'Setup Request': { body: { action: 'check', url: URL, events: EVENTS } }, 'Read Secret Row': {}, 'List Subscriptions': [{ id: 'w0', url: URL, events: EVENTS }] };
		const steps = (await runCodeNode(codeOf('Decide'), { $: nodes(answers), $getWorkflowStaticData: legacy })) as Array<{ json: { kind: string } }>;
		expect(steps.map((s) => s.json.kind)).toEqual(['move', 'report']);
		expect(JSON.stringify(steps)).not.toContain(OLD);
		const withRow = (await runCodeNode(codeOf('Decide'), { $: nodes({ ...answers, 'Read Secret Row': { ...row, webhookId: 'w0' } }), $getWorkflowStaticData: () => ({}) })) as Array<{ json: Record<string, unknown> }>;
		expect(withRow.map((s) => s.json)).toEqual([expect.objectContaining({ kind: 'report', ready: true, subscriptionId: 'w0' })]);
	});

	it('Secret Row turns a move into the row; Forget Static Secret then drops the old keys and answers without the secret', async () => {
		const data: Record<string, unknown> = legacy();
		const out = (await runCodeNode(codeOf('Secret Row'), { $input: { first: () => ({ json: { kind: 'move' } }) }, $getWorkflowStaticData: () => data })) as Array<{ json: unknown }>;
		expect(out[0].json).toEqual({ name: SECRET_ROW_NAME, secret: OLD, webhookId: 'w0', events: JSON.stringify(EVENTS) });
		const forgot = (await runCodeNode(codeOf('Forget Static Secret'), { $getWorkflowStaticData: () => data })) as Array<{ json: unknown }>;
		expect(forgot[0].json).toEqual({ staticDataCleared: true });
		expect(data).toEqual({ other: 'kept' });
	});
});
