/**
 * workflows/09-notes-pipedrive-to-propstreet.json in-process: real Webhooks v2 note deliveries from
 * the Pipedrive simulator, the Propstreet simulator's notes and timelines, and the note links in
 * the data-table simulator. Every test checks Propstreet's timeline, the state rows and the calls.
 */
import { bundledSettingsAsNodeParameters } from './support/settings';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { loadWorkflow, pipedriveEvents, PD_TOKEN, PS_TOKEN, startBed, type Bed } from './contactsNotesKit';

const FILE = '09-notes-pipedrive-to-propstreet.json';
let bed: Bed;
beforeEach(async () => {
	bed = await startBed({ pipedriveEntities: ['note'], pipedriveDirect: true });
});
afterEach(async () => bed.close());

const ps = () => bed.ps.control as any;
type Action = { id: string; etag: string; details: { message: string }; archivedAt: string | null; supersedesActivityId: string | null };

async function noteEvents(act: () => unknown): Promise<IDataObject[]> {
	const from = bed.pdHooks.received.length;
	await act();
	return pipedriveEvents(bed, from);
}
async function run(events: IDataObject[], workflow = loadWorkflow(FILE)) {
	const result = await bed.runJson(workflow, events.map((json) => ({ json }) as INodeExecutionData));
	if (result.error) throw new Error(`failed at ${result.run.data.resultData.lastNodeExecuted}: ${result.error.message}`);
	return { done: result.outputOf('Sync Note', 0).map((i) => i.json as IDataObject), review: result.outputOf('Sync Note', 1).map((i) => i.json as IDataObject), result };
}
/** A record's own note rows; `all` adds archived and superseded revisions. */
async function timeline(kind: 'projects' | 'network/contacts' | 'network/companies', id: string, all = false): Promise<Action[]> {
	const extra = all ? '&include_archived=true&include_superseded=true' : '';
	const res = await fetch(`${bed.ps.url}/api/v1/${kind}/${id}/actions?type=notes&include_rollups=false${extra}`, { headers: { authorization: `Bearer ${PS_TOKEN}` } });
	return ((await res.json()) as { data: Action[] }).data;
}
const texts = async (kind: 'projects' | 'network/contacts' | 'network/companies', id: string) => (await timeline(kind, id)).map((a) => a.details.message);
const noteRows = () => (bed.dt.rows('Propstreet sync state') as IDataObject[]).filter((r) => r.entity === 'note');
/** Propstreet writes by route (successful, not replays). */
const psWrites = (): Record<string, number> => {
	const out: Record<string, number> = {};
	for (const e of ps().requests()) if (e.method !== 'GET' && e.status < 300 && !e.replayed) out[e.route] = (out[e.route] ?? 0) + 1;
	return out;
};
async function editNote(id: number, body: object) {
	const res = await fetch(`${bed.pd.url}/v1/notes/${id}?api_token=${PD_TOKEN}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	expect(res.status).toBe(200);
}
async function deleteNote(id: number) {
	expect((await fetch(`${bed.pd.url}/v1/notes/${id}?api_token=${PD_TOKEN}`, { method: 'DELETE' })).status).toBe(200);
}
const idOf = (events: IDataObject[]) => Number((events[0].meta as IDataObject).entity_id);

describe('workflow 09: notes Pipedrive → Propstreet through the Sync node', () => {
	it('is trigger → Sync Note → Done / Needs Review', () => {
		const wf = loadWorkflow(FILE);
		const working = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
		expect(working.map((n) => n.name).sort()).toEqual(['Done', 'Needs Review (conflicts)', 'Pipedrive Trigger', 'Sync Note']);
		expect(working.find((n) => n.name === 'Sync Note')!.parameters).toMatchObject({ entity: 'note', recordSide: 'auto' });
	});

	it('a deal note goes to the linked project once, as plain text; a duplicate delivery does nothing and costs no call', async () => {
		const created = await noteEvents(() => bed.pd.control.addNote({ content: '<p>Seller wants <b>binding bids</b> by Friday</p>', deal_id: 3001, person_id: 1001 }));
		expect(created).toHaveLength(1);
		ps().clearRequests();
		const { done } = await run(created);
		expect(done[0]).toMatchObject({ action: 'created', entity: 'note', pipedriveId: String(idOf(created)) });
		expect(await texts('projects', '7001')).toEqual(['Seller wants binding bids by Friday']);
		expect(await texts('network/contacts', '5001')).toEqual([]);
		expect(psWrites()).toEqual({ 'POST /api/v1/projects/{id}/notes': 1 });
		const [note] = await timeline('projects', '7001');
		expect(noteRows()).toEqual([expect.objectContaining({ pipedriveId: String(idOf(created)), propstreetId: `project/7001/${note.id}`, status: 'linked' })]);

		ps().clearRequests();
		bed.pd.control.resetStats();
		const again = await run(created);
		expect(again.done[0].action).toBe('unchanged');
		expect(ps().requests()).toEqual([]);
		expect(bed.pd.control.stats().total).toBe(0);
		expect(await texts('projects', '7001')).toHaveLength(1);
	});

	it("falls back to the person's contact, then the organization's company", async () => {
		const personNote = await noteEvents(() => bed.pd.control.addNote({ content: 'Call: interested in Kista', person_id: 1001, org_id: 2001 }));
		const orgNote = await noteEvents(() => bed.pd.control.addNote({ content: 'Annual report received', org_id: 2001 }));
		// Deal 3003 (Nyhavn) has no project in Propstreet, so the note goes to the organization's company.
		const unsyncedDealNote = await noteEvents(() => bed.pd.control.addNote({ content: 'Board approved', deal_id: 3003, org_id: 2001 }));
		for (const events of [personNote, orgNote, unsyncedDealNote]) await run(events);
		expect(await texts('network/contacts', '5001')).toEqual(['Call: interested in Kista']);
		expect((await texts('network/companies', '6001')).sort()).toEqual(['Annual report received', 'Board approved']);
		expect(noteRows().map((r) => String(r.propstreetId).split('/').slice(0, 2).join('/')).sort()).toEqual(['company/6001', 'company/6001', 'contact/5001']);
	});

	it('a note on nothing synced is reported and written nowhere', async () => {
		const orphan = await noteEvents(() => bed.pd.control.addNote({ content: 'Met at MIPIM', deal_id: 3003, person_id: 1005, org_id: 2003 }));
		ps().clearRequests();
		const { done } = await run(orphan);
		expect(done[0]).toMatchObject({ action: 'skipped' });
		expect(done[0].warnings).toEqual([expect.stringMatching(/no deal, person or organization that has a Propstreet counterpart/)]);
		expect(psWrites()).toEqual({});
		expect(noteRows()).toEqual([]);
	});

	it('case 8: editing a Pipedrive note revises the same Propstreet note; a pin (no text change) costs no call', async () => {
		const created = await noteEvents(() => bed.pd.control.addNote({ content: 'First text', person_id: 1001 }));
		await run(created);
		const noteId = idOf(created);
		const pinned = await noteEvents(() => editNote(noteId, { pinned_to_person_flag: true }));
		ps().clearRequests();
		expect((await run(pinned)).done[0].action).toBe('unchanged');
		expect(ps().requests()).toEqual([]);

		const edited = await noteEvents(() => editNote(noteId, { content: '<p>Second text</p>' }));
		const { done } = await run(edited);
		expect(done[0].action).toBe('updated');
		expect(await texts('network/contacts', '5001')).toEqual(['Second text']);
		const all = await timeline('network/contacts', '5001', true);
		expect(all).toHaveLength(2);
		const head = all.find((a) => a.details.message === 'Second text')!;
		expect(head.supersedesActivityId).toBe(all.find((a) => a.details.message === 'First text')!.id);
		expect(psWrites()).toEqual({ 'PATCH /api/v1/network/contacts/{id}/notes/{noteId}': 1 });
		expect(noteRows()).toEqual([expect.objectContaining({ pipedriveId: String(noteId), propstreetId: `contact/5001/${head.id}` })]);
		// The same edit delivered again changes nothing.
		ps().clearRequests();
		expect((await run(edited)).done[0].action).toBe('unchanged');
		expect(ps().requests()).toEqual([]);
	});

	it('case 9: a Pipedrive delete builds no note body: it archives the linked note (one PATCH), and a repeat does nothing', async () => {
		const created = await noteEvents(() => bed.pd.control.addNote({ content: 'Temporary note', person_id: 1001 }));
		await run(created);
		const deleted = await noteEvents(() => deleteNote(idOf(created)));
		expect(deleted).toHaveLength(1);
		expect((deleted[0].meta as IDataObject).action).toBe('delete');
		ps().clearRequests();
		const { done } = await run(deleted);
		expect(done[0]).toMatchObject({ action: 'unlinked', written: { propstreet: { action: 'archive' }, pipedrive: {} } });
		expect(psWrites()).toEqual({ 'PATCH /api/v1/network/contacts/{id}/notes/{noteId}': 1 });
		expect(ps().requests().filter((r: any) => r.method === 'POST')).toEqual([]);
		expect(await texts('network/contacts', '5001')).toEqual([]);
		expect((await timeline('network/contacts', '5001', true))[0].archivedAt).toEqual(expect.any(String));
		expect(noteRows()).toEqual([expect.objectContaining({ status: 'unlinked' })]);
		ps().clearRequests();
		expect((await run(deleted)).done[0].action).toBe('skipped');
		expect(ps().requests()).toEqual([]);
	});

	it('two executions for one new note at once (created + a quick edit) make one Propstreet note', async () => {
		const created = await noteEvents(() => bed.pd.control.addNote({ content: 'Draft wording', person_id: 1001 }));
		const edited = await noteEvents(() => editNote(idOf(created), { content: 'Final wording' }));
		const outs = await Promise.all([run(created), run(edited)]);
		expect(outs.map((o) => o.done[0].action)).toContain('created');
		// Whichever ran first, the newer text ends up on the one note (a same-second delivery is read again).
		expect(await texts('network/contacts', '5001')).toEqual(['Final wording']);
		expect(noteRows().filter((r) => r.status === 'linked')).toHaveLength(1);
		expect(psWrites()['POST /api/v1/network/contacts/{id}/notes']).toBe(1);
	});

	it('a Propstreet edit since the last sync and a Pipedrive edit: Manual Review writes nothing; Last Write Wins keeps the later (Pipedrive) edit', async () => {
		const created = await noteEvents(() => bed.pd.control.addNote({ content: 'Shared wording', person_id: 1001 }));
		await run(created);
		const [current] = await timeline('network/contacts', '5001');
		const res = await fetch(`${bed.ps.url}/api/v1/network/contacts/5001/notes/${current.id}`, {
			method: 'PATCH',
			headers: { authorization: `Bearer ${PS_TOKEN}`, 'content-type': 'application/json', 'if-match': current.etag },
			body: JSON.stringify({ action: 'supersede', supersede: { message: 'Broker wording' } }),
		});
		expect(res.status).toBe(204);
		// The Pipedrive edit comes a few seconds after the Propstreet one (Pipedrive counts whole seconds).
		bed.pd.control.advanceClock(5000);
		const edited = await noteEvents(() => editNote(idOf(created), { content: 'Pipedrive wording' }));

		const review = loadWorkflow(FILE);
		// This one workflow keeps its own settings ("Set in This Node"): the shipped ones with Manual Review.
		Object.assign(review.nodes.find((n) => n.name === 'Sync Note')!.parameters as IDataObject, bundledSettingsAsNodeParameters(), { conflictPolicy: 'manualReview' });
		const held = await run(edited, review);
		expect(held.review).toEqual([expect.objectContaining({ review: [expect.objectContaining({ field: 'note.content', pipedriveValue: 'Pipedrive wording', propstreetValue: 'Broker wording' })] })]);
		expect(held.result.executionOrder).toContain('Needs Review (conflicts)');
		expect(await texts('network/contacts', '5001')).toEqual(['Broker wording']);

		const lww = await run(edited);
		expect(lww.done[0].action).toBe('updated');
		expect(await texts('network/contacts', '5001')).toEqual(['Pipedrive wording']);
		expect(await timeline('network/contacts', '5001', true)).toHaveLength(3);
	});
});
