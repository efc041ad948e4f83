/**
 * Pipedrive Deal Poll Trigger: emits the open deals of one pipeline whose participants may have
 * changed. Pipedrive has no participant webhook; instead of reading every deal's participants,
 * each poll lists the pipeline's open deals (one call per 500, `include_fields=participants_count`)
 * and compares participant count and update time with the snapshot kept in the trigger's static
 * data (n8n saves it after each poll). The first poll only takes the snapshot. Once a day (by
 * default) the poll also emits one `participationCheck` item after the deals: the Sync node then
 * finds the changes a count cannot show from the persons' participation counts
 * (`core/membership/participationCheck.ts`); every Nth check can be a full read of every deal
 * instead (off by default). Each deal item's `pollReason`: `changed` (count moved, or a new deal),
 * `updated` (only the update time moved), `sweep` (a full read); the check item's is `check`.
 *
 * Near the end of the day's Pipedrive token budget (below a share the node sets) the poll holds
 * back: it lists only every Nth time and leaves the participation check (and any full read) for the
 * next day; the items it does emit carry a `paced` note naming the tokens left (a skipped poll has
 * no items, so it logs it).
 */
import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { decidePoll, DEFAULT_FULL_READ_EVERY, DEFAULT_SWEEP_HOURS, readSnapshot, type PollDecision } from '../shared/core/membership/dealSnapshot';
import { decidePollPace, DEFAULT_PACE_BELOW_PERCENT, DEFAULT_SLOW_POLL_EVERY, type PaceState, type PollPace } from '../shared/core/pipedrive';
import { listDeals, PIPEDRIVE_CREDENTIAL, pipedriveDailyPace } from '../shared/pipedrive';
import { SYNC_STATE_CREDENTIAL } from '../shared/syncStore';
import { watchedPipelineIds, watchedPipelineNames, type PipelineState } from './watchedPipelines';

interface TriggerStaticData extends PipelineState {
	/** Polls skipped in a row while the daily budget is low. */
	skippedInRow?: number;
}

/** What the emitted items say about pacing, when the budget is low. */
function pacedNote(pace: PaceState, pollPace: PollPace): IDataObject | undefined {
	if (!pace.low) return undefined;
	return { remainingTokens: pace.remaining, dailyTokenLimit: pace.limit, warning: pollPace.warning ?? `${pace.warning}; no participation check until the budget resets` };
}

/** The open deals of the watched pipelines (one list per pipeline; every open deal when none is named). */
async function openDeals(ctx: IPollFunctions, ids: number[] | null): Promise<IDataObject[]> {
	const qs = { status: 'open', include_fields: 'participants_count' };
	if (ids === null) return await listDeals(ctx, qs);
	const deals: IDataObject[] = [];
	for (const id of ids) deals.push(...(await listDeals(ctx, { ...qs, pipeline_id: id })));
	return deals;
}

/** The deals to sync, then (on the check's tick) the participation check item naming every open deal listed. */
function emittedItems(decision: PollDecision, deals: IDataObject[], paced: IDataObject | undefined): INodeExecutionData[] {
	const note = paced ? { paced } : {};
	const reason = (deal: { id?: unknown }) => (decision.sweep ? 'sweep' : decision.updatedOnly.has(String(deal.id)) ? 'updated' : 'changed');
	const items = decision.emit.map((deal) => ({ json: { ...deal, pollReason: reason(deal), ...note } as IDataObject }));
	if (decision.check) items.push({ json: { pollReason: 'check', participationCheck: decision.check, openDealIds: deals.map((d) => String(d.id)), ...note } });
	return items;
}

export class PipedriveDealPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pipedrive Deal Poll Trigger',
		name: 'pipedriveDealPollTrigger',
		icon: { light: 'file:dealPoll.svg', dark: 'file:dealPoll.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["pipelineSource"] === "shared" ? "Deals in the synced pipelines" : "Deals in " + $parameter["pipeline"]}}',
		description: 'Starts the workflow with the open deals of the synced pipelines whose participants may have changed (one list call per 500 deals)',
		defaults: { name: 'Pipedrive Deal Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: PIPEDRIVE_CREDENTIAL, required: true },
			{ name: SYNC_STATE_CREDENTIAL, required: true, displayOptions: { show: { pipelineSource: ['shared'] } } },
		],
		properties: [
			{
				displayName: 'Pipelines',
				name: 'pipelineSource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'From the Sync Settings Workflow', value: 'shared', description: 'The Synced Pipelines saved by "00 Sync Settings" (read with the Propstreet sync state credential), the same the Sync nodes use' },
					{ name: 'Set in This Node', value: 'node', description: 'One pipeline named below, for a workflow without the shared settings' },
				],
				default: 'node',
			},
			{
				displayName: 'Pipeline',
				name: 'pipeline',
				type: 'string',
				default: 'Nordic Transactions',
				required: true,
				displayOptions: { show: { pipelineSource: ['node'] } },
				description: 'Name of the Pipedrive pipeline whose open deals are watched',
			},
			{
				displayName: 'Participation Check Every (Hours)',
				name: 'sweepEveryHours',
				type: 'number',
				default: DEFAULT_SWEEP_HOURS,
				typeOptions: { minValue: 0 },
				description: "How often the Sync node checks the persons' participation counts (one person list per 500 persons) and reads the few deals whose participants changed unseen, e.g. a participant replaced by another between two polls. 0 = every poll.",
			},
			{
				displayName: 'Full Participant Read Every Nth Check',
				name: 'fullReadEvery',
				type: 'number',
				default: DEFAULT_FULL_READ_EVERY,
				typeOptions: { minValue: 0 },
				description: "Instead of every Nth check, emit every open deal so each deal's participants are read (one call per deal). It covers what the check cannot see (two people trading places between two deals within one day). 0 = never; 7 with daily checks = weekly.",
			},
			{
				displayName: 'Hold Back Below (% of Daily Budget)',
				name: 'paceBelowPercent',
				type: 'number',
				default: DEFAULT_PACE_BELOW_PERCENT,
				typeOptions: { minValue: 0, maxValue: 100 },
				description: "When less than this share of the Pipedrive company's daily API token budget is left, the poll skips the participation check (and any full read) and lists deals less often. 0 = never hold back.",
			},
			{
				displayName: 'Poll Every Nth Time When Holding Back',
				name: 'slowPollEvery',
				type: 'number',
				default: DEFAULT_SLOW_POLL_EVERY,
				typeOptions: { minValue: 1 },
				description: 'While holding back, only every Nth scheduled poll lists the deals (6 at a 10-minute schedule = hourly)',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const state = this.getWorkflowStaticData('node') as TriggerStaticData;
		const watched = await watchedPipelineNames(this);
		const hours = Number(this.getNodeParameter('sweepEveryHours', DEFAULT_SWEEP_HOURS));
		const manual = this.getMode() === 'manual';
		const percent = Number(this.getNodeParameter('paceBelowPercent', DEFAULT_PACE_BELOW_PERCENT));
		const pace = manual ? { low: false } : await pipedriveDailyPace(this, percent);
		const pollPace = decidePollPace(pace, Number(state.skippedInRow ?? 0), Number(this.getNodeParameter('slowPollEvery', DEFAULT_SLOW_POLL_EVERY)));
		state.skippedInRow = pollPace.skippedInRow;
		if (pollPace.skip) {
			this.logger.warn(`Pipedrive Deal Poll Trigger: ${pollPace.warning}`);
			return null;
		}
		// Pipedrive failures arrive as NodeApiError from the transport, naming the call.
		const deals = await openDeals(this, await watchedPipelineIds(this, state, watched.names, watched.from));
		// The list call's own answer may have crossed the threshold.
		const after = manual ? pace : await pipedriveDailyPace(this, percent);
		const sweepEveryMs = pollPace.sweepAllowed && !after.low ? Math.max(0, hours) * 3_600_000 : Number.POSITIVE_INFINITY;
		const fullReadEvery = Number(this.getNodeParameter('fullReadEvery', DEFAULT_FULL_READ_EVERY));
		const decision = decidePoll(manual ? null : readSnapshot(state.snapshot), deals, Date.now(), { checkEveryMs: sweepEveryMs, fullReadEvery }, manual);
		// A manual run (the editor's "Fetch test event") emits every deal and keeps the snapshot as it was.
		if (!manual) state.snapshot = decision.next as unknown as IDataObject;
		const items = emittedItems(decision, deals, pacedNote(after, pollPace));
		return items.length ? [items] : null;
	}
}
