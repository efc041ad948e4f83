import { deals, firms, persons } from '../seed/nordic';
import { pipedriveIdFor, propstreetIdFor } from '../seed/ids';
import { createPropstreetStore, startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call } from './testkit';

/** Independent national checksum rules. */
function validOrgNumber(country: string, raw: string): boolean {
	const d = raw.replace(/\D/g, '').split('').map(Number);
	const weighted = (weights: number[]) => weights.reduce((sum, w, i) => sum + w * d[i], 0);
	switch (country) {
		case 'SE': {
			// Luhn over 10 digits.
			if (d.length !== 10) return false;
			const sum = d.reduce((acc, n, i) => {
				const v = i % 2 === 0 ? n * 2 : n;
				return acc + (v > 9 ? v - 9 : v);
			}, 0);
			return sum % 10 === 0;
		}
		case 'NO': {
			if (d.length !== 9) return false;
			const r = 11 - (weighted([3, 2, 7, 6, 5, 4, 3, 2]) % 11);
			const check = r === 11 ? 0 : r;
			return check !== 10 && check === d[8];
		}
		case 'DK':
			return d.length === 8 && weighted([2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0;
		case 'FI': {
			if (d.length !== 8) return false;
			const r = weighted([7, 9, 10, 5, 8, 4, 2]) % 11;
			if (r === 1) return false;
			return (r === 0 ? 0 : 11 - r) === d[7];
		}
		default:
			return false;
	}
}

describe('Nordic seed', () => {
	it('has org numbers that pass their national checksum', () => {
		const numbered = firms.filter((f) => f.orgNumber);
		expect(numbered.length).toBeGreaterThanOrEqual(8);
		for (const f of numbered) expect([f.key, validOrgNumber(f.countryCode, f.orgNumber as string)]).toEqual([f.key, true]);
		// The checker is not a rubber stamp.
		expect(validOrgNumber('SE', '556123-4568')).toBe(false);
		expect(validOrgNumber('NO', '923456784')).toBe(false);
	});

	it('spells Nordic names with å, ä, ö, ø and æ, in all four countries', () => {
		const text = [...persons.map((p) => p.name), ...firms.map((f) => f.name)].join(' ');
		for (const ch of ['å', 'ä', 'ö', 'ø', 'æ', 'Å', 'Ö', 'Ø', 'Æ']) expect(text).toContain(ch);
		expect(new Set(firms.map((f) => f.countryCode))).toEqual(new Set(['SE', 'NO', 'DK', 'FI']));
	});

	it('has deterministic ids shared by both simulators', () => {
		expect(pipedriveIdFor('person', 'astrid')).toBe(1001);
		expect(pipedriveIdFor('organization', 'nordhav')).toBe(2001);
		expect(pipedriveIdFor('deal', 'kista')).toBe(3001);
		expect(propstreetIdFor('contact', 'astrid')).toBe('5001');
		expect(propstreetIdFor('company', 'fjordkapital')).toBe('6002');
		expect(propstreetIdFor('project', 'alnabru')).toBe('7002');
		expect(propstreetIdFor('prospect', 'kista:lars')).toBe('8002');
		expect(() => pipedriveIdFor('person', 'nobody')).toThrow(/Unknown person/);
	});
});

describe('Propstreet simulator: seeded state', () => {
	let sim: PropstreetSimulator;
	beforeAll(async () => {
		sim = await startPropstreetSimulator({ seed: true });
	});
	afterAll(() => sim.close());

	it('holds only the records that exist in Propstreet, with refs per presence', async () => {
		const companies = (await call(sim, 'GET', '/api/v1/network/companies')).body.data;
		const expectedFirms = firms.filter((f) => f.presence !== 'pipedriveOnly');
		expect(companies.map((c: any) => c.id).sort()).toEqual(expectedFirms.map((f) => propstreetIdFor('company', f.key)).sort());
		const byKey = (key: string) => companies.find((c: any) => c.id === propstreetIdFor('company', key));
		expect(byKey('nordhav').externalRefs).toEqual([
			{ namespace: 'pipedrive', id: '2001' },
			{ namespace: 'orgnr-se', id: '5561234567' },
		]);
		expect(byKey('fjordkapital')).toMatchObject({ externalRefs: [{ namespace: 'orgnr-no', id: '923456783' }], domain: null });
		expect(byKey('oresund')).toMatchObject({ externalRefs: [], domain: 'oresund-ejendomme.example.dk' });
		expect(byKey('malarstaden').strategy).toBe('Social infrastructure, long leases, Mälardalen and Uppsala');
		expect((await call(sim, 'GET', '/api/v1/network/companies/external/orgnr-no/923456783')).body.name).toBe('Fjordkapital AS');
	});

	it('maps persons to contacts with primary connection, job title, lower-cased tags and conflict overrides', async () => {
		const astrid = (await call(sim, 'GET', '/api/v1/network/contacts/external/pipedrive/1001')).body;
		expect(astrid).toMatchObject({ id: '5001', firstName: 'Astrid', lastName: 'Öberg', email: 'astrid.oberg@nordhav.example.se', tags: ['investor', 'vip'], primaryCompanyId: '6001' });
		expect(astrid.companies).toEqual([expect.objectContaining({ id: '6001', jobTitle: 'Head of Transactions', isPrimary: true })]);
		const karin = (await call(sim, 'GET', `/api/v1/network/contacts/${propstreetIdFor('contact', 'karin')}`)).body;
		expect(karin.strategy).toBe('Social infrastructure, indexed leases, Mälardalen');
		expect(karin.companies[0].jobTitle).toBe('CEO');
		const freja = (await call(sim, 'GET', `/api/v1/network/contacts/${propstreetIdFor('contact', 'freja')}`)).body;
		expect(freja.externalRefs).toEqual([]);
		expect((await call(sim, 'GET', `/api/v1/network/contacts/${propstreetIdFor('contact', 'bjorn')}`)).status).toBe(404);
	});

	it('maps deals to projects per the stage table, and prospects with teaser matches', async () => {
		const kista = (await call(sim, 'GET', '/api/v1/projects/external/pipedrive/3001')).body;
		expect(kista).toMatchObject({ name: 'Kista Office Portfolio', status: 'open', classification: 'active', teaser: { stage: 'communicated' }, asset: { type: 'portfolio', propertyCount: 3 }, price: { value: 1500, currency: 'SEK', scale: 'millions' } });
		const levi = (await call(sim, 'GET', `/api/v1/projects/${propstreetIdFor('project', 'levi')}`)).body;
		expect(levi.status).toBe('closed');
		const prospects = (await call(sim, 'GET', `/api/v1/projects/${kista.id}/prospects`)).body.data;
		expect(prospects.map((p: any) => [p.contactId, p.classification])).toEqual(
			deals[0].prospects.map((p) => [propstreetIdFor('contact', p.personKey), p.classification]),
		);
		const matched = prospects.find((p: any) => p.contactId === propstreetIdFor('contact', 'juha'));
		expect(matched).toMatchObject({ capabilities: ['chat'], teaser: { acceptedUtc: expect.any(String), deadlineUtc: expect.any(String) }, externalRefs: [] });
		const astrid = prospects.find((p: any) => p.contactId === '5001');
		expect(astrid.externalRefs).toEqual([{ namespace: 'pipedrive', id: '1001' }]);
		expect(astrid).not.toHaveProperty('teaser');
		const allClassifications = new Set<string>();
		for (const p of (await call(sim, 'GET', '/api/v1/projects')).body.data) {
			for (const x of (await call(sim, 'GET', `/api/v1/projects/${p.id}/prospects`)).body.data) allClassifications.add(x.classification);
		}
		expect(allClassifications).toEqual(new Set(['not_contacted', 'contacted', 'interested', 'not_interested', 'bidder']));
	});

	it('createPropstreetStore gives the same records without a server', () => {
		const store = createPropstreetStore({ seed: true });
		expect(store.contacts.get('5001')?.lastName).toBe('Öberg');
		expect(store.projects.size).toBe(deals.filter((d) => d.presence === 'linked' || d.presence === 'propstreetOnly').length);
	});
});
