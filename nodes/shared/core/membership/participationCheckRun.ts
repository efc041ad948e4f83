/**
 * One participation check run (see `participationCheck.ts` for the rule): read the persons'
 * participation counts once, compare X = O − K with what the last check stored, read the deals of
 * the persons whose X moved through the ordinary membership sync, and store X again.
 *
 * The reads run in rounds: a read can add a person to a deal (a chain: P removed from D and added
 * to E, or B put in A's place on D and in C's place on E), which changes that person's K; K is
 * recomputed from the state after each round, so the next round reads that person's other deals.
 *
 * X is kept in one sync-state row (`prospect`, `participation-check`), not in workflow static data:
 * the membership rows K is counted from are in the same store, every worker of a queue-mode setup
 * reads and writes the same row, and the write is compare-and-set.
 */
import type { SyncStateStore } from '../syncState/store';
import type { LinkState } from '../syncState/link';
import type { RunOutcome } from '../twoWay/ports';
import { emptyOutcome } from './outcome';
import { knownDealsOf, MAX_CHECK_DEALS, nextStored, outsideCounts, planCheck, type OutsideCounts } from './participationCheck';

export const CHECK_ROW_ID = 'participation-check';

export interface CheckPorts {
	/** Per Pipedrive person: participant deals open + closed (one person list, counts included). */
	observedCounts(): Promise<Map<string, number>>;
	/** The membership sync of one deal (its outcomes). */
	syncDeal(dealId: string): Promise<RunOutcome[]>;
	/** The membership sync of every open synced deal. */
	syncAll(): Promise<RunOutcome[]>;
}

export interface CheckRun {
	ports: CheckPorts;
	store: SyncStateStore;
	now(): Date;
	/** `baseline`: just after a full read, keep X as it is; `check`: compare and read. */
	mode: 'check' | 'baseline';
	/** The open deals of the synced pipelines, when the caller has them. */
	openDeals: Set<string> | null;
	maxDeals?: number;
}

export interface CheckOutcome extends RunOutcome {
	check: { mode: 'baseline' | 'check' | 'fullRead'; changedPersons: string[]; dealsRead: string[]; failedDeals: string[] };
}

async function storedRow(store: SyncStateStore): Promise<LinkState | undefined> {
	return (await store.find('prospect', 'pipedrive', CHECK_ROW_ID))[0];
}

function storedCounts(row: LinkState | undefined): OutsideCounts | null {
	if (!row?.baseline) return null;
	const out: OutsideCounts = {};
	for (const [personId, text] of Object.entries(row.baseline.pipedrive)) if (Number.isFinite(Number(text))) out[personId] = Number(text);
	return out;
}

async function saveCounts(run: CheckRun, row: LinkState | undefined, counts: OutsideCounts): Promise<void> {
	const baseline = { pipedrive: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)])), propstreet: {}, at: { pipedrive: run.now().toISOString() } };
	// A concurrent check that stored first wins; this one's counts are as good and the next check compares again.
	if (row) await run.store.update(row.rowId, row.version, { baseline });
	else await run.store.insert({ entity: 'prospect', pipedriveId: CHECK_ROW_ID, propstreetId: null, status: 'linked', baseline, owner: null });
}

function summary(mode: CheckOutcome['check']['mode'], persons: string[], read: string[], failed: Map<string, string>): CheckOutcome {
	const what = mode === 'baseline' ? 'took the baseline (read no deal)' : mode === 'fullRead' ? 'too many deals to read one by one, so read every open synced deal' : `read ${read.length} deal(s)`;
	const reason = `Participation check: ${persons.length} person(s) whose participations changed since the last check; ${what}`;
	const warnings = [...failed].map(([deal, message]) => `Deal ${deal} could not be read (${message}); the next check looks again`);
	return { ...emptyOutcome(null, null, reason), action: 'unchanged', warnings, check: { mode, changedPersons: persons, dealsRead: read, failedDeals: [...failed.keys()] } };
}

export async function runParticipationCheck(run: CheckRun): Promise<RunOutcome[]> {
	const observed = await run.ports.observedCounts();
	const row = await storedRow(run.store);
	const stored = run.mode === 'baseline' ? null : storedCounts(row);
	const read = new Set<string>();
	const failed = new Map<string, string>();
	const outcomes: RunOutcome[] = [];
	let mode: CheckOutcome['check']['mode'] = 'check';
	let persons: string[] = [];
	const maxDeals = run.maxDeals ?? MAX_CHECK_DEALS;
	const knownNow = async () => knownDealsOf(await run.store.list('prospect'));
	let known = await knownNow();
	// Every round reads at least one deal not read before, and past maxDeals the plan is a full read: it ends.
	for (let round = 0; round <= maxDeals + 1; round++) {
		const plan = planCheck({ stored, now: outsideCounts(observed, known), known, openDeals: run.openDeals, alreadyRead: read, maxDeals });
		if (plan.kind === 'baseline') mode = 'baseline';
		if (plan.kind !== 'baseline' && round === 0) persons = plan.persons;
		if (plan.kind === 'fullRead') {
			mode = 'fullRead';
			outcomes.push(...(await run.ports.syncAll()));
			known = await knownNow();
		}
		if (plan.kind !== 'read' || plan.deals.length === 0) break;
		for (const dealId of plan.deals) {
			read.add(dealId);
			try {
				outcomes.push(...(await run.ports.syncDeal(dealId)));
			} catch (error) {
				failed.set(dealId, error instanceof Error ? error.message : String(error));
			}
		}
		known = await knownNow();
	}
	await saveCounts(run, row, nextStored(stored, outsideCounts(observed, known), known, new Set(failed.keys())));
	return [...outcomes, summary(mode, persons, [...read], failed)];
}
