/** The Nordic seed on the Pipedrive side: shared ids, which records are linked, matchable or Pipedrive-only. */
import { deals, firms, persons } from '../seed/nordic';
import { pipedriveIdFor, propstreetIdFor } from '../seed/ids';
import { apiClient } from '../../helpers/httpClient';
import { startPipedriveSimulator, type PipedriveSimulator } from './index';

describe('Pipedrive simulator: Nordic seed', () => {
	let sim: PipedriveSimulator;

	beforeAll(async () => {
		sim = await startPipedriveSimulator({ seed: true });
	});
	afterAll(() => sim.close());

	it('holds every record that exists in Pipedrive under the shared ids, and none that is Propstreet-only', () => {
		const expectIds = <T extends { key: string; presence: string }>(records: T[], kind: 'person' | 'organization' | 'deal', actual: number[]) => {
			const expected = records.filter((r) => r.presence !== 'propstreetOnly').map((r) => pipedriveIdFor(kind, r.key));
			expect(actual.sort()).toEqual(expected.sort());
		};
		expectIds(persons, 'person', sim.control.persons().map((p) => p.id as number));
		expectIds(firms, 'organization', sim.control.organizations().map((o) => o.id as number));
		expectIds(deals, 'deal', sim.control.deals().map((d) => d.id as number));
		expect(sim.control.person(pipedriveIdFor('person', 'anders'))).toBeUndefined();
	});

	it('stores the Propstreet id only on linked and conflict records', () => {
		const contactKey = sim.control.fieldKey('person', 'propstreet_contact_id');
		for (const person of persons.filter((p) => p.presence !== 'propstreetOnly')) {
			const stored = (sim.control.person(pipedriveIdFor('person', person.key))!.custom_fields as Record<string, unknown>)[contactKey];
			expect([person.key, stored]).toEqual([person.key, person.presence === 'linked' || person.presence === 'conflict' ? propstreetIdFor('contact', person.key) : null]);
		}
		const companyKey = sim.control.fieldKey('organization', 'propstreet_company_id');
		expect((sim.control.organization(pipedriveIdFor('organization', 'nordhav'))!.custom_fields as Record<string, unknown>)[companyKey]).toBe(propstreetIdFor('company', 'nordhav'));
		expect((sim.control.organization(pipedriveIdFor('organization', 'fjordkapital'))!.custom_fields as Record<string, unknown>)[companyKey]).toBeNull();
		const projectKey = sim.control.fieldKey('deal', 'propstreet_project_id');
		expect((sim.control.deal(pipedriveIdFor('deal', 'kista'))!.custom_fields as Record<string, unknown>)[projectKey]).toBe(propstreetIdFor('project', 'kista'));
		expect((sim.control.deal(pipedriveIdFor('deal', 'nyhavn'))!.custom_fields as Record<string, unknown>)[projectKey]).toBeNull();
	});

	it('keeps match keys (domain, org number) and the conflict side values on Pipedrive records', () => {
		const org = (key: string) => sim.control.organization(pipedriveIdFor('organization', key))!.custom_fields as Record<string, unknown>;
		expect(org('oresund')[sim.control.fieldKey('organization', 'domain')]).toBe('oresund-ejendomme.example.dk');
		expect(org('fjordkapital')[sim.control.fieldKey('organization', 'org_number')]).toBe('923456783');
		const karin = sim.control.person(pipedriveIdFor('person', 'karin'))!;
		expect((karin.custom_fields as Record<string, unknown>)[sim.control.fieldKey('person', 'investor_strategy')]).toBe('Schools and elderly care, 15+ year leases');
		expect(karin.job_title).toBe('VD');
		// Conflict records were edited on the Pipedrive side recently.
		expect(Date.now() - Date.parse(karin.update_time as string)).toBeLessThan(2 * 3_600_000);
	});

	it('seeds deals in the Nordic Transactions pipeline with participants and typed custom values', async () => {
		const kista = sim.control.deal(pipedriveIdFor('deal', 'kista'))!;
		expect(kista).toMatchObject({ title: 'Kista Office Portfolio', status: 'open', currency: 'SEK', person_id: 1001, org_id: 2001, stage_id: sim.control.stageId('Due Diligence') });
		const custom = kista.custom_fields as Record<string, unknown>;
		expect(custom[sim.control.fieldKey('deal', 'is_portfolio')]).toBe(sim.control.optionId('deal', 'is_portfolio', 'Yes'));
		expect(custom[sim.control.fieldKey('deal', 'property_count')]).toBe(3);
		expect(custom[sim.control.fieldKey('deal', 'property_type')]).toEqual([sim.control.optionId('deal', 'property_type', 'Office')]);
		expect(sim.control.participants(kista.id as number).map((p) => p.person_id)).toEqual([1001, 1002, 1008].map(Number));
		const res = await apiClient(sim.url)('GET', '/api/v2/pipelines/1');
		expect(res.body.data.name).toBe('Nordic Transactions');
		expect(sim.control.notes()).toHaveLength(1);
	});

	it('gives persons several emails and phones and organizations addresses in several countries', () => {
		const astrid = sim.control.person(1001)!;
		expect((astrid.emails as unknown[]).length).toBe(2);
		expect((astrid.phones as unknown[]).length).toBe(2);
		const codes = new Set(sim.control.organizations().map((o) => (o.address as { country: string }).country));
		expect(codes.size).toBeGreaterThanOrEqual(6);
	});

	it('reseeds through control.seed() and the HTTP control API without sending webhooks', async () => {
		const call = apiClient(sim.url);
		await call('PATCH', '/api/v2/persons/1001', { body: { name: 'Changed' } });
		sim.control.seed();
		expect(sim.control.person(1001)!.name).toBe('Astrid Öberg');
		const res = await fetch(`${sim.url}/__control/seed`, { method: 'POST' });
		expect(res.status).toBe(200);
		const stats = (await (await fetch(`${sim.url}/__control/stats`)).json()) as { total: number; byRoute: Record<string, { requests: number }> };
		expect(stats.total).toBeGreaterThan(0);
		expect(stats.byRoute['PATCH /api/v2/persons/{id}'].requests).toBe(1);
		const edit = await fetch(`${sim.url}/__control/persons/1001`, { method: 'PATCH', body: JSON.stringify({ custom_fields: { investor_strategy: 'via control' } }) });
		expect(((await edit.json()) as { custom_fields: Record<string, unknown> }).custom_fields[sim.control.fieldKey('person', 'investor_strategy')]).toBe('via control');
		expect(sim.control.deliveries()).toHaveLength(0);
	});
});
