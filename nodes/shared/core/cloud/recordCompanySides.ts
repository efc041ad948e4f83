/**
 * Organizations and companies as the two-way engine's side ports over answered lookups (Cloud):
 * the calls the Sync node's `companySides.ts` makes. Propstreet: If-Match on writes; a create is a
 * POST carrying the organization's `pipedrive` ref with an Idempotency-Key derived from the
 * organization and the body, and a 409 (the ref is taken: another execution made it) reads the
 * holder of the ref. The counterpart match is the self-hosted one: our ref, then domain (find
 * duplicates), then org number (`matchCompany`); on Pipedrive, the searchable fields for the
 * company's domain and org number (`findOrganizationFor`).
 */
import { canonicalJson, stableHash } from '../hash';
import { isRecord, MappingError, text, type JsonRecord, type MapperContext } from '../mapping/common';
import type { MapperConfig } from '../mapping/config';
import { deriveIdempotencyKey, FIND_DUPLICATES_PATH, matchCompany, readDuplicateCandidates } from '../sync';
import { COMPANY_SPEC } from '../twoWay/companySpec';
import { findOrganizationFor } from '../twoWay/organizationMatch';
import type { SidePort, SideRecord } from '../twoWay/ports';
import { bodyOf, checkedStatus, recordOfAnswer, type Lookup } from './lookups';
import { headerOf, pipedriveRecords, readRecord, writeResult, type Answer } from './recordSides';

const COMPANIES = '/api/v1/network/companies';
const ORGANIZATIONS = '/api/v2/organizations';
const segment = encodeURIComponent;

/** Ids out of Pipedrive's organization search answer (`data.items[].item.id`). */
function searchIds(answer: unknown): string[] {
	checkedStatus(answer, 'Searching Pipedrive organizations', []);
	const body = bodyOf(answer);
	const data = isRecord(body) ? body.data : null;
	const items = isRecord(data) && Array.isArray(data.items) ? data.items : [];
	return items.map((i) => (isRecord(i) && isRecord(i.item) ? i.item.id : undefined)).filter((id) => typeof id === 'number' || typeof id === 'string').map(String);
}

function propstreetCompanyReads(answer: Answer) {
	const get = (path: string, what: string) => {
		const read = readRecord(answer({ api: 'propstreet', method: 'GET', path }), what);
		return read ? { record: read.record, etag: read.etag ?? '' } : null;
	};
	return {
		getById: async (id: string) => get(`${COMPANIES}/${segment(id)}`, `Reading Propstreet company ${id}`),
		getByExternalRef: async (ns: string, id: string) => get(`${COMPANIES}/external/${segment(ns)}/${segment(id)}`, `Finding the Propstreet company with the ref ${ns}/${id}`),
		findDuplicates: async (query: JsonRecord) => {
			const found = answer({ api: 'propstreet', method: 'POST', path: FIND_DUPLICATES_PATH, body: query });
			checkedStatus(found, 'Finding duplicate Propstreet companies', []);
			return readDuplicateCandidates(bodyOf(found));
		},
	};
}

export function cloudCompanySide(answer: Answer, config: MapperConfig, ctx: MapperContext): SidePort {
	const reads = propstreetCompanyReads(answer);
	const namespace = config.pipedriveNamespace;
	const call = (method: Lookup['method'], path: string, body?: JsonRecord, headers?: Record<string, string>) =>
		answer({ api: 'propstreet', method, path, ...(body ? { body } : {}), ...(headers ? { headers } : {}) });
	return {
		get: (id) => reads.getById(id),
		update: async (id, patch, etag) => writeResult(call('PATCH', `${COMPANIES}/${segment(id)}`, patch, etag ? { 'If-Match': etag } : undefined), `Updating Propstreet company ${id}`, 'propstreet'),
		findCounterpart: async (org, id) => {
			const desired = COMPANY_SPEC.toPropstreet(org, null, config, ctx).body;
			const match = await matchCompany(reads, desired, { namespace, id }, config.orgNumberPrefix);
			return match ? match.found : null;
		},
		create: async (body, source) => {
			const label = `Pipedrive organization ${source.id}`;
			if (!text(body.name)) throw new MappingError('name', 'the organization has no name, and a Propstreet company needs one; nothing was created', label);
			const key = deriveIdempotencyKey(`${source.side}:${source.entity}:${source.id}`, `company.create:${stableHash(canonicalJson(body))}`);
			const made = call('POST', COMPANIES, body, key ? { 'Idempotency-Key': key } : undefined);
			if (checkedStatus(made, `Creating the Propstreet company of ${label}`, [409]) === 409) {
				const existing = await reads.getByExternalRef(namespace, source.id);
				if (!existing) throw new Error(`Propstreet refused the company of ${label} as a duplicate (409), but no company has the ref ${namespace}/${source.id}; another company may hold its org number`);
				return { ...existing, existed: true };
			}
			const record = recordOfAnswer(made).record;
			if (!record) throw new Error(`Creating the Propstreet company of ${label} returned no record`);
			return { record, etag: headerOf(made, 'etag') };
		},
	};
}

export function cloudOrganizationSide(answer: Answer, config: MapperConfig, ctx: MapperContext): SidePort {
	const call = (method: Lookup['method'], path: string, body?: JsonRecord) => answer({ api: 'pipedrive', method, path, ...(body ? { body } : {}) });
	const records = pipedriveRecords(answer, 'organizations', 'organization');
	const get = async (id: string): Promise<SideRecord | null> => records.get(id);
	// Built by hand: the Code node's sandbox has no URLSearchParams.
	const query = (term: string, exact: boolean) => `term=${segment(term)}&fields=custom_fields&exact_match=${String(exact)}&limit=5`;
	return {
		...records,
		// The company's own `pipedrive` ref is tried first by the engine; these searches run only before a create.
		findCounterpart: async (company) => {
			const reads = { search: async (term: string, exact: boolean) => searchIds(call('GET', `${ORGANIZATIONS}/search?${query(term, exact)}`)), get: async (id: string) => (await get(id))?.record ?? null };
			const org = await findOrganizationFor(company, config, ctx, reads);
			return org ? { record: org } : null;
		},
	};
}
