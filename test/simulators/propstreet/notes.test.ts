import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call } from './testkit';

describe('Propstreet simulator: notes and timelines', () => {
	let sim: PropstreetSimulator;
	let contactId: string;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
		contactId = String(sim.control.createContact({ firstName: 'Karin', lastName: 'von Essen' }).id);
	});
	afterEach(() => sim.close());

	const notesOf = async (id: string, query = '') => (await call(sim, 'GET', `/api/v1/network/contacts/${id}/actions?type=notes${query}`)).body.data;

	it('creates a contact note (204) that shows in the timeline with an etag', async () => {
		const res = await call(sim, 'POST', `/api/v1/network/contacts/${contactId}/notes`, { body: { note: 'Called about Kista, wants the teaser.', type: 'call' } });
		expect(res.status).toBe(204);
		expect(res.text).toBe('');
		const notes = await notesOf(contactId);
		expect(notes).toHaveLength(1);
		expect(notes[0]).toMatchObject({ type: 'note', details: { message: 'Called about Kista, wants the teaser.' }, archivedAt: null, etag: expect.any(String) });
		const audit = (await call(sim, 'GET', `/api/v1/network/contacts/${contactId}/actions?type=audit`)).body.data;
		expect(audit[0]).toMatchObject({ type: 'audit', details: { operation: 'ContactCreated' } });
	});

	it('enforces the note length (1–10 000 by default, configurable)', async () => {
		expect((await call(sim, 'POST', `/api/v1/network/contacts/${contactId}/notes`, { body: { note: 'x'.repeat(10_001) } })).status).toBe(400);
		expect((await call(sim, 'POST', `/api/v1/network/contacts/${contactId}/notes`, { body: { note: '' } })).status).toBe(400);
		expect((await call(sim, 'POST', `/api/v1/network/contacts/${contactId}/notes`, { body: { note: 'x'.repeat(10_000) } })).status).toBe(204);
		const long = await startPropstreetSimulator({ noteMaxLength: 50_000 });
		try {
			const id = String(long.control.createContact({ firstName: 'A' }).id);
			expect((await call(long, 'POST', `/api/v1/network/contacts/${id}/notes`, { body: { note: 'x'.repeat(20_000) } })).status).toBe(204);
		} finally {
			await long.close();
		}
	});

	it('note revisions require If-Match: 428 when missing, 412 when stale, 204 when current', async () => {
		await call(sim, 'POST', `/api/v1/network/contacts/${contactId}/notes`, { body: { note: 'First wording' } });
		const [note] = await notesOf(contactId);
		const path = `/api/v1/network/contacts/${contactId}/notes/${note.id}`;
		const missing = await call(sim, 'PATCH', path, { body: { action: 'supersede', supersede: { message: 'Second wording' } } });
		expect(missing.status).toBe(428);
		expect(missing.body.type).toBe('/help/precondition-required');
		const ok = await call(sim, 'PATCH', path, { body: { action: 'supersede', supersede: { message: 'Second wording', contentFormat: 'Markdown' } }, headers: { 'If-Match': note.etag } });
		expect(ok.status).toBe(204);
		const stale = await call(sim, 'PATCH', path, { body: { action: 'archive' }, headers: { 'If-Match': note.etag } });
		expect(stale.status).toBe(412);
		const heads = await notesOf(contactId);
		expect(heads).toHaveLength(1);
		expect(heads[0]).toMatchObject({ supersedesActivityId: note.id, details: { message: 'Second wording', contentFormat: 'markdown' } });
		expect(await notesOf(contactId, '&include_superseded=true')).toHaveLength(2);
		const unknown = await call(sim, 'PATCH', `/api/v1/network/contacts/${contactId}/notes/${heads[0].id}`, { body: { action: 'delete' }, headers: { 'If-Match': heads[0].etag } });
		expect(unknown.status).toBe(400);
		const archive = await call(sim, 'PATCH', `/api/v1/network/contacts/${contactId}/notes/${heads[0].id}`, { body: { action: 'archive' }, headers: { 'If-Match': heads[0].etag } });
		expect(archive.status).toBe(204);
		expect(await notesOf(contactId)).toHaveLength(0);
		expect((await notesOf(contactId, '&include_archived=true'))[0].archivedAt).toEqual(expect.any(String));
	});

	it('project and prospect notes take `content`, answer 201, and roll up into the project timeline', async () => {
		const project = sim.control.createProject({ name: 'Kista Office Portfolio' });
		const prospect = sim.control.addProspect(String(project.id), { contactId });
		const pn = await call(sim, 'POST', `/api/v1/projects/${project.id}/notes`, { body: { content: 'Kick-off held' } });
		expect(pn.status).toBe(201);
		const xn = await call(sim, 'POST', `/api/v1/projects/${project.id}/prospects/${prospect.id}/notes`, { body: { content: 'Asked for rent roll' } });
		expect(xn.status).toBe(201);
		expect((await call(sim, 'POST', `/api/v1/projects/${project.id}/notes`, { body: { note: 'wrong field' } })).status).toBe(400);
		const rolled = (await call(sim, 'GET', `/api/v1/projects/${project.id}/actions?type=notes`)).body.data;
		expect(rolled.map((r: any) => r.details.message)).toEqual(['Asked for rent roll', 'Kick-off held']);
		expect(rolled[0].subject).toBe('prospect');
		const own = (await call(sim, 'GET', `/api/v1/projects/${project.id}/actions?type=notes&include_rollups=false`)).body.data;
		expect(own).toHaveLength(1);
	});
});
