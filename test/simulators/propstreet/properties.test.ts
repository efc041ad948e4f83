import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call } from './testkit';

const PR = '/api/v1/properties';

describe('Propstreet simulator: properties', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
	});
	afterEach(() => sim.close());

	it('supports create, get, patch (partial location, replace-all refs), filters and soft delete', async () => {
		const created = await call(sim, 'POST', PR, {
			body: {
				name: 'Kista Torn',
				location: { latitude: 59.403, longitude: 17.944, country: 'se', locality: 'Kista' },
				categories: [{ type: 'office', locationClass: 'A' }],
				parcelArea: { value: 4200, unit: 'sqm' },
				tenure: 'freehold',
				yearBuilt: 2003,
				tags: ['core_plus'],
				externalRefs: [{ namespace: 'yardi', id: 'P-1' }],
			},
		});
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ location: { country: 'SE' }, changeType: 'create' });
		expect((await call(sim, 'POST', PR, { body: { name: 'Bad', parcelArea: { value: 1, unit: 'sqft' } } })).status).toBe(400);
		expect((await call(sim, 'POST', PR, { body: { name: 'TooMany', externalRefs: Array.from({ length: 11 }, (_, i) => ({ namespace: `n${i}`, id: '1' })) } })).status).toBe(400);
		const patched = await call(sim, 'PATCH', `${PR}/${created.body.id}`, { body: { location: { locality: 'Kista, Stockholm' }, externalRefs: [] }, headers: { 'If-Match': created.body.etag } });
		expect(patched.status).toBe(200);
		expect(patched.body.location).toEqual({ latitude: 59.403, longitude: 17.944, country: 'SE', locality: 'Kista, Stockholm' });
		expect(patched.body.externalRefs).toEqual([]);
		expect((await call(sim, 'PATCH', `${PR}/${created.body.id}`, { body: { name: 'X' }, headers: { 'If-Match': created.body.etag } })).status).toBe(412);
		await call(sim, 'POST', PR, { body: { name: 'Bergen Lager', location: { country: 'NO' }, categories: [{ type: 'industrial/warehouse' }] } });
		expect((await call(sim, 'GET', `${PR}?country=SE`)).body.data.map((p: any) => p.name)).toEqual(['Kista Torn']);
		expect((await call(sim, 'GET', `${PR}?category=industrial`)).body.data.map((p: any) => p.name)).toEqual(['Bergen Lager']);
		expect((await call(sim, 'DELETE', `${PR}/${created.body.id}`)).status).toBe(204);
		expect((await call(sim, 'GET', `${PR}/${created.body.id}`)).status).toBe(404);
		expect((await call(sim, 'GET', `${PR}?include_deleted=true`)).body.data).toHaveLength(2);
	});
});
