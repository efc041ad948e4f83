/**
 * Cloud 09: Pipedrive notes → Propstreet notes, as the self-hosted 09 does them ("notes…" cases in
 * sync.e2e.test.ts): a note on a linked person lands once on its contact, an edit revises that
 * note, a delete archives it; a note on a linked organization lands on its company. Registered by
 * cloud.e2e.test.ts on its running stack; each pair is linked first by the Cloud 02/04 workflows.
 */
import type { Stack } from '../../harness/stack';
import { contactRecords, type Rec } from '../contactRecords';

type Action = { id: string; details?: Rec; supersedesActivityId?: string | null; archivedAt?: string | null };

export function registerNotes(getStack: () => Stack): void {
	const { ps, pd, refOf } = contactRecords(getStack);
	const timeline = async (kind: 'contacts' | 'companies', id: string, all = false) =>
		(await getStack().observe.propstreet<{ data: Action[] }>('GET', `/api/v1/network/${kind}/${id}/actions?type=notes&page_size=100${all ? '&include_superseded=true&include_archived=true' : ''}`)).body.data ?? [];
	const noteRows = async (noteId: number) => (await getStack().syncStateRows()).filter((r) => r.entity === 'note' && r.pipedriveId === String(noteId));

	describe('n8n Cloud edition: notes Pipedrive → Propstreet with built-in nodes only', () => {
		test('a note on a linked person lands once on its contact; an edit revises it; a delete archives it', async () => {
			const stack = getStack();
			const investor = pd().optionId('person', 'label_ids', 'Investor');
			const person = pd().createPerson({ name: 'Ebba Strand', first_name: 'Ebba', last_name: 'Strand', emails: [{ value: 'ebba.strand@e2e.example', primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
			const contact = await stack.waitFor(() => ps().state().contacts.find((c: Rec) => refOf(c) === String(person.id)) as Rec | undefined, { what: 'the linked contact', timeoutMs: 90000 });
			await stack.waitFor(async () => (await stack.syncStateRows()).some((r) => r.entity === 'contact' && r.pipedriveId === String(person.id) && r.status === 'linked'), { what: 'the contact link row', timeoutMs: 60000 });
			await stack.settle({ quietMs: 3000 });

			let start = stack.mark();
			const added = pd().addNote({ content: '<p>Viewing booked with Ebba: <b>Solna</b> on Friday.</p>', person_id: person.id }) as Rec;
			await stack.waitFor(async () => (await timeline('contacts', contact.id)).length > 0, { what: 'the note on the contact', timeoutMs: 90000 });
			await stack.settle({ quietMs: 3000 });
			const first = await timeline('contacts', contact.id);
			expect(first.map((a) => a.details?.message)).toEqual(['Viewing booked with Ebba: Solna on Friday.']);
			expect(stack.apiCallReport(start).propstreet.writesByRoute).toEqual({ 'POST /api/v1/network/contacts/{id}/notes': 1 });
			expect(stack.apiCallReport(start).pipedrive.writesByRoute).toEqual({});
			expect((await noteRows(added.id)).map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: `contact/${contact.id}/${first[0].id}`, status: 'linked' }]);

			start = stack.mark();
			pd().updateNote(added.id, { content: '<p>Viewing booked with Ebba: <b>Solna</b> moved to Monday.</p>' });
			await stack.waitFor(async () => (await timeline('contacts', contact.id)).some((a) => String(a.details?.message).includes('Monday')), { what: 'the revised note', timeoutMs: 90000 });
			await stack.settle({ quietMs: 3000 });
			const revised = await timeline('contacts', contact.id);
			expect(revised.map((a) => a.details?.message)).toEqual(['Viewing booked with Ebba: Solna moved to Monday.']);
			expect(revised[0].supersedesActivityId).toBe(first[0].id);
			expect(stack.apiCallReport(start).propstreet.writesByRoute).toEqual({ 'PATCH /api/v1/network/contacts/{id}/notes/{noteId}': 1 });
			expect((await noteRows(added.id)).map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: `contact/${contact.id}/${revised[0].id}`, status: 'linked' }]);

			start = stack.mark();
			pd().deleteNote(added.id);
			await stack.waitFor(async () => (await timeline('contacts', contact.id)).length === 0, { what: 'the archived note', timeoutMs: 90000 });
			await stack.settle({ quietMs: 3000 });
			const all = await timeline('contacts', contact.id, true);
			expect(all.find((a) => a.id === revised[0].id)?.archivedAt).toEqual(expect.any(String));
			expect(stack.apiCallReport(start).propstreet.writesByRoute).toEqual({ 'PATCH /api/v1/network/contacts/{id}/notes/{noteId}': 1 });
			expect((await noteRows(added.id)).map((r) => r.status)).toEqual(['unlinked']);
			expect(pd().persons().find((p) => p.id === person.id)).toBeDefined();
		}, 400000);

		test('a note on a linked organization lands once on its company', async () => {
			const stack = getStack();
			const org = pd().createOrganization({ name: 'Mälardalen Logistik AB', custom_fields: { domain: 'malardalenlogistik.example.se' } }) as Rec;
			const company = await stack.waitFor(() => (ps().state().companies as Rec[]).find((c) => refOf(c) === String(org.id) && !c.deletedUtc), { what: 'the linked company', timeoutMs: 90000 });
			await stack.waitFor(async () => (await stack.syncStateRows()).some((r) => r.entity === 'company' && r.pipedriveId === String(org.id) && r.status === 'linked'), { what: 'the company link row', timeoutMs: 60000 });
			await stack.settle({ quietMs: 3000 });
			const start = stack.mark();
			const added = pd().addNote({ content: '<p>Lease renewal in <i>Västerås</i> due in March.</p>', org_id: org.id }) as Rec;
			await stack.waitFor(async () => (await timeline('companies', company.id)).length > 0, { what: 'the note on the company', timeoutMs: 90000 });
			await stack.settle({ quietMs: 3000 });
			const notes = await timeline('companies', company.id);
			expect(notes.map((a) => a.details?.message)).toEqual(['Lease renewal in Västerås due in March.']);
			expect(stack.apiCallReport(start).propstreet.writesByRoute).toEqual({ 'POST /api/v1/network/companies/{id}/notes': 1 });
			expect((await noteRows(added.id)).map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: `company/${company.id}/${notes[0].id}`, status: 'linked' }]);
		}, 300000);
	});
}
