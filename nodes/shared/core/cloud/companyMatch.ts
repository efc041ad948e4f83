/**
 * Before the Cloud edition creates a Propstreet company for a Pipedrive organization, it looks for
 * one that is already there: the same `matchCompany` the Sync node's company binding runs (our
 * `pipedrive` ref, then a domain duplicate, then an org-number ref). A Code node cannot call
 * Propstreet (no credentials), so the rule runs against the answers read so far: each time it asks
 * for a record not read yet, this returns that lookup, the workflow's HTTP Request node reads it,
 * and the rule runs again with one more answer, until it finds a company or finds none.
 */
import { idOf, isRecord, type JsonRecord } from '../mapping/common';
import { FIND_DUPLICATES_PATH, matchCompany, readDuplicateCandidates, type DuplicateCandidate } from '../sync';
import { cloudRunSetup } from './runSetup';
import { recordOfAnswer } from './pass';

const COMPANIES = '/api/v1/network/companies';

export interface CompanyLookup {
	method: 'GET' | 'POST';
	/** Path under the Propstreet API origin. */
	path: string;
	body?: JsonRecord;
}

export interface CompanyMatchInput {
	/** The pass's `create` step (target propstreet): the company body and the organization id. */
	step: unknown;
	/** The lookups read so far, each with the HTTP Request node's full response. */
	answers: Array<{ lookup: CompanyLookup; answer: unknown }>;
	settingsRow: unknown;
	fields: unknown;
}

export type CompanyMatch = { action: 'lookup'; lookup: CompanyLookup } | { action: 'matched'; company: JsonRecord; matchedBy: string } | { action: 'none' };

/** An HTTP Request node's full response carries the answer in `body`. */
const recordBody = (answer: unknown) => (isRecord(answer) && typeof answer.statusCode === 'number' ? answer.body : answer);

const keyOf = (lookup: CompanyLookup) => `${lookup.method} ${lookup.path} ${JSON.stringify(lookup.body ?? null)}`;

/**
 * Answers from the lookups read so far. The first lookup not read yet is noted and answered as
 * "nothing found"; the rule's outcome after that is ignored, since that lookup is read first.
 */
function answeredPorts(answers: CompanyMatchInput['answers']) {
	const known = new Map(answers.map((a) => [keyOf(a.lookup), a.answer]));
	const state: { missing: CompanyLookup | null } = { missing: null };
	const answer = (lookup: CompanyLookup) => {
		if (known.has(keyOf(lookup))) return known.get(keyOf(lookup));
		state.missing ??= lookup;
		return { statusCode: 404, body: null };
	};
	const read = (path: string) => {
		const { record } = recordOfAnswer(answer({ method: 'GET', path }));
		return Promise.resolve(record ? { record, etag: '' } : null);
	};
	const segment = encodeURIComponent;
	const ports = {
		getById: (id: string) => read(`${COMPANIES}/${segment(id)}`),
		getByExternalRef: (ns: string, id: string) => read(`${COMPANIES}/external/${segment(ns)}/${segment(id)}`),
		findDuplicates: (query: JsonRecord): Promise<DuplicateCandidate[]> => Promise.resolve(readDuplicateCandidates(recordBody(answer({ method: 'POST', path: FIND_DUPLICATES_PATH, body: query })))),
	};
	return { ports, state };
}

export async function matchCompanyStep(input: CompanyMatchInput): Promise<CompanyMatch> {
	const step = input.step;
	if (!isRecord(step) || step.action !== 'create' || step.target !== 'propstreet' || !isRecord(step.body)) throw new Error('Only a "create" step towards Propstreet looks for an existing company');
	const orgId = idOf(step.pipedriveId);
	if (!orgId) throw new Error('The create step names no Pipedrive organization id');
	const { config } = cloudRunSetup(input.settingsRow, input.fields, 'company');
	const { ports, state } = answeredPorts(input.answers ?? []);
	const found = await matchCompany(ports, step.body, { namespace: String(step.namespace), id: orgId }, config.orgNumberPrefix);
	if (state.missing) return { action: 'lookup', lookup: state.missing };
	return found ? { action: 'matched', company: found.found.record, matchedBy: found.matchedBy } : { action: 'none' };
}
