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
import type { Side } from '../shared/core/merge/policy';
import { syncEvent, type SideEvent } from '../shared/core/twoWay/event';
import { readSideEvent } from '../shared/core/twoWay/eventInput';
import type { RunOutcome, TwoWayRun } from '../shared/core/twoWay/ports';
import { parseJsonParameter } from '../shared/jsonParameter';
import { mappingFailure } from '../shared/mappingFailure';
import { readMapperConfig } from '../shared/mapperSettings';
import { conflictRulesFrom } from '../shared/core/settings';
import { filtersOf, loadSettings, settingsOf, withSettingsWarning, type RunSettingsSource } from './settingsSource';
import { pipedriveRecordUrl } from '../shared/core/review/links';
import { DataTableReviewQueue, DataTableStateStore } from '../shared/syncStore';
import { propstreetCredentials } from '../Propstreet/transport';
import { runApplyReview } from './applyReview';
import { runApplyMembershipReview } from './applyMembershipReview';
import { syncProperties } from './description';
import { runSweep } from './sweep';
import { LIST_DEFINITIONS_MAX_AGE_MS } from './fieldDefinitions';
import type { JsonRecord } from '../shared/core/mapping/common';
import { bindingFor, type EntitySetup, type RunSettings } from './entities';

/** The review queue of item `i`: links to Pipedrive records come from the Pipedrive credential's company domain. */
function reviewQueueOf(ctx: IExecuteFunctions, i: number): DataTableReviewQueue {
	const baseUrl = async () => String((await ctx.getCredentials('propstreetPipedriveApi', i)).baseUrl ?? '');
	return new DataTableReviewQueue(ctx, async (entity, id) => pipedriveRecordUrl(await baseUrl(), entity, id), i);
}

/** Everything of the run that does not depend on the entity, read once for item `i` from the node or the shared settings. */
function readSetup(ctx: IExecuteFunctions, i: number, store: DataTableStateStore, owner: string, source: RunSettingsSource, payload: JsonRecord | null = null): EntitySetup {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const { read, prospectPipeline } = settingsOf(ctx, i, source);
	const createIn = read('createIn', ['pipedrive', 'propstreet']) as string[];
	const config = readMapperConfig(ctx, i, read);
	const settings: RunSettings = {
		config,
		store,
		rules: conflictRulesFrom(read),
		review: reviewQueueOf(ctx, i),
		createOn: { pipedrive: createIn.includes('pipedrive'), propstreet: createIn.includes('propstreet') },
		owner,
		now: () => new Date(),
		wait: async (ms) => await sleep(ms),
	};
	return {
		ctx,
		i,
		store,
		config,
		givenDefinitions: parseJsonParameter(ctx, options.fieldDefinitions, 'Field Definitions', i),
		filters: filtersOf(read),
		prospectPipeline,
		settings,
		payload,
	};
}

/** The sync of one entity, set up once for item `i`: each event then runs the two-way engine, or the entity's own flow (notes). */
async function prepareSync(ctx: IExecuteFunctions, i: number, store: DataTableStateStore, owner: string, entity: string, source: RunSettingsSource, event?: SideEvent): Promise<(event: SideEvent) => Promise<RunOutcome>> {
	const binding = bindingFor(entity);
	if (!binding) throw new NodeOperationError(ctx.getNode(), `Entity "${entity}" is not one the Sync node runs`, { itemIndex: i });
	// One event: what its Pipedrive record carries decides whether the cached definitions do. A list (backfill): an hour-old copy at most.
	const setup = event ? readSetup(ctx, i, store, owner, source, event.side === 'pipedrive' ? event.record : null) : { ...readSetup(ctx, i, store, owner, source), definitionsMaxAgeMs: LIST_DEFINITIONS_MAX_AGE_MS };
	if (binding.syncItem) throw new NodeOperationError(ctx.getNode(), `Entity "${entity}" is synced per item, not per record event`, { itemIndex: i });
	if (binding.syncEvent) {
		const ownFlow = binding.syncEvent;
		return async (event) => ownFlow(setup, event);
	}
	const run: TwoWayRun = { ...(await binding.build(setup)), ...setup.settings };
	return async (event) => syncEvent(run, event);
}

/** One record event: the entity's sync set up for it, then run. */
async function syncOne(ctx: IExecuteFunctions, i: number, store: DataTableStateStore, owner: string, entity: string, source: RunSettingsSource, event: SideEvent): Promise<RunOutcome[]> {
	return [await (await prepareSync(ctx, i, store, owner, entity, source, event))(event)];
}

/** "Apply Review Decisions": the resolved review rows of one two-way entity, whatever the input items. */
async function applyOnce(ctx: IExecuteFunctions, store: DataTableStateStore, owner: string, source: RunSettingsSource): Promise<INodeExecutionData[][]> {
	try {
		const entity = ctx.getNodeParameter('entity', 0) as string;
		const binding = bindingFor(entity);
		if (!binding?.build && !binding?.syncItem) throw new NodeOperationError(ctx.getNode(), `Apply Review Decisions covers contacts, companies, deals and participant classifications; entity "${entity}" has no review rows it can apply`, { itemIndex: 0 });
		const setup = readSetup(ctx, 0, store, owner, source);
		const queue = reviewQueueOf(ctx, 0);
		if (binding.syncItem) return await runApplyMembershipReview(setup, binding, queue);
		return await runApplyReview({ ...(await binding.build(setup)), ...setup.settings, review: queue }, queue);
	} catch (error) {
		const failed = mappingFailure(ctx, error, 0);
		if (!ctx.continueOnFail()) throw failed;
		return [[{ json: { error: failed.message, description: failed.description ?? null }, pairedItem: { item: 0 } }], []];
	}
}

/** "List Changed Records": one sweep of one side (the backfill), whatever the input items. */
async function sweepOnce(ctx: IExecuteFunctions, store: DataTableStateStore, owner: string, source: RunSettingsSource): Promise<INodeExecutionData[][]> {
	try {
		const entity = ctx.getNodeParameter('entity', 0) as string;
		const side = ctx.getNodeParameter('recordSide', 0, 'auto') as Side | 'auto';
		if (side === 'auto') throw new NodeOperationError(ctx.getNode(), 'To list records, set "Record From" to Pipedrive or Propstreet', { itemIndex: 0 });
		const fullSweep = ctx.getNodeParameter('fullSweep', 0, false) as boolean;
		return await runSweep(ctx, entity, side, fullSweep, await prepareSync(ctx, 0, store, owner, entity, source));
	} catch (error) {
		const failed = mappingFailure(ctx, error, 0);
		if (!ctx.continueOnFail()) throw failed;
		return [[{ json: { error: failed.message, description: failed.description ?? null }, pairedItem: { item: 0 } }], []];
	}
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
		let source: RunSettingsSource;
		try {
			source = await loadSettings(this);
		} catch (error) {
			const failed = mappingFailure(this, error, 0);
			if (!this.continueOnFail()) throw failed;
			return [items.map((_, i) => ({ json: { error: failed.message, description: failed.description ?? null }, pairedItem: { item: i } })), []];
		}
		const records = this.getNodeParameter('source', 0, 'input');
		if (records === 'list') return withSettingsWarning(await sweepOnce(this, store, owner, source), source);
		if (records === 'review') return withSettingsWarning(await applyOnce(this, store, owner, source), source);
		for (let i = 0; i < items.length; i++) {
			try {
				const entity = this.getNodeParameter('entity', i) as string;
				const itemSync = bindingFor(entity)?.syncItem;
				// Memberships: the item names a deal, a prospect event, ids or a sweep; one outcome per pair.
				const outcomes = itemSync
					? await itemSync(readSetup(this, i, store, owner, source), items[i].json)
					: await syncOne(this, i, store, owner, entity, source, readSideEvent(items[i].json, entity, this.getNodeParameter('recordSide', i, 'auto') as Side | 'auto'));
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
		return withSettingsWarning([done, review], source);
	}
}
