/**
 * The two sides of the company sync as the core's ports. Propstreet companies: If-Match on every
 * write; a create is a POST whose body carries the organization's `pipedrive` ref, sent with an
 * Idempotency-Key derived from the organization and the body, so a retried create is replayed and
 * a create that raced another ends in a 409 that finds the winner by its ref (Propstreet documents
 * no company upsert route). Pipedrive organizations: API v2; a counterpart is searched for (domain,
 * then org number, in the searchable custom fields) only before one would be created.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { requireId } from '../shared/core/ids';
import { canonicalJson, stableHash } from '../shared/core/hash';
import { MappingError, text, type JsonRecord, type MapperContext } from '../shared/core/mapping/common';
import type { MapperConfig } from '../shared/core/mapping/config';
import { deriveIdempotencyKey, matchCompany } from '../shared/core/sync';
import { COMPANY_SPEC } from '../shared/core/twoWay/companySpec';
import { findOrganizationFor } from '../shared/core/twoWay/organizationMatch';
import type { SidePort, SideRecord } from '../shared/core/twoWay/ports';
import { companyPorts } from '../Propstreet/actions/company/sync';
import { COMPANIES_PATH } from '../Propstreet/actions/network';
import { asRecord } from '../Propstreet/actions/syncCommon';
import { etagOf, propstreetRequest } from '../Propstreet/transport';
import { createOrganization, getOrganization, searchOrganizationIds, updateOrganizationIfExists } from '../shared/pipedrive';
import { propstreetUpdate } from './sides';

function createKey(body: JsonRecord, source: { entity: string; side: string; id: string }): string | undefined {
	return deriveIdempotencyKey(`${source.side}:${source.entity}:${source.id}`, `company.create:${stableHash(canonicalJson(body))}`);
}

export function propstreetCompanies(ctx: IExecuteFunctions, i: number, config: MapperConfig, mapperCtx: MapperContext): SidePort {
	const ports = companyPorts.call(ctx, i);
	const namespace = config.pipedriveNamespace;
	const orgId = (id: string) => requireId(id, 'pipedrive', 'organization id', `Pipedrive organization ${id}`);
	return {
		get: async (id) => ports.getById(requireId(id, 'propstreet', 'company id', `Propstreet company ${id}`)),
		update: propstreetUpdate(ctx, i, COMPANIES_PATH, 'company'),
		// Its `pipedrive` ref, else the same domain or org number (the rule Sync company uses).
		findCounterpart: async (org, id) => {
			const desired = COMPANY_SPEC.toPropstreet(org, null, config, mapperCtx).body;
			const match = await matchCompany(ports, desired, { namespace, id: orgId(id) }, config.orgNumberPrefix);
			return match ? match.found : null;
		},
		create: async (body, source) => {
			const id = orgId(source.id);
			if (!text(body.name)) throw new MappingError('name', 'the organization has no name, and a Propstreet company needs one; nothing was created', `Pipedrive organization ${id}`);
			const response = await propstreetRequest(ctx, {
				method: 'POST',
				path: COMPANIES_PATH,
				body: body as IDataObject,
				idempotencyKey: createKey(body, source),
				acceptStatuses: [409],
				itemIndex: i,
				operation: `Creating the Propstreet company of Pipedrive organization ${id}`,
			});
			if (response.statusCode !== 409) return { record: asRecord(response.body), etag: etagOf(response) };
			// Someone created it a moment ago (its ref is taken): that company is the counterpart.
			const existing = await ports.getByExternalRef(namespace, id);
			if (!existing) throw new Error(`Propstreet refused the company of Pipedrive organization ${id} as a duplicate (409), but no company has the ref ${namespace}/${id}; another company may hold its org number`);
			return { ...existing, existed: true };
		},
	};
}

export function pipedriveOrganizations(ctx: IExecuteFunctions, i: number, config: MapperConfig, mapperCtx: MapperContext): SidePort {
	const read = (record: JsonRecord | null): SideRecord | null => (record ? { record } : null);
	return {
		get: async (id) => read(await getOrganization(ctx, id, { itemIndex: i })),
		update: async (id, patch) => {
			const record = await updateOrganizationIfExists(ctx, id, patch as IDataObject, { itemIndex: i });
			return record ? { ok: true, record } : { ok: false, reason: 'gone' };
		},
		create: async (body) => ({ record: await createOrganization(ctx, body as IDataObject, { itemIndex: i }) }),
		// The company's own `pipedrive` ref is tried first by the core; these searches run only before a create.
		findCounterpart: async (company) => {
			const reads = { search: (term: string, exact: boolean) => searchOrganizationIds(ctx, term, { exact, itemIndex: i }), get: (id: string) => getOrganization(ctx, id, { itemIndex: i }) };
			const org = await findOrganizationFor(company, config, mapperCtx, reads);
			return org ? { record: org } : null;
		},
	};
}
