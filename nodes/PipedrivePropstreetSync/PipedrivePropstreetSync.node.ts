import { randomUUID } from 'crypto';
import {
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import type { ConflictPolicy, ConflictRules, Side } from '../shared/core/merge/policy';
import { syncEvent } from '../shared/core/twoWay/event';
import { readSideEvent } from '../shared/core/twoWay/eventInput';
import type { TwoWayRun } from '../shared/core/twoWay/ports';
import { parseJsonParameter } from '../shared/jsonParameter';
import { mappingFailure } from '../shared/mappingFailure';
import { readMapperConfig } from '../shared/mapperSettings';
import { DataTableStateStore } from '../shared/syncStore';
import { propstreetCredentials } from '../Propstreet/transport';
import { syncProperties } from './description';
import { bindingFor, type EntitySetup, type SyncEntityBinding } from './entities';

function readRules(ctx: IExecuteFunctions, i: number): ConflictRules {
	const policy = ctx.getNodeParameter('conflictPolicy', i, 'lastWriteWins') as ConflictPolicy;
	const owners: Record<string, Side> = {};
	for (const field of ctx.getNodeParameter('pipedriveOwned', i, []) as string[]) owners[field] = 'pipedrive';
	for (const field of ctx.getNodeParameter('propstreetOwned', i, []) as string[]) owners[field] = 'propstreet';
	return { policy, owners };
}

function setupFor(ctx: IExecuteFunctions, i: number, store: DataTableStateStore): EntitySetup {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	return {
		ctx,
		i,
		store,
		config: readMapperConfig(ctx, i),
		givenDefinitions: parseJsonParameter(ctx, options.fieldDefinitions, 'Field Definitions', i),
		label: String(ctx.getNodeParameter('onlyWithLabel', i, '') ?? '').trim(),
	};
}

function bindingOf(ctx: IExecuteFunctions, i: number, entity: string): SyncEntityBinding {
	const binding = bindingFor(entity);
	if (!binding) throw new NodeOperationError(ctx.getNode(), `Entity "${entity}" is not one the Sync node runs`, { itemIndex: i });
	return binding;
}

async function buildRun(ctx: IExecuteFunctions, i: number, store: DataTableStateStore, owner: string, binding: SyncEntityBinding): Promise<TwoWayRun> {
	if (!binding.build) throw new NodeOperationError(ctx.getNode(), `Entity "${binding.value}" does not sync one record per event`, { itemIndex: i });
	const setup = setupFor(ctx, i, store);
	const config = setup.config;
	const createIn = ctx.getNodeParameter('createIn', i, ['pipedrive', 'propstreet']) as string[];
	const parts = await binding.build(setup);
	return {
		...parts,
		config,
		rules: readRules(ctx, i),
		store,
		createOn: { pipedrive: createIn.includes('pipedrive'), propstreet: createIn.includes('propstreet') },
		owner,
		now: () => new Date(),
		wait: async (ms) => await sleep(ms),
	};
}

export class PipedrivePropstreetSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pipedrive Propstreet Sync',
		name: 'pipedrivePropstreetSync',
		icon: { light: 'file:sync.svg', dark: 'file:sync.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"Two-way: " + $parameter["entity"]}}',
		description: 'Two-way sync of one record between Pipedrive and Propstreet: per-field merge from the stored sync state',
		defaults: { name: 'Pipedrive Propstreet Sync' },
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Done', 'Review'],
		credentials: [
			...propstreetCredentials(),
			{ name: 'propstreetPipedriveApi', required: true },
			{ name: 'propstreetSyncStateApi', required: true },
		],
		properties: syncProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const done: INodeExecutionData[] = [];
		const review: INodeExecutionData[] = [];
		const store = new DataTableStateStore(this);
		const owner = randomUUID();
		for (let i = 0; i < items.length; i++) {
			try {
				const entity = this.getNodeParameter('entity', i) as string;
				const binding = bindingOf(this, i, entity);
				const outcomes = binding.syncItem
					? await binding.syncItem({ ...setupFor(this, i, store), item: items[i].json, rules: readRules(this, i), owner, wait: async (ms) => await sleep(ms) })
					: [await syncEvent(await buildRun(this, i, store, owner, binding), readSideEvent(items[i].json, entity, this.getNodeParameter('recordSide', i, 'auto') as Side | 'auto'))];
				for (const outcome of outcomes) {
					const out: INodeExecutionData = { json: outcome as unknown as IDataObject, pairedItem: { item: i } };
					(outcome.review.length ? review : done).push(out);
				}
			} catch (error) {
				const failed = mappingFailure(this, error, i);
				if (!this.continueOnFail()) throw failed;
				done.push({ json: { error: failed.message, description: failed.description ?? null }, pairedItem: { item: i } });
			}
		}
		return [done, review];
	}
}
