/**
 * How the Cloud edition runs a core rule that reads records (a Code node cannot call an API with a
 * credential): the rule runs against the answers read so far. The first read it lacks is noted and
 * answered as "nothing there"; the rule's outcome after that is ignored, the workflow's HTTP
 * Request node reads that lookup, and the rule runs again with one more answer. Writes can be
 * lookups too (the note sync's): a rule that runs the same way every time asks for them in order.
 */
import { idOf, isRecord, type JsonRecord } from '../mapping/common';
import type { StateRowOut } from './stateRows';

/**
 * One operation on a Data Table ("Propstreet sync state" or "Propstreet sync review"), made by the
 * workflow's Data Table node: `find` answers the rows (an empty item `[{}]` when none), `insert`
 * the inserted row, `update` (filtered on `id`, and on `version` when `expectedVersion` is given)
 * the rows it updated (`[{}]` when none matched), `delete` anything.
 */
export type TableOp =
	| { op: 'find'; entity: string; column: 'pipedriveId' | 'propstreetId' | 'entity' | 'status'; value: string }
	| { op: 'insert'; row: StateRowOut | Record<string, string | number> }
	| { op: 'update'; rowId: number; expectedVersion?: number; row: StateRowOut | Record<string, string | number> }
	| { op: 'delete'; rowId: number };

export interface Lookup {
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	/** Path (with its query string) under the API origin. */
	path: string;
	body?: JsonRecord;
	/** Which node answers it, where a workflow has more than one (absent: its one lookup node). */
	api?: 'pipedrive' | 'propstreet' | 'state' | 'review';
	headers?: Record<string, string>;
	/** A sync-state read (Data Table node): the rows of `entity` whose `column` holds `value` (column `entity`: every row of the entity). */
	state?: { entity: string; column: 'pipedriveId' | 'propstreetId' | 'entity'; value: string };
	/** A sync-state write (POST: upsert by entity and Pipedrive id; DELETE: the rows `state` names). */
	row?: StateRowOut;
	/** A state (`api: 'state'`) or review (`api: 'review'`) table operation with the compare-and-set the engine's store needs. */
	table?: TableOp;
}

export interface LookupAnswer {
	lookup: Lookup;
	/** The HTTP Request node's full response (or the bare body). */
	answer: unknown;
}

const keyOf = (lookup: Lookup) => `${lookup.api ?? ''} ${lookup.method} ${lookup.path} ${JSON.stringify([lookup.body ?? null, lookup.headers ?? null, lookup.state ?? null, lookup.table ?? null])}`;

/** An HTTP Request node's full response carries the answer in `body`. */
export const bodyOf = (answer: unknown): unknown => (isRecord(answer) && typeof answer.statusCode === 'number' ? answer.body : answer);

/** The `data` of a Pipedrive answer (v1 and v2 both wrap the record or list in it), else the body. */
export function dataOf(answer: unknown): unknown {
	const body = bodyOf(answer);
	return isRecord(body) && 'data' in body ? body.data : body;
}

/** A record out of an HTTP answer: a full response's body, Pipedrive's `{ success, data }`, or the record. */
export function recordOfAnswer(answer: unknown): { status: number; record: JsonRecord | null } {
	const status = statusOf(answer);
	let body = bodyOf(answer);
	if (isRecord(body) && 'success' in body && 'data' in body) body = body.data;
	return { status, record: status < 300 && isRecord(body) && idOf(body.id) ? body : null };
}

/** The HTTP status of a full response (a bare body counts as 200). */
export const statusOf = (answer: unknown): number => (isRecord(answer) && typeof answer.statusCode === 'number' ? answer.statusCode : 200);

/** The status of an answer that is a success or one of `accepted`; any other stops the run with a message naming the call. */
export function checkedStatus(answer: unknown, what: string, accepted: number[]): number {
	const status = statusOf(answer);
	if (status >= 400 && !accepted.includes(status)) throw new Error(`${what} answered HTTP ${status}: ${JSON.stringify(bodyOf(answer) ?? null).slice(0, 300)}`);
	return status;
}

/**
 * The same call made again later in a run (a note list read before and after a create) takes the
 * next answer given for it: the n-th call of a kind gets the n-th answer.
 */
export function answeredLookups(answers: LookupAnswer[] | undefined) {
	const known = new Map<string, unknown[]>();
	for (const a of answers ?? []) known.set(keyOf(a.lookup), [...(known.get(keyOf(a.lookup)) ?? []), a.answer]);
	const used = new Map<string, number>();
	const state: { missing: Lookup | null } = { missing: null };
	const answer = (lookup: Lookup): unknown => {
		const key = keyOf(lookup);
		const n = used.get(key) ?? 0;
		used.set(key, n + 1);
		const given = known.get(key) ?? [];
		if (n < given.length) return given[n];
		state.missing ??= lookup;
		return { statusCode: 404, body: null };
	};
	return { answer, state };
}

/** Stops a round at its first unanswered call (the workflow makes it; nothing after it counts). */
export class LookupNeeded extends Error {
	constructor(readonly lookup: Lookup) {
		super(`The ${lookup.api ?? ''} call ${lookup.method} ${lookup.path} has not been answered yet`);
	}
}

/** The lookup function of a round: answered calls get their answers; the first other one stops the round. */
export function strictLookups(answers: LookupAnswer[]) {
	const { answer, state } = answeredLookups(answers);
	return {
		state,
		answer: (lookup: Lookup): unknown => {
			const given = answer(lookup);
			if (state.missing) throw new LookupNeeded(state.missing);
			return given;
		},
	};
}

/** A virtual clock: waits (lease and claim polls) advance it; each poll is a real round of the workflow. */
export function replayClock(startIso: string) {
	const start = Date.parse(startIso);
	let waited = 0;
	return { now: () => new Date(start + waited), wait: async (ms: number) => void (waited += ms) };
}
