/**
 * A Pipedrive organization ⇄ a Propstreet company, resolved for entities that refer to one (a
 * contact's company). A known pair comes from the sync state, with no API call. A pair seen for
 * the first time goes through the Company entity's own two-way sync (`syncEvent` with the company
 * spec and sides): found through the ids each side stores or by domain / org number, created when
 * missing, and stored with a real baseline. So there is one way to sync a company, whichever record
 * brought it up, and the Sync node (over HTTP) and the Cloud edition (over answered lookups) share it.
 */
import type { Side } from '../merge/policy';
import { idOf, isRecord, type JsonRecord, type MapperLookups } from '../mapping/common';
import { linkedRow } from '../syncState/claim';
import type { SyncStateStore } from '../syncState/store';
import { syncEvent } from './event';
import type { RunOutcome, TwoWayRun } from './ports';

/** What resolving needs: the state store, and the company sync's run (built only when a pair is new). */
export interface CompanyLinker {
	store: SyncStateStore;
	companyRun(): Promise<TwoWayRun>;
}

/** The id on `side` of a company sync that ended linked; none when it was skipped or unlinked. */
function linkedId(outcome: RunOutcome, side: Side): string | undefined {
	if (outcome.action === 'skipped' || outcome.action === 'unlinked') return undefined;
	return (side === 'pipedrive' ? outcome.pipedriveId : outcome.propstreetId) ?? undefined;
}

/** The counterpart id of the company record `id` on `side`: the stored pair, else the company sync of the record. */
async function counterpartId(linker: CompanyLinker, side: Side, id: string): Promise<string | undefined> {
	const other: Side = side === 'pipedrive' ? 'propstreet' : 'pipedrive';
	const known = linkedRow(await linker.store.find('company', side, id));
	const knownId = known ? (other === 'pipedrive' ? known.pipedriveId : known.propstreetId) : null;
	if (knownId) return knownId;
	const run = await linker.companyRun();
	const read = await run.sides[side].get(id);
	if (!read) return undefined;
	return linkedId(await syncEvent(run, { side, record: read.record, action: 'change' }), other);
}

/** Propstreet company id of a Pipedrive organization. */
export const companyIdOfOrganization = (linker: CompanyLinker, orgId: string) => counterpartId(linker, 'pipedrive', orgId);

/** Pipedrive organization id of a Propstreet company. */
export const organizationIdOfCompany = (linker: CompanyLinker, companyId: string) => counterpartId(linker, 'propstreet', companyId);

function primaryCompanyId(contact: JsonRecord | undefined): string | undefined {
	if (!contact) return undefined;
	const companies = Array.isArray(contact.companies) ? contact.companies.filter(isRecord) : [];
	const primary = companies.find((c) => c.isPrimary === true) ?? companies[0];
	return idOf(primary?.id) ?? idOf(contact.primaryCompanyId);
}

/** The lookups a contact's mapping needs: its person's organization as a company id, its primary company as an organization id. */
export function contactLookups(linker: CompanyLinker): (records: Partial<Record<Side, JsonRecord>>) => Promise<MapperLookups> {
	return async (records) => {
		const lookups: MapperLookups = {};
		const orgId = records.pipedrive ? idOf(records.pipedrive.org_id) : undefined;
		if (orgId) lookups.propstreetCompanyId = await companyIdOfOrganization(linker, orgId);
		const companyId = primaryCompanyId(records.propstreet);
		if (companyId) lookups.pipedriveOrgId = await organizationIdOfCompany(linker, companyId);
		return lookups;
	};
}
