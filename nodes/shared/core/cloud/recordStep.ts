/**
 * Cloud 02–07: one record event (contact, company or project) runs the two-way engine's own
 * `syncEvent`, exactly as the Sync node runs it, over answered lookups: the Code node calls
 * `recordStep` once per round; each round replays the event with every answer so far and stops at
 * the first call it has no answer for, which the workflow makes (HTTP Request or Data Table node)
 * and hands back. State rows are read and written as they happen (`ReplayedStateStore`, with
 * compare-and-set), so claims, leases, merges, deletes, late deliveries, echoes and the review
 * queue behave as on self-hosted.
 *
 * CONTRACT (the flows are built on it; changes are written here first):
 * - Input `{ entity, event, settingsRow, previous, answer, now, owner, cache }`:
 *   `event` the trigger item (Pipedrive Trigger body, or the checked Propstreet delivery's item);
 *   `previous` this step's previous output (null in the first round); `answer` the answer to
 *   `previous.lookup` (HTTP node full response, or the Data Table node's rows as an array of json);
 *   `now` ISO time (read only when `previous` is null); `owner` `'cloud-' + execution id`;
 *   `cache` `$getWorkflowStaticData('global')` (mutated: field definitions, kept for a day).
 * - Output `{ action: 'lookup', lookup, answers, now, rounds }` → make `lookup` and call again; or
 *   `{ action: 'finished', outcome, error?, now }`: `outcome` is the RunOutcome summary
 *   (action, entity, pipedriveId, propstreetId, reason, warnings, review; null when `error`).
 * - Added for Cloud 11: input `apply: 'reviewDecisions'` (no `event`) applies the resolved review
 *   rows of `entity`; it finishes with `outcome: null` and `applied` (`AppliedReview`). Its one new
 *   lookup is a review `find` on column `status` = 'open'.
 * - `lookup.api`: 'pipedrive' | 'propstreet' (method, path with query, body?, headers?) or
 *   'state' | 'review' with `lookup.table` (`TableOp` in `lookups.ts`: find / insert / update
 *   filtered on id (+ version = expectedVersion for state) / delete).
 * Additions (backwards compatible):
 * - A state `update` counts only when a returned row carries the `writeToken` the lookup's row
 *   sends, so the Data Table node must return the updated rows with all columns.
 * - `backfillStep` takes `entity` ('contact' | 'company' | 'project'), `cache` (definitions read as
 *   lookups when `fields` is absent) and `compareAndSet: true`: its state operations are then these
 *   same `table` lookups (claims, leases, no `state` saves afterwards), recommended for Cloud 10 so
 *   a backfill and a record event never both link one record.
 */
import type { JsonRecord } from '../mapping/common';
import { syncEvent } from '../twoWay/event';
import { readSideEvent } from '../twoWay/eventInput';
import { applyResolvedPairs, resolvedPairs, type ApplySummary } from '../twoWay/applyReview';
import type { ReviewItem, RunOutcome } from '../twoWay/ports';
import { cloudDefinitions, type DefinitionsCache } from './definitions';
import { replayClock, strictLookups, type Lookup, type LookupAnswer } from './lookups';
import { cloudRecordRun, RECORD_ENTITIES, type RecordEntity } from './recordRun';
import { ReplayedReviewQueue } from './replayedReviewQueue';
import { ReplayedStateStore } from './replayedStateStore';
import { cloudSettingsOf } from './runSetup';

/** Far more calls than any record needs: a loop that keeps asking is stopped with a clear error. */
export const MAX_ROUNDS = 400;

export type OutcomeSummary = Pick<RunOutcome, 'action' | 'entity' | 'pipedriveId' | 'propstreetId' | 'reason' | 'warnings' | 'review'> & Partial<Pick<RunOutcome, 'lifecycle'>>;

export type RecordStepState =
	| { action: 'lookup'; lookup: Lookup; answers: LookupAnswer[]; now: string; rounds: number }
	| { action: 'finished'; outcome: OutcomeSummary | null; applied?: AppliedReview; error?: string; now: string };

/** What Cloud 11 applied for an entity: the core's summary and the review items of pairs still holding unresolved fields. */
export type AppliedReview = ApplySummary & { review: ReviewItem[] };

/**
 * Resolved pairs one Cloud 11 run applies per entity: every call of every pair is a round of the
 * loop and each round replays the ones before, so a run stays short; the rest wait for the next run.
 */
export const REVIEW_PAIRS_PER_RUN = 10;

export interface RecordStepInput {
	entity: unknown;
	event: unknown;
	settingsRow: unknown;
	previous: RecordStepState | null;
	answer?: unknown;
	now: string;
	owner: string;
	cache?: DefinitionsCache;
	/** `'reviewDecisions'`: apply the resolved review rows of `entity` (Cloud 11) instead of syncing `event`. */
	apply?: unknown;
}

function summary(outcome: RunOutcome, warning?: string): OutcomeSummary {
	const { action, entity, pipedriveId, propstreetId, reason, warnings, review, lifecycle } = outcome;
	return { action, entity, pipedriveId, propstreetId, reason, warnings: warning ? [warning, ...warnings] : warnings, review, ...(lifecycle ? { lifecycle } : {}) };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** How one round ends when every call it made was answered. */
type Finish = { outcome: OutcomeSummary | null; applied?: AppliedReview; error?: string };

/** The engine's run of `entity` for one round, over the round's answers (events and Cloud 11 share it). */
export function replayedRun(input: RecordStepInput, entity: RecordEntity, answer: (lookup: Lookup) => unknown, now: string, payload: JsonRecord | null) {
	const settings = cloudSettingsOf(input.settingsRow);
	const definitions = cloudDefinitions(answer, input.cache, new Date(now));
	const review = new ReplayedReviewQueue(answer);
	const parts = { entity, settings, answer, payload, owner: input.owner, ...replayClock(now) };
	return { settings, run: cloudRecordRun({ ...parts, definitions, store: new ReplayedStateStore(answer, input.owner), review }) };
}

async function syncRecordEvent(input: RecordStepInput, entity: RecordEntity, answer: (lookup: Lookup) => unknown, now: string): Promise<Finish> {
	const event = readSideEvent(input.event, entity, 'auto');
	const { run, settings } = replayedRun(input, entity, answer, now, event.side === 'pipedrive' ? event.record : null);
	return { outcome: summary(await syncEvent(run, event), settings.settingsWarning) };
}

/**
 * Cloud 11 (`apply: 'reviewDecisions'`): the entity's open review rows are read, and each pair a
 * person resolved is synced by the core's `applyResolvedPairs`, as the self-hosted node's Apply
 * Review Decisions does. A round stopped for a call ends at that pair (and is replayed with the answer).
 */
async function applyRecordReview(input: RecordStepInput, entity: RecordEntity, answer: (lookup: Lookup) => unknown, now: string, stopped: () => boolean): Promise<Finish> {
	const open = await new ReplayedReviewQueue(answer).openOf(entity);
	// Nothing resolved (most runs of the 15-minute schedule): no definitions read, no API call at all.
	if (!resolvedPairs(open).length) return { outcome: null, applied: { entity, pairs: 0, applied: 0, failed: [], review: [] } };
	const { run } = replayedRun(input, entity, answer, now, null);
	const { summary: applied, reviewed } = await applyResolvedPairs(run, open, { maxPairs: REVIEW_PAIRS_PER_RUN, stopped });
	return { outcome: null, applied: { ...applied, review: reviewed.flatMap((o) => o.review) } };
}

/** One replay over `answers`: the call still needed, or how it ended. */
async function replay(input: RecordStepInput, entity: RecordEntity, answers: LookupAnswer[], now: string): Promise<{ missing: Lookup } | Finish> {
	const { answer, state } = strictLookups(answers);
	const stopped = () => state.missing !== null;
	try {
		const finish = input.apply === 'reviewDecisions' ? await applyRecordReview(input, entity, answer, now, stopped) : await syncRecordEvent(input, entity, answer, now);
		// A round that lacked an answer went on past it only where the engine caught the stop: only the missing call counts.
		return state.missing ? { missing: state.missing } : finish;
	} catch (error) {
		if (state.missing) return { missing: state.missing };
		return { outcome: null, error: messageOf(error) };
	}
}

export async function recordStep(input: RecordStepInput): Promise<RecordStepState> {
	const entity = input.entity as RecordEntity;
	const previous = input.previous && input.previous.action === 'lookup' ? input.previous : null;
	const now = previous ? previous.now : input.now;
	if (!RECORD_ENTITIES.includes(entity)) return { action: 'finished', outcome: null, error: `The Cloud record step syncs ${RECORD_ENTITIES.join(', ')}, not "${String(input.entity)}"`, now };
	const answers = previous ? [...previous.answers, { lookup: previous.lookup, answer: input.answer }] : [];
	const rounds = (previous?.rounds ?? 0) + 1;
	const result = await replay(input, entity, answers, now);
	if (!('missing' in result)) return { action: 'finished', ...result, now };
	if (rounds > MAX_ROUNDS) return { action: 'finished', outcome: null, error: `The ${entity} sync needed more than ${MAX_ROUNDS} calls; stopped (the next event or the backfill syncs it)`, now };
	return { action: 'lookup', lookup: result.missing, answers, now, rounds };
}

// Kept importable from here, where the contract is written (they live in lookups.ts with the rest of the replay).
export { LookupNeeded, replayClock, strictLookups } from './lookups';
