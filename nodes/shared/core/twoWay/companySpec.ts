/**
 * Pipedrive organizations ⇄ Propstreet companies for the two-way sync. Each side's value is read in
 * its own shape and reduced to what it means: a domain to its normalised host, an org number to
 * country + digits, a country to its ISO code. So `https://www.Fjord.example.se/om-oss` typed in
 * Pipedrive and `fjord.example.se` kept by Propstreet, or "556677-8899" and the ref
 * `orgnr-se/5566778899`, are one value, and a side re-formatting what it was sent is never an edit.
 *
 * Propstreet keeps the org number and the link in one `externalRefs` list that a PATCH replaces
 * whole. The list sent to Propstreet therefore belongs to the org-number group when Pipedrive's org
 * number says something else than Propstreet's (it then carries Pipedrive's), and to the link
 * otherwise (it keeps Propstreet's): an org number the merge holds back never rides along with the
 * link. Should both be needed while the org number is held back, the link is written by the next
 * sync of the pair.
 */
import { toCountryCode } from '../country';
import { customFieldText, readCustomField } from '../customFields';
import type { Side } from '../merge/policy';
import { orgNumberFromExternalRefs, parseOrgNumber, type ExternalRef } from '../orgNumber';
import { idOf, isoTime, isRecord, refId, refsOf, text, unwrapSource, type Draft, type JsonRecord, type MapperContext } from '../mapping/common';
import { addressCountry, companyToOrganization, orgKeys, organizationToCompany } from '../mapping/company';
import { canonicalValue } from '../mapping/compare';
import { fieldEnabled, type MapperConfig } from '../mapping/config';
import type { EntitySpec } from './spec';

const ORG_NUMBER = 'company.orgNumber';
const PIPEDRIVE_ID = 'company.pipedriveId';

/** An org number as `SE:5566778899`; text that is not a valid one stays as (trimmed) text. */
function orgNumberValue(raw: string | null, countryHint: string | null): unknown {
	if (raw === null) return null;
	const parsed = parseOrgNumber(raw, countryHint);
	return parsed.valid ? `${parsed.country}:${parsed.digits}` : canonicalValue(raw);
}

/** What a Pipedrive organization says about the company (custom fields found by name). */
function organizationFacts(org: JsonRecord, config: MapperConfig, ctx: MapperContext) {
	const catalog = ctx.catalogs.organization;
	const keys = orgKeys(config, catalog);
	const country = addressCountry(org);
	const domainField = readCustomField(org, keys.domain, catalog);
	const orgField = readCustomField(org, keys.orgNumber, catalog);
	// API and webhook v2 bodies carry every custom field under `custom_fields` (null when empty).
	const customCarried = 'custom_fields' in org;
	return {
		country,
		countryCode: country.raw ? toCountryCode(country.raw) : null,
		domainCarried: customCarried || domainField !== undefined || 'website' in org,
		domain: customFieldText(domainField) ?? text(org.website),
		orgNumberCarried: customCarried || orgField !== undefined,
		orgNumber: customFieldText(orgField),
		companyId: customFieldText(readCustomField(org, keys.companyId, catalog)) ?? undefined,
	};
}

function pipedriveValues(org: JsonRecord, config: MapperConfig, ctx: MapperContext): Record<string, unknown> {
	const f = organizationFacts(org, config, ctx);
	return {
		'company.name': 'name' in org ? canonicalValue(org.name) : undefined,
		'company.country': f.country.present ? canonicalValue(f.countryCode ?? f.country.raw, 'code') : undefined,
		'company.domain': f.domainCarried ? canonicalValue(f.domain, 'domain') : undefined,
		[ORG_NUMBER]: f.orgNumberCarried ? orgNumberValue(f.orgNumber, f.countryCode) : undefined,
	};
}

function companyOrgNumber(company: JsonRecord, config: MapperConfig): string | null {
	const org = orgNumberFromExternalRefs(company.externalRefs, config.orgNumberPrefix);
	return org ? `${org.country}:${org.digits}` : null;
}

function propstreetValues(company: JsonRecord, config: MapperConfig): Record<string, unknown> {
	return {
		'company.name': 'name' in company ? canonicalValue(company.name) : undefined,
		'company.country': 'countryCode' in company ? canonicalValue(company.countryCode, 'code') : undefined,
		'company.domain': 'domain' in company ? canonicalValue(company.domain, 'domain') : undefined,
		[ORG_NUMBER]: 'externalRefs' in company ? companyOrgNumber(company, config) : undefined,
	};
}

/**
 * The `externalRefs` to send to Propstreet: the company's other refs, the `pipedrive` link, and
 * Pipedrive's org number only when it replaces Propstreet's (a different valid number, or cleared).
 */
function propstreetRefs(draft: Draft, org: JsonRecord, company: JsonRecord | null, config: MapperConfig, ctx: MapperContext): Draft {
	const facts = organizationFacts(org, config, ctx);
	const prefix = config.orgNumberPrefix.toLowerCase();
	const namespace = config.pipedriveNamespace.toLowerCase();
	const current = refsOf(company?.externalRefs);
	const theirs = draft.match.orgNumber;
	const ours = orgNumberFromExternalRefs(current, config.orgNumberPrefix);
	const differs = theirs ? !(ours && ours.country === theirs.country && ours.digits === theirs.digits) : facts.orgNumber === null && ours !== undefined;
	const replaces = fieldEnabled(config, ORG_NUMBER, 'toPropstreet') && facts.orgNumberCarried && differs;
	const id = idOf(org.id);
	const link: ExternalRef[] = id && fieldEnabled(config, PIPEDRIVE_ID, 'toPropstreet') ? [{ namespace: config.pipedriveNamespace, id }] : [];
	const isOrgRef = (r: ExternalRef) => r.namespace.toLowerCase().startsWith(prefix);
	const kept = current.filter((r) => r.namespace.toLowerCase() !== namespace && !(replaces && isOrgRef(r)));
	const body = { ...draft.body };
	const fieldPaths = { ...draft.fieldPaths };
	delete body.externalRefs;
	delete fieldPaths.externalRefs;
	if (replaces || link.length) {
		body.externalRefs = [...kept, ...link, ...(replaces && theirs ? [{ namespace: theirs.namespace, id: theirs.digits }] : [])];
		fieldPaths.externalRefs = replaces ? ORG_NUMBER : PIPEDRIVE_ID;
	}
	// The org number may flow the other way (a first link decided for Propstreet): the link alone then.
	const linkOnly = replaces && link.length ? { externalRefs: [...current.filter((r) => r.namespace.toLowerCase() !== namespace), ...link] } : undefined;
	return { ...draft, body, fieldPaths, ...(linkOnly ? { linkOnly } : {}) };
}

/**
 * The org number to send to Pipedrive: none when Pipedrive's text already means Propstreet's number
 * (typed another way), cleared when Propstreet has none and Pipedrive holds a valid one.
 */
function pipedriveOrgNumber(draft: Draft, company: JsonRecord, org: JsonRecord | null, config: MapperConfig, ctx: MapperContext): Draft {
	if (!fieldEnabled(config, ORG_NUMBER, 'toPipedrive') || !('externalRefs' in company)) return draft;
	const key = orgKeys(config, ctx.catalogs.organization).orgNumber;
	const path = `custom_fields.${key}`;
	const theirs = orgNumberFromExternalRefs(company.externalRefs, config.orgNumberPrefix);
	const facts = org ? organizationFacts(org, config, ctx) : null;
	const typed = facts?.orgNumber ?? null;
	const parsed = typed === null ? null : parseOrgNumber(typed, theirs?.country ?? facts?.countryCode);
	const same = theirs ? !!parsed?.valid && parsed.country === theirs.country && parsed.digits === theirs.digits : parsed === null || !parsed.valid;
	const body = { ...draft.body, custom_fields: { ...(isRecord(draft.body.custom_fields) ? draft.body.custom_fields : {}) } };
	const fieldPaths = { ...draft.fieldPaths };
	if (same) {
		delete (body.custom_fields as JsonRecord)[key];
		delete fieldPaths[path];
	} else if (!theirs) {
		(body.custom_fields as JsonRecord)[key] = null;
		fieldPaths[path] = ORG_NUMBER;
	}
	if (!Object.keys(body.custom_fields).length) delete (body as JsonRecord).custom_fields;
	return { ...draft, body, fieldPaths };
}

export const COMPANY_SPEC: EntitySpec = {
	entity: 'company',
	groups: ['company.name', 'company.country', 'company.domain', ORG_NUMBER],
	linkFields: [PIPEDRIVE_ID, 'company.propstreetId'],
	groupOf: (field) => field,
	values: (side: Side, record, config, ctx) => (side === 'pipedrive' ? pipedriveValues(record, config, ctx) : propstreetValues(record, config)),
	toPropstreet: (pipedrive, propstreet, config, ctx) => {
		const draft = organizationToCompany(unwrapSource(pipedrive, 'Pipedrive organization'), config, { ...ctx, current: propstreet });
		return propstreetRefs(draft, pipedrive, propstreet, config, ctx);
	},
	toPipedrive: (propstreet, pipedrive, config, ctx) => {
		const draft = companyToOrganization(unwrapSource(propstreet, 'Propstreet company'), config, { ...ctx, current: pipedrive });
		return pipedriveOrgNumber(draft, propstreet, pipedrive, config, ctx);
	},
	counterpartId: (side, record, config, ctx) => (side === 'pipedrive' ? organizationFacts(record, config, ctx).companyId : refId(record.externalRefs, config.pipedriveNamespace)),
	updatedAt: (side, record) => isoTime(side === 'pipedrive' ? record.update_time : record.updatedUtc),
	// A company returned with `deletedUtc` (no delete event) is a delete, never an update.
	isDeleted: (side, record) => (side === 'pipedrive' ? record.is_deleted === true || record.active_flag === false : !!record.deletedUtc),
};

/**
 * Whether a Pipedrive organization found by a search is this Propstreet company: the same domain
 * or the same org number, and not already linked to another company.
 */
export function organizationMatchesCompany(org: JsonRecord, company: JsonRecord, config: MapperConfig, ctx: MapperContext): boolean {
	const facts = organizationFacts(org, config, ctx);
	const companyId = idOf(company.id);
	if (org.is_deleted === true || (facts.companyId !== undefined && facts.companyId !== companyId)) return false;
	const domain = canonicalValue(company.domain, 'domain');
	if (domain !== null && canonicalValue(facts.domain, 'domain') === domain) return true;
	const theirs = orgNumberFromExternalRefs(company.externalRefs, config.orgNumberPrefix);
	if (!theirs || facts.orgNumber === null) return false;
	const parsed = parseOrgNumber(facts.orgNumber, theirs.country);
	return parsed.valid && parsed.digits === theirs.digits;
}
