/**
 * The Pipedrive organization a Propstreet company already has, looked for only before one would be
 * created: search the searchable custom fields for the company's domain, then its org number as
 * typed two ways, and accept a found organization only if `organizationMatchesCompany` agrees. The
 * Sync node runs it over HTTP; the Cloud edition over the answers its HTTP Request node read.
 */
import type { JsonRecord, MapperContext } from '../mapping/common';
import { canonicalValue } from '../mapping/compare';
import type { MapperConfig } from '../mapping/config';
import { orgNumberFromExternalRefs } from '../orgNumber';
import { organizationMatchesCompany } from './companySpec';

export interface OrganizationReads {
	/** Ids of organizations whose searchable fields hold `term` (exact or not). */
	search(term: string, exact: boolean): Promise<string[]>;
	get(id: string): Promise<JsonRecord | null>;
}

/** Search terms for a company's organization: its domain, then its org number as typed two ways. */
export function organizationSearchTerms(company: JsonRecord, config: MapperConfig): Array<{ term: string; exact: boolean }> {
	const terms: Array<{ term: string; exact: boolean }> = [];
	const domain = canonicalValue(company.domain, 'domain');
	if (typeof domain === 'string' && domain.length >= 2) terms.push({ term: domain, exact: false });
	const org = orgNumberFromExternalRefs(company.externalRefs, config.orgNumberPrefix);
	if (org) for (const term of new Set([org.formatted, org.digits])) terms.push({ term, exact: true });
	return terms;
}

export async function findOrganizationFor(company: JsonRecord, config: MapperConfig, ctx: MapperContext, reads: OrganizationReads): Promise<JsonRecord | null> {
	const seen = new Set<string>();
	for (const { term, exact } of organizationSearchTerms(company, config)) {
		for (const id of await reads.search(term, exact)) {
			if (seen.has(id)) continue;
			seen.add(id);
			const org = await reads.get(id);
			if (org && organizationMatchesCompany(org, company, config, ctx)) return org;
		}
	}
	return null;
}
