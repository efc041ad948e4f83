/**
 * The error-workflow link after an import through the editor, in a real n8n 2.40.
 *
 * The editor's *Import from File* keeps a file's nodes, connections, name and tags, and nothing
 * else (n8n-editor-ui `importWorkflowData`): the workflow is saved with the editor's default
 * settings (POST /rest/workflows) and gets a new id. So the Error Handler gets a new id, and every
 * other workflow's `settings.errorWorkflow` is gone. This suite imports the bundled workflows the
 * way the editor saves them, runs 01 (its *Link Error Handler* node finds the handler by name,
 * publishes it and links every bundled workflow), and checks that a failing execution reaches it.
 * 00 Sync Settings comes through the CLI import instead (fixed id, link to `PsSyncErrorFlow0`, which
 * no longer exists): a dangling link is repaired the same way.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { bundledWorkflowFiles, STACK_TOKENS, startStack, WORKFLOWS_DIR, type Stack } from '../harness/stack';

type Rec = Record<string, any>;
let stack: Stack;
const CLI_IMPORTED = '00-sync-settings.json';
const editorImported = bundledWorkflowFiles().filter((f) => path.basename(f) !== CLI_IMPORTED);
/** Workflow name → id given by n8n on the editor save. */
const ids = new Map<string, string>();

/** What the editor sends when a person imports a file into a new workflow and saves it. */
function asEditorSaves(file: string): Rec {
	const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Rec;
	const nodes = (json.nodes as Rec[]).map((n) => ({ ...n, id: randomUUID(), ...(n.type === 'n8n-nodes-base.webhook' && n.webhookId ? { webhookId: randomUUID() } : {}) }));
	return { name: json.name, nodes, connections: json.connections, settings: { executionOrder: 'v1' }, active: false, pinData: {}, tags: [] };
}

const publicWorkflow = (id: string) => stack.n8n.api<Rec>('GET', `/workflows/${id}`);
const executionDone = (id: string) => stack.waitFor(async () => {
	const e = await stack.n8n.execution(id);
	return e.stoppedAt ? e : undefined;
}, { what: `execution ${id}`, timeoutMs: 90000 });
async function runSetup(): Promise<Rec> {
	const started = await stack.n8n.rest<{ executionId?: string }>('POST', `/workflows/${ids.get('Propstreet Sync: Set Up Pipedrive Custom Fields')}/run`, { triggerToStartFrom: { name: 'When clicking ‘Execute workflow’' } });
	expect(started.executionId).toBeDefined();
	return (await executionDone(String(started.executionId))) as Rec;
}

beforeAll(async () => {
	stack = await startStack({ seed: true, label: 'n8n-e2e-error-link', workflowFiles: [path.join(WORKFLOWS_DIR, CLI_IMPORTED)] });
	for (const file of editorImported) {
		const saved = await stack.n8n.rest<Rec>('POST', '/workflows', asEditorSaves(file));
		ids.set(String(saved.name), String(saved.id));
	}
}, 600000);
afterAll(async () => stack?.stop(), 120000);

describe('error-workflow link after an editor import (real n8n 2.40)', () => {
	test('n8n keeps no errorWorkflow from an editor import, and the handler gets a new id', async () => {
		const handlerId = ids.get('Propstreet Sync: Error Handler')!;
		expect(handlerId).not.toBe('PsSyncErrorFlow0');
		const contacts = await publicWorkflow(ids.get('Propstreet Sync: Contacts Propstreet → Pipedrive')!);
		expect(contacts.settings?.errorWorkflow).toBeUndefined();
		expect((await publicWorkflow(handlerId)).active).toBe(false);
		// The CLI import keeps the file's settings, so 00 points at an id that does not exist here.
		expect((await publicWorkflow('PsSyncSettings01')).settings.errorWorkflow).toBe('PsSyncErrorFlow0');
	});

	test('01 links every bundled workflow to the handler found by name and publishes it; a second run changes nothing', async () => {
		const handlerId = ids.get('Propstreet Sync: Error Handler')!;
		const first = await runSetup();
		const linkOut = first.data?.resultData?.runData?.['Link Error Handler']?.[0]?.data?.main?.[0]?.[0]?.json as Rec;
		expect(linkOut).toMatchObject({ linked: true, errorHandlerId: handlerId, published: 'now' });
		expect((linkOut.linkedNow as Rec[]).length).toBe(ids.size); // every other editor-imported one, plus 00
		for (const id of [...ids.values()].filter((id) => id !== handlerId).concat('PsSyncSettings01')) {
			const wf = await publicWorkflow(id);
			expect({ name: wf.name, errorWorkflow: wf.settings?.errorWorkflow }).toEqual({ name: wf.name, errorWorkflow: handlerId });
			// Only the settings changed: nodes are as imported.
			expect(wf.nodes.length).toBeGreaterThan(0);
		}
		expect((await publicWorkflow(handlerId)).active).toBe(true);

		const second = await runSetup();
		const again = second.data?.resultData?.runData?.['Link Error Handler']?.[0]?.data?.main?.[0]?.[0]?.json as Rec;
		expect(again).toMatchObject({ linked: true, errorHandlerId: handlerId, published: 'already', linkedNow: [] });
		expect((again.alreadyLinked as string[]).length).toBe(ids.size);
	}, 240000);

	test('a failing production execution of a linked workflow reaches the handler', async () => {
		// n8n runs no error workflow for manual executions: 01 is published and run through its webhook.
		const handlerId = ids.get('Propstreet Sync: Error Handler')!;
		const setupId = ids.get('Propstreet Sync: Set Up Pipedrive Custom Fields')!;
		await stack.n8n.activate(setupId);
		const since = Date.now();
		stack.pipedrive.control.failNext({ status: 503, count: 60 });
		await fetch(stack.n8n.webhookUrl('propstreet-sync-setup'), {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${STACK_TOKENS.webhookUser}:${STACK_TOKENS.webhookPassword}`).toString('base64')}` },
			body: '{}',
		});
		const [failed] = await stack.n8n.waitForExecutions(setupId, 1, { since: since - 50, timeoutMs: 60000 });
		expect(failed.status).not.toBe('success');
		expect(failed.mode).toBe('webhook');
		const [handled] = await stack.n8n.waitForExecutions(handlerId, 1, { since: since - 50, timeoutMs: 60000 });
		expect(handled.status).toBe('success');
		const runData = (handled as Rec).data?.resultData?.runData ?? {};
		expect(Object.keys(runData)).toEqual(expect.arrayContaining(['Error Trigger', 'Error Summary']));
		// The handler was told which workflow failed: the editor-imported 01, by its new id.
		expect(JSON.stringify(runData['Error Trigger'])).toContain(setupId);
	}, 180000);
});
