import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call } from './testkit';

const C = '/api/v1/network/contacts';

describe('Propstreet simulator: contacts', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
	});
	afterEach(() => sim.close());

	it('creates with 201 + Location + ETag, string ids, and changeType/changeOrigin only on the write response', async () => {
		const created = await call(sim, 'POST', C, { body: { firstName: 'Ingrid', lastName: 'Sæther', email: 'ingrid@fjord.example.no', phone: '+47 912 34 567', tags: ['investor'] } });
		expect(created.status).toBe(201);
		expect(typeof created.body.id).toBe('string');
		expect(created.headers.get('location')).toBe(`${C}/${created.body.id}`);
		expect(created.headers.get('etag')).toBe(created.body.etag);
		expect(created.body).toMatchObject({ changeType: 'create', changeOrigin: 'api', phone: '+4791234567', emails: [{ address: 'ingrid@fjord.example.no', isPrimary: true }] });
		const read = await call(sim, 'GET', `${C}/${created.body.id}`);
		expect(read.headers.get('etag')).toBe(read.body.etag);
		expect(read.body).toMatchObject({ changeType: null, changeOrigin: null, lastName: 'Sæther' });
	});

	it('returns 412 on a stale If-Match and applies the write on a current one', async () => {
		const { body: c } = await call(sim, 'POST', C, { body: { firstName: 'Astrid' } });
		const first = await call(sim, 'PATCH', `${C}/${c.id}`, { body: { strategy: 'Office' }, headers: { 'If-Match': c.etag } });
		expect(first.status).toBe(200);
		expect(first.body.etag).not.toBe(c.etag);
		expect(first.body).toMatchObject({ changeType: 'update', changeOrigin: 'api', strategy: 'Office' });
		const stale = await call(sim, 'PATCH', `${C}/${c.id}`, { body: { strategy: 'Retail' }, headers: { 'If-Match': c.etag } });
		expect(stale.status).toBe(412);
		expect(stale.body.type).toBe('/help/precondition-failed');
		expect(sim.control.get('contact', c.id)!.strategy).toBe('Office');
		// If-Match is optional on contact PATCH.
		expect((await call(sim, 'PATCH', `${C}/${c.id}`, { body: { strategy: 'Retail' } })).status).toBe(200);
	});

	it('a PATCH that changes nothing keeps the etag and emits no new version', async () => {
		const { body: c } = await call(sim, 'POST', C, { body: { firstName: 'Lars', email: 'lars@x.se' } });
		const same = await call(sim, 'PATCH', `${C}/${c.id}`, { body: { firstName: 'Lars', email: 'lars@x.se' } });
		expect(same.status).toBe(200);
		expect(same.body.etag).toBe(c.etag);
		expect(same.body.updatedUtc).toBe(c.updatedUtc);
	});

	it('answers validation failures with problem+json field errors', async () => {
		const bad = await call(sim, 'POST', C, { body: { firstName: 'x'.repeat(256), email: 'not-an-email', tags: 'vip' } });
		expect(bad.status).toBe(400);
		expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
		expect(Object.keys(bad.body.errors).sort()).toEqual(['email', 'firstName', 'tags']);
		const empty = await call(sim, 'POST', C, { body: { tags: ['x'] } });
		expect(empty.status).toBe(400);
		const twoPrimaries = await call(sim, 'POST', C, { body: { firstName: 'A', externalRefs: [{ namespace: 'x', id: '1' }, { namespace: 'X', id: '2' }] } });
		expect(twoPrimaries.status).toBe(400);
		expect(twoPrimaries.body.errors['externalRefs[1].namespace']).toBeDefined();
	});

	it('refuses a duplicate external ref with 409 and finds refs with a case-insensitive namespace', async () => {
		const a = await call(sim, 'POST', C, { body: { firstName: 'Mette', externalRefs: [{ namespace: 'pipedrive', id: '1005' }] } });
		expect(a.status).toBe(201);
		const dup = await call(sim, 'POST', C, { body: { firstName: 'Other', externalRefs: [{ namespace: 'PipeDrive', id: '1005' }] } });
		expect(dup.status).toBe(409);
		for (const ns of ['pipedrive', 'PIPEDRIVE', 'Pipedrive']) {
			const found = await call(sim, 'GET', `${C}/external/${ns}/1005`);
			expect(found.status).toBe(200);
			expect(found.body.id).toBe(a.body.id);
		}
		// ids are case-sensitive
		await call(sim, 'POST', C, { body: { firstName: 'Case', externalRefs: [{ namespace: 'hubspot', id: 'abc' }] } });
		expect((await call(sim, 'GET', `${C}/external/hubspot/ABC`)).status).toBe(404);
	});

	it('the §22 switch can make a duplicate-ref POST return the existing contact', async () => {
		const lenient = await startPropstreetSimulator({ switches: { duplicateRefOnCreate: 'return-existing' } });
		try {
			const a = await call(lenient, 'POST', C, { body: { firstName: 'A', externalRefs: [{ namespace: 'pipedrive', id: '1' }] } });
			const b = await call(lenient, 'POST', C, { body: { firstName: 'B', externalRefs: [{ namespace: 'pipedrive', id: '1' }] } });
			expect(b.status).toBe(200);
			expect(b.body.id).toBe(a.body.id);
		} finally {
			await lenient.close();
		}
	});

	describe('upsert by external ref', () => {
		const U = `${C}/external/pipedrive`;

		it('creates (201, Location), then updates (200) with X-Propstreet-Upsert-Action', async () => {
			const created = await call(sim, 'PATCH', `${U}/1001`, { body: { firstName: 'Astrid', lastName: 'Öberg', email: 'astrid@nordhav.example.se' } });
			expect(created.status).toBe(201);
			expect(created.headers.get('x-propstreet-upsert-action')).toBe('created');
			expect(created.headers.get('location')).toBe(`${C}/${created.body.id}`);
			expect(created.headers.get('etag')).toBe(created.body.etag);
			expect(created.body.externalRefs).toEqual([{ namespace: 'pipedrive', id: '1001' }]);
			const updated = await call(sim, 'PATCH', `${U}/1001`, { body: { strategy: 'Office' } });
			expect(updated.status).toBe(200);
			expect(updated.headers.get('x-propstreet-upsert-action')).toBe('updated');
			expect(updated.headers.get('location')).toBeNull();
			expect(updated.body).toMatchObject({ id: created.body.id, firstName: 'Astrid', strategy: 'Office' });
			expect(sim.control.state().contacts).toHaveLength(1);
		});

		it('revives a soft-deleted owner by default, and creates anew with revive=false', async () => {
			const { body: c } = await call(sim, 'PATCH', `${U}/1002`, { body: { firstName: 'Lars-Erik' } });
			await call(sim, 'DELETE', `${C}/${c.id}`);
			const revived = await call(sim, 'PATCH', `${U}/1002`, { body: { lastName: 'Åkesson' } });
			expect(revived.headers.get('x-propstreet-upsert-action')).toBe('revived');
			expect(revived.body).toMatchObject({ id: c.id, deletedUtc: null, firstName: 'Lars-Erik', lastName: 'Åkesson' });
			await call(sim, 'DELETE', `${C}/${c.id}`);
			const fresh = await call(sim, 'PATCH', `${U}/1002?revive=false`, { body: { firstName: 'New Lars' } });
			expect(fresh.status).toBe(201);
			expect(fresh.headers.get('x-propstreet-upsert-action')).toBe('created');
			expect(fresh.body.id).not.toBe(c.id);
		});

		it('match=email attaches the ref to the contact with that email instead of creating', async () => {
			const { body: existing } = await call(sim, 'POST', C, { body: { firstName: 'Freja', email: 'Freja.Lindqvist@nordhav.example.se' } });
			const noMatch = await call(sim, 'PATCH', `${U}/1015?create_only=false`, { body: { email: 'other@nordhav.example.se', firstName: 'Someone' } });
			expect(noMatch.headers.get('x-propstreet-upsert-action')).toBe('created');
			const matched = await call(sim, 'PATCH', `${U}/1014?match=email`, { body: { email: 'freja.lindqvist@nordhav.example.se', lastName: 'Lindqvist' } });
			expect(matched.status).toBe(200);
			expect(matched.headers.get('x-propstreet-upsert-action')).toBe('updated');
			expect(matched.body.id).toBe(existing.id);
			expect(matched.body.externalRefs).toEqual([{ namespace: 'pipedrive', id: '1014' }]);
			// Without match=email the same email would collide (emails are unique).
			const collide = await call(sim, 'PATCH', `${U}/9999`, { body: { email: 'freja.lindqvist@nordhav.example.se' } });
			expect(collide.status).toBe(409);
		});

		it('create_only=true refuses to touch an existing contact (default create-only reading)', async () => {
			await call(sim, 'PATCH', `${U}/1003`, { body: { firstName: 'Ingrid' } });
			const refused = await call(sim, 'PATCH', `${U}/1003?create_only=true`, { body: { firstName: 'Changed' } });
			expect(refused.status).toBe(409);
			expect((await call(sim, 'GET', `${C}/external/pipedrive/1003`)).body.firstName).toBe('Ingrid');
			const created = await call(sim, 'PATCH', `${U}/1004?create_only=true`, { body: { firstName: 'Bjørn' } });
			expect(created.status).toBe(201);
		});

		it('create_only=true fails for a missing contact under the update-only reading', async () => {
			const alt = await startPropstreetSimulator({ createOnlyMeaning: 'update-only' });
			try {
				const missing = await call(alt, 'PATCH', `${U}/1003?create_only=true`, { body: { firstName: 'Ingrid' } });
				expect(missing.status).toBe(404);
				await call(alt, 'PATCH', `${U}/1003`, { body: { firstName: 'Ingrid' } });
				const ok = await call(alt, 'PATCH', `${U}/1003?create_only=true`, { body: { firstName: 'Ingrid S.' } });
				expect(ok.status).toBe(200);
				expect(ok.headers.get('x-propstreet-upsert-action')).toBe('updated');
			} finally {
				await alt.close();
			}
		});

		it('uses the upsert limits (names ≤ 100) and keeps multiple emails with the first as primary', async () => {
			const long = await call(sim, 'PATCH', `${U}/1`, { body: { firstName: 'x'.repeat(101) } });
			expect(long.status).toBe(400);
			expect(long.body.errors.firstName).toBeDefined();
			const multi = await call(sim, 'PATCH', `${U}/2`, { body: { firstName: 'John', emails: [{ address: 'john@work.example', type: 'work' }, { address: 'john@home.example', type: 'personal' }] } });
			expect(multi.body.email).toBe('john@work.example');
			expect(multi.body.emails).toEqual([
				{ address: 'john@work.example', type: 'work', isPrimary: true },
				{ address: 'john@home.example', type: 'personal', isPrimary: false },
			]);
		});
	});
});
