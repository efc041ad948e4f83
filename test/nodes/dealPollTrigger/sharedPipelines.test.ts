/**
 * The Deal Poll Trigger of workflow 08 reads its pipelines from the shared settings (the record
 * 00 Sync Settings saves, over the data-table simulator), run in n8n-core's own PollContext with
 * both credentials: a pipeline changed once in the settings is the one polled next, with a fresh
 * snapshot; an unknown pipeline fails naming where to fix it.
 */
import { PollContext } from 'n8n-core';
import { Workflow, type INodeExecutionData, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { PipedriveDealPollTrigger } from '../../../nodes/PipedriveDealPollTrigger/PipedriveDealPollTrigger.node';
import { forgetDailyBudgets } from '../../../nodes/shared/pipedrive';
import { forgetSavedSettings } from '../../../nodes/shared/syncStore';
import { RunnerCredentialsHelper, RunnerCredentialTypes, RunnerNodeTypes } from '../../helpers/n8nRunner';
import { loadWorkflow, startBed, type Bed } from '../../workflows/contactsNotesKit';
import { SETTINGS_TRIGGER, settingsWorkflow } from '../../workflows/support/settings';

const TRIGGER = 'Deal Participants Changed';
let bed: Bed;
beforeEach(async () => {
	forgetDailyBudgets();
	forgetSavedSettings();
	bed = await startBed({ pipedriveEntities: [], pipedriveDirect: true });
});
afterEach(async () => bed.close());

/** 00 Sync Settings run once with these synced pipelines (the settings cache forgotten, as after a minute). */
async function savePipelines(pipelines: string): Promise<void> {
	const result = await bed.runJson(settingsWorkflow({ pipelines }), [{ json: {} }], { startNode: SETTINGS_TRIGGER, mode: 'manual' });
	if (result.error) throw result.error;
	forgetSavedSettings();
}

/** 08's trigger node as n8n polls it; its static data lives on one Workflow between polls. */
function poller(): { poll: () => Promise<INodeExecutionData[][] | null>; staticData: () => Record<string, any> } {
	const nodes = loadWorkflow('08-prospects-participants.json').nodes.filter((n) => n.name === TRIGGER);
	const workflow = new Workflow({ nodes, connections: {}, active: true, nodeTypes: new RunnerNodeTypes({ pipedriveDealPollTrigger: PipedriveDealPollTrigger }), staticData: {} });
	const node = workflow.getNode(TRIGGER)!;
	const credentials = new RunnerCredentialsHelper({ ...bed.credentials, propstreetPipedriveApi: { apiToken: bed.pd.token, baseUrl: bed.pd.url } }, new RunnerCredentialTypes());
	const additionalData = { credentialsHelper: credentials, executionId: 'poll', restApiUrl: 'http://127.0.0.1/rest', instanceBaseUrl: 'http://127.0.0.1/', webhookBaseUrl: 'http://127.0.0.1/webhook', variables: {} } as unknown as IWorkflowExecuteAdditionalData;
	return {
		poll: async () => await new PipedriveDealPollTrigger().poll.call(new PollContext(workflow, node, additionalData, 'trigger', 'activate')),
		staticData: () => workflow.getStaticData('node', node) as Record<string, any>,
	};
}

const pd = () => bed.pd.control as any;
const openDealsOf = (pipelineId: number) => pd().deals().filter((d: any) => d.status === 'open' && d.pipeline_id === pipelineId).map((d: any) => String(d.id)).sort();
/** A write a Pipedrive user makes (the simulator's API). */
async function pdPost(path: string, body: object): Promise<any> {
	const res = await fetch(`${bed.pd.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-token': bed.pd.token }, body: JSON.stringify(body) });
	if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { data: unknown }).data;
}
const dealListCalls = () => (bed.pd.control.requestsByRoute()['GET /api/v2/deals'] ?? 0) as number;

describe('Deal Poll Trigger: pipelines from the shared settings', () => {
	it('polls the synced pipeline of the settings, and another one (fresh snapshot) once the settings name it', async () => {
		const nordic = pd().pipelines().find((p: any) => p.name === 'Nordic Transactions');
		const other = await pdPost('/api/v2/pipelines', { name: 'Helsinki Lettings' });
		const stage = await pdPost('/api/v2/stages', { name: 'Lead In', pipeline_id: other.id });
		const lettings = pd().createDeal({ title: 'Kamppi lettings', stage_id: stage.id, pipeline_id: other.id });
		await savePipelines('Nordic Transactions');
		const trigger = poller();

		expect(await trigger.poll()).toBeNull(); // the first poll takes the snapshot
		expect(trigger.staticData().pipelines).toEqual({ key: 'nordic transactions', ids: [nordic.id] });
		expect(Object.keys(trigger.staticData().snapshot.deals).sort()).toEqual(openDealsOf(nordic.id));
		expect(openDealsOf(nordic.id)).not.toContain(String(lettings.id));

		await savePipelines('Helsinki Lettings');
		expect(await trigger.poll()).toBeNull(); // a new pipeline starts its own snapshot
		expect(trigger.staticData().pipelines).toEqual({ key: 'helsinki lettings', ids: [other.id] });
		expect(Object.keys(trigger.staticData().snapshot.deals)).toEqual([String(lettings.id)]);

		// Both, in the order the settings list them: one list call each.
		await savePipelines('Nordic Transactions, Helsinki Lettings');
		const before = dealListCalls();
		expect(await trigger.poll()).toBeNull();
		expect(dealListCalls() - before).toBe(2);
		expect(Object.keys(trigger.staticData().snapshot.deals).sort()).toEqual([...openDealsOf(nordic.id), String(lettings.id)].sort());
	});

	it('a pipeline the settings name but Pipedrive lacks fails, pointing at 00 Sync Settings', async () => {
		await savePipelines('Stockholm Offices');
		await expect(poller().poll()).rejects.toMatchObject({ message: 'No Pipedrive pipeline is named "Stockholm Offices"', description: 'Check Synced Pipelines in "00 Sync Settings"' });
	});

	it('before 00 has ever run, the shipped pipeline is polled', async () => {
		const nordic = pd().pipelines().find((p: any) => p.name === 'Nordic Transactions');
		const trigger = poller();
		expect(await trigger.poll()).toBeNull();
		expect(trigger.staticData().pipelines).toEqual({ key: 'nordic transactions', ids: [nordic.id] });
	});
});
