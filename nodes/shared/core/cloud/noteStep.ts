/**
 * Cloud 09 (Pipedrive notes → Propstreet notes): the Sync node's own `syncNoteEvent`, run over
 * answered lookups. Every call it makes (a sync-state read, a Pipedrive note read, a Propstreet
 * note read or write) is a lookup; the run stops at the first one not yet answered, the workflow
 * makes that call and runs it again with one more answer. The rule makes its calls in the same
 * order every time (fixed clock, owner and answers), so a write is made once and the run then
 * goes past it. When no call is missing, the outcome and the state row to store come back.
 */
import type { JsonRecord } from '../mapping/common';
import { collectionPath } from '../propstreetPaths';
import type { LinkState } from '../syncState/link';
import { readSideEvent } from '../twoWay/eventInput';
import type { NotePort, NoteRun, NoteTarget, NoteWrite } from '../twoWay/notePorts';
import { NOTE_TIMELINE_QUERY, noteWriteResult, propstreetNoteOf } from '../twoWay/noteRows';
import { syncNoteEvent } from '../twoWay/noteSync';
import type { RunOutcome } from '../twoWay/ports';
import { collectPages, readPage } from '../http/pagination';
import { answeredLookups, bodyOf, checkedStatus, type Lookup, type LookupAnswer, recordOfAnswer } from './lookups';
import { ReplayStore } from './replayStore';
import { cloudRunSetup } from './runSetup';
import { stateRowOf, type StateRowOut } from './stateRows';

export interface NoteStepInput {
	/** The Pipedrive Trigger's item for a note. */
	event: unknown;
	settingsRow: unknown;
	answers: LookupAnswer[];
	/** The execution's clock and owner token, the same in every round (ISO time). */
	now: string;
	owner: string;
}

export type NoteStep = { action: 'lookup'; lookup: Lookup } | { action: 'done'; outcome: RunOutcome; row: StateRowOut | null };

const segment = encodeURIComponent;
const query = (params: Record<string, string | number | boolean | undefined>) =>
	Object.entries(params)
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => `${k}=${segment(String(v))}`)
		.join('&');

function recordPath(target: NoteTarget): string {
	return `${collectionPath(target.kind)}/${segment(target.parentId)}`;
}

/** A Propstreet answer other than success or "gone" is an error the run stops on. */
const checked = (answer: unknown, what: string): number => checkedStatus(answer, what, [404, 409, 410, 412]);

function cloudNotePort(answer: (lookup: Lookup) => unknown, namespace: string): NotePort {
	const propstreet = (method: Lookup['method'], path: string, body?: JsonRecord, headers?: Record<string, string>) => answer({ api: 'propstreet', method, path, ...(body ? { body } : {}), ...(headers ? { headers } : {}) });
	const change = (target: NoteTarget, noteId: string, body: JsonRecord, etag: string, what: string): Promise<NoteWrite> =>
		Promise.resolve(noteWriteResult(checked(propstreet('PATCH', `${recordPath(target)}/notes/${segment(noteId)}`, body, etag ? { 'If-Match': etag } : undefined), what)));
	return {
		readPipedriveNote: async (id) => recordOfAnswer(answer({ api: 'pipedrive', method: 'GET', path: `/v1/notes/${segment(id)}` })).record,
		findTarget: async (kind, pipedriveId) => {
			const found = recordOfAnswer(propstreet('GET', `${collectionPath(kind)}/external/${segment(namespace)}/${segment(pipedriveId)}`)).record;
			return found && !found.deletedUtc ? String(found.id) : null;
		},
		listNotes: async (target) => {
			let gone = false;
			const rows = await collectPages<JsonRecord>({
				fetchPage: async (cursor) => {
					const page = propstreet('GET', `${recordPath(target)}/actions?${query({ ...NOTE_TIMELINE_QUERY, cursor })}`);
					gone = [404, 410].includes(checked(page, `Reading the notes of Propstreet ${target.kind} ${target.parentId}`));
					return gone ? { items: [] } : readPage<JsonRecord>(bodyOf(page));
				},
			});
			return gone ? null : rows.map(propstreetNoteOf).filter((n) => n !== null);
		},
		createNote: async (target, body, key) => {
			const status = checked(propstreet('POST', `${recordPath(target)}/notes`, body, key ? { 'Idempotency-Key': key } : undefined), `Adding a note to Propstreet ${target.kind} ${target.parentId}`);
			return status === 404 || status === 410 ? 'gone' : 'ok';
		},
		reviseNote: (target, noteId, message, etag) => change(target, noteId, { action: 'supersede', supersede: { message } }, etag, `Revising Propstreet note ${noteId}`),
		archiveNote: (target, noteId, etag) => change(target, noteId, { action: 'archive' }, etag, `Archiving Propstreet note ${noteId}`),
	};
}

/** The note's own row after the run (the one the workflow upserts by the note id), if the run changed it. */
function rowToStore(changed: LinkState[], noteId: string): StateRowOut | null {
	const mine = changed.filter((r) => r.entity === 'note' && r.pipedriveId === noteId);
	const row = mine.find((r) => r.status === 'linked') ?? mine[mine.length - 1];
	return row ? stateRowOf(row, row.version - 1) : null;
}

export async function syncNoteStep(input: NoteStepInput): Promise<NoteStep> {
	const setup = cloudRunSetup(input.settingsRow, undefined, 'note');
	const event = readSideEvent(input.event, 'note', 'pipedrive');
	const { answer, state } = answeredLookups(input.answers);
	const now = () => new Date(input.now);
	const store = new ReplayStore(answer, now);
	const run: NoteRun = { config: setup.config, rules: setup.rules, store, port: cloudNotePort(answer, setup.config.pipedriveNamespace), createInPropstreet: setup.createOn.propstreet, owner: input.owner, now, wait: () => Promise.resolve() };
	const ran = await syncNoteEvent(run, event).then(
		(outcome) => ({ outcome, failure: null }),
		(failure: unknown) => ({ outcome: null, failure }),
	);
	// A run that lacked an answer went on with "nothing there": only the missing call counts, not its outcome or failure.
	if (state.missing) return { action: 'lookup', lookup: state.missing };
	if (!ran.outcome) throw ran.failure instanceof Error ? ran.failure : new Error(String(ran.failure));
	return { action: 'done', outcome: ran.outcome, row: rowToStore(store.changed(), String(event.record.id)) };
}
