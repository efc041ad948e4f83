/** workflows/00-error-handler.json: the summary it builds from n8n's Error Trigger payload. */
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { runWorkflow } from '../helpers/n8nRunner';
import { routePipedriveTo } from '../helpers/pipedriveRoute';
import { startPipedriveSimulator } from '../simulators/pipedrive';
import { HOOK_AUTH, loadWorkflow, ownNodes, PD_TOKEN } from './contactsNotesKit';

const handler = loadWorkflow('00-error-handler.json');
const NOTIFICATIONS = ['Send Email', 'Post to Slack'];

/**
 * n8n-nodes-base's Email and Slack nodes cannot be loaded under jest (they pull in an ES-module-only
 * HTML parser), so in-process the two disabled notification nodes get a stand-in type that fails the
 * run if n8n ever executes it. The real n8n e2e imports and runs the handler with the real nodes.
 */
function disabledStandIn(name: string, versions: number[]): INodeType {
	const description = { displayName: name, name, group: ['output'], version: versions, description: '', defaults: { name }, inputs: ['main'], outputs: ['main'], properties: [] } as unknown as INodeTypeDescription;
	return {
		description,
		async execute() {
			throw new Error(`${name} ran although it is disabled`);
		},
	};
}
const nodeTypes = { ...ownNodes, 'n8n-nodes-base.emailSend': disabledStandIn('emailSend', [2, 2.1]), 'n8n-nodes-base.slack': disabledStandIn('slack', [2, 2.1, 2.2, 2.3]) };

/** The item n8n hands the Error Trigger when a workflow with this error workflow fails. */
function errorPayload(workflowName: string, lastNode: string, error: { message: string; description?: string }) {
	return {
		execution: { id: '4711', url: 'https://n8n.example.com/workflow/PsSyncContactP2S/executions/4711', error, lastNodeExecuted: lastNode, mode: 'webhook' },
		workflow: { id: 'PsSyncContactP2S', name: workflowName },
	};
}

async function summarise(payload: object) {
	const result = await runWorkflow({ workflow: handler, nodeTypes, pinnedInput: [{ json: payload as never }], mode: 'error' });
	expect(result.error).toBeUndefined();
	// The disabled notifications pass the summary through without running.
	expect(result.executionOrder.slice(0, 2)).toEqual(['Error Trigger', 'Error Summary']);
	expect([...result.executionOrder.slice(2)].sort()).toEqual(['Send this somewhere (Slack, email…)', ...NOTIFICATIONS].sort());
	for (const name of NOTIFICATIONS) expect(result.outputOf(name)[0].json).toEqual(result.outputOf('Error Summary')[0].json);
	return result.outputOf('Error Summary')[0].json as Record<string, string>;
}

describe('workflow 00: error handler', () => {
	it('summarises a real failure of another bundled workflow (setup with Pipedrive down)', async () => {
		const sim = await startPipedriveSimulator({ seed: false });
		const route = routePipedriveTo(sim.url);
		try {
			sim.control.failNext({ status: 503, count: 50 });
			// From its Pipedrive part (Link Error Handler, before it, calls n8n's own API: test/e2e/errorLink.e2e.test.ts).
			const failed = await runWorkflow({ workflow: loadWorkflow('01-setup-custom-fields.json'), credentials: { pipedriveApi: { apiToken: PD_TOKEN }, httpBasicAuth: HOOK_AUTH }, nodeTypes: ownNodes, startNode: 'Get Person Fields' });
			expect(failed.error).toBeDefined();
			const lastNode = failed.run.data.resultData.lastNodeExecuted!;
			expect(lastNode).toBe('Get Person Fields');
			const summary = await summarise(errorPayload('Propstreet Sync: Set Up Pipedrive Custom Fields', lastNode, { message: failed.error!.message }));
			expect(summary).toMatchObject({
				workflow: 'Propstreet Sync: Set Up Pipedrive Custom Fields',
				workflowId: 'PsSyncContactP2S',
				node: 'Get Person Fields',
				error: failed.error!.message,
				recordId: '',
				executionId: '4711',
				executionUrl: 'https://n8n.example.com/workflow/PsSyncContactP2S/executions/4711',
			});
			expect(summary.summary).toContain('"Get Person Fields"');
			expect(summary.summary).toContain(failed.error!.message);
		} finally {
			route.restore();
			await sim.close();
		}
	});

	it('picks the record the error names (message or description)', async () => {
		const fromMessage = await summarise(errorPayload('Contacts', 'Map Person', { message: 'Field "email" of Pipedrive person 1013 is not valid' }));
		expect(fromMessage.recordId).toBe('person 1013');
		const fromDescription = await summarise(errorPayload('Contacts', 'Sync Contact', { message: 'Conflict', description: 'Propstreet contact 5003 changed meanwhile' }));
		expect(fromDescription.recordId).toBe('contact 5003');
		expect(fromDescription.details).toBe('Propstreet contact 5003 changed meanwhile');
	});

	it('offers e-mail and Slack notifications of the summary, switched off until a person sets them up', () => {
		const file = loadWorkflow('00-error-handler.json');
		const notifications = file.nodes.filter((n) => NOTIFICATIONS.includes(n.name));
		expect(notifications.map((n) => [n.name, n.type, n.disabled])).toEqual([
			['Send Email', 'n8n-nodes-base.emailSend', true],
			['Post to Slack', 'n8n-nodes-base.slack', true],
		]);
		expect(JSON.stringify(notifications.map((n) => n.parameters))).toContain('$json.summary');
		const targets = (file.connections['Error Summary'].main[0] ?? []).map((t) => t.node);
		expect(targets).toEqual(expect.arrayContaining(NOTIFICATIONS));
		const notes = file.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => String(n.parameters.content));
		expect(notes.some((c) => /Send Email/.test(c) && /Post to Slack/.test(c) && /Activate/.test(c))).toBe(true);
	});

	it('is itself not routed to an error workflow and every other bundled workflow names it', () => {
		expect(handler.id).toBe('PsSyncErrorFlow0');
		expect(handler.settings.errorWorkflow).toBeUndefined();
	});
});
