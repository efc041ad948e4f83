/** workflows/09-notes-pipedrive-to-propstreet.json in-process with both simulators. */
import type { INodeExecutionData } from 'n8n-workflow';

import { pipedriveEvents, PS_TOKEN, psWrites, startBed, type Bed } from './contactsNotesKit';

const FILE = '09-notes-pipedrive-to-propstreet.json';
let bed: Bed;
beforeEach(async () => {
	bed = await startBed({ pipedriveEntities: ['note'] });
});
afterEach(async () => bed.close());

const ps = () => bed.ps.control as any;
const items = (events: object[]): INodeExecutionData[] => events.map((json) => ({ json: json as never }));

async function noteEvents(act: () => void) {
	const from = bed.pdHooks.received.length;
	act();
	return pipedriveEvents(bed, from);
}
async function noteEvents2(act: () => Promise<void>) {
	const from = bed.pdHooks.received.length;
	await act();
	return pipedriveEvents(bed, from);
}
async function run(events: object[]) {
	const result = await bed.run(FILE, items(events));
	if (result.error) throw new Error(`failed at ${result.run.data.resultData.lastNodeExecuted}: ${result.error.message}`);
	return result;
}
/** Note texts on a Propstreet record's own timeline. */
async function notesOn(kind: 'projects' | 'network/contacts' | 'network/companies', id: string): Promise<string[]> {
	const res = await fetch(`${bed.ps.url}/api/v1/${kind}/${id}/actions?type=notes&include_rollups=false`, { headers: { authorization: `Bearer ${PS_TOKEN}` } });
	const body = (await res.json()) as { data: Record<string, any>[] };
	return body.data.map((a) => a.details?.message ?? a.message ?? a.content ?? a.note);
}
const writes = () => psWrites(bed);

describe('workflow 09: notes Pipedrive → Propstreet', () => {
	it('a deal note goes to the linked project once, as plain text; a re-delivery is replayed, not duplicated', async () => {
		const events = await noteEvents(() => void bed.pd.control.addNote({ content: '<p>Seller wants <b>binding bids</b> by Friday</p>', deal_id: 3001, person_id: 1001 }));
		expect(events).toHaveLength(1);
		ps().clearRequests();
		const result = await run(events);
		expect(result.executionOrder).toContain('Add Note to Project');
		expect(await notesOn('projects', '7001')).toEqual(['Seller wants binding bids by Friday']);
		expect(await notesOn('network/contacts', '5001')).toEqual([]);
		expect(writes()).toBe(1);

		const again = await run(events);
		expect(again.outputOf('Add Note to Project')[0].json.id).toBe(result.outputOf('Add Note to Project')[0].json.id);
		expect(await notesOn('projects', '7001')).toHaveLength(1);
		expect(writes()).toBe(1);
		const sent = ps().requests({ route: 'POST /api/v1/projects/{id}/notes' });
		expect(sent).toHaveLength(2);
	});

	it('falls back to the person\'s contact, then the organization\'s company', async () => {
		const personNote = await noteEvents(() => void bed.pd.control.addNote({ content: 'Call: interested in Kista', person_id: 1001, org_id: 2001 }));
		const orgNote = await noteEvents(() => void bed.pd.control.addNote({ content: 'Annual report received', org_id: 2001 }));
		// Deal 3003 (Nyhavn) has no project in Propstreet, so the note goes to the linked organization's company.
		const unsyncedDealNote = await noteEvents(() => void bed.pd.control.addNote({ content: 'Board approved', deal_id: 3003, org_id: 2001 }));
		await run(personNote);
		await run(orgNote);
		await run(unsyncedDealNote);
		expect(await notesOn('network/contacts', '5001')).toEqual(['Call: interested in Kista']);
		expect((await notesOn('network/companies', '6001')).sort()).toEqual(['Annual report received', 'Board approved']);
		expect(writes()).toBe(3);
	});

	it('attaches nothing when no linked record is synced, skips text-less changes and never propagates deletes', async () => {
		const orphan = await noteEvents(() => void bed.pd.control.addNote({ content: 'Met at MIPIM', deal_id: 3003, person_id: 1005, org_id: 2003 }));
		ps().clearRequests();
		const r1 = await run(orphan);
		expect(r1.executionOrder).toContain('No Synced Record to Attach To');
		expect(writes()).toBe(0);

		const created = await noteEvents(() => void bed.pd.control.addNote({ content: 'First text', person_id: 1001 }));
		await run(created);
		const noteId = Number((created[0].meta as any).entity_id);
		const pinned = await noteEvents2(() => fetchUpdate(noteId, { pinned_to_person_flag: true }));
		expect(pinned).toHaveLength(1);
		const edited = await noteEvents2(() => fetchUpdate(noteId, { content: 'Second text' }));
		expect(edited).toHaveLength(1);
		for (const e of pinned) expect((await run([e])).executionOrder).toContain('Text Unchanged');
		await run(edited);
		expect((await notesOn('network/contacts', '5001')).sort()).toEqual(['First text', 'Second text']);
		const deleted = await noteEvents2(() => fetchDelete(noteId));
		const r3 = await run(deleted);
		expect(r3.executionOrder).toContain('Deleted in Pipedrive (not propagated)');
		expect(writes()).toBe(2);
	});
});

async function fetchUpdate(id: number, body: object) {
	await fetch(`${bed.pd.url}/v1/notes/${id}?api_token=pipedrive-dev-token`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
async function fetchDelete(id: number) {
	await fetch(`${bed.pd.url}/v1/notes/${id}?api_token=pipedrive-dev-token`, { method: 'DELETE' });
}
