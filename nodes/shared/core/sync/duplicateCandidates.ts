/** Propstreet's company find-duplicates answer, read the same way by the Propstreet node and the Cloud edition. */
import { isRecord, type JsonRecord } from '../mapping/common';
import type { DuplicateCandidate } from './engine';

/**
 * The changelog (1.3.0) names this path without the /network segment the other company routes
 * have (reference §22 #16). We follow the changelog; the simulator answers both.
 */
export const FIND_DUPLICATES_PATH = '/api/v1/companies/find-duplicates';

/** The response wrapper is undocumented: accept a bare array or data / candidates / duplicates / results. */
export function readDuplicateCandidates(body: unknown): Array<DuplicateCandidate & JsonRecord> {
	let list: unknown = body;
	if (isRecord(body)) list = body.data ?? body.candidates ?? body.duplicates ?? body.results ?? [];
	if (!Array.isArray(list)) return [];
	return list
		.filter((c): c is JsonRecord => isRecord(c) && c.id !== undefined)
		.map((c) => ({ ...c, id: String(c.id), method: c.method === undefined ? undefined : String(c.method), score: c.score === undefined ? undefined : Number(c.score) }));
}
