/**
 * Cloud 09 as the workflow loops it: `syncNoteStep` asks for one call at a time; the test answers
 * Propstreet calls from a real Propstreet simulator (full responses, as the HTTP Request node gives
 * them) and sync-state reads from an in-test table (as the Data Table node), then stores the row
 * the step hands back. The rule is the Sync node's note sync: created once, revised, archived.
 */
import { syncNoteStep, type NoteStep } from '../../../nodes/shared/core/cloud/noteStep';
import type { Lookup, LookupAnswer } from '../../../nodes/shared/core/cloud/lookups';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { call } from '../../simulators/propstreet/testkit';

type Rec = Record<string, any>;

let sim: PropstreetSimulator;
let table: Rec[];
let contactId: string;
beforeEach(async () => {
	sim = await startPropstreetSimulator();
	contactId = (await call(sim, 'POST', '/api/v1/network/contacts', { body: { firstName: 'Astrid', lastName: 'Lund', email: 'astrid@example.se' } })).body.id;
	table = [{ id: 1, entity: 'contact', pipedriveId: '77', propstreetId: contactId, status: 'linked', version: 1, owner: '', baseline: '' }];
});
afterEach(() => sim.close());

const noteEvent = (action: 'create' | 'change' | 'delete', content: string, time: string) => {
	const note = { id: 9001, content, person_id: 77, org_id: null, deal_id: null, active_flag: action !== 'delete', update_time: time };
	return { meta: { action, entity: 'note', entity_id: '9001', version: '2.0' }, data: action === 'delete' ? null : note, previous: action === 'delete' ? note : null };
};

async function answerOf(lookup: Lookup): Promise<unknown> {
	if (lookup.api === 'state') {
		const rows = table.filter((r) => r.entity === lookup.state!.entity && r[lookup.state!.column] === lookup.state!.value);
		return rows.length ? rows : [{}];
	}
	expect(lookup.api).toBe('propstreet');
	const res = await call(sim, lookup.method, lookup.path, { body: lookup.body, headers: lookup.headers });
	return { statusCode: res.status, body: res.body ?? '', headers: {} };
}

/** The workflow's loop: rounds until done; the row is upserted by entity + Pipedrive id. */
async function runEvent(event: Rec): Promise<{ step: Extract<NoteStep, { action: 'done' }>; calls: Lookup[] }> {
	const answers: LookupAnswer[] = [];
	for (let round = 0; round < 20; round++) {
		const step = await syncNoteStep({ event, settingsRow: {}, answers, now: '2026-12-04T12:00:00.000Z', owner: 'cloud-1' });
		if (step.action === 'lookup') {
			answers.push({ lookup: step.lookup, answer: await answerOf(step.lookup) });
			continue;
		}
		if (step.row) {
			const at = table.findIndex((r) => r.entity === 'note' && r.pipedriveId === step.row!.pipedriveId);
			if (at >= 0) table[at] = { ...table[at], ...step.row };
			else table.push({ id: table.length + 1, ...step.row });
		}
		return { step, calls: answers.map((a) => a.lookup) };
	}
	throw new Error('the note step did not finish in 20 rounds');
}

const notes = async (all = false) =>
	((await call(sim, 'GET', `/api/v1/network/contacts/${contactId}/actions?type=notes&page_size=100${all ? '&include_superseded=true&include_archived=true' : ''}`)).body.data ?? []) as Rec[];
const writes = (calls: Lookup[]) => calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path.replace(contactId, '{id}').replace(/notes\/[^/?]+$/, 'notes/{noteId}')}`);

describe('Cloud 09: a Pipedrive note on a linked person, as the Sync node syncs it', () => {
	it('lands once on the linked contact, is revised in place when edited, and archived when deleted', async () => {
		const created = await runEvent(noteEvent('create', '<p>Call booked: <b>Kista</b> on Friday.</p>', '2026-12-04 10:00:00'));
		expect(created.step.outcome).toMatchObject({ action: 'created', pipedriveId: '9001' });
		expect(writes(created.calls)).toEqual(['POST /api/v1/network/contacts/{id}/notes']);
		expect(created.calls.find((c) => c.method === 'POST')?.headers).toEqual({ 'Idempotency-Key': expect.any(String) });
		const [note] = await notes();
		expect(note.details.message).toBe('Call booked: Kista on Friday.');
		expect(table.filter((r) => r.entity === 'note')).toEqual([expect.objectContaining({ pipedriveId: '9001', propstreetId: `contact/${contactId}/${note.id}`, status: 'linked' })]);

		// The same delivery again (a retry): nothing written, nothing stored.
		const again = await runEvent(noteEvent('create', '<p>Call booked: <b>Kista</b> on Friday.</p>', '2026-12-04 10:00:00'));
		expect(again.step).toMatchObject({ outcome: { action: 'unchanged' }, row: null });
		expect(writes(again.calls)).toEqual([]);

		const edited = await runEvent(noteEvent('change', '<p>Call booked: <b>Kista</b> moved to Monday.</p>', '2026-12-04 11:00:00'));
		expect(edited.step.outcome.action).toBe('updated');
		expect(writes(edited.calls)).toEqual(['PATCH /api/v1/network/contacts/{id}/notes/{noteId}']);
		expect(edited.calls.find((c) => c.method === 'PATCH')?.headers).toEqual({ 'If-Match': expect.any(String) });
		expect((await notes()).map((n) => n.details.message)).toEqual(['Call booked: Kista moved to Monday.']);

		const deleted = await runEvent(noteEvent('delete', '<p>Call booked: <b>Kista</b> moved to Monday.</p>', '2026-12-04 11:00:00'));
		expect(deleted.step.outcome.action).toBe('unlinked');
		expect(writes(deleted.calls)).toEqual(['PATCH /api/v1/network/contacts/{id}/notes/{noteId}']);
		expect(await notes()).toEqual([]);
		const revisions = await notes(true);
		const head = revisions.filter((n) => !revisions.some((m) => m.supersedesActivityId === n.id));
		expect(head).toEqual([expect.objectContaining({ archivedAt: expect.any(String), details: expect.objectContaining({ message: 'Call booked: Kista moved to Monday.' }) })]);
		expect(table.filter((r) => r.entity === 'note').map((r) => r.status)).toEqual(['unlinked']);
	});

	it('a note on a person with no Propstreet counterpart writes nothing and stores nothing', async () => {
		table = [];
		const { step, calls } = await runEvent(noteEvent('create', '<p>Hello</p>', '2026-12-04 10:00:00'));
		expect(step).toMatchObject({ outcome: { action: 'skipped' }, row: null });
		expect(writes(calls)).toEqual([]);
		expect(await notes()).toEqual([]);
	});
});
