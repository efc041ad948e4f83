/**
 * Deals and projects as the two-way engine's side ports over answered lookups (Cloud): the calls
 * the Sync node's `projectSides.ts` makes. Propstreet has no upsert for projects, so a create is a
 * POST with `projectCreateRequest`'s Idempotency-Key and the deal's `pipedrive` ref; a 409 (another
 * execution made it) reads the holder of the ref. Pipedrive has nothing to match a project by.
 */
import type { JsonRecord } from '../mapping/common';
import type { SidePort } from '../twoWay/ports';
import { projectCreateRequest } from '../twoWay/projectCreate';
import { checkedStatus, recordOfAnswer, type Lookup } from './lookups';
import { headerOf, pipedriveRecords, readRecord, writeResult, type Answer } from './recordSides';

const PROJECTS = '/api/v1/projects';
const segment = encodeURIComponent;

export function cloudProjectSide(answer: Answer, namespace: string): SidePort {
	const call = (method: Lookup['method'], path: string, body?: JsonRecord, headers?: Record<string, string>) =>
		answer({ api: 'propstreet', method, path, ...(body ? { body } : {}), ...(headers ? { headers } : {}) });
	const byRef = async (dealId: string) => readRecord(call('GET', `${PROJECTS}/external/${segment(namespace)}/${segment(dealId)}`), `Finding the Propstreet project of Pipedrive deal ${dealId}`);
	return {
		get: async (id) => readRecord(call('GET', `${PROJECTS}/${segment(id)}`), `Reading Propstreet project ${id}`),
		update: async (id, patch, etag) => writeResult(call('PATCH', `${PROJECTS}/${segment(id)}`, patch, etag ? { 'If-Match': etag } : undefined), `Updating Propstreet project ${id}`, 'propstreet'),
		findCounterpart: async (_deal, id) => byRef(id),
		create: async (body, source) => {
			const request = projectCreateRequest(body, source.id);
			const made = call('POST', PROJECTS, request.body, { 'Idempotency-Key': request.idempotencyKey });
			if (checkedStatus(made, `Creating the Propstreet project of Pipedrive deal ${source.id}`, [409]) === 409) {
				const existing = await byRef(source.id);
				if (!existing) throw new Error(`Propstreet refused the project of Pipedrive deal ${source.id} as a duplicate (409) but holds no project with the ref ${namespace}/${source.id}`);
				return { ...existing, existed: true };
			}
			const record = recordOfAnswer(made).record;
			if (!record) throw new Error(`Creating the Propstreet project of Pipedrive deal ${source.id} returned no record`);
			return { record, etag: headerOf(made, 'etag') };
		},
	};
}

export function cloudDealSide(answer: Answer): SidePort {
	return {
		...pipedriveRecords(answer, 'deals', 'deal'),
		// The project's own `pipedrive` ref is tried first; Pipedrive has nothing else to match a project by.
		findCounterpart: async () => null,
	};
}
