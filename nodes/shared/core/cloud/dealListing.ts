/**
 * Cloud 08's poll list: every open deal of the synced pipelines (the settings' Synced Pipelines;
 * none named = every pipeline), one list per pipeline with `include_fields=participants_count`,
 * every page of each (v2 cursor), as the self-hosted Deal Poll Trigger lists them. Each call is
 * one round of the workflow's loop. The pipelines' ids are looked up by name only when the names
 * change (a 5-token call a 5-minute poll should not make every time) and remembered in the
 * workflow's static data, as the trigger remembers them in its own.
 */
import { idOf, isRecord, type JsonRecord } from '../mapping/common';
import { findPipelineByName } from '../pipedrive/pipelineByName';
import type { Lookup } from './lookups';
import { pageLookup, pageOf } from './pagedRead';

/** The pipeline ids resolved for a set of names (lower case, one per line). */
export interface PipelineCache {
	key: string;
	ids: number[];
}

export interface DealListing {
	key: string;
	names: string[];
	/** Pipelines to list (null: not looked up yet; [0] stands for "every pipeline"). */
	ids: number[] | null;
	/** The pipeline being listed (index into ids) and the cursor of its next page. */
	at: number;
	cursor: string | null;
	/** The listed deals, only the fields the poll snapshot reads. */
	deals: JsonRecord[];
	/** True when the ids were looked up in this run (a new set of pipelines). */
	resolved: boolean;
}

const EVERY_PIPELINE = 0;
const PIPELINES_PATH = '/api/v2/pipelines?limit=500';

export function startDealListing(names: string[], cache: unknown): DealListing {
	const key = names.map((n) => n.trim().toLowerCase()).join('\n');
	const cached = isRecord(cache) && cache.key === key && Array.isArray(cache.ids) ? cache.ids.map(Number) : null;
	const ids = names.length === 0 ? [EVERY_PIPELINE] : cached;
	return { key, names, ids, at: 0, cursor: null, deals: [], resolved: false };
}

/** The call for the listing's next page (or the pipelines' ids first), null when every page is read. */
export function nextListingCall(listing: DealListing): Lookup | null {
	if (!listing.ids) return { api: 'pipedrive', method: 'GET', path: PIPELINES_PATH };
	const pipeline = listing.ids[listing.at];
	if (pipeline === undefined) return null;
	const only = pipeline === EVERY_PIPELINE ? '' : `&pipeline_id=${pipeline}`;
	return pageLookup(`/api/v2/deals?status=open&limit=500&include_fields=participants_count${only}`, listing.cursor);
}

function resolvedIds(listing: DealListing, answer: unknown): number[] {
	const pipelines = pageOf<JsonRecord>(answer, 'Reading the Pipedrive pipelines').items.filter((p) => p.is_deleted !== true);
	return listing.names.map((name) => {
		const found = findPipelineByName(pipelines, name);
		if (!found) throw new Error(`No Pipedrive pipeline is named "${name}": check Synced Pipelines in "00 Sync Settings"`);
		return Number(found.id);
	});
}

/** The listing with the answer to its last call taken in. */
export function takeListingAnswer(listing: DealListing, answer: unknown): DealListing {
	if (!listing.ids) return { ...listing, ids: resolvedIds(listing, answer), resolved: true };
	const page = pageOf<JsonRecord>(answer, `Listing the open Pipedrive deals of pipeline ${listing.ids[listing.at] || '(every pipeline)'}`);
	const marks = page.items.filter(isRecord).map((d) => ({ id: idOf(d.id), participants_count: d.participants_count, update_time: d.update_time }));
	const deals = [...listing.deals, ...marks.filter((d) => d.id)];
	return page.next ? { ...listing, deals, cursor: page.next } : { ...listing, deals, cursor: null, at: listing.at + 1 };
}

/** What the static data keeps: the ids for these names. */
export function pipelineCacheOf(listing: DealListing): PipelineCache | null {
	return listing.ids && listing.names.length ? { key: listing.key, ids: listing.ids } : null;
}
