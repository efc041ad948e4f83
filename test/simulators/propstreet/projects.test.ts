import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call } from './testkit';

const P = '/api/v1/projects';

describe('Propstreet simulator: projects', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
	});
	afterEach(() => sim.close());

	it('creates a project: status open, classification draft, no teaser; accepts the spec’s flat isPortfolio alias', async () => {
		const res = await call(sim, 'POST', P, {
			body: { name: 'Kista Office Portfolio', asset: { type: 'portfolio', propertyCount: 3 }, price: { value: 1500, currency: 'SEK', scale: 'millions' }, externalRefs: [{ namespace: 'pipedrive', id: '3001' }] },
		});
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({ status: 'open', classification: 'draft', teaser: null, asset: { type: 'portfolio', propertyCount: 3 }, changeType: 'create', changeOrigin: 'api' });
		const alias = await call(sim, 'POST', P, { body: { name: 'Stockholm Office Building', isPortfolio: false, externalRefs: [{ namespace: 'pipedrive', id: '12345' }] } });
		expect(alias.body.asset).toEqual({ type: 'single', propertyCount: null });
		const lookup = await call(sim, 'GET', `${P}/external/Pipedrive/12345`);
		expect(lookup.body.id).toBe(alias.body.id);
		expect(lookup.headers.get('etag')).toBe(lookup.body.etag);
	});

	it('status and teaser.stage are read-only; classification is settable with PATCH', async () => {
		const { body: p } = await call(sim, 'POST', P, { body: { name: 'Alnabru Logistics Hub' } });
		const status = await call(sim, 'PATCH', `${P}/${p.id}`, { body: { status: 'closed' } });
		expect(status.status).toBe(400);
		expect(status.body.errors.status).toBeDefined();
		const teaser = await call(sim, 'PATCH', `${P}/${p.id}`, { body: { teaser: { stage: 'published' } } });
		expect(teaser.status).toBe(400);
		expect((await call(sim, 'POST', P, { body: { name: 'X', classification: 'active' } })).status).toBe(400);
		const classified = await call(sim, 'PATCH', `${P}/${p.id}`, { body: { classification: 'active' }, headers: { 'If-Match': p.etag } });
		expect(classified.status).toBe(200);
		expect(classified.body).toMatchObject({ classification: 'active', status: 'open', changeType: 'update' });
		expect((await call(sim, 'PATCH', `${P}/${p.id}`, { body: { classification: 'won' } })).status).toBe(400);
		expect((await call(sim, 'PATCH', `${P}/${p.id}`, { body: { name: 'Y' }, headers: { 'If-Match': p.etag } })).status).toBe(412);
		// The app (control) moves status and teaser stage.
		const moved = sim.control.updateProject(p.id, { status: 'closed', teaserStage: 'communicated' });
		expect(moved).toMatchObject({ status: 'closed', changeOrigin: 'ui', teaser: { stage: 'communicated' } });
		const filtered = await call(sim, 'GET', `${P}?teaser_stage=communicated&status=closed`);
		expect(filtered.body.data.map((x: any) => x.id)).toEqual([p.id]);
	});

	it('the ignore switch drops read-only fields instead of refusing', async () => {
		const lax = await startPropstreetSimulator({ switches: { readOnlyFieldWrites: 'ignore' } });
		try {
			const { body: p } = await call(lax, 'POST', P, { body: { name: 'Levi Ski Hotel', status: 'closed' } });
			expect(p.status).toBe('open');
		} finally {
			await lax.close();
		}
	});

	it('refuses mandate + exclusivity together (422) and fills the deprecated mandate alias on reads', async () => {
		const both = await call(sim, 'POST', P, { body: { name: 'X', exclusivity: 'exclusive', mandate: 'exclusive' } });
		expect(both.status).toBe(422);
		const ok = await call(sim, 'POST', P, { body: { name: 'X', mandate: 'non_exclusive' } });
		expect(ok.body).toMatchObject({ exclusivity: 'non_exclusive', mandate: 'non_exclusive' });
		const range = await call(sim, 'POST', P, { body: { name: 'Y', priceRange: { min: 1, max: 2, currency: 'SEK', scale: 'millions' } } });
		expect(range.status).toBe(400);
	});

	it('DELETE soft-deletes: status deleted, hidden from lists, visible with include_deleted', async () => {
		const { body: p } = await call(sim, 'POST', P, { body: { name: 'Tampere Retail Centre' } });
		expect((await call(sim, 'DELETE', `${P}/${p.id}`)).status).toBe(204);
		expect((await call(sim, 'GET', `${P}/${p.id}`)).status).toBe(404);
		expect((await call(sim, 'GET', P)).body.data).toHaveLength(0);
		const deleted = await call(sim, 'GET', `${P}?include_deleted=true`);
		expect(deleted.body.data[0]).toMatchObject({ id: p.id, status: 'deleted', deletedUtc: expect.any(String) });
	});

	it('teaser PATCH is refused (409) once the project is published', async () => {
		const { body: p } = await call(sim, 'POST', P, { body: { name: 'Nyhavn Residential' } });
		sim.control.setTeaserStage(p.id, 'drafting');
		const draft = await call(sim, 'PATCH', `${P}/${p.id}/teaser`, { body: { tags: ['residential'] } });
		expect(draft.status).toBe(200);
		expect(draft.body).toMatchObject({ stage: 'drafting', tags: ['residential'] });
		expect((await call(sim, 'PATCH', `${P}/${p.id}/teaser`, { body: { stage: 'published' } })).status).toBe(400);
		sim.control.setTeaserStage(p.id, 'published');
		expect((await call(sim, 'PATCH', `${P}/${p.id}/teaser`, { body: { tags: [] } })).status).toBe(409);
	});
});
