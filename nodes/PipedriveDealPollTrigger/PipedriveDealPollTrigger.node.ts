/**
 * Pipedrive Deal Poll Trigger: emits the open deals of one pipeline whose participants may have
 * changed. Pipedrive has no participant webhook; instead of reading every deal's participants,
 * each poll lists the pipeline's open deals (one call per 500, `include_fields=participants_count`)
 * and compares participant count and update time with the snapshot kept in the trigger's static
 * data (n8n saves it after each poll). The first poll only takes the snapshot; a full sweep (every
 * deal) runs every few hours (daily by default), for changes a count cannot show.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { decidePoll, DEFAULT_SWEEP_HOURS, readSnapshot } from '../shared/core/membership/dealSnapshot';
import { getPipelines, listDeals, PIPEDRIVE_CREDENTIAL } from '../shared/pipedrive';

interface TriggerStaticData extends IDataObject {
	pipeline?: { name: string; id: number };
	snapshot?: IDataObject;
}

async function pipelineId(ctx: IPollFunctions, state: TriggerStaticData, name: string): Promise<number> {
	if (state.pipeline?.name === name) return state.pipeline.id;
	const found = (await getPipelines(ctx)).find((p) => String(p.name).trim().toLowerCase() === name.trim().toLowerCase());
	if (!found) throw new NodeOperationError(ctx.getNode(), `No Pipedrive pipeline is named "${name}"`, { description: 'Check the Pipeline parameter' });
	state.pipeline = { name, id: Number(found.id) };
	// Another pipeline's snapshot says nothing about this one.
	delete state.snapshot;
	return state.pipeline.id;
}

export class PipedriveDealPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pipedrive Deal Poll Trigger',
		name: 'pipedriveDealPollTrigger',
		icon: { light: 'file:dealPoll.svg', dark: 'file:dealPoll.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Deals in " + $parameter["pipeline"]}}',
		description: 'Starts the workflow with the open deals of a pipeline whose participants may have changed (one list call per 500 deals)',
		defaults: { name: 'Pipedrive Deal Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: PIPEDRIVE_CREDENTIAL, required: true }],
		properties: [
			{
				displayName: 'Pipeline',
				name: 'pipeline',
				type: 'string',
				default: 'Nordic Transactions',
				required: true,
				description: 'Name of the Pipedrive pipeline whose open deals are watched',
			},
			{
				displayName: 'Full Sweep Every (Hours)',
				name: 'sweepEveryHours',
				type: 'number',
				default: DEFAULT_SWEEP_HOURS,
				typeOptions: { minValue: 0 },
				description: 'How often every open deal is emitted, changed or not: the safety net for a participant replaced by another between two polls. 0 = every poll.',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const state = this.getWorkflowStaticData('node') as TriggerStaticData;
		const name = String(this.getNodeParameter('pipeline', '') ?? '').trim();
		if (!name) throw new NodeOperationError(this.getNode(), 'The Pipeline parameter is empty');
		const hours = Number(this.getNodeParameter('sweepEveryHours', DEFAULT_SWEEP_HOURS));
		// Pipedrive failures arrive as NodeApiError from the transport, naming the call.
		const id = await pipelineId(this, state, name);
		const deals = await listDeals(this, { pipeline_id: id, status: 'open', include_fields: 'participants_count' });
		const manual = this.getMode() === 'manual';
		const decision = decidePoll(manual ? null : readSnapshot(state.snapshot), deals, Date.now(), Math.max(0, hours) * 3_600_000, manual);
		// A manual run (the editor's "Fetch test event") emits every deal and keeps the snapshot as it was.
		if (!manual) state.snapshot = decision.next as unknown as IDataObject;
		if (!decision.emit.length) return null;
		return [decision.emit.map((deal) => ({ json: { ...deal, pollReason: decision.sweep ? 'sweep' : 'changed' } as IDataObject }))];
	}
}
