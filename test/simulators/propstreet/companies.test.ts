import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call } from './testkit';

const CO = '/api/v1/network/companies';
const L = '/api/v1/network/links';

describe('Propstreet simulator: companies and links', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
	});
	afterEach(() => sim.close());

	it('normalises domain and country code, derives the domain from homepageUrl, and answers lookups by ref', async () => {
		const created = await call(sim, 'POST', CO, { body: { name: 'Øresund Ejendomme A/S', countryCode: 'dk', domain: 'WWW.Oresund.example.dk', externalRefs: [{ namespace: 'orgnr-dk', id: '31245672' }] } });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ countryCode: 'DK', domain: 'oresund.example.dk', changeOrigin: 'api' });
		const fromUrl = await call(sim, 'PATCH', `${CO}/${created.body.id}`, { body: { homepageUrl: 'https://www.oresund-ejendomme.example.dk/om-os', domain: 'ignored.example' } });
		expect(fromUrl.body.domain).toBe('oresund-ejendomme.example.dk');
		expect((await call(sim, 'GET', `${CO}/external/ORGNR-DK/31245672`)).body.id).toBe(created.body.id);
		const missingName = await call(sim, 'POST', CO, { body: { domain: 'x.example' } });
		expect(missingName.status).toBe(400);
		expect(missingName.body.errors.name).toBeDefined();
		const dup = await call(sim, 'POST', CO, { body: { name: 'Copy', externalRefs: [{ namespace: 'Orgnr-DK', id: '31245672' }] } });
		expect(dup.status).toBe(409);
	});

	it('upserts companies by external ref (created, updated, match=domain)', async () => {
		const a = await call(sim, 'PATCH', `${CO}/external/pipedrive/2001`, { body: { name: 'Nordhav Fastigheter AB', domain: 'nordhav.example.se' } });
		expect(a.status).toBe(201);
		expect(a.headers.get('x-propstreet-upsert-action')).toBe('created');
		const b = await call(sim, 'PATCH', `${CO}/external/pipedrive/2001`, { body: { strategy: 'Core-plus' } });
		expect(b.headers.get('x-propstreet-upsert-action')).toBe('updated');
		const { body: unlinked } = await call(sim, 'POST', CO, { body: { name: 'Öresund', domain: 'oresund.example.dk' } });
		const byDomain = await call(sim, 'PATCH', `${CO}/external/pipedrive/2003?match=domain`, { body: { name: 'Øresund Ejendomme A/S', domain: 'oresund.example.dk' } });
		expect(byDomain.status).toBe(200);
		expect(byDomain.body.id).toBe(unlinked.id);
	});

	it('finds duplicates by domain, normalised name and token containment on both documented paths', async () => {
		const { body: nordhav } = await call(sim, 'POST', CO, { body: { name: 'Nordhav Fastigheter AB', domain: 'nordhav.example.se', countryCode: 'SE' } });
		const { body: malar } = await call(sim, 'POST', CO, { body: { name: 'Mälarstaden Invest AB', countryCode: 'SE' } });
		await call(sim, 'POST', CO, { body: { name: 'Totally Different Oy', countryCode: 'FI' } });
		const byDomain = await call(sim, 'POST', '/api/v1/companies/find-duplicates', { body: { name: 'Something', homepageUrl: 'https://www.nordhav.example.se' } });
		expect(byDomain.status).toBe(200);
		expect(byDomain.body.data).toEqual([expect.objectContaining({ id: nordhav.id, method: 'Domain', score: 1 })]);
		const byName = await call(sim, 'POST', `${CO}/find-duplicates`, { body: { name: 'MÄLARSTADEN INVEST' } });
		expect(byName.body.data[0]).toMatchObject({ id: malar.id, method: 'NormalizedName' });
		const byTokens = await call(sim, 'POST', `${CO}/find-duplicates`, { body: { name: 'Nordhav' } });
		expect(byTokens.body.data[0]).toMatchObject({ id: nordhav.id, method: 'TokenContainment' });
		const fuzzy = await call(sim, 'POST', `${CO}/find-duplicates`, { body: { name: 'Nordhaw Fastigheter' } });
		expect(fuzzy.body.data[0]).toMatchObject({ id: nordhav.id, method: 'JaroWinkler' });
		const none = await call(sim, 'POST', `${CO}/find-duplicates`, { body: { name: 'Bergen Næringseiendom' } });
		expect(none.body.data).toEqual([]);
	});

	it('links carry job title and one primary company per contact; setting primary demotes the old one', async () => {
		const { body: a } = await call(sim, 'POST', CO, { body: { name: 'Nordhav' } });
		const { body: b } = await call(sim, 'POST', CO, { body: { name: 'Göta Kapital' } });
		const { body: person } = await call(sim, 'POST', '/api/v1/network/contacts', {
			body: { firstName: 'Astrid', connections: [{ company: { kind: 'existing', id: a.id }, jobTitle: 'Head of Transactions', primary: true }] },
		});
		expect(person.primaryCompanyId).toBe(a.id);
		const second = await call(sim, 'POST', L, { body: { contactId: person.id, companyId: b.id, jobTitle: 'Board member' } });
		expect(second.status).toBe(201);
		expect(second.body).toMatchObject({ isPrimary: false, jobTitle: 'Board member', changeType: 'create' });
		expect((await call(sim, 'POST', L, { body: { contactId: person.id, companyId: b.id } })).status).toBe(409);
		const promote = await call(sim, 'PATCH', `${L}/${second.body.id}`, { body: { isPrimary: true, jobTitle: 'Chair' } });
		expect(promote.body).toMatchObject({ isPrimary: true, jobTitle: 'Chair' });
		const contact = await call(sim, 'GET', `/api/v1/network/contacts/${person.id}`);
		expect(contact.body.primaryCompanyId).toBe(b.id);
		expect(contact.body.companies).toEqual([
			expect.objectContaining({ id: b.id, isPrimary: true, jobTitle: 'Chair' }),
			expect.objectContaining({ id: a.id, isPrimary: false, jobTitle: 'Head of Transactions' }),
		]);
		const links = await call(sim, 'GET', `${L}?contact_id=${person.id}`);
		expect(links.body.data.filter((l: any) => l.isPrimary)).toHaveLength(1);
		const company = await call(sim, 'GET', `${CO}/${b.id}`);
		expect(company.body.contacts).toEqual([expect.objectContaining({ id: person.id, isPrimary: true, jobTitle: 'Chair' })]);
		const atCompany = await call(sim, 'GET', `${CO}/${b.id}/contacts`);
		expect(atCompany.body.data[0]).toMatchObject({ id: person.id, linkId: second.body.id, jobTitle: 'Chair' });
	});

	it('link PATCH accepts a missing If-Match by default, 412 on a stale one, 428 in strict mode', async () => {
		const { body: co } = await call(sim, 'POST', CO, { body: { name: 'Lappi Real Estate Oy' } });
		const { body: p } = await call(sim, 'POST', '/api/v1/network/contacts', { body: { firstName: 'Juha-Pekka' } });
		const { body: link } = await call(sim, 'POST', L, { body: { contactId: p.id, companyId: co.id } });
		expect((await call(sim, 'PATCH', `${L}/${link.id}`, { body: { jobTitle: 'CEO' } })).status).toBe(200);
		expect((await call(sim, 'PATCH', `${L}/${link.id}`, { body: { jobTitle: 'CFO' }, headers: { 'If-Match': link.etag } })).status).toBe(412);
		const strict = await startPropstreetSimulator({ strictLinkIfMatch: true });
		try {
			const co2 = strict.control.createCompany({ name: 'X' });
			const p2 = strict.control.createContact({ firstName: 'Y' });
			const l2 = strict.control.createLink({ contactId: String(p2.id), companyId: String(co2.id) });
			const missing = await call(strict, 'PATCH', `${L}/${l2.id}`, { body: { jobTitle: 'CEO' } });
			expect(missing.status).toBe(428);
			expect((await call(strict, 'PATCH', `${L}/${l2.id}`, { body: { jobTitle: 'CEO' }, headers: { 'If-Match': String(l2.etag) } })).status).toBe(200);
		} finally {
			await strict.close();
		}
	});
});
