/** workflows/00-error-handler.json: the summary it builds from n8n's Error Trigger payload. */
import { runWorkflow } from '../helpers/n8nRunner';
import { routePipedriveTo } from '../helpers/pipedriveRoute';
import { startPipedriveSimulator } from '../simulators/pipedrive';
import { HOOK_AUTH, loadWorkflow, ownNodes, PD_TOKEN } from './contactsNotesKit';

const handler = loadWorkflow('00-error-handler.json');

/** The item n8n hands the Error Trigger when a workflow with this error workflow fails. */
function errorPayload(workflowName: string, lastNode: string, error: { message: string; description?: string }) {
	return {
		execution: { id: '4711', url: 'https://n8n.example.com/workflow/PsSyncContactP2S/executions/4711', error, lastNodeExecuted: lastNode, mode: 'webhook' },
		workflow: { id: 'PsSyncContactP2S', name: workflowName },
	};
}

async function summarise(payload: object) {
	const result = await runWorkflow({ workflow: handler, nodeTypes: ownNodes, pinnedInput: [{ json: payload as never }], mode: 'error' });
	expect(result.error).toBeUndefined();
	expect(result.executionOrder).toEqual(['Error Trigger', 'Error Summary', 'Send this somewhere (Slack, email…)']);
	return result.outputOf('Error Summary')[0].json as Record<string, string>;
}

describe('workflow 00: error handler', () => {
	it('summarises a real failure of another bundled workflow (setup with Pipedrive down)', async () => {
		const sim = await startPipedriveSimulator({ seed: false });
		const route = routePipedriveTo(sim.url);
		try {
			sim.control.failNext({ status: 503, count: 50 });
			const failed = await runWorkflow({ workflow: loadWorkflow('01-setup-custom-fields.json'), credentials: { pipedriveApi: { apiToken: PD_TOKEN }, httpBasicAuth: HOOK_AUTH }, nodeTypes: ownNodes });
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

	it('is itself not routed to an error workflow and every other bundled workflow names it', () => {
		expect(handler.id).toBe('PsSyncErrorFlow0');
		expect(handler.settings.errorWorkflow).toBeUndefined();
	});
});
