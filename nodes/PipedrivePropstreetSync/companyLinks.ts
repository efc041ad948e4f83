/**
 * A contact's company and a person's organization, resolved to the other side's id before the
 * contact is mapped. Known pairs come from the sync state (no API call); a pair seen for the first
 * time is found through the ids each side stores (the organization's Propstreet company ID field,
 * the company's `pipedrive` external ref) and otherwise synced first, so a contact never arrives
 * without its company. Each pair found is stored for next time.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { customFieldText, readCustomField } from '../shared/core/customFields';
import type { Side } from '../shared/core/merge/policy';
import { buildContext, idOf, isRecord, mapRecord, refId, type JsonRecord, type MapperConfig, type MapperLookups } from '../shared/core/mapping';
import { syncCompany } from '../shared/core/sync';
import { linkedRow } from '../shared/core/syncState/claim';
import type { SyncStateStore } from '../shared/core/syncState/store';
import { companyPorts } from '../Propstreet/actions/company/sync';
import { COMPANIES_PATH } from '../Propstreet/actions/network';
import { encodePathSegment, etagOf, propstreetRequest } from '../Propstreet/transport';
import { createOrganization, getOrganization } from '../shared/pipedrive';
import { fieldDefinitions } from './fieldDefinitions';
import { requireId } from '../shared/core/ids';

interface Resolver {
	ctx: IExecuteFunctions;
	i: number;
	store: SyncStateStore;
	config: MapperConfig;
}

async function orgContext(r: Resolver) {
	return buildContext({ entity: 'company', fieldDefinitions: await fieldDefinitions(r.ctx, r.i, 'organizationFields') });
}

async function remember(r: Resolver, pipedriveId: string, propstreetId: string): Promise<void> {
	const rows = await r.store.find('company', 'pipedrive', pipedriveId);
	if (linkedRow(rows)) return;
	await r.store.insert({ entity: 'company', pipedriveId, propstreetId, status: 'linked', baseline: null, owner: null });
}

/** Propstreet company of a Pipedrive organization: stored pair, the org's own field, else synced now. */
async function companyOfOrganization(r: Resolver, orgId: string): Promise<string | undefined> {
	const known = linkedRow(await r.store.find('company', 'pipedrive', orgId));
	if (known?.propstreetId) return known.propstreetId;
	const org = await getOrganization(r.ctx, orgId, { itemIndex: r.i });
	if (!org) return undefined;
	const mapperCtx = await orgContext(r);
	const stored = customFieldText(readCustomField(org, mapperCtx.catalogs.organization.resolveKey(r.config.fieldKeys.organization.propstreetCompanyId), mapperCtx.catalogs.organization));
	let companyId = stored ?? undefined;
	if (!companyId) {
		const mapped = mapRecord(org, 'company', 'toPropstreet', r.config, mapperCtx);
		const outcome = await syncCompany(companyPorts.call(r.ctx, r.i), { desired: mapped.body, sourceNamespace: r.config.pipedriveNamespace, sourceId: orgId, conflict: { policy: 'propstreetWins' }, createIfMissing: true }, r.config.orgNumberPrefix);
		companyId = outcome.propstreetId ?? undefined;
	}
	if (companyId) await remember(r, orgId, companyId);
	return companyId;
}

/** Pipedrive organization of a Propstreet company: stored pair, the company's `pipedrive` ref, else created now. */
async function organizationOfCompany(r: Resolver, companyId: string): Promise<string | undefined> {
	const known = linkedRow(await r.store.find('company', 'propstreet', companyId));
	if (known?.pipedriveId) return known.pipedriveId;
	const safeId = requireId(companyId, 'propstreet', 'company id', `Propstreet company ${companyId}`);
	const read = await propstreetRequest(r.ctx, { method: 'GET', path: `${COMPANIES_PATH}/${encodePathSegment(safeId)}`, acceptStatuses: [404], itemIndex: r.i });
	if (read.statusCode === 404 || !isRecord(read.body)) return undefined;
	const company = read.body as JsonRecord;
	let orgId = refId(company.externalRefs, r.config.pipedriveNamespace);
	if (!orgId) {
		const mapped = mapRecord(company, 'company', 'toPipedrive', r.config, await orgContext(r));
		orgId = idOf((await createOrganization(r.ctx, mapped.body as IDataObject, { itemIndex: r.i })).id);
		const refs = [...(Array.isArray(company.externalRefs) ? company.externalRefs : []), { namespace: r.config.pipedriveNamespace, id: orgId }];
		await propstreetRequest(r.ctx, { method: 'PATCH', path: `${COMPANIES_PATH}/${encodePathSegment(safeId)}`, body: { externalRefs: refs } as IDataObject, ifMatch: etagOf(read), itemIndex: r.i });
	}
	if (orgId) await remember(r, orgId, companyId);
	return orgId;
}

function primaryCompanyId(contact: JsonRecord | undefined): string | undefined {
	if (!contact) return undefined;
	const companies = Array.isArray(contact.companies) ? contact.companies.filter(isRecord) : [];
	const primary = companies.find((c) => c.isPrimary === true) ?? companies[0];
	return idOf(primary?.id) ?? idOf(contact.primaryCompanyId);
}

export function contactLookups(r: Resolver): (records: Partial<Record<Side, JsonRecord>>) => Promise<MapperLookups> {
	return async (records) => {
		const lookups: MapperLookups = {};
		const orgId = records.pipedrive ? idOf(records.pipedrive.org_id) : undefined;
		if (orgId) lookups.propstreetCompanyId = await companyOfOrganization(r, orgId);
		const companyId = primaryCompanyId(records.propstreet);
		if (companyId) lookups.pipedriveOrgId = await organizationOfCompany(r, companyId);
		return lookups;
	};
}
