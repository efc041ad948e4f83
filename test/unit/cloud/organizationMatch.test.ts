/**
 * The Cloud organization match as a workflow would loop it: each lookup answered by a real, seeded
 * Pipedrive simulator (full responses, as the HTTP Request node gives them), until the rule names
 * an organization or none. The rule is the Sync node's `findOrganizationFor`.
 */
import type { Lookup } from '../../../nodes/shared/core/cloud/lookups';
import { matchOrganizationStep, type OrganizationMatch } from '../../../nodes/shared/core/cloud/organizationMatch';
import { planPass } from '../../../nodes/shared/core/cloud/pass';
import { apiClient } from '../../helpers/httpClient';
import { startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';

type Rec = Record<string, any>;

let sim: PipedriveSimulator;
let call: ReturnType<typeof apiClient>;
beforeEach(async () => {
	sim = await startPipedriveSimulator({ seed: true, clock: { frozen: true } });
	call = apiClient(sim.url);
});
afterEach(() => sim.close());

const company = (over: Rec = {}): Rec => ({ id: 'co_9', name: 'Öresund Ejendomme', domain: null, countryCode: 'DK', externalRefs: [], updatedUtc: '2026-12-04T10:00:00Z', ...over });

async function resolve(record: Rec): Promise<{ outcome: OrganizationMatch; read: Lookup[] }> {
	const fields = (await call('GET', '/v1/organizationFields', { query: { limit: 500 } })).body;
	const base = { settingsRow: { createIn: ['pipedrive', 'propstreet'] }, fields };
	const event = { event: 'company.created', entity: 'company', data: record };
	const step = planPass('company', { ...base, event, linkRows: [] });
	expect(step).toMatchObject({ action: 'create', target: 'pipedrive' });
	const answers: Array<{ lookup: Lookup; answer: unknown }> = [];
	for (let round = 0; round < 10; round++) {
		const outcome = await matchOrganizationStep({ ...base, step, event, answers });
		if (outcome.action !== 'lookup') return { outcome, read: answers.map((a) => a.lookup) };
		const [pathname, search] = outcome.lookup.path.split('?');
		const res = await call(outcome.lookup.method, pathname, { query: Object.fromEntries(new URLSearchParams(search ?? '')) });
		answers.push({ lookup: outcome.lookup, answer: { statusCode: res.status, body: res.body, headers: {} } });
	}
	throw new Error('the match did not settle in 10 lookups');
}

describe('Cloud organization match before a create', () => {
	it('finds the organization whose domain field holds the company domain, after reading it', async () => {
		const { outcome, read } = await resolve(company({ domain: 'oresund-ejendomme.example.dk' }));
		expect(outcome).toMatchObject({ action: 'matched', organization: { id: 2003 } });
		expect(read.map((l) => l.path.split('?')[0])).toEqual(['/api/v2/organizations/search', '/api/v2/organizations/2003']);
	});

	it('takes the organization the company names by its pipedrive ref first, unless it is gone', async () => {
		const named = await resolve(company({ externalRefs: [{ namespace: 'pipedrive', id: '2002' }], domain: 'oresund-ejendomme.example.dk' }));
		expect(named.outcome).toMatchObject({ action: 'matched', organization: { id: 2002 } });
		expect(named.read.map((l) => l.path)).toEqual(['/api/v2/organizations/2002']);
		const gone = await resolve(company({ externalRefs: [{ namespace: 'pipedrive', id: '999999' }], domain: 'oresund-ejendomme.example.dk' }));
		expect(gone.outcome).toMatchObject({ action: 'matched', organization: { id: 2003 } });
		expect(gone.read.map((l) => l.path.split('?')[0])).toEqual(['/api/v2/organizations/999999', '/api/v2/organizations/search', '/api/v2/organizations/2003']);
	});

	it('finds one by org number (typed either way) and ends with none when nothing agrees', async () => {
		const byOrgNumber = await resolve(company({ name: 'Fjordkapital', countryCode: 'NO', externalRefs: [{ namespace: 'orgnr-no', id: '923456783' }] }));
		expect(byOrgNumber.outcome).toMatchObject({ action: 'matched', organization: { id: 2002 } });
		const none = await resolve(company({ domain: 'nowhere.example.dk' }));
		expect(none.outcome).toEqual({ action: 'none' });
	});
});
