/**
 * Pipedrive person field definitions for the mapping, read at most once an hour per workflow:
 * kept in the workflow's static data, which n8n saves after an execution. A value given in the
 * node's options is used as it is and never read.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { getPersonFields } from '../shared/pipedrive';

export const FIELD_DEFINITIONS_TTL_MS = 60 * 60 * 1000;

interface CachedDefinitions {
	personFields?: { readAt: number; fields: unknown };
}

export async function personFieldDefinitions(ctx: IExecuteFunctions, i: number, given: unknown): Promise<unknown> {
	if (given !== undefined && given !== null && given !== '') return given;
	const cache = ctx.getWorkflowStaticData('global') as CachedDefinitions;
	const now = Date.now();
	if (cache.personFields && now - cache.personFields.readAt < FIELD_DEFINITIONS_TTL_MS) return cache.personFields.fields;
	const fields = await getPersonFields(ctx, { itemIndex: i });
	cache.personFields = { readAt: now, fields };
	return fields;
}
