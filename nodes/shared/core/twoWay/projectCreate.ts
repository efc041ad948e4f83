/**
 * How a Propstreet project is created for a deal, one rule for the Sync node and the Cloud edition.
 * Propstreet takes no classification on create (a project starts as draft; the new pair's first
 * sync sets it with a PATCH). The Idempotency-Key is derived from the deal and the body, so a
 * retried or repeated create of the same deal makes nothing new.
 */
import { stableHash } from '../hash';
import type { JsonRecord } from '../mapping/common';

export interface ProjectCreateRequest {
	body: JsonRecord;
	idempotencyKey: string;
}

export function projectCreateRequest(body: JsonRecord, dealId: string): ProjectCreateRequest {
	const createBody = { ...body };
	delete createBody.classification;
	return { body: createBody, idempotencyKey: `pipedrive-deal-${dealId}-${stableHash(createBody).slice(7, 23)}` };
}
