/**
 * How the Cloud edition runs a core rule that reads records (a Code node cannot call an API with a
 * credential): the rule runs against the answers read so far. The first read it lacks is noted and
 * answered as "nothing there"; the rule's outcome after that is ignored, the workflow's HTTP
 * Request node reads that lookup, and the rule runs again with one more answer.
 */
import { isRecord, type JsonRecord } from '../mapping/common';

export interface Lookup {
	method: 'GET' | 'POST';
	/** Path (with its query string) under the API origin. */
	path: string;
	body?: JsonRecord;
}

export interface LookupAnswer {
	lookup: Lookup;
	/** The HTTP Request node's full response (or the bare body). */
	answer: unknown;
}

const keyOf = (lookup: Lookup) => `${lookup.method} ${lookup.path} ${JSON.stringify(lookup.body ?? null)}`;

/** An HTTP Request node's full response carries the answer in `body`. */
export const bodyOf = (answer: unknown): unknown => (isRecord(answer) && typeof answer.statusCode === 'number' ? answer.body : answer);

export function answeredLookups(answers: LookupAnswer[] | undefined) {
	const known = new Map((answers ?? []).map((a) => [keyOf(a.lookup), a.answer]));
	const state: { missing: Lookup | null } = { missing: null };
	const answer = (lookup: Lookup): unknown => {
		if (known.has(keyOf(lookup))) return known.get(keyOf(lookup));
		state.missing ??= lookup;
		return { statusCode: 404, body: null };
	};
	return { answer, state };
}
