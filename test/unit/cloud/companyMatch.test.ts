/**
 * The Cloud company match as the workflow loops it: the rule asks for one lookup at a time, the
 * test answers each from a real Propstreet simulator (as the HTTP Request node would, full
 * response), until the rule names a company or none. Same outcomes as the Sync node's matchCompany.
 */
import { matchCompanyStep, type CompanyMatch } from '../../../nodes/shared/core/cloud/companyMatch';
import type { Lookup as CompanyLookup } from '../../../nodes/shared/core/cloud/lookups';
import { planPass } from '../../../nodes/shared/core/cloud/pass';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { call } from '../../simulators/propstreet/testkit';

type Rec = Record<string, any>;
const base = { settingsRow: {}, fields: { success: true, data: [] } };
const CO = '/api/v1/network/companies';

const orgEvent = (over: Rec = {}) => ({
	meta: { action: 'added', entity: 'organization', entity_id: 501, version: '2.0' },
	data: { id: 501, name: 'Nordhav Fastigheter AB', website: 'https://www.nordhav.example.se', custom_fields: {}, update_time: '2026-12-04T10:00:00Z', ...over },
});

let sim: PropstreetSimulator;
beforeEach(async () => {
	sim = await startPropstreetSimulator();
});
afterEach(() => sim.close());

/** Runs the loop; returns the outcome and the lookups read, in order. */
async function resolve(event: Rec): Promise<{ outcome: CompanyMatch; read: CompanyLookup[] }> {
	const step = planPass('company', { ...base, event, linkRows: [] });
	expect(step.action).toBe('create');
	const answers: Array<{ lookup: CompanyLookup; answer: unknown }> = [];
	for (let round = 0; round < 10; round++) {
		const outcome = await matchCompanyStep({ ...base, step, answers });
		if (outcome.action !== 'lookup') return { outcome, read: answers.map((a) => a.lookup) };
		const res = await call(sim, outcome.lookup.method, outcome.lookup.path, { body: outcome.lookup.body });
		answers.push({ lookup: outcome.lookup, answer: { statusCode: res.status, body: res.body, headers: {} } });
	}
	throw new Error('the match did not settle in 10 lookups');
}

describe('Cloud company match before a create', () => {
	it('finds a company with the same domain, reading the candidate before trusting it', async () => {
		const existing = await call(sim, 'POST', CO, { body: { name: 'Nordhav Fastigheter', domain: 'nordhav.example.se' } });
		const { outcome, read } = await resolve(orgEvent());
		expect(outcome).toMatchObject({ action: 'matched', matchedBy: 'domain', company: { id: existing.body.id } });
		expect(read.map((l) => l.method)).toEqual(['GET', 'POST', 'GET']);
		expect(read[2].path).toBe(`${CO}/${existing.body.id}`);
	});

	it('finds the company that already holds our pipedrive ref first', async () => {
		const ours = await call(sim, 'POST', CO, { body: { name: 'Nordhav', externalRefs: [{ namespace: 'pipedrive', id: '501' }] } });
		const { outcome, read } = await resolve(orgEvent());
		expect(outcome).toMatchObject({ action: 'matched', matchedBy: 'externalRef', company: { id: ours.body.id } });
		expect(read).toEqual([{ method: 'GET', path: `${CO}/external/pipedrive/501` }]);
	});

	it('skips a domain candidate another organization owns, and ends with none', async () => {
		await call(sim, 'POST', CO, { body: { name: 'Nordhav', domain: 'nordhav.example.se', externalRefs: [{ namespace: 'pipedrive', id: '999' }] } });
		const { outcome } = await resolve(orgEvent());
		expect(outcome).toEqual({ action: 'none' });
	});

	it('refuses a step that is not a create towards Propstreet', async () => {
		await expect(matchCompanyStep({ ...base, step: { action: 'sync' }, answers: [] })).rejects.toThrow(/Only a "create" step/);
	});
});
