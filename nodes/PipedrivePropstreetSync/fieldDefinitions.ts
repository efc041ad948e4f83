/**
 * Pipedrive field definitions (and stages and pipelines) for the mapping, read once and kept for a
 * day per Pipedrive account in each n8n process (issue 14: an hourly read cost ~1,000 tokens a day
 * and landed on echoes and filtered records). They are read again before that only when the caller
 * reports a miss (`core/mapping/definitionMisses.ts`): a payload carries a custom-field key, option,
 * label, stage or pipeline the cache does not know, or a configured field name is not found. A
 * miss that a fresh read does not cure (a configured field the account lacks) is remembered, so it
 * does not cause a read per execution. The backfill (List Changed Records) accepts at most an
 * hour-old copy, so a running instance re-reads them about once a day. A value given in the node's
 * options is used as it is and never read.
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

/** How long a cached copy serves webhooks and polls when nothing they carry is missing from it. */
export const FIELD_DEFINITIONS_TTL_MS = 24 * 60 * 60 * 1000;
/** The oldest copy a backfill (List Changed Records) uses: it maps every record, so it refreshes the day's copy. */
export const LIST_DEFINITIONS_MAX_AGE_MS = 60 * 60 * 1000;

export type Catalog = 'personFields' | 'organizationFields' | 'dealFields' | 'stages' | 'pipelines';

const READERS = { personFields: getPersonFields, organizationFields: getOrganizationFields, dealFields: getDealFields, stages: getStages, pipelines: getPipelines };

/** Per process: catalog + Pipedrive account → definitions. Bounded; the oldest entry goes first. */
const cache = new Map<string, { readAt: number; fields: unknown; misses: Set<string> }>();
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

export interface DefinitionsWanted {
	/** Read again whatever the cache holds (the records showed that a cached key is gone). */
	fresh?: boolean;
	/** The oldest cached copy to use; default FIELD_DEFINITIONS_TTL_MS. */
	maxAgeMs?: number;
	/** What the caller needs that these definitions lack; a miss not remembered from an earlier read forces a read. */
	misses?: (fields: unknown) => string[];
}

/** The cached definitions of one catalog, read when missing, too old, asked for fresh, or lacking something the caller needs. */
export async function fieldDefinitions(ctx: IExecuteFunctions, i: number, catalog: Catalog, given?: unknown, wanted: DefinitionsWanted = {}): Promise<unknown> {
	if (given !== undefined && given !== null && given !== '') return given;
	const key = await cacheKey(ctx, catalog);
	const now = Date.now();
	const cached = cache.get(key);
	const young = cached !== undefined && now - cached.readAt < (wanted.maxAgeMs ?? FIELD_DEFINITIONS_TTL_MS);
	if (cached && young && !wanted.fresh && !(wanted.misses?.(cached.fields) ?? []).some((m) => !cached.misses.has(m))) return cached.fields;
	const fields = await READERS[catalog](ctx, { itemIndex: i });
	// Misses a read leaves are the account's (a field it lacks): remembered until the copy expires, they
	// force no further reads. Kept across a miss-driven read, so two callers' misses never alternate.
	const kept = cached && young && !wanted.fresh ? cached.misses : [];
	const misses = new Set([...kept, ...(wanted.misses?.(fields) ?? [])]);
	cache.delete(key);
	cache.set(key, { readAt: now, fields, misses });
	if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
	return fields;
}
