/**
 * Typed calls for what the sync reads and writes in Pipedrive, over the transport. API v2 for
 * persons, organizations, deals, field definitions, pipelines and stages; v1 where v2 has no
 * equivalent (deal participants, notes). Every id is checked before any request: Pipedrive ids are
 * positive whole numbers, and only those may go into a path. A get that finds nothing answers null.
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { InvalidPipedriveIdError, pipedriveId } from '../core/pipedrive';
import { pipedriveList, pipedriveRequest, type PipedriveContext } from './transport';

const V2 = '/api/v2';
/** v1 under the generic host, as the official v1 SDK and n8n's own node call it. */
const V1 = '/v1';

/** A Pipedrive record: its numeric id and whatever else the endpoint returns. */
export type PipedriveRecord = IDataObject & { id: number };

export interface CallOptions {
	itemIndex?: number;
	/** Extra query parameters, e.g. `include_fields` or `custom_fields` on a v2 get. */
	qs?: IDataObject;
}

type Collection = 'persons' | 'organizations' | 'deals';

const NOUN: Record<Collection, string> = { persons: 'person', organizations: 'organization', deals: 'deal' };

/** The id as it goes into a path; a bad one becomes a NodeOperationError naming the field. */
export function idForPath(ctx: PipedriveContext, value: unknown, field: string, itemIndex?: number): string {
	try {
		return pipedriveId(value, field);
	} catch (error) {
		const message = error instanceof InvalidPipedriveIdError ? error.message : `${field} is not a valid Pipedrive id`;
		throw new NodeOperationError(ctx.getNode(), message, { itemIndex });
	}
}

function dataOf<T>(body: unknown): T {
	return (body as { data: T }).data;
}

async function getOne<T>(ctx: PipedriveContext, path: string, operation: string, options: CallOptions): Promise<T | null> {
	const response = await pipedriveRequest(ctx, { method: 'GET', path, qs: options.qs, acceptStatuses: [404], itemIndex: options.itemIndex, operation });
	return response.status === 404 ? null : (dataOf<T>(response.body) ?? null);
}

async function getRecord(ctx: PipedriveContext, collection: Collection, id: unknown, options: CallOptions = {}): Promise<PipedriveRecord | null> {
	const safe = idForPath(ctx, id, `${NOUN[collection]} id`, options.itemIndex);
	return await getOne<PipedriveRecord>(ctx, `${V2}/${collection}/${safe}`, `Reading Pipedrive ${NOUN[collection]} ${safe}`, options);
}

async function createRecord(ctx: PipedriveContext, collection: Collection, body: IDataObject, options: CallOptions = {}): Promise<PipedriveRecord> {
	const response = await pipedriveRequest(ctx, {
		method: 'POST',
		path: `${V2}/${collection}`,
		body,
		itemIndex: options.itemIndex,
		operation: `Creating Pipedrive ${NOUN[collection]}`,
	});
	return dataOf<PipedriveRecord>(response.body);
}

async function updateRecord(ctx: PipedriveContext, collection: Collection, id: unknown, body: IDataObject, options: CallOptions = {}): Promise<PipedriveRecord> {
	const safe = idForPath(ctx, id, `${NOUN[collection]} id`, options.itemIndex);
	const response = await pipedriveRequest(ctx, {
		method: 'PATCH',
		path: `${V2}/${collection}/${safe}`,
		body,
		itemIndex: options.itemIndex,
		operation: `Updating Pipedrive ${NOUN[collection]} ${safe}`,
	});
	return dataOf<PipedriveRecord>(response.body);
}

/** PATCH a record that may have been deleted or merged away meanwhile: null when it is gone (404). */
async function updateRecordIfExists(ctx: PipedriveContext, collection: Collection, id: unknown, body: IDataObject, options: CallOptions = {}): Promise<PipedriveRecord | null> {
	const safe = idForPath(ctx, id, `${NOUN[collection]} id`, options.itemIndex);
	const response = await pipedriveRequest(ctx, {
		method: 'PATCH',
		path: `${V2}/${collection}/${safe}`,
		body,
		acceptStatuses: [404, 410],
		itemIndex: options.itemIndex,
		operation: `Updating Pipedrive ${NOUN[collection]} ${safe}`,
	});
	return response.status === 404 || response.status === 410 ? null : dataOf<PipedriveRecord>(response.body);
}

export const updatePersonIfExists = (ctx: PipedriveContext, id: unknown, body: IDataObject, options?: CallOptions) => updateRecordIfExists(ctx, 'persons', id, body, options);
export const updateOrganizationIfExists = (ctx: PipedriveContext, id: unknown, body: IDataObject, options?: CallOptions) =>
	updateRecordIfExists(ctx, 'organizations', id, body, options);

export const getPerson = (ctx: PipedriveContext, id: unknown, options?: CallOptions) => getRecord(ctx, 'persons', id, options);
export const createPerson = (ctx: PipedriveContext, body: IDataObject, options?: CallOptions) => createRecord(ctx, 'persons', body, options);
export const updatePerson = (ctx: PipedriveContext, id: unknown, body: IDataObject, options?: CallOptions) => updateRecord(ctx, 'persons', id, body, options);

export const getOrganization = (ctx: PipedriveContext, id: unknown, options?: CallOptions) => getRecord(ctx, 'organizations', id, options);
export const createOrganization = (ctx: PipedriveContext, body: IDataObject, options?: CallOptions) => createRecord(ctx, 'organizations', body, options);
export const updateOrganization = (ctx: PipedriveContext, id: unknown, body: IDataObject, options?: CallOptions) =>
	updateRecord(ctx, 'organizations', id, body, options);

export const getDeal = (ctx: PipedriveContext, id: unknown, options?: CallOptions) => getRecord(ctx, 'deals', id, options);
export const createDeal = (ctx: PipedriveContext, body: IDataObject, options?: CallOptions) => createRecord(ctx, 'deals', body, options);
export const updateDeal = (ctx: PipedriveContext, id: unknown, body: IDataObject, options?: CallOptions) => updateRecord(ctx, 'deals', id, body, options);

/** A v2 field definition (`field_code`, `field_name`, `field_type`, `options`, …). */
export type PipedriveField = IDataObject & { field_code: string; field_name?: string; field_type?: string };

const listAll = <T>(ctx: PipedriveContext, path: string, operation: string, options: CallOptions = {}) =>
	pipedriveList<T>(ctx, path, options.qs ?? {}, { itemIndex: options.itemIndex, operation });

export const getPersonFields = (ctx: PipedriveContext, options?: CallOptions) =>
	listAll<PipedriveField>(ctx, `${V2}/personFields`, 'Reading Pipedrive person fields', options);
export const getOrganizationFields = (ctx: PipedriveContext, options?: CallOptions) =>
	listAll<PipedriveField>(ctx, `${V2}/organizationFields`, 'Reading Pipedrive organization fields', options);
export const getDealFields = (ctx: PipedriveContext, options?: CallOptions) => listAll<PipedriveField>(ctx, `${V2}/dealFields`, 'Reading Pipedrive deal fields', options);

/** All stages of all pipelines (pass `qs: { pipeline_id }` for one). */
export const getStages = (ctx: PipedriveContext, options?: CallOptions) => listAll<PipedriveRecord>(ctx, `${V2}/stages`, 'Reading Pipedrive stages', options);
export const getPipelines = (ctx: PipedriveContext, options?: CallOptions) => listAll<PipedriveRecord>(ctx, `${V2}/pipelines`, 'Reading Pipedrive pipelines', options);

/**
 * The participant records of a deal (v1; each has its own `id` and `person_id: { value }`).
 * An unknown deal is an error here, not an empty list.
 */
export async function listDealParticipants(ctx: PipedriveContext, dealId: unknown, options: CallOptions = {}): Promise<PipedriveRecord[]> {
	const safe = idForPath(ctx, dealId, 'deal id', options.itemIndex);
	return await listAll<PipedriveRecord>(ctx, `${V1}/deals/${safe}/participants`, `Reading participants of Pipedrive deal ${safe}`, options);
}

export async function getNote(ctx: PipedriveContext, id: unknown, options: CallOptions = {}): Promise<PipedriveRecord | null> {
	const safe = idForPath(ctx, id, 'note id', options.itemIndex);
	return await getOne<PipedriveRecord>(ctx, `${V1}/notes/${safe}`, `Reading Pipedrive note ${safe}`, options);
}

/** Needs `content` and one of `deal_id`, `person_id`, `org_id` (or `lead_id`, `project_id`). */
export async function createNote(ctx: PipedriveContext, body: IDataObject, options: CallOptions = {}): Promise<PipedriveRecord> {
	const response = await pipedriveRequest(ctx, { method: 'POST', path: `${V1}/notes`, body, itemIndex: options.itemIndex, operation: 'Creating Pipedrive note' });
	return dataOf<PipedriveRecord>(response.body);
}

export async function updateNote(ctx: PipedriveContext, id: unknown, body: IDataObject, options: CallOptions = {}): Promise<PipedriveRecord> {
	const safe = idForPath(ctx, id, 'note id', options.itemIndex);
	const response = await pipedriveRequest(ctx, {
		method: 'PUT',
		path: `${V1}/notes/${safe}`,
		body,
		itemIndex: options.itemIndex,
		operation: `Updating Pipedrive note ${safe}`,
	});
	return dataOf<PipedriveRecord>(response.body);
}

/**
 * The first person whose e-mail is exactly `email` (case-insensitive), read in full; null when none.
 * Search costs more than a read (and has its own burst limit), so the sync calls it only before
 * creating a person.
 */
export async function findPersonByEmail(ctx: PipedriveContext, email: string, options: CallOptions = {}): Promise<PipedriveRecord | null> {
	const response = await pipedriveRequest(ctx, {
		method: 'GET',
		path: `${V2}/persons/search`,
		qs: { term: email, fields: 'email', exact_match: true, limit: 1 },
		itemIndex: options.itemIndex,
		operation: 'Searching Pipedrive persons by e-mail',
	});
	const items = (dataOf<{ items?: Array<{ item?: { id?: unknown } }> }>(response.body)?.items ?? []);
	const id = items[0]?.item?.id;
	return id === undefined ? null : await getPerson(ctx, id, options);
}

/**
 * Ids of organizations whose custom fields hold `term` (exact, case-insensitive, unless `exact` is
 * false), best match first. Search costs more than a read and has its own burst limit, so the sync
 * calls it only before creating an organization.
 */
export async function searchOrganizationIds(ctx: PipedriveContext, term: string, options: CallOptions & { exact?: boolean; limit?: number } = {}): Promise<string[]> {
	const response = await pipedriveRequest(ctx, {
		method: 'GET',
		path: `${V2}/organizations/search`,
		qs: { term, fields: 'custom_fields', exact_match: options.exact ?? true, limit: options.limit ?? 5 },
		itemIndex: options.itemIndex,
		operation: 'Searching Pipedrive organizations',
	});
	const items = dataOf<{ items?: Array<{ item?: { id?: unknown } }> }>(response.body)?.items ?? [];
	return items.map((i) => i.item?.id).filter((id): id is number | string => typeof id === 'number' || typeof id === 'string').map(String);
}
