/**
 * Before the Cloud edition creates a Pipedrive organization for a Propstreet company, it looks for
 * one that is already there: the one its `pipedrive` ref names, then the Sync node's `findOrganizationFor` (search by domain, then org
 * number; a found organization must agree with the company), over the Pipedrive answers read so
 * far (`lookups.ts`): each round returns the next lookup, or the organization, or none.
 */
import { isRecord, type JsonRecord } from '../mapping/common';
import { readSideEvent } from '../twoWay/eventInput';
import { COMPANY_SPEC } from '../twoWay/companySpec';
import { findOrganizationFor } from '../twoWay/organizationMatch';
import { answeredLookups, bodyOf, type Lookup, type LookupAnswer, recordOfAnswer } from './lookups';
import { cloudRunSetup } from './runSetup';

export interface OrganizationMatchInput {
	/** The pass's `create` step (target pipedrive) and the checked Propstreet delivery it was planned from. */
	step: unknown;
	event: unknown;
	answers: LookupAnswer[];
	settingsRow: unknown;
	fields: unknown;
}

export type OrganizationMatch = { action: 'lookup'; lookup: Lookup } | { action: 'matched'; organization: JsonRecord } | { action: 'none' };

/** Ids out of Pipedrive's organization search answer (`data.items[].item.id`). */
function searchIds(answer: unknown): string[] {
	const body = bodyOf(answer);
	const data = isRecord(body) ? body.data : null;
	const items = isRecord(data) && Array.isArray(data.items) ? data.items : [];
	return items.map((i) => (isRecord(i) && isRecord(i.item) ? i.item.id : undefined)).filter((id) => typeof id === 'number' || typeof id === 'string').map(String);
}

function pipedriveOrganizationReads(answer: (lookup: Lookup) => unknown) {
	// Built by hand: the Code node's sandbox has no URLSearchParams.
	const query = (term: string, exact: boolean) => `term=${encodeURIComponent(term)}&fields=custom_fields&exact_match=${String(exact)}&limit=5`;
	return {
		search: (term: string, exact: boolean) => Promise.resolve(searchIds(answer({ method: 'GET', path: `/api/v2/organizations/search?${query(term, exact)}` }))),
		get: (id: string) => Promise.resolve(recordOfAnswer(answer({ method: 'GET', path: `/api/v2/organizations/${encodeURIComponent(id)}` })).record),
	};
}

export async function matchOrganizationStep(input: OrganizationMatchInput): Promise<OrganizationMatch> {
	const step = input.step;
	if (!isRecord(step) || step.action !== 'create' || step.target !== 'pipedrive') throw new Error('Only a "create" step towards Pipedrive looks for an existing organization');
	const company = readSideEvent(input.event, 'company', 'propstreet').record;
	const setup = cloudRunSetup(input.settingsRow, input.fields, 'company');
	const { answer, state } = answeredLookups(input.answers);
	const reads = pipedriveOrganizationReads(answer);
	// The organization the company names (our ref) comes first, as the engine's `findCounterpart`.
	const named = COMPANY_SPEC.counterpartId('propstreet', company, setup.config, setup.ctx);
	const own = named ? await reads.get(named) : null;
	if (state.missing) return { action: 'lookup', lookup: state.missing };
	if (own && !COMPANY_SPEC.isDeleted('pipedrive', own)) return { action: 'matched', organization: own };
	const found = await findOrganizationFor(company, setup.config, setup.ctx, reads);
	if (state.missing) return { action: 'lookup', lookup: state.missing };
	return found ? { action: 'matched', organization: found } : { action: 'none' };
}
