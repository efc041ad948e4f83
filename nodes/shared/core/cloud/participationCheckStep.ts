/**
 * Cloud 08's daily participation check: the same `runParticipationCheck` the Sync node runs
 * (`membership/participationCheckRun.ts`, the one rule), over answered lookups. The person list
 * with the participation counts is read first, one page per round, keeping only O per person.
 * Then the check is replayed: its sync-state reads (the check row, every membership row) are
 * lookups; a deal it wants read is handed to the loop, which runs that deal's ordinary membership
 * step and stores its rows; the check then replays with the deal marked done and lists the rows
 * again (so a chain of swaps is followed as on self-hosted). When nothing is missing, the check
 * row (X per person, `prospect`/`participation-check`) comes back to be stored.
 */
import { observedCountsOf, PARTICIPATION_FIELDS } from '../membership/participationCheck';
import { CHECK_ROW_ID, runParticipationCheck, type CheckOutcome } from '../membership/participationCheckRun';
import { isRecord } from '../mapping/common';
import type { JsonRecord } from '../mapping/common';
import type { RunOutcome } from '../twoWay/ports';
import { answeredLookups, type Lookup, type LookupAnswer } from './lookups';
import { pageLookup, pageOf } from './pagedRead';
import { ReplayStore } from './replayStore';
import { stateRowOf, type StateRowOut } from './stateRows';

export interface CheckProgress {
	mode: 'check' | 'baseline';
	/** The open deals of the synced pipelines (the poll's list). */
	openDeals: string[];
	/** O per person with any participation, from the person pages read so far. */
	observed: Record<string, number>;
	/** The next person page's cursor; `listed` once the last page is read. */
	cursor: string | null;
	listed: boolean;
	/** The check's own sync-state reads so far (replayed each round). */
	answers: LookupAnswer[];
	/** Deals the loop has synced for the check: '' when it went through, else why it failed. */
	synced: Record<string, string>;
	syncedAll: boolean;
}

export type CheckRound =
	| { action: 'lookup'; lookup: Lookup }
	/** Run the membership sync of these deals, then come back. */
	| { action: 'sync'; dealIds: string[]; all: boolean }
	| { action: 'done'; outcome: CheckOutcome; rows: StateRowOut[] };

const PERSONS_PATH = `/api/v2/persons?limit=500&include_fields=${PARTICIPATION_FIELDS.join(',')}`;

export function startCheck(mode: CheckProgress['mode'], openDeals: string[]): CheckProgress {
	return { mode, openDeals, observed: {}, cursor: null, listed: false, answers: [], synced: {}, syncedAll: false };
}

/** The person page the check reads next (only while `listed` is false). */
export const personsPageLookup = (check: CheckProgress): Lookup => pageLookup(PERSONS_PATH, check.cursor);

/** The check with one answered person page taken in: O of its persons kept, the cursor moved on. */
export function takePersonsPage(check: CheckProgress, answer: unknown): CheckProgress {
	const page = pageOf<JsonRecord>(answer, 'Listing the Pipedrive persons with their participation counts');
	const observed = { ...check.observed, ...Object.fromEntries(observedCountsOf(page.items)) };
	return { ...check, observed, cursor: page.next, listed: page.next === null };
}

/**
 * The check with the answer to one of its sync-state reads kept. Of a list of every membership row
 * only what K is counted from is kept (no baselines but the check row's): the answers travel with
 * every round of the loop, and the check writes no row but its own.
 */
export function takeCheckAnswer(check: CheckProgress, lookup: Lookup, answer: unknown): CheckProgress {
	const slim = (row: unknown) => (isRecord(row) && row.pipedriveId !== CHECK_ROW_ID ? { ...row, baseline: '', writeToken: '' } : row);
	const kept = lookup.state?.column === 'entity' && Array.isArray(answer) ? answer.map(slim) : answer;
	return { ...check, answers: [...check.answers, { lookup, answer: kept }] };
}

/** A deal the loop has not synced yet stops the replay here; the first missing deals (before any missing read) are what the loop runs next. */
function deferredPorts(check: CheckProgress, missingRead: () => boolean) {
	const wanted: string[] = [];
	let all = false;
	const want = (ids: string[]) => {
		if (!missingRead() && !all) wanted.push(...ids);
	};
	const ports = {
		observedCounts: async () => new Map(Object.entries(check.observed)),
		syncDeal: async (dealId: string): Promise<RunOutcome[]> => {
			const done = check.synced[dealId];
			if (done === undefined) want([dealId]);
			if (done) throw new Error(done);
			if (done === undefined) throw new Error(`Deal ${dealId} is not read yet`);
			return [];
		},
		syncAll: async (): Promise<RunOutcome[]> => {
			if (!check.syncedAll && !missingRead() && wanted.length === 0) all = true;
			return [];
		},
	};
	return { ports, wanted: () => ({ dealIds: all ? check.openDeals : wanted, all }) };
}

/** One replay of the check (after every person page is read). */
export async function participationCheckRound(check: CheckProgress, now: string): Promise<CheckRound> {
	const { answer, state } = answeredLookups(check.answers);
	const clock = () => new Date(now);
	const store = new ReplayStore(answer, clock);
	const deferred = deferredPorts(check, () => state.missing !== null);
	const outcomes = await runParticipationCheck({ ports: deferred.ports, store, now: clock, mode: check.mode, openDeals: new Set(check.openDeals) });
	const wanted = deferred.wanted();
	if (wanted.all || wanted.dealIds.length) return { action: 'sync', ...wanted };
	if (state.missing) return { action: 'lookup', lookup: state.missing };
	const rows = store.changed().map((r) => ({ ...stateRowOf(r, r.version - 1), owner: '' }));
	return { action: 'done', outcome: outcomes[outcomes.length - 1] as CheckOutcome, rows };
}
