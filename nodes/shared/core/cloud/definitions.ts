/**
 * Pipedrive field definitions (and stages and pipelines) for a Cloud Code node, as the Sync node's
 * `fieldDefinitions.ts` keeps them: read as ordinary Pipedrive GET lookups (every page), kept in
 * the workflow's static data (`cache`, handed in by the Code node and mutated here) for a day, and
 * read again early only when the caller reports a miss the cached copy did not already leave
 * (`core/mapping/definitionMisses.ts`). A lookup answered from the cache makes no call at all.
 */
import { isRecord } from '../mapping/common';
import { dataOf, checkedStatus, bodyOf, type Lookup } from './lookups';

export type DefinitionCatalog = 'personFields' | 'organizationFields' | 'dealFields' | 'stages' | 'pipelines';

/** How long a cached copy serves events whose payloads it fully knows (the Sync node's day). */
export const CLOUD_DEFINITIONS_TTL_MS = 24 * 60 * 60 * 1000;

interface CachedDefinitions {
	readAt: string;
	fields: unknown[];
	/** Misses a fresh read did not cure (a field the account lacks): they force no further reads. */
	misses: string[];
}

/** The static-data object the Code node hands in; definitions live under one key. */
export type DefinitionsCache = Record<string, unknown>;

const CACHE_KEY = 'propstreetFieldDefinitions';

function cachedOf(cache: DefinitionsCache | undefined, catalog: DefinitionCatalog): CachedDefinitions | undefined {
	const all = cache && isRecord(cache[CACHE_KEY]) ? cache[CACHE_KEY] : undefined;
	const entry = all?.[catalog];
	return isRecord(entry) && Array.isArray(entry.fields) && typeof entry.readAt === 'string' ? (entry as unknown as CachedDefinitions) : undefined;
}

function store(cache: DefinitionsCache | undefined, catalog: DefinitionCatalog, entry: CachedDefinitions): void {
	if (!cache) return;
	const all = isRecord(cache[CACHE_KEY]) ? cache[CACHE_KEY] : {};
	cache[CACHE_KEY] = { ...all, [catalog]: entry };
}

/** Every page of a v2 list, one lookup per page (`additional_data.next_cursor` names the next). */
function readAll(answer: (lookup: Lookup) => unknown, catalog: DefinitionCatalog): unknown[] {
	const items: unknown[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < 50; page++) {
		const path = `/api/v2/${catalog}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
		const read = answer({ api: 'pipedrive', method: 'GET', path });
		checkedStatus(read, `Reading Pipedrive ${catalog}`, []);
		const data = dataOf(read);
		if (Array.isArray(data)) items.push(...data);
		const more = bodyOf(read);
		const next = isRecord(more) && isRecord(more.additional_data) ? more.additional_data.next_cursor : undefined;
		if (typeof next !== 'string' || !next) return items;
		cursor = next;
	}
	return items;
}

export interface DefinitionsWanted {
	/** What the caller needs that these definitions lack. */
	misses?: (fields: unknown) => string[];
	/** The oldest cached copy to use (default a day). */
	maxAgeMs?: number;
}

/** The `data` list of a definitions answer the workflow read itself (v1 or v2), or the list. */
function listOf(given: unknown): unknown[] {
	const data = dataOf(given);
	return Array.isArray(data) ? data : [];
}

/**
 * A reader of definitions over the run's lookups and the workflow's cache. `given`: definitions
 * the workflow already read itself (Cloud 10 reads person fields with an HTTP Request node), used as they are.
 */
export function cloudDefinitions(answer: (lookup: Lookup) => unknown, cache: DefinitionsCache | undefined, now: Date, given: Partial<Record<DefinitionCatalog, unknown>> = {}) {
	return (catalog: DefinitionCatalog, wanted: DefinitionsWanted = {}): unknown[] => {
		if (given[catalog] !== undefined && given[catalog] !== null) return listOf(given[catalog]);
		const cached = cachedOf(cache, catalog);
		const young = cached !== undefined && now.getTime() - Date.parse(cached.readAt) < (wanted.maxAgeMs ?? CLOUD_DEFINITIONS_TTL_MS);
		if (cached && young && !(wanted.misses?.(cached.fields) ?? []).some((m) => !cached.misses.includes(m))) return cached.fields;
		const fields = readAll(answer, catalog);
		const kept = cached && young ? cached.misses : [];
		store(cache, catalog, { readAt: now.toISOString(), fields, misses: [...new Set([...kept, ...(wanted.misses?.(fields) ?? [])])] });
		return fields;
	};
}
