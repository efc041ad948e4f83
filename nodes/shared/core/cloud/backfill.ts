/**
 * Cloud 10 (the backfill): the Sync node's sweep, replayed over answered lookups. The workflow lists
 * the records changed since the last run on both sides (HTTP Request nodes with pagination); this
 * step then runs the engine's own `syncEvent` on each listed record, one after the other, as the
 * self-hosted sweep does (`core/twoWay/sweep.ts`): an unlinked pair is matched (our ref, e-mail)
 * and linked, a missing counterpart created, a pair in step left alone, a deleted record unlinked.
 *
 * One round per call the engine needs: each record's run stops at the first call it has no answer
 * for, the workflow makes it and hands the answer back; the record's state rows are then saved one
 * by one (also as lookups, so a record's rows are stored before the next record reads the table).
 * Only the current record's answers travel between rounds; records are read from the list nodes.
 */
import { idOf, isRecord, type JsonRecord } from '../mapping/common';
import type { Side } from '../merge/policy';
import { readPage } from '../http/pagination';
import type { LinkState } from '../syncState/link';
import { syncEvent } from '../twoWay/event';
import { readSideEvent } from '../twoWay/eventInput';
import type { RunAction, RunOutcome } from '../twoWay/ports';
import { sweepSince, type SweepFailure } from '../twoWay/sweep';
import { cloudDefinitions, type DefinitionCatalog, type DefinitionsCache } from './definitions';
import { answeredLookups, bodyOf, replayClock, strictLookups, type Lookup, type LookupAnswer } from './lookups';
import { cloudRecordRun, type RecordEntity } from './recordRun';
import { ReplayedStateStore } from './replayedStateStore';
import { ReplayStore } from './replayStore';
import { cloudSettingsOf } from './runSetup';
import { stateRowOf, type StateRowOut } from './stateRows';

/** A row to upsert, with the stored row id to match (0 = a new row: nothing matches, so it is inserted). */
export type RowToSave = StateRowOut & { matchId: number };

export interface BackfillState {
	action: 'lookup' | 'finished';
	lookup?: Lookup;
	/** The listed record being synced (Pipedrive's first, then Propstreet's). */
	index: number;
	answers: LookupAnswer[];
	/** The synced record's rows not saved yet. */
	pending: RowToSave[];
	counts: Record<RunAction, number>;
	failed: SweepFailure[];
	/** What each record that changed something did. */
	changes: Array<Pick<RunOutcome, 'action' | 'pipedriveId' | 'propstreetId' | 'reason'>>;
	now: string;
}

export interface BackfillInput {
	/** The List Persons / List Contacts answers: one item per page. */
	pipedrivePages: unknown[];
	propstreetPages: unknown[];
	settingsRow: unknown;
	/** The entity's field definitions as the workflow read them (absent: read as lookups and cached in `cache`). */
	fields?: unknown;
	/** Which records the lists hold (default contacts). */
	entity?: RecordEntity;
	/** `$getWorkflowStaticData('global')`: field definitions read as lookups are kept there. */
	cache?: DefinitionsCache;
	/**
	 * true: every state operation is a Data Table lookup made when the engine makes it, with
	 * compare-and-set, claims and leases (`ReplayedStateStore`, the `table` ops `recordStep` uses),
	 * so the backfill and record events never both link one record. false (default, Cloud 10 as
	 * shipped): a record's rows are kept in memory and upserted after its sync (`state` saves).
	 */
	compareAndSet?: boolean;
	/** This step's output of the previous round (null on the first). */
	previous: BackfillState | null;
	/** The answer to `previous.lookup`: the HTTP full response, or the Data Table node's rows. */
	answer?: unknown;
	now: string;
	owner: string;
}

const SAVE: Lookup['method'] = 'POST';

/** The records of every listed page, Pipedrive's first. */
export function listedRecords(pipedrivePages: unknown[], propstreetPages: unknown[]): Array<{ side: Side; record: JsonRecord }> {
	const of = (side: Side, pages: unknown[]) =>
		pages.flatMap((page) => readPage<unknown>(bodyOf(page)).items.filter((r): r is JsonRecord => isRecord(r) && idOf(r.id) !== undefined).map((record) => ({ side, record })));
	return [...of('pipedrive', pipedrivePages), ...of('propstreet', propstreetPages)];
}

/** The record's rows the run added or changed (its own and a contact's company), to upsert. */
function rowsToSave(changed: LinkState[], loaded: Set<number>): RowToSave[] {
	return changed.map((r) => ({ ...stateRowOf(r, r.version - 1), matchId: loaded.has(r.rowId) ? r.rowId : 0 }));
}

/** The catalog the workflow's own `fields` read answers, per entity. */
const FIELDS_CATALOG: Record<RecordEntity, DefinitionCatalog> = { contact: 'personFields', company: 'organizationFields', project: 'dealFields' };

/** The oldest cached definitions a backfill uses: it maps every record, so it refreshes the day's copy (as the Sync node's list). */
const BACKFILL_DEFINITIONS_MAX_AGE_MS = 60 * 60 * 1000;

/** One record's sync over the answers so far: the call it still needs, or its outcome and rows. */
async function syncRecord(input: BackfillInput, listed: { side: Side; record: JsonRecord }, answers: LookupAnswer[], index: number) {
	const entity = input.entity ?? 'contact';
	const { answer, state } = input.compareAndSet ? strictLookups(answers) : answeredLookups(answers);
	// With compare-and-set, lease and claim waits advance a virtual clock (each poll is a real round).
	const clock = input.compareAndSet ? replayClock(input.now) : { now: () => new Date(input.now), wait: () => Promise.resolve() };
	const now = clock.now;
	// Write tokens carry the record's place in the run: each record's store numbers its writes from 1.
	const store = input.compareAndSet ? new ReplayedStateStore(answer, `${input.owner}#${index}`) : new ReplayStore(answer, now);
	const given = input.fields === undefined ? {} : { [FIELDS_CATALOG[entity]]: input.fields };
	const definitions = cloudDefinitions(answer, input.cache, now(), given);
	const settings = cloudSettingsOf(input.settingsRow);
	const parts = { entity, settings, answer, definitions, store, owner: input.owner, now, wait: clock.wait, payload: null, definitionsMaxAgeMs: BACKFILL_DEFINITIONS_MAX_AGE_MS };
	const ran = await Promise.resolve()
		.then(async () => await syncEvent(cloudRecordRun(parts), readSideEvent(listed.record, entity, listed.side)))
		.then(
			(outcome) => ({ outcome, failure: null as unknown }),
			(failure: unknown) => ({ outcome: null, failure }),
		);
	// A run that lacked an answer went on with "nothing there": only the missing call counts.
	if (state.missing) return { missing: state.missing } as const;
	if (!(store instanceof ReplayStore)) return { outcome: ran.outcome, failure: ran.failure, rows: [] as RowToSave[] } as const;
	const loaded = new Set(store.all().filter((r) => r.rowId < 2 ** 40).map((r) => r.rowId));
	return { outcome: ran.outcome, failure: ran.failure, rows: rowsToSave(store.changed(), loaded) } as const;
}

function firstState(now: string): BackfillState {
	return { action: 'lookup', index: 0, answers: [], pending: [], counts: { unchanged: 0, updated: 0, created: 0, unlinked: 0, relinked: 0, skipped: 0 }, failed: [], changes: [], now };
}

/** The state after the previous round's call was answered. */
function answered(previous: BackfillState, answer: unknown): BackfillState {
	if (previous.action !== 'lookup' || !previous.lookup) return previous;
	if (previous.lookup.api === 'state' && previous.lookup.method === SAVE && !previous.lookup.table) return { ...previous, pending: previous.pending.slice(1) };
	return { ...previous, answers: [...previous.answers, { lookup: previous.lookup, answer }] };
}

export async function backfillStep(input: BackfillInput): Promise<BackfillState> {
	const records = listedRecords(input.pipedrivePages, input.propstreetPages);
	let state = input.previous ? answered(input.previous, input.answer) : firstState(input.now);
	const run = { ...input, now: state.now };
	for (;;) {
		if (state.pending.length) return { ...state, action: 'lookup', lookup: { api: 'state', method: SAVE, path: '', body: state.pending[0] as unknown as JsonRecord } };
		if (state.index >= records.length) return { ...state, action: 'finished', lookup: undefined, answers: [] };
		const listed = records[state.index];
		const result = await syncRecord(run, listed, state.answers, state.index);
		if ('missing' in result) return { ...state, action: 'lookup', lookup: result.missing };
		state = { ...state, index: state.index + 1, answers: [], pending: result.rows };
		if (result.outcome) {
			const o = result.outcome;
			state.counts = { ...state.counts, [o.action]: state.counts[o.action] + 1 };
			if (o.action !== 'unchanged' && o.action !== 'skipped') state.changes = [...state.changes, { action: o.action, pipedriveId: o.pipedriveId, propstreetId: o.propstreetId, reason: o.reason }];
		} else {
			const error = result.failure instanceof Error ? result.failure.message : String(result.failure);
			state.failed = [...state.failed, { id: `${listed.side} ${idOf(listed.record.id) ?? '?'}`, error }];
		}
	}
}

/** Where each side's list starts (the last mark minus the overlap; none = every record), from the workflow's stored marks. */
export function backfillWindow(marks: unknown, fullSweep: boolean): { pipedriveSince: string; propstreetSince: string } {
	const mark = (side: Side) => (isRecord(marks) && typeof marks[side] === 'string' ? (marks[side] as string) : null);
	const since = (side: Side) => sweepSince(mark(side), fullSweep) ?? '';
	// Pipedrive takes RFC 3339 without fractions.
	return { pipedriveSince: since('pipedrive').replace(/\.\d+Z$/, 'Z'), propstreetSince: since('propstreet') };
}

/** The marks the next run reads from: moved to this run's start only when no record failed. */
export function nextMarks(marks: unknown, state: BackfillState): Record<Side, string | null> {
	const old = (side: Side) => (isRecord(marks) && typeof marks[side] === 'string' ? (marks[side] as string) : null);
	if (state.failed.length) return { pipedrive: old('pipedrive'), propstreet: old('propstreet') };
	return { pipedrive: state.now, propstreet: state.now };
}
