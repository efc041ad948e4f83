/**
 * Before the Cloud edition creates a Propstreet company for a Pipedrive organization, it looks for
 * one that is already there: the same `matchCompany` the Sync node's company binding runs (our
 * `pipedrive` ref, then a domain duplicate, then an org-number ref), over the Propstreet answers
 * read so far (`lookups.ts`): each round returns the next lookup, or the company, or none.
 */
import { idOf, isRecord, type JsonRecord } from '../mapping/common';
import { FIND_DUPLICATES_PATH, matchCompany, readDuplicateCandidates, type DuplicateCandidate } from '../sync';
import { answeredLookups, bodyOf, type Lookup, type LookupAnswer, recordOfAnswer } from './lookups';
import { cloudRunSetup } from './runSetup';

const COMPANIES = '/api/v1/network/companies';

export interface CompanyMatchInput {
	/** The pass's `create` step (target propstreet): the company body and the organization id. */
	step: unknown;
	answers: LookupAnswer[];
	settingsRow: unknown;
	fields: unknown;
}

export type CompanyMatch = { action: 'lookup'; lookup: Lookup } | { action: 'matched'; company: JsonRecord; matchedBy: string } | { action: 'none' };

function propstreetCompanyReads(answer: (lookup: Lookup) => unknown) {
	const read = (path: string) => {
		const { record } = recordOfAnswer(answer({ method: 'GET', path }));
		return Promise.resolve(record ? { record, etag: '' } : null);
	};
	const segment = encodeURIComponent;
	return {
		getById: (id: string) => read(`${COMPANIES}/${segment(id)}`),
		getByExternalRef: (ns: string, id: string) => read(`${COMPANIES}/external/${segment(ns)}/${segment(id)}`),
		findDuplicates: (query: JsonRecord): Promise<DuplicateCandidate[]> => Promise.resolve(readDuplicateCandidates(bodyOf(answer({ method: 'POST', path: FIND_DUPLICATES_PATH, body: query })))),
	};
}

export async function matchCompanyStep(input: CompanyMatchInput): Promise<CompanyMatch> {
	const step = input.step;
	if (!isRecord(step) || step.action !== 'create' || step.target !== 'propstreet' || !isRecord(step.body)) throw new Error('Only a "create" step towards Propstreet looks for an existing company');
	const orgId = idOf(step.pipedriveId);
	if (!orgId) throw new Error('The create step names no Pipedrive organization id');
	const { config } = cloudRunSetup(input.settingsRow, input.fields, 'company');
	const { answer, state } = answeredLookups(input.answers);
	const found = await matchCompany(propstreetCompanyReads(answer), step.body, { namespace: String(step.namespace), id: orgId }, config.orgNumberPrefix);
	if (state.missing) return { action: 'lookup', lookup: state.missing };
	return found ? { action: 'matched', company: found.found.record, matchedBy: found.matchedBy } : { action: 'none' };
}
