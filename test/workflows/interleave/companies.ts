/**
 * Organizations ⇄ companies in the interleaving: creates on both sides, edits of name and domain
 * (often of one record on both sides in the same batch), deletes and Pipedrive merges. Every
 * organization and company is synced (companies have no scope filter).
 */
import type { IDataObject } from 'n8n-workflow';
import { buildContext, resolveConfig } from '../../../nodes/shared/core/mapping';
import { COMPANY_SPEC } from '../../../nodes/shared/core/twoWay/companySpec';
import { planTwoWay } from '../../../nodes/shared/core/twoWay/plan';
import { actOnPairs, duplicateClaims, editingSides, judgeField, pointsBack, type EntityModule, type SideName, type World } from './world';

interface Pair {
	orgId: number;
	companyId: string;
}

const FIELDS = ['name', 'domain'] as const;

const companyIdKey = (w: World) => w.pd.fieldKey('organization', 'propstreet_company_id');
const domainKey = (w: World) => w.pd.fieldKey('organization', 'domain');
const liveCompany = (w: World, id: string): IDataObject | undefined => {
	const company = id ? (w.ps.get('company', id) as IDataObject | undefined) : undefined;
	return company && !company.deletedUtc ? company : undefined;
};

function linkedPairs(w: World): Pair[] {
	return w.pd
		.organizations()
		.map((o) => ({ orgId: o.id as number, companyId: String((o.custom_fields as IDataObject)[companyIdKey(w)] ?? '') }))
		.filter((p) => liveCompany(w, p.companyId));
}

function create(w: World): void {
	const name = `Fastighets ${w.unique('co')} AB`;
	if (w.rng.chance(0.5)) w.ps.createCompany({ name, domain: `${w.unique('d')}.example.se`, countryCode: 'SE' });
	else w.pd.createOrganization({ name, custom_fields: { [domainKey(w)]: `${w.unique('d')}.example.se` } });
}

function editField(w: World, pair: Pair, field: (typeof FIELDS)[number], side: SideName): void {
	const value = field === 'name' ? `Fastighets ${w.unique('name')} AB` : `${w.unique('d')}.example.se`;
	w.note(`org:${pair.orgId}:${field}`, side, value);
	w.trace(`EDIT ${side} ${field}=${value} (org ${pair.orgId}, company ${pair.companyId})`, pair.orgId, pair.companyId);
	if (side === 'propstreet') w.ps.updateCompany(pair.companyId, field === 'name' ? { name: value } : { domain: value });
	else w.pd.updateOrganization(pair.orgId, field === 'name' ? { name: value } : { custom_fields: { [domainKey(w)]: value } });
}

function act(w: World): void {
	actOnPairs(w, linkedPairs(w), {
		create: () => create(w),
		remove: (pair) => (w.rng.chance(0.5) ? w.pd.deleteOrganization(pair.orgId) : w.ps.deleteCompany(pair.companyId)),
		merge: (pair, into) => {
			w.merged.add(`org:${pair.orgId}`).add(`org:${into.orgId}`);
			w.pd.merge('organization', pair.orgId, into.orgId);
		},
		edit: (pair) => {
			const field = w.rng.pick(FIELDS);
			for (const side of editingSides(w)) editField(w, pair, field, side);
		},
		keyOf: (pair) => `org:${pair.orgId}:`,
	});
}

/** The organization's org number is held, as a ref, by another live company (not by its own). */
function orgNumberHeldByOther(w: World, org: IDataObject, company: IDataObject): boolean {
	const digits = String((org.custom_fields as IDataObject)[w.pd.fieldKey('organization', 'org_number')] ?? '').replace(/\D/g, '');
	if (!digits) return false;
	const holds = (c: IDataObject) => (c.externalRefs as IDataObject[]).some((r) => String(r.namespace).startsWith('orgnr') && digits.endsWith(String(r.id)));
	return !holds(company) && (w.ps.state().companies as IDataObject[]).some((c) => !c.deletedUtc && c.id !== company.id && holds(c));
}

/**
 * An unlinked company whose domain an organization linked to another company carries (e.g. after a
 * Pipedrive merge): the sync reports it as a duplicate to merge and links it nowhere, by design.
 */
function duplicateOfLinked(w: World, company: IDataObject): boolean {
	const domain = String(company.domain ?? '').toLowerCase();
	if (!domain) return false;
	return w.pd.organizations().some((o) => {
		const custom = o.custom_fields as IDataObject;
		const linkedTo = String(custom[companyIdKey(w)] ?? '');
		return String(custom[domainKey(w)] ?? '').toLowerCase().includes(domain) && linkedTo !== '' && linkedTo !== String(company.id) && !!liveCompany(w, linkedTo);
	});
}

function checkOrganization(w: World, org: IDataObject, config: ReturnType<typeof resolveConfig>, ctx: ReturnType<typeof buildContext>): string[] {
	const companyId = String((org.custom_fields as IDataObject)[companyIdKey(w)] ?? '');
	if (!companyId) return [`organization ${org.id} has no company`];
	const company = liveCompany(w, companyId);
	if (!company) return [];
	const problems: string[] = [];
	if (!pointsBack(company, org.id)) problems.push(`company ${companyId} does not point back to organization ${org.id}`);
	const plan = planTwoWay({ spec: COMPANY_SPEC, pipedrive: org, propstreet: company, baseline: null, rules: { policy: 'lastWriteWins' }, eventSide: 'pipedrive', config, ctx });
	const diff = { ...plan.pipedrivePatch, ...plan.propstreetPatch } as IDataObject;
	// An org number another live company holds (a merge brought it over) waits for a person to merge the duplicates.
	if (orgNumberHeldByOther(w, org, company)) {
		delete diff.externalRefs;
		const custom = { ...((diff.custom_fields as IDataObject | undefined) ?? {}) };
		delete custom[w.pd.fieldKey('organization', 'org_number')];
		if (Object.keys(custom).length) diff.custom_fields = custom;
		else delete diff.custom_fields;
	}
	if (Object.keys(diff).length) problems.push(`organization ${org.id} ⇄ company ${companyId} differ: ${JSON.stringify(diff)}`);
	for (const field of FIELDS) {
		const problem = judgeField(w, 'company', `organization ${org.id} / company ${companyId} ${field}`, company[field], w.log.get(`org:${org.id}:${field}`));
		if (problem) problems.push(problem);
	}
	return problems;
}

function check(w: World): string[] {
	const problems: string[] = [];
	const companies = (w.ps.state().companies as IDataObject[]).filter((c) => !c.deletedUtc);
	problems.push(...duplicateClaims(companies, 'organization', 'companies'));
	const config = resolveConfig({});
	const ctx = buildContext({ entity: 'company', fieldDefinitions: w.pd.fields('organization') });
	for (const org of w.pd.organizations()) problems.push(...checkOrganization(w, org as IDataObject, config, ctx));
	for (const c of companies) {
		if ((c.externalRefs as IDataObject[]).some((r) => r.namespace === 'pipedrive') || duplicateOfLinked(w, c)) continue;
		problems.push(`company ${c.id} has no Pipedrive organization`);
	}
	return problems;
}

export const companies: EntityModule = {
	entity: 'company',
	pipedriveObject: 'organization',
	propstreetEvents: ['company.created', 'company.updated', 'company.deleted'],
	syncParameters: {},
	weight: 1,
	act,
	backfillItems: (w) => [
		...w.pd.organizations().map((json) => ({ side: 'pipedrive' as const, item: { json: json as IDataObject } })),
		...(w.ps.state().companies as IDataObject[]).filter((c) => !c.deletedUtc).map((json) => ({ side: 'propstreet' as const, item: { json } })),
	],
	check,
};
