/**
 * The node's "List Changed Records" mode (the backfill): lists one side's records of the entity
 * (changed since the last sweep, kept in this node's workflow static data, or all of them), runs each
 * through the sync, and answers with one summary item; fields left for review go to Review.
 * When Pipedrive's daily token budget is nearly spent (below the node's threshold), the sweep does
 * not start, or stops before its next record, leaving its mark where it was; the summary says so
 * (`paced`, `warnings`) and the run does not fail.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { JsonRecord } from '../shared/core/mapping/common';
import type { Side } from '../shared/core/merge/policy';
import { EVENT_ENTITIES, readSideEvent } from '../shared/core/twoWay/eventInput';
import type { SideEvent } from '../shared/core/twoWay/event';
import type { RunOutcome } from '../shared/core/twoWay/ports';
import { sweepRecords, sweepSince } from '../shared/core/twoWay/sweep';
import { propstreetList } from '../Propstreet/transport';
import { backfillWarning, DEFAULT_PACE_BELOW_PERCENT, type PaceState } from '../shared/core/pipedrive';
import { pipedriveDailyPace, pipedriveList } from '../shared/pipedrive';

/** List paths per side, by each side's own entity name. */
const PIPEDRIVE_LISTS: Record<string, string> = { person: '/api/v2/persons', organization: '/api/v2/organizations', deal: '/api/v2/deals' };
const PROPSTREET_LISTS: Record<string, string> = { contact: '/api/v1/network/contacts', company: '/api/v1/network/companies', project: '/api/v1/projects' };

/** Pipedrive takes RFC 3339 without fractions. */
const rfc3339 = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

async function listSide(ctx: IExecuteFunctions, entity: string, side: Side, since: string | null): Promise<JsonRecord[]> {
	const names = EVENT_ENTITIES[entity];
	const path = names ? (side === 'pipedrive' ? PIPEDRIVE_LISTS[names.pipedrive] : PROPSTREET_LISTS[names.propstreet]) : undefined;
	if (!path) throw new Error(`The Sync node cannot list ${side} records for entity "${entity}"`);
	if (side === 'pipedrive') {
		return pipedriveList<JsonRecord>(ctx, path, since ? { updated_since: rfc3339(since) } : {}, { itemIndex: 0, operation: `Listing Pipedrive ${names.pipedrive} records for the backfill`, maxPages: 2000 });
	}
	// Deleted records are listed too, so a delete missed while webhooks were down unlinks its pair.
	return propstreetList<JsonRecord>(ctx, path, { include_deleted: true, ...(since ? { updated_since: since } : {}) }, { returnAll: true, itemIndex: 0 });
}

const markKey = (entity: string, side: Side) => `backfill:${entity}:${side}`;

/**
 * One sweep. `syncOne` is the node's per-event sync for this entity (built once). The mark moves
 * only after a sweep in which no record failed and the budget did not stop it.
 */
export async function runSweep(ctx: IExecuteFunctions, entity: string, side: Side, fullSweep: boolean, syncOne: (event: SideEvent) => Promise<RunOutcome>): Promise<INodeExecutionData[][]> {
	const marks = ctx.getWorkflowStaticData('node');
	const lastMark = typeof marks[markKey(entity, side)] === 'string' ? (marks[markKey(entity, side)] as string) : null;
	const since = sweepSince(lastMark, fullSweep);
	const startedAt = new Date();
	const percent = Number(ctx.getNodeParameter('paceBelowPercent', 0, DEFAULT_PACE_BELOW_PERCENT));
	let pace: PaceState = await pipedriveDailyPace(ctx, percent);
	const shouldStop = async () => (pace = await pipedriveDailyPace(ctx, percent)).low;
	// Already low: not even the list call (its records could not be synced anyway).
	const listed = !pace.low;
	const records = listed ? await listSide(ctx, entity, side, since) : [];
	const { summary, reviewed } = await sweepRecords(records, { entity, side, since, startedAt, lastMark }, async (record) => syncOne(readSideEvent(record, entity, side)), shouldStop);
	if (!listed) Object.assign(summary, { stoppedAfter: 0, nextMark: lastMark });
	if (summary.nextMark) marks[markKey(entity, side)] = summary.nextMark;
	const json = summary as unknown as IDataObject;
	const warning = backfillWarning(pace, summary.stoppedAfter ?? summary.listed, summary.listed);
	if (warning) Object.assign(json, { paced: { remainingTokens: pace.remaining ?? null, dailyTokenLimit: pace.limit ?? null }, warnings: [warning] });
	const paired = { pairedItem: { item: 0 } };
	return [[{ json, ...paired }], reviewed.map((o) => ({ json: o as unknown as IDataObject, ...paired }))];
}
