/**
 * A Pipedrive organization ⇄ a Propstreet company, resolved for entities that refer to one (a
 * contact's company, a deal's organization). A known pair comes from the sync state, with no API
 * call. A pair seen for the first time goes through the Company entity's own two-way sync (the
 * core `syncEvent` with the company spec and sides): it is found through the ids each side stores
 * or by domain / org number, created when missing, and stored with a real baseline. So there is
 * one way to sync a company, whichever record brought it up.
 */
import type { Side } from '../shared/core/merge/policy';
import { idOf, isRecord, type JsonRecord, type MapperLookups } from '../shared/core/mapping';
import { linkedRow } from '../shared/core/syncState/claim';
import { syncEvent } from '../shared/core/twoWay/event';
import { NO_FILTERS } from '../shared/core/twoWay/filters';
import type { RunOutcome, TwoWayRun } from '../shared/core/twoWay/ports';
import { companyBinding } from './entities/company';
import type { EntitySetup } from './entities/binding';

/** What resolving needs: the node's context and the current run's settings (store, rules, where to create). */
export type CompanyResolver = Pick<EntitySetup, 'ctx' | 'i' | 'settings'>;

async function companyRun(r: CompanyResolver): Promise<TwoWayRun> {
	const { store, config } = r.settings;
	// Organization field definitions are read by name (cached for a day); the run's own given definitions belong to its entity.
	// No filters: a company a synced contact or deal refers to is linked (or created) whatever the company filter says.
	const parts = await companyBinding.build({ ctx: r.ctx, i: r.i, store, config, givenDefinitions: undefined, filters: NO_FILTERS, prospectPipeline: '', settings: r.settings, payload: null });
	return { ...parts, ...r.settings };
}

/** The id on `side` of a company sync that ended linked; none when it was skipped or unlinked. */
function linkedId(outcome: RunOutcome, side: Side): string | undefined {
	if (outcome.action === 'skipped' || outcome.action === 'unlinked') return undefined;
	return (side === 'pipedrive' ? outcome.pipedriveId : outcome.propstreetId) ?? undefined;
}

/** Propstreet company id of a Pipedrive organization: the stored pair, else the company sync of the organization. */
export async function companyIdOfOrganization(r: CompanyResolver, orgId: string): Promise<string | undefined> {
	const known = linkedRow(await r.settings.store.find('company', 'pipedrive', orgId));
	if (known?.propstreetId) return known.propstreetId;
	const run = await companyRun(r);
	const org = await run.sides.pipedrive.get(orgId);
	if (!org) return undefined;
	return linkedId(await syncEvent(run, { side: 'pipedrive', record: org.record, action: 'change' }), 'propstreet');
}

/** Pipedrive organization id of a Propstreet company: the stored pair, else the company sync of the company. */
export async function organizationIdOfCompany(r: CompanyResolver, companyId: string): Promise<string | undefined> {
	const known = linkedRow(await r.settings.store.find('company', 'propstreet', companyId));
	if (known?.pipedriveId) return known.pipedriveId;
	const run = await companyRun(r);
	const company = await run.sides.propstreet.get(companyId);
	if (!company) return undefined;
	return linkedId(await syncEvent(run, { side: 'propstreet', record: company.record, action: 'change' }), 'pipedrive');
}

function primaryCompanyId(contact: JsonRecord | undefined): string | undefined {
	if (!contact) return undefined;
	const companies = Array.isArray(contact.companies) ? contact.companies.filter(isRecord) : [];
	const primary = companies.find((c) => c.isPrimary === true) ?? companies[0];
	return idOf(primary?.id) ?? idOf(contact.primaryCompanyId);
}

/** The lookups a contact's mapping needs: its person's organization as a company id, its primary company as an organization id. */
export function contactLookups(r: CompanyResolver): (records: Partial<Record<Side, JsonRecord>>) => Promise<MapperLookups> {
	return async (records) => {
		const lookups: MapperLookups = {};
		const orgId = records.pipedrive ? idOf(records.pipedrive.org_id) : undefined;
		if (orgId) lookups.propstreetCompanyId = await companyIdOfOrganization(r, orgId);
		const companyId = primaryCompanyId(records.propstreet);
		if (companyId) lookups.pipedriveOrgId = await organizationIdOfCompany(r, companyId);
		return lookups;
	};
}
