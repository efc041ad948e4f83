/**
 * Deal participants (API v1: v2 has none), the deal list the participant poll reads and the person
 * list (with participation counts) the daily participation check reads. A removal
 * that finds the participant already gone (404) counts as done: it is what a repeated or
 * concurrent removal of the same participant gets.
 */
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';
import { idForPath, listDealParticipants, type CallOptions, type PipedriveRecord } from './api';
import { pipedriveList, pipedriveRequest, type PipedriveContext } from './transport';

/** Adds the person to the deal; answers the participant record (its `id` is what a removal takes). */
export async function addDealParticipant(ctx: PipedriveContext, dealId: unknown, personId: unknown, options: CallOptions = {}): Promise<PipedriveRecord> {
	const deal = idForPath(ctx, dealId, 'deal id', options.itemIndex);
	const person = Number(idForPath(ctx, personId, 'person id', options.itemIndex));
	const operation = `Adding person ${person} to Pipedrive deal ${deal}`;
	const response = await pipedriveRequest(ctx, { method: 'POST', path: `/v1/deals/${deal}/participants`, body: { person_id: person }, acceptStatuses: [400], itemIndex: options.itemIndex, operation });
	if (response.status !== 400) return (response.body as { data: PipedriveRecord }).data;
	// Someone added the person meanwhile (Pipedrive does not document the answer; this is one): keep theirs.
	const existing = (await listDealParticipants(ctx, deal, options)).find((p) => {
		const id = p.person_id as unknown;
		return Number(typeof id === 'object' && id !== null ? (id as { value?: unknown }).value : id) === person && p.active_flag !== false;
	});
	if (existing) return existing;
	throw new NodeApiError(ctx.getNode(), response.body as JsonObject, { message: `${operation}: Pipedrive refused the request (400)`, itemIndex: options.itemIndex });
}

/** Removes a participant record; true when it was removed now, false when it was already gone. */
export async function removeDealParticipant(ctx: PipedriveContext, dealId: unknown, participantId: unknown, options: CallOptions = {}): Promise<boolean> {
	const deal = idForPath(ctx, dealId, 'deal id', options.itemIndex);
	const participant = idForPath(ctx, participantId, 'participant id', options.itemIndex);
	const response = await pipedriveRequest(ctx, {
		method: 'DELETE',
		path: `/v1/deals/${deal}/participants/${participant}`,
		acceptStatuses: [404, 410],
		itemIndex: options.itemIndex,
		operation: `Removing participant ${participant} from Pipedrive deal ${deal}`,
	});
	return response.status !== 404 && response.status !== 410;
}

/** Deals (v2, 500 a page) with the given filters, e.g. `{ pipeline_id, status, include_fields }`. */
export async function listDeals(ctx: PipedriveContext, qs: IDataObject, options: CallOptions = {}): Promise<PipedriveRecord[]> {
	return await pipedriveList<PipedriveRecord>(ctx, '/api/v2/deals', qs, { itemIndex: options.itemIndex, operation: 'Listing Pipedrive deals' });
}

/**
 * Every person (v2, 500 a page, 10 tokens a page) with only the given counters asked for: the
 * participation check reads `participant_open_deals_count` / `participant_closed_deals_count`.
 */
export async function listPersonsWithCounts(ctx: PipedriveContext, counters: readonly string[], options: CallOptions = {}): Promise<PipedriveRecord[]> {
	return await pipedriveList<PipedriveRecord>(ctx, '/api/v2/persons', { include_fields: counters.join(',') }, { itemIndex: options.itemIndex, operation: 'Listing Pipedrive persons with their participation counts' });
}
