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
import { syncEvent, type SideEvent } from '../shared/core/twoWay/event';
import { readSideEvent } from '../shared/core/twoWay/eventInput';
import type { RunOutcome, TwoWayRun } from '../shared/core/twoWay/ports';
import { parseJsonParameter } from '../shared/jsonParameter';
import { mappingFailure } from '../shared/mappingFailure';
import { readMapperConfig } from '../shared/mapperSettings';
import { DataTableStateStore } from '../shared/syncStore';
import { propstreetCredentials } from '../Propstreet/transport';
import { syncProperties } from './description';
import { bindingFor, type EntityRunCommon, type EntitySetup } from './entities';

function readRules(ctx: IExecuteFunctions, i: number): ConflictRules {
	const policy = ctx.getNodeParameter('conflictPolicy', i, 'lastWriteWins') as ConflictPolicy;
	const owners: Record<string, Side> = {};
	for (const field of ctx.getNodeParameter('pipedriveOwned', i, []) as string[]) owners[field] = 'pipedrive';
	for (const field of ctx.getNodeParameter('propstreetOwned', i, []) as string[]) owners[field] = 'propstreet';
	return { policy, owners };
}

function readCommon(ctx: IExecuteFunctions, i: number, owner: string): EntityRunCommon {
	const createIn = ctx.getNodeParameter('createIn', i, ['pipedrive', 'propstreet']) as string[];
	return {
		rules: readRules(ctx, i),
		createOn: { pipedrive: createIn.includes('pipedrive'), propstreet: createIn.includes('propstreet') },
		owner,
		now: () => new Date(),
		wait: async (ms) => await sleep(ms),
	};
}

function readSetup(ctx: IExecuteFunctions, i: number, store: DataTableStateStore): EntitySetup {
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

/** One event through its entity's flow: the two-way engine, or the entity's own (notes). */
async function syncOne(ctx: IExecuteFunctions, i: number, store: DataTableStateStore, owner: string, entity: string, event: SideEvent): Promise<RunOutcome> {
	const binding = bindingFor(entity);
	if (!binding) throw new NodeOperationError(ctx.getNode(), `Entity "${entity}" is not one the Sync node runs`, { itemIndex: i });
	const setup = readSetup(ctx, i, store);
	const common = readCommon(ctx, i, owner);
	if (binding.syncEvent) return binding.syncEvent(setup, common, event);
	if (!binding.build) throw new NodeOperationError(ctx.getNode(), `Entity "${entity}" has no sync flow`, { itemIndex: i });
	const parts = await binding.build(setup);
	const run: TwoWayRun = { ...parts, ...common, config: setup.config, store };
	return syncEvent(run, event);
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
				const side = this.getNodeParameter('recordSide', i, 'auto') as Side | 'auto';
				const event = readSideEvent(items[i].json, entity, side);
				const outcome = await syncOne(this, i, store, owner, entity, event);
				const out: INodeExecutionData = { json: outcome as unknown as IDataObject, pairedItem: { item: i } };
				(outcome.review.length ? review : done).push(out);
			} catch (error) {
				const failed = mappingFailure(this, error, i);
				if (!this.continueOnFail()) throw failed;
				done.push({ json: { error: failed.message, description: failed.description ?? null }, pairedItem: { item: i } });
			}
		}
		return [done, review];
	}
}
