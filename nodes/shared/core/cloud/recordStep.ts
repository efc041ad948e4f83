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
import type { RunOutcome } from '../twoWay/ports';
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
	| { action: 'finished'; outcome: OutcomeSummary | null; error?: string; now: string };

export interface RecordStepInput {
	entity: unknown;
	event: unknown;
	settingsRow: unknown;
	previous: RecordStepState | null;
	answer?: unknown;
	now: string;
	owner: string;
	cache?: DefinitionsCache;
}

function summary(outcome: RunOutcome, warning?: string): OutcomeSummary {
	const { action, entity, pipedriveId, propstreetId, reason, warnings, review, lifecycle } = outcome;
	return { action, entity, pipedriveId, propstreetId, reason, warnings: warning ? [warning, ...warnings] : warnings, review, ...(lifecycle ? { lifecycle } : {}) };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One replay of the event over `answers`: the call still needed, or the outcome. */
async function replay(input: RecordStepInput, entity: RecordEntity, answers: LookupAnswer[], now: string): Promise<{ missing: Lookup } | { outcome: OutcomeSummary | null; error?: string }> {
	const { answer, state } = strictLookups(answers);
	const clock = replayClock(now);
	try {
		const event = readSideEvent(input.event, entity, 'auto');
		const settings = cloudSettingsOf(input.settingsRow);
		const payload: JsonRecord | null = event.side === 'pipedrive' ? event.record : null;
		const parts = { entity, settings, answer, payload, owner: input.owner, ...clock };
		const definitions = cloudDefinitions(answer, input.cache, new Date(now));
		const run = cloudRecordRun({ ...parts, definitions, store: new ReplayedStateStore(answer, input.owner), review: new ReplayedReviewQueue(answer) });
		const outcome = await syncEvent(run, event);
		// A round that lacked an answer went on past it only where the engine caught the stop: only the missing call counts.
		return state.missing ? { missing: state.missing } : { outcome: summary(outcome, settings.settingsWarning) };
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
