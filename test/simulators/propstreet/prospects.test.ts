import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call, startReceiver, type Receiver } from './testkit';

describe('Propstreet simulator: prospects', () => {
	let sim: PropstreetSimulator;
	let projectId: string;
	let contacts: string[];
	let companyId: string;
	let base: string;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
		companyId = String(sim.control.createCompany({ name: 'Nordhav Fastigheter AB' }).id);
		contacts = ['Astrid', 'Lars', 'Karin', 'Juha'].map((n) => String(sim.control.createContact({ firstName: n, connections: n === 'Astrid' ? [{ company: { kind: 'existing', id: companyId }, primary: true, jobTitle: 'CIO' }] : undefined }).id));
		projectId = String(sim.control.createProject({ name: 'Kista Office Portfolio' }).id);
		base = `/api/v1/projects/${projectId}/prospects`;
	});
	afterEach(() => sim.close());

	it('adds a prospect (default not_contacted) with the contact’s company, and refuses duplicates', async () => {
		const res = await call(sim, 'POST', base, { body: { contactId: contacts[0], externalRefs: [{ namespace: 'pipedrive', id: '1001' }] } });
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({ projectId, contactId: contacts[0], companyId, classification: 'not_contacted', displayName: 'Astrid', organizationName: 'Nordhav Fastigheter AB', capabilities: [] });
		expect((await call(sim, 'POST', base, { body: { contactId: contacts[0] } })).status).toBe(409);
		expect((await call(sim, 'POST', base, { body: { contactId: contacts[1], companyId } })).status).toBe(400);
		expect((await call(sim, 'POST', base, { body: { contactId: '424242' } })).status).toBe(404);
		expect((await call(sim, 'GET', `${base}/external/PIPEDRIVE/1001`)).body.id).toBe(res.body.id);
		// The same person ref may exist on another project (refs are unique per project).
		const other = String(sim.control.createProject({ name: 'Alnabru' }).id);
		expect((await call(sim, 'POST', `/api/v1/projects/${other}/prospects`, { body: { contactId: contacts[0], externalRefs: [{ namespace: 'pipedrive', id: '1001' }] } })).status).toBe(201);
	});

	it('batch-adds up to 100 at prospects:batch with per-item failures', async () => {
		sim.control.addProspect(projectId, { contactId: contacts[3] });
		const res = await call(sim, 'POST', `${base.replace(/\/prospects$/, '/prospects:batch')}`, {
			body: {
				prospects: [
					{ contactId: contacts[0], externalRefs: [{ namespace: 'pipedrive', id: '1001' }] },
					{ contactId: contacts[1], externalRefs: [{ namespace: 'pipedrive', id: '1001' }] },
					{ contactId: contacts[0] },
					{ contactId: contacts[3] },
					{ contactId: '999999' },
					{ contactId: contacts[2], companyId },
					{ companyId },
				],
			},
		});
		expect(res.status).toBe(200);
		expect(res.body.created).toEqual([
			{ id: expect.any(String), contactId: contacts[0], companyId, externalRefs: [{ namespace: 'pipedrive', id: '1001' }] },
			{ id: expect.any(String), contactId: null, companyId, externalRefs: [] },
		]);
		expect(res.body.failed.map((f: any) => [f.index, f.error])).toEqual([
			[1, 'duplicate_external_ref'],
			[2, 'duplicate'],
			[3, 'already_in_prospects'],
			[4, 'not_found_or_no_access'],
			[5, 'validation_error'],
		]);
		const tooMany = await call(sim, 'POST', `${base}/batch`, { body: { prospects: Array.from({ length: 101 }, () => ({ contactId: contacts[1] })) } });
		expect(tooMany.status).toBe(400);
		expect(tooMany.body.errors.prospects[0]).toMatch(/100/);
		const list = await call(sim, 'GET', base);
		expect(list.body.data).toHaveLength(3);
	});

	it('classification is patchable; bulk classify reports partial success', async () => {
		const a = sim.control.addProspect(projectId, { contactId: contacts[0] });
		const b = sim.control.addProspect(projectId, { contactId: contacts[1] });
		const patched = await call(sim, 'PATCH', `${base}/${a.id}`, { body: { classification: 'interested' }, headers: { 'If-Match': String(a.etag) } });
		expect(patched.body).toMatchObject({ classification: 'interested', changeType: 'update', changeOrigin: 'api' });
		expect((await call(sim, 'PATCH', `${base}/${a.id}`, { body: { classification: 'hot' } })).status).toBe(400);
		expect((await call(sim, 'PATCH', `${base}/${a.id}`, { body: { contactId: contacts[2] } })).status).toBe(400);
		const bulk = await call(sim, 'POST', `${base}/classify`, { body: { prospectIds: [a.id, b.id, '777777'], classification: 'bidder' } });
		expect(bulk.status).toBe(200);
		expect(bulk.body).toEqual({ classified: 2, succeeded: [a.id, b.id], failed: [{ prospectId: '777777', error: 'not_found_or_no_access' }] });
		const bidders = await call(sim, 'GET', `${base}?classification=bidder`);
		expect(bidders.body.data).toHaveLength(2);
		expect((await call(sim, 'POST', `${base}/classify`, { body: { prospectIds: Array.from({ length: 101 }, (_, i) => String(i)), classification: 'bidder' } })).status).toBe(400);
	});

	describe('with a webhook subscriber', () => {
		let receiver: Receiver;
		beforeEach(async () => {
			receiver = await startReceiver();
			sim.control.createWebhook({ url: receiver.url, events: ['prospect.created', 'prospect.updated', 'prospect.deleted'] });
		});
		afterEach(() => receiver.close());

		it('remove answers 204 and emits prospect.updated with action.type removed', async () => {
			const p = sim.control.addProspect(projectId, { contactId: contacts[0] });
			const res = await call(sim, 'POST', `${base}/${p.id}/remove`);
			expect(res.status).toBe(204);
			await sim.control.flushWebhooks();
			const types = receiver.received.map((r) => [r.body.type, r.body.action?.type ?? null]);
			expect(types).toEqual([
				['prospect.created', null],
				['prospect.updated', 'removed'],
			]);
			expect(receiver.received[1].body.data).toMatchObject({ id: p.id, projectId, changeOrigin: 'api' });
			expect((await call(sim, 'GET', base)).body.data).toHaveLength(0);
			expect((await call(sim, 'GET', `${base}?include_deleted=true`)).body.data[0].deletedUtc).toEqual(expect.any(String));
		});

		it('contact-person re-points a company placeholder at one of its contacts, once', async () => {
			const placeholder = sim.control.addProspect(projectId, { companyId });
			expect((await call(sim, 'POST', `${base}/${placeholder.id}/contact-person`, { body: { contactId: contacts[1] } })).status).toBe(400);
			const ok = await call(sim, 'POST', `${base}/${placeholder.id}/contact-person`, { body: { contactId: contacts[0] } });
			expect(ok.status).toBe(204);
			expect((await call(sim, 'GET', `${base}/${placeholder.id}`)).body).toMatchObject({ contactId: contacts[0], companyId });
			expect((await call(sim, 'POST', `${base}/${placeholder.id}/contact-person`, { body: { contactId: contacts[0] } })).status).toBe(409);
			await sim.control.flushWebhooks();
			expect(receiver.received.map((r) => r.body.type)).toEqual(['prospect.created', 'prospect.updated']);
		});
	});
});
