/**
 * Pipedrive field definitions (and stages and pipelines) for the mapping, read at most once an hour
 * per workflow: kept in the workflow's static data, which n8n saves after an execution. A value
 * given in the node's options is used as it is and never read.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { getDealFields, getOrganizationFields, getPersonFields, getPipelines, getStages } from '../shared/pipedrive';

export const FIELD_DEFINITIONS_TTL_MS = 60 * 60 * 1000;

type Catalog = 'personFields' | 'organizationFields' | 'dealFields' | 'stages' | 'pipelines';

type CachedDefinitions = Partial<Record<Catalog, { readAt: number; fields: unknown }>>;

const READERS = { personFields: getPersonFields, organizationFields: getOrganizationFields, dealFields: getDealFields, stages: getStages, pipelines: getPipelines };

/** `fresh`: read again even within the hour (the records showed that a cached key is gone). */
export async function fieldDefinitions(ctx: IExecuteFunctions, i: number, catalog: Catalog, given?: unknown, fresh = false): Promise<unknown> {
	if (given !== undefined && given !== null && given !== '') return given;
	const cache = ctx.getWorkflowStaticData('global') as CachedDefinitions;
	const now = Date.now();
	const cached = cache[catalog];
	if (cached && !fresh && now - cached.readAt < FIELD_DEFINITIONS_TTL_MS) return cached.fields;
	const fields = await READERS[catalog](ctx, { itemIndex: i });
	cache[catalog] = { readAt: now, fields };
	return fields;
}
