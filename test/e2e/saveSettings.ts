/**
 * What a person does in the editor to change a setting for every bundled workflow: edit *Save
 * Settings* in *00 Sync Settings*, save the workflow, and run it once.
 */
import type { Stack } from '../harness/stack';

type Rec = Record<string, any>;

export async function saveSettings(stack: Stack, edit: (parameters: Rec) => void): Promise<void> {
	const wf = stack.workflow('00-sync-settings.json');
	const nodes = JSON.parse(JSON.stringify(wf.json.nodes)) as Rec[];
	edit(nodes.find((n) => n.name === 'Save Settings')!.parameters);
	await stack.n8n.rest('PATCH', `/workflows/${wf.id}`, { nodes, connections: wf.json.connections });
	const { executionId } = await stack.startWorkflow('00-sync-settings.json');
	const run = await stack.waitFor(
		async () => {
			const execution = await stack.n8n.execution(String(executionId));
			return execution.finished || ['success', 'error', 'crashed'].includes(String(execution.status)) ? execution : undefined;
		},
		{ what: '00 Sync Settings to finish', timeoutMs: 60000 },
	);
	if (run.status !== 'success') throw new Error(`00 Sync Settings ended ${String(run.status)}`);
}
