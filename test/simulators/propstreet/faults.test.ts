import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call, startReceiver } from './testkit';

describe('Propstreet simulator: fault injection and request log', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
	});
	afterEach(() => sim.close());

	it('injects 429 bursts with Retry-After, and 5xx, for the next N matching requests only', async () => {
		sim.control.injectFaults({ status: 429, count: 2, retryAfterSec: 2, routes: ['/api/v1/projects'] });
		expect((await call(sim, 'GET', '/api/v1/network/contacts')).status).toBe(200);
		const a = await call(sim, 'GET', '/api/v1/projects');
		expect(a.status).toBe(429);
		expect(a.headers.get('retry-after')).toBe('2');
		expect(a.headers.get('ratelimit-remaining')).toBe('0');
		expect((await call(sim, 'GET', '/api/v1/projects')).status).toBe(429);
		expect((await call(sim, 'GET', '/api/v1/projects')).status).toBe(200);
		sim.control.injectFaults({ status: 503, routes: [/^POST /] });
		const failed = await call(sim, 'POST', '/api/v1/projects', { body: { name: 'Kista' } });
		expect(failed.status).toBe(503);
		expect(failed.headers.get('content-type')).toMatch(/problem\+json/);
		expect(sim.control.state().projects).toHaveLength(0);
		expect((await call(sim, 'POST', '/api/v1/projects', { body: { name: 'Kista' } })).status).toBe(201);
	});

	it('can drop the connection without an answer', async () => {
		sim.control.injectFaults({ status: 'reset' });
		await expect(call(sim, 'GET', '/api/v1/projects')).rejects.toThrow();
		expect((await call(sim, 'GET', '/api/v1/projects')).status).toBe(200);
	});

	it('a concurrent app edit right after a GET makes the reader’s ETag stale (412 on its write)', async () => {
		const contact = sim.control.createContact({ firstName: 'Mette' });
		sim.control.injectConcurrentWrite({ routes: ['GET /api/v1/network/contacts/{id}'] });
		const read = await call(sim, 'GET', `/api/v1/network/contacts/${contact.id}`);
		const write = await call(sim, 'PATCH', `/api/v1/network/contacts/${contact.id}`, { body: { strategy: 'x' }, headers: { 'If-Match': read.body.etag } });
		expect(write.status).toBe(412);
		const fresh = await call(sim, 'GET', `/api/v1/network/contacts/${contact.id}`);
		expect((await call(sim, 'PATCH', `/api/v1/network/contacts/${contact.id}`, { body: { strategy: 'x' }, headers: { 'If-Match': fresh.body.etag } })).status).toBe(200);
	});

	it('UI edits through control emit webhooks with changeOrigin ui and do not count as API writes', async () => {
		const receiver = await startReceiver();
		try {
			sim.control.createWebhook({ url: receiver.url, events: ['contact.updated', 'project.updated', 'prospect.updated', 'company.updated'] });
			const contact = sim.control.createContact({ firstName: 'Anders' });
			const company = sim.control.createCompany({ name: 'Aarhus Havn Capital ApS' });
			const project = sim.control.createProject({ name: 'Aarhus Harbour Mixed Use' });
			const prospect = sim.control.addProspect(String(project.id), { contactId: String(contact.id) });
			sim.control.updateContact(String(contact.id), { strategy: 'Harbour-front' });
			sim.control.updateCompany(String(company.id), { strategy: 'Mixed use' });
			sim.control.updateProject(String(project.id), { classification: 'active' });
			sim.control.classifyProspect(String(project.id), String(prospect.id), 'interested');
			sim.control.removeProspect(String(project.id), String(prospect.id));
			await sim.control.flushWebhooks();
			expect(receiver.received.map((r) => [r.body.type, r.body.data.changeOrigin, r.body.action?.type ?? null])).toEqual([
				['contact.updated', 'ui', null],
				['company.updated', 'ui', null],
				['project.updated', 'ui', null],
				['prospect.updated', 'ui', null],
				['prospect.updated', 'ui', 'removed'],
			]);
			expect(sim.control.countWrites()).toBe(0);
		} finally {
			await receiver.close();
		}
	});

	it('counts requests per route and per client, and writes separately from reads', async () => {
		const token = sim.control.issueToken();
		await call(sim, 'POST', '/api/v1/network/contacts', { body: { firstName: 'A' } });
		await call(sim, 'POST', '/api/v1/network/contacts', { body: { firstName: 'B' }, token });
		await call(sim, 'GET', '/api/v1/network/contacts');
		await call(sim, 'GET', '/api/v1/network/contacts/1');
		await call(sim, 'POST', '/api/v1/network/contacts', { body: {} });
		expect(sim.control.requestsByRoute()).toEqual({ 'POST /api/v1/network/contacts': 3, 'GET /api/v1/network/contacts': 1, 'GET /api/v1/network/contacts/{id}': 1 });
		expect(sim.control.requestsByClient()).toEqual({ pat: 4, 'propstreet-sim-client': 1 });
		expect(sim.control.countWrites()).toBe(2);
		expect(sim.control.countWrites({ client: 'pat' })).toBe(1);
		const log = sim.control.requests({ method: 'GET' });
		expect(log.map((e) => [e.path, e.status])).toEqual([
			['/api/v1/network/contacts', 200],
			['/api/v1/network/contacts/1', 404],
		]);
		expect(log[0]).toMatchObject({ client: 'pat', idempotencyKey: null, route: 'GET /api/v1/network/contacts' });
	});

	it('exposes the control surface over HTTP for out-of-process use', async () => {
		const res = await fetch(`${sim.url}/__control/ui/contacts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ firstName: 'Via HTTP' }) });
		expect(res.status).toBe(200);
		const created = (await res.json()) as { id: string; changeOrigin: string };
		expect(created.changeOrigin).toBe('ui');
		const patch = await fetch(`${sim.url}/__control/ui/contacts/${created.id}`, { method: 'PATCH', body: JSON.stringify({ strategy: 'Edited in the app' }) });
		expect(((await patch.json()) as { strategy: string }).strategy).toBe('Edited in the app');
		const state = (await (await fetch(`${sim.url}/__control/state`)).json()) as { contacts: unknown[] };
		expect(state.contacts).toHaveLength(1);
		expect(sim.control.countRequests()).toBe(0);
	});
});
