/**
 * Pipedrive field definitions (and stages and pipelines) for the mapping, read at most once an hour
 * per Pipedrive account in each n8n process. A value given in the node's options is used as it is
 * and never read.
 *
 * The cache lives in this process's memory, not in the workflow's static data: in queue mode
 * n8n 2.40 starts a worker's run with EMPTY static data (the execution's workflow snapshot leaves
 * it out) and then saves whatever the run left there over the stored one. A cache written there
 * was never read back by a worker, and its save erased the Propstreet Trigger's webhook secret,
 * after which every Propstreet delivery to that workflow was refused (found by the queue-mode e2e).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { stableHash } from '../shared/core/hash';
import { getDealFields, getOrganizationFields, getPersonFields, getPipelines, getStages, PIPEDRIVE_CREDENTIAL } from '../shared/pipedrive';

export const FIELD_DEFINITIONS_TTL_MS = 60 * 60 * 1000;

type Catalog = 'personFields' | 'organizationFields' | 'dealFields' | 'stages' | 'pipelines';

const READERS = { personFields: getPersonFields, organizationFields: getOrganizationFields, dealFields: getDealFields, stages: getStages, pipelines: getPipelines };

/** Per process: catalog + Pipedrive account → definitions. Bounded; the oldest entry goes first. */
const cache = new Map<string, { readAt: number; fields: unknown }>();
const MAX_ENTRIES = 1000;

/** Empties this process's cache (tests start each case from a clean process). */
export function forgetFieldDefinitions(): void {
	cache.clear();
}

/** The account is told apart by its base URL and a hash of its token (the token itself is not kept). */
async function cacheKey(ctx: IExecuteFunctions, catalog: Catalog): Promise<string> {
	const credentials = await ctx.getCredentials(PIPEDRIVE_CREDENTIAL);
	return [catalog, String(credentials.baseUrl ?? ''), stableHash(String(credentials.apiToken ?? ''))].join('\u0000');
}

/** `fresh`: read again even within the hour (the records showed that a cached key is gone). */
export async function fieldDefinitions(ctx: IExecuteFunctions, i: number, catalog: Catalog, given?: unknown, fresh = false): Promise<unknown> {
	if (given !== undefined && given !== null && given !== '') return given;
	const key = await cacheKey(ctx, catalog);
	const now = Date.now();
	const cached = cache.get(key);
	if (cached && !fresh && now - cached.readAt < FIELD_DEFINITIONS_TTL_MS) return cached.fields;
	const fields = await READERS[catalog](ctx, { itemIndex: i });
	cache.delete(key);
	cache.set(key, { readAt: now, fields });
	if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
	return fields;
}
