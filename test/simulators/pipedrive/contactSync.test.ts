/**
 * Persons v2 contact-sync fields (`job_title`, `im`, `postal_address`, `birthday`, `notes`). The Mapper
 * writes `job_title`, so by default the simulator accepts all five (as an account with contact sync
 * does); the reference's 403 for an account without contact sync is the `contactSync: false` switch.
 */
import { apiClient } from '../../helpers/httpClient';
import { startPipedriveSimulator, type PipedriveSimulator } from './index';

const contactSyncFields = {
	job_title: 'Head of Transactions',
	im: [{ value: 'astrid.oberg', primary: true, label: 'skype' }],
	postal_address: { value: 'Kungsgatan 12, 111 43 Stockholm', route: 'Kungsgatan', street_number: '12', postal_code: '111 43', locality: 'Stockholm', country: 'Sweden' },
	birthday: '1984-05-17',
	notes: 'Prefers calls before 10:00.',
};

describe('Pipedrive simulator: persons v2 contact-sync fields', () => {
	let sim: PipedriveSimulator;
	let call: ReturnType<typeof apiClient>;

	afterEach(() => sim.close());

	it('accepts job_title, im, postal_address, birthday and notes by default on create and update, and returns them', async () => {
		sim = await startPipedriveSimulator();
		call = apiClient(sim.url);
		const created = await call('POST', '/api/v2/persons', { body: { name: 'Astrid Öberg', ...contactSyncFields } });
		expect(created.status).toBe(200);
		expect(created.body.success).toBe(true);
		const id = created.body.data.id as number;
		expect(created.body.data).toMatchObject({
			job_title: 'Head of Transactions',
			im: [{ value: 'astrid.oberg', primary: true, label: 'skype' }],
			postal_address: { value: 'Kungsgatan 12, 111 43 Stockholm', locality: 'Stockholm', postal_code: '111 43', country: 'Sweden' },
			birthday: '1984-05-17',
			notes: 'Prefers calls before 10:00.',
		});

		// Only job_title, as the Mapper sends it, and clearing the others with null.
		const patched = await call('PATCH', `/api/v2/persons/${id}`, { body: { job_title: 'Chief Investment Officer', notes: null, birthday: null, postal_address: null } });
		expect(patched.status).toBe(200);
		expect(patched.body.data).toMatchObject({ job_title: 'Chief Investment Officer', notes: null, birthday: null, postal_address: null, im: [{ value: 'astrid.oberg' }] });
		const read = await call('GET', `/api/v2/persons/${id}`);
		expect(read.body.data).toMatchObject({ job_title: 'Chief Investment Officer', notes: null, im: [{ value: 'astrid.oberg' }] });
		// v1 shows them too.
		expect((await call('GET', `/v1/persons/${id}`)).body.data).toMatchObject({ job_title: 'Chief Investment Officer' });
		expect(sim.control.requestLog().filter((r) => r.status === 403)).toHaveLength(0);
	});

	it('still validates the values (birthday format, notes length)', async () => {
		sim = await startPipedriveSimulator();
		call = apiClient(sim.url);
		expect((await call('POST', '/api/v2/persons', { body: { name: 'X', birthday: '17.05.1984' } })).status).toBe(400);
		expect((await call('POST', '/api/v2/persons', { body: { name: 'X', notes: 'n'.repeat(10_001) } })).status).toBe(400);
	});

	it('with contactSync switched off, refuses any of the five with 403 naming them and writes nothing', async () => {
		sim = await startPipedriveSimulator({ seed: true, switches: { contactSync: false } });
		call = apiClient(sim.url);
		// The seed (which holds job titles) still loads: only API writes are refused.
		expect(sim.control.persons().length).toBeGreaterThan(10);
		const create = await call('POST', '/api/v2/persons', { body: { name: 'Bo Ek', job_title: 'Analyst', im: contactSyncFields.im } });
		expect(create.status).toBe(403);
		expect(create.body.success).toBe(false);
		expect(String(create.body.error)).toMatch(/job_title, im/);
		expect(sim.control.persons().some((p) => p.name === 'Bo Ek')).toBe(false);
		for (const [key, value] of Object.entries(contactSyncFields)) {
			const res = await call('PATCH', '/api/v2/persons/1001', { body: { [key]: value } });
			expect({ key, status: res.status }).toEqual({ key, status: 403 });
		}
		// Other fields still work, and the answer leaves the contact-sync fields out.
		const plain = await call('PATCH', '/api/v2/persons/1001', { body: { name: 'Astrid Öberg-Lind' } });
		expect(plain.status).toBe(200);
		expect(plain.body.data).not.toHaveProperty('job_title');
	});
});
