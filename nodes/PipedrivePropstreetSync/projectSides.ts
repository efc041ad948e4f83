/**
 * The two sides of the deal ⇄ project sync as the core's ports: Propstreet projects through the
 * package's Propstreet transport (If-Match on every write), Pipedrive deals through the package's
 * Pipedrive transport (API v2).
 *
 * Propstreet has no upsert by external ref for projects, so a create is made idempotent twice over:
 * the Idempotency-Key (`core/twoWay/projectCreate.ts`, shared with the Cloud edition), and the
 * `pipedrive` ref in the body makes a second project for the same deal a 409, answered by reading
 * the project that holds the ref.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { requireId } from '../shared/core/ids';
import type { JsonRecord } from '../shared/core/mapping/common';
import type { SidePort, SideRecord } from '../shared/core/twoWay/ports';
import { projectCreateRequest } from '../shared/core/twoWay/projectCreate';
import { asRecord, basePorts } from '../Propstreet/actions/syncCommon';
import { PROJECTS_PATH } from '../Propstreet/actions/project/fields';
import { encodePathSegment, etagOf, propstreetRequest } from '../Propstreet/transport';
import { createDeal, getDeal, pipedriveRequest } from '../shared/pipedrive';

export function propstreetProjects(ctx: IExecuteFunctions, i: number, namespace: string): SidePort {
	const ports = basePorts.call(ctx, PROJECTS_PATH, i);
	const projectId = (id: string) => requireId(id, 'propstreet', 'project id', `Propstreet project ${id}`);
	const dealId = (id: string) => requireId(id, 'pipedrive', 'deal id', `Pipedrive deal ${id}`);
	return {
		get: async (id) => ports.getById(projectId(id)),
		update: async (id, patch, etag) => {
			const response = await propstreetRequest(ctx, {
				method: 'PATCH',
				path: `${PROJECTS_PATH}/${encodePathSegment(projectId(id))}`,
				body: patch as IDataObject,
				ifMatch: etag || undefined,
				acceptStatuses: [404, 410, 412],
				itemIndex: i,
				operation: `Updating Propstreet project ${id}`,
			});
			if (response.statusCode === 412) return { ok: false, reason: 'preconditionFailed' };
			if (response.statusCode === 404 || response.statusCode === 410) return { ok: false, reason: 'gone' };
			return { ok: true, record: asRecord(response.body), etag: etagOf(response) };
		},
		findCounterpart: async (_deal, id) => ports.getByExternalRef(namespace, dealId(id)),
		create: async (body, source) => {
			const id = dealId(source.id);
			const request = projectCreateRequest(body, id);
			const response = await propstreetRequest(ctx, {
				method: 'POST',
				path: PROJECTS_PATH,
				body: request.body as IDataObject,
				idempotencyKey: request.idempotencyKey,
				acceptStatuses: [409],
				itemIndex: i,
				operation: `Creating the Propstreet project of Pipedrive deal ${id}`,
			});
			if (response.statusCode !== 409) return { record: asRecord(response.body), etag: etagOf(response) };
			const existing = await ports.getByExternalRef(namespace, id);
			if (!existing) throw new Error(`Propstreet refused the project of Pipedrive deal ${id} as a duplicate (409) but holds no project with the ref ${namespace}/${id}`);
			return { ...existing, existed: true };
		},
	};
}

export function pipedriveDeals(ctx: IExecuteFunctions, i: number): SidePort {
	const read = (record: JsonRecord | null): SideRecord | null => (record ? { record } : null);
	return {
		get: async (id) => read(await getDeal(ctx, id, { itemIndex: i })),
		update: async (id, patch) => {
			const safe = requireId(id, 'pipedrive', 'deal id', `Pipedrive deal ${id}`);
			const response = await pipedriveRequest(ctx, {
				method: 'PATCH',
				path: `/api/v2/deals/${safe}`,
				body: patch as IDataObject,
				acceptStatuses: [404, 410],
				itemIndex: i,
				operation: `Updating Pipedrive deal ${safe}`,
			});
			if (response.status === 404 || response.status === 410) return { ok: false, reason: 'gone' };
			return { ok: true, record: (response.body as { data: JsonRecord }).data };
		},
		create: async (body) => ({ record: await createDeal(ctx, body as IDataObject, { itemIndex: i }) }),
		// The project's own `pipedrive` ref is tried first; Pipedrive has nothing else to match a project by.
		findCounterpart: async () => null,
	};
}
