/**
 * Bundled workflows 04 (companies, Pipedrive trigger) and 05 (companies, Propstreet trigger): each is
 * trigger → Pipedrive Propstreet Sync (entity company) → Synced / Needs Review. Run in-process from
 * real trigger output against both simulators, with the sync state in the n8n data-table simulator.
 * Every test checks both sides.
 */
import { bundledSettingsAsNodeParameters } from './support/settings';
import type { IDataObject } from 'n8n-workflow';

import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { expectRunOk, loadWorkflow, outputOf, startSyncBed, total, type SyncBed } from './support/syncBed';

const P2S = '04-companies-pipedrive-to-propstreet.json';
const S2P = '05-companies-propstreet-to-pipedrive.json';
const SYNC = 'Sync Company';
const STATE = 'Propstreet sync state';

jest.setTimeout(30_000);

let bed: SyncBed;
beforeEach(async () => {
	bed = await startSyncBed();
});
afterEach(async () => {
	await bed.close();
});

const pd = () => bed.pd.control;
const ps = () => bed.ps.control;
const org = (id: number) => pd().organization(id)!;
const orgField = (id: number, name: string) => (org(id).custom_fields as IDataObject)[pd().fieldKey('organization', name)];
const company = (id: string) => ps().get('company', id)! as IDataObject;
const refOf = (record: IDataObject, namespace = 'pipedrive') => ((record.externalRefs as IDataObject[]) ?? []).find((r) => r.namespace === namespace)?.id;
const liveCompanies = () => ps().state().companies.filter((c) => !c.deletedUtc) as IDataObject[];
const companiesWithRef = (id: number | string) => liveCompanies().filter((c) => refOf(c) === String(id));
const companyRows = () => (bed.dt.rows(STATE) as IDataObject[]).filter((r) => r.entity === 'company');

async function run(file: string, trigger: IDataObject) {
	const result = await bed.run(file, trigger);
	expectRunOk(result);
	const done = outputOf(result, SYNC, 0);
	const review = outputOf(result, SYNC, 1);
	return { result, outcome: (done[0] ?? review[0]) as IDataObject, review };
}

/** Links a seeded pair through 05 (Nordhav: linked by refs in the seed) and drains the deliveries it caused. */
async function linkedNordhav() {
	const ids = { companyId: propstreetIdFor('company', 'nordhav'), orgId: pipedriveIdFor('organization', 'nordhav') };
	ps().advanceClock(2_000);
	ps().updateCompany(ids.companyId, { strategy: 'Office, Stockholm CBD' });
	await run(S2P, await bed.nextPropstreetItem('company.updated', ids.companyId));
	await bed.skipPendingEvents();
	bed.resetCounters();
	return ids;
}

describe('workflows 04 and 05: the shape 02/03 have', () => {
	it.each([P2S, S2P])('%s is trigger → Sync Company (entity company) → Synced / Needs Review', (file) => {
		const wf = loadWorkflow(file);
		const working = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
		expect(working.map((n) => n.name).sort()).toEqual([SYNC, 'Needs Review (conflicts)', 'Synced', working.find((n) => /trigger$/i.test(n.type))!.name].sort());
		const sync = wf.nodes.find((n) => n.name === SYNC)!;
		expect(sync.parameters).toMatchObject({ entity: 'company', settingsSource: 'shared', recordSide: 'auto' });
		expect(JSON.stringify(wf)).not.toMatch(/[0-9a-f]{40}/);
	});

	it('the triggers are as before (the e2e harness and n8n register the same webhooks)', () => {
		const trigger = (file: string) => loadWorkflow(file).nodes.find((n) => /trigger$/i.test(n.type))!;
		expect(trigger(P2S)).toMatchObject({ type: 'n8n-nodes-base.pipedriveTrigger', webhookId: '7b17b0ae-b8a6-4fa0-af8e-84838fce4caa', parameters: { incomingAuthentication: 'basicAuth', action: '*', entity: 'organization' } });
		expect(trigger(S2P)).toMatchObject({ type: 'n8n-nodes-propstreet.propstreetTrigger', webhookId: '7e8f9d78-611f-4d00-a1b2-3a175b4da5da', parameters: { events: ['company.created', 'company.updated'], options: { fetchCurrentRecord: true } } });
	});
});

describe('creates: exactly one counterpart, ids on both sides', () => {
	it('an organization made in Pipedrive becomes one Propstreet company; its echoes cost nothing', async () => {
		const created = pd().createOrganization({
			name: 'Kvarnholmen Fastigheter AB',
			address: { value: 'Kvarnholmsvägen 1, Nacka, Sverige', country: 'Sverige' },
			custom_fields: { domain: 'https://www.Kvarnholmen.example.se/om-oss', org_number: '556677-8899' },
		});
		const orgId = created.id as number;
		const event = await bed.nextPipedriveEvent({ entity: 'organization', action: 'create', entityId: orgId });
		bed.resetCounters();

		const { outcome } = await run(P2S, event);
		expect(outcome.action).toBe('created');
		const [made] = companiesWithRef(orgId);
		expect(companiesWithRef(orgId)).toHaveLength(1);
		expect(made).toMatchObject({ name: 'Kvarnholmen Fastigheter AB', countryCode: 'SE', domain: 'kvarnholmen.example.se' });
		expect(made.externalRefs).toEqual(expect.arrayContaining([{ namespace: 'orgnr-se', id: '5566778899' }]));
		expect(orgField(orgId, 'propstreet_company_id')).toBe(made.id);
		expect(bed.propstreetWrites()).toEqual({ 'POST /api/v1/network/companies': 1 });
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/organizations/{id}': 1 });
		const rows = companyRows();
		expect(rows.map((r) => ({ pipedriveId: r.pipedriveId, propstreetId: r.propstreetId, status: r.status }))).toEqual([{ pipedriveId: String(orgId), propstreetId: made.id, status: 'linked' }]);
		expect(String(rows[0].baseline)).toContain('company.domain');

		// Our write-back (Pipedrive) and our create (Propstreet) come back as deliveries: echoes.
		const pdEcho = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId, changeSource: 'api' });
		const psEcho = await bed.nextPropstreetItem('company.created', String(made.id));
		bed.resetCounters();
		expect((await run(P2S, pdEcho)).outcome.action).toBe('unchanged');
		expect((await run(S2P, psEcho)).outcome.action).toBe('unchanged');
		expect(total(bed.propstreetWrites()) + total(bed.pipedriveWrites())).toBe(0);
		expect(company(String(made.id)).domain).toBe('kvarnholmen.example.se');
	});

	it('a company made in Propstreet becomes one Pipedrive organization with both ids', async () => {
		const created = ps().createCompany({ name: 'Malmö Hamn Invest AB', countryCode: 'SE', domain: 'malmohamn.example.se', externalRefs: [{ namespace: 'orgnr-se', id: '5591234561' }] });
		const companyId = String(created.id);
		const item = await bed.nextPropstreetItem('company.created', companyId);
		bed.resetCounters();

		const { outcome } = await run(S2P, item);
		expect(outcome.action).toBe('created');
		const orgs = pd().organizations().filter((o) => o.name === 'Malmö Hamn Invest AB');
		expect(orgs).toHaveLength(1);
		const orgId = orgs[0].id as number;
		expect(orgField(orgId, 'propstreet_company_id')).toBe(companyId);
		expect(orgField(orgId, 'domain')).toBe('malmohamn.example.se');
		expect(orgField(orgId, 'org_number')).toBe('559123-4561');
		expect(company(companyId).externalRefs).toEqual([{ namespace: 'orgnr-se', id: '5591234561' }, { namespace: 'pipedrive', id: String(orgId) }]);
		expect(bed.pipedriveWrites()).toEqual({ 'POST /api/v2/organizations': 1 });
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/network/companies/{id}': 1 });

		const pdEcho = await bed.nextPipedriveEvent({ entity: 'organization', action: 'create', entityId: orgId });
		const psEcho = await bed.nextPropstreetItem('company.updated', companyId);
		bed.resetCounters();
		expect((await run(P2S, pdEcho)).outcome.action).toBe('unchanged');
		expect((await run(S2P, psEcho)).outcome.action).toBe('unchanged');
		expect(total(bed.propstreetWrites()) + total(bed.pipedriveWrites())).toBe(0);
	});

	it('seeded pairs are linked, not duplicated: Øresund by domain, Fjordkapital by org number, Aarhus found by a Pipedrive search', async () => {
		const before = { companies: liveCompanies().length, orgs: pd().organizations().length };
		for (const key of ['oresund', 'fjordkapital']) {
			const orgId = pipedriveIdFor('organization', key);
			pd().advanceClock(2_000);
			pd().updateOrganization(orgId, { name: `${org(orgId).name as string} (HQ)` });
			const { outcome } = await run(P2S, await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId }));
			const companyId = propstreetIdFor('company', key);
			expect(outcome).toMatchObject({ propstreetId: companyId, pipedriveId: String(orgId) });
			expect(company(companyId).name).toBe(org(orgId).name);
			expect(refOf(company(companyId))).toBe(String(orgId));
			expect(orgField(orgId, 'propstreet_company_id')).toBe(companyId);
		}
		expect(refOf(company(propstreetIdFor('company', 'fjordkapital')), 'orgnr-no')).toBe('923456783');
		expect(liveCompanies()).toHaveLength(before.companies);

		// Aarhus exists only in Propstreet, but an organization with its domain was added in Pipedrive meanwhile.
		const aarhus = propstreetIdFor('company', 'aarhus');
		const twin = pd().createOrganization({ name: 'Aarhus Havn', custom_fields: { domain: 'www.aarhushavn.example.dk' } });
		await bed.skipPendingEvents();
		ps().advanceClock(2_000);
		ps().updateCompany(aarhus, { strategy: 'Harbour-front mixed use' });
		const { outcome } = await run(S2P, await bed.nextPropstreetItem('company.updated', aarhus));
		expect(outcome.pipedriveId).toBe(String(twin.id));
		expect(pd().organizations()).toHaveLength(before.orgs + 1);
		expect(orgField(twin.id as number, 'propstreet_company_id')).toBe(aarhus);
		expect(refOf(company(aarhus))).toBe(String(twin.id));
	});

	it('a seeded pair matched by domain from two executions at once (the organization\'s webhook and a person in it) is linked once', async () => {
		const orgId = pipedriveIdFor('organization', 'oresund');
		const companyId = propstreetIdFor('company', 'oresund');
		const mette = pipedriveIdFor('person', 'mette');
		// The person's edit is clearly the latest: the company write of the other execution may touch the contact first (stateless rule, no baseline yet), whichever of the two runs first.
		pd().advanceClock(5_000);
		pd().updateOrganization(orgId, { name: 'Øresund Ejendomme A/S (HQ)' });
		pd().updatePerson(mette, { job_title: 'CEO' });
		const orgEvent = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId });
		const personEvent = await bed.nextPipedriveEvent({ entity: 'person', action: 'change', entityId: mette });
		const [a, b] = await Promise.all([bed.run(P2S, orgEvent), bed.run('02-contacts-pipedrive-to-propstreet.json', personEvent)]);
		expectRunOk(a);
		expectRunOk(b);
		expect(outputOf(b, 'Sync Contact', 0)[0]).toMatchObject({ action: 'updated', written: { propstreet: { connections: [{ company: { id: companyId } }] } } });
		expect(refOf(company(companyId))).toBe(String(orgId));
		expect(orgField(orgId, 'propstreet_company_id')).toBe(companyId);
		expect(companyRows().filter((r) => r.propstreetId === companyId).map((r) => r.status)).toEqual(['linked']);
	});

	it('two executions for one new organization at once make one company', async () => {
		const created = pd().createOrganization({ name: 'Samtidig Fastighet AB', custom_fields: { domain: 'samtidig.example.se' } });
		const orgId = created.id as number;
		const event = await bed.nextPipedriveEvent({ entity: 'organization', action: 'create', entityId: orgId });
		pd().advanceClock(1_000);
		pd().updateOrganization(orgId, { address: { value: 'Uppsala, Sverige', country: 'Sverige' } });
		const change = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId });

		const results = await Promise.all([bed.run(P2S, event), bed.run(P2S, change)]);
		for (const r of results) expectRunOk(r);
		expect(companiesWithRef(orgId)).toHaveLength(1);
		expect(liveCompanies().filter((c) => c.name === 'Samtidig Fastighet AB')).toHaveLength(1);
		expect(companyRows().filter((r) => r.status === 'linked' && r.pipedriveId === String(orgId))).toHaveLength(1);
		expect(orgField(orgId, 'propstreet_company_id')).toBe(companiesWithRef(orgId)[0].id);
		expect(bed.propstreetWrites()['POST /api/v1/network/companies']).toBe(1);
	});
});

describe('edits: per-field merge from the stored baseline', () => {
	it('one-sided edits flow both ways, changed fields only', async () => {
		const { companyId, orgId } = await linkedNordhav();
		pd().advanceClock(2_000);
		pd().updateOrganization(orgId, { name: 'Nordhav Fastigheter AB (publ)' });
		await run(P2S, await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId }));
		expect(company(companyId).name).toBe('Nordhav Fastigheter AB (publ)');
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/network/companies/{id}': 1 });

		await bed.skipPendingEvents();
		bed.resetCounters();
		ps().advanceClock(5_000);
		ps().updateCompany(companyId, { domain: 'nordhav-fastigheter.example.se' });
		await run(S2P, await bed.nextPropstreetItem('company.updated', companyId));
		expect(orgField(orgId, 'domain')).toBe('nordhav-fastigheter.example.se');
		expect(org(orgId).name).toBe('Nordhav Fastigheter AB (publ)');
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/organizations/{id}': 1 });
		expect(total(bed.propstreetWrites())).toBe(0);
	});

	it('edits of different fields on both sides, each synced from its own event, both survive', async () => {
		const { companyId, orgId } = await linkedNordhav();
		pd().advanceClock(2_000);
		pd().updateOrganization(orgId, { name: 'Nordhav Group AB' });
		ps().advanceClock(3_000);
		ps().updateCompany(companyId, { domain: 'nordhavgroup.example.se' });
		const pdEvent = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId });
		const psItem = await bed.nextPropstreetItem('company.updated', companyId);
		await run(P2S, pdEvent);
		await run(S2P, psItem);
		expect(company(companyId)).toMatchObject({ name: 'Nordhav Group AB', domain: 'nordhavgroup.example.se' });
		expect(org(orgId).name).toBe('Nordhav Group AB');
		expect(orgField(orgId, 'domain')).toBe('nordhavgroup.example.se');
	});

	it('the same field edited on both sides: the later edit wins on both (last write wins)', async () => {
		const { companyId, orgId } = await linkedNordhav();
		pd().advanceClock(2_000);
		pd().updateOrganization(orgId, { name: 'Nordhav (Pipedrive)' });
		const pdEvent = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId });
		ps().advanceClock(60_000);
		ps().updateCompany(companyId, { name: 'Nordhav (Propstreet)' });
		const psItem = await bed.nextPropstreetItem('company.updated', companyId);
		await run(P2S, pdEvent);
		await run(S2P, psItem);
		expect(company(companyId).name).toBe('Nordhav (Propstreet)');
		expect(org(orgId).name).toBe('Nordhav (Propstreet)');
	});

	it('the same field edited on both sides under Manual Review goes to Needs Review and is written nowhere', async () => {
		const { companyId, orgId } = await linkedNordhav();
		pd().advanceClock(2_000);
		pd().updateOrganization(orgId, { name: 'Nordhav (Pipedrive)', custom_fields: { domain: 'nordhav-pd.example.se' } });
		const pdEvent = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId });
		ps().advanceClock(60_000);
		ps().updateCompany(companyId, { name: 'Nordhav (Propstreet)' });
		const wf = loadWorkflow(P2S);
		const sync = wf.nodes.find((n) => n.name === SYNC)!;
		// This one workflow keeps its own settings ("Set in This Node"): the shipped ones with Manual Review.
		sync.parameters = { ...sync.parameters, ...bundledSettingsAsNodeParameters(), conflictPolicy: 'manualReview' } as typeof sync.parameters;
		bed.resetCounters();
		const result = await bed.runWorkflow(wf, pdEvent);
		expectRunOk(result);
		const review = outputOf(result, 'Needs Review (conflicts)');
		expect(review).toHaveLength(1);
		expect(review[0].review).toEqual([{ field: 'company.name', reason: expect.any(String), pipedriveValue: 'Nordhav (Pipedrive)', propstreetValue: 'Nordhav (Propstreet)' }]);
		// The name stays as each side has it; the domain, changed in Pipedrive only, still flows.
		expect(company(companyId)).toMatchObject({ name: 'Nordhav (Propstreet)', domain: 'nordhav-pd.example.se' });
		expect(org(orgId).name).toBe('Nordhav (Pipedrive)');
		expect(total(bed.pipedriveWrites())).toBe(0);
	});

	it('a late or repeated organization delivery never overwrites a newer Propstreet edit (case 12)', async () => {
		const { companyId, orgId } = await linkedNordhav();
		pd().advanceClock(2_000);
		pd().updateOrganization(orgId, { name: 'Nordhav Old Name' });
		const old = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId });
		await run(P2S, old);
		expect(company(companyId).name).toBe('Nordhav Old Name');

		// Propstreet renames it; before 05 runs, the old delivery comes again.
		ps().advanceClock(5_000);
		ps().updateCompany(companyId, { name: 'Nordhav New Name' });
		const psItem = await bed.nextPropstreetItem('company.updated', companyId);
		bed.resetCounters();
		expect((await run(P2S, old)).outcome.action).toBe('unchanged');
		expect(company(companyId).name).toBe('Nordhav New Name');
		await run(S2P, psItem);
		expect(org(orgId).name).toBe('Nordhav New Name');

		// And once more after that: a delivery older than what was synced changes nothing.
		await bed.skipPendingEvents();
		bed.resetCounters();
		expect((await run(P2S, old)).outcome.action).toBe('unchanged');
		expect(total(bed.propstreetWrites()) + total(bed.pipedriveWrites())).toBe(0);
		expect(company(companyId).name).toBe('Nordhav New Name');
		expect(org(orgId).name).toBe('Nordhav New Name');
	});

	it('a concurrent Propstreet edit between read and write is refused by If-Match (412), re-read and kept (case 10)', async () => {
		const { companyId, orgId } = await linkedNordhav();
		pd().advanceClock(2_000);
		pd().updateOrganization(orgId, { name: 'Nordhav Concurrent AB' });
		const event = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId });
		// Right after the sync reads the company, someone changes its domain in the Propstreet app.
		ps().injectConcurrentWrite({ routes: ['GET /api/v1/network/companies/{id}'], edit: { domain: 'nordhav-concurrent.example.se' } });
		await run(P2S, event);
		const refused = ps().requests().filter((r) => r.method === 'PATCH' && /companies/.test(r.path) && r.status === 412);
		expect(refused).toHaveLength(1);
		expect(company(companyId)).toMatchObject({ name: 'Nordhav Concurrent AB', domain: 'nordhav-concurrent.example.se' });
		expect(orgField(orgId, 'domain')).toBe('nordhav-concurrent.example.se');
	});
});

describe('deletes and merges', () => {
	it('a company soft-deleted in Propstreet is a delete, never an update, and is not re-created (case 9)', async () => {
		const { companyId, orgId } = await linkedNordhav();
		const name = org(orgId).name;
		// A polled or delivered record that carries deletedUtc, with no delete event.
		ps().deleteCompany(companyId);
		const record = ps().state().companies.find((c) => c.id === companyId)! as IDataObject;
		expect(record.deletedUtc).toBeTruthy();
		const { outcome } = await run(S2P, { event: 'company.updated', entity: 'company', entityId: companyId, deleted: false, data: record });
		expect(outcome.action).toBe('unlinked');
		expect(org(orgId).name).toBe(name);
		expect(total(bed.pipedriveWrites())).toBe(0);

		// An unlinked company deleted before it was ever synced: nothing is created in Pipedrive.
		const lone = ps().createCompany({ name: 'Raderad AB', countryCode: 'SE' });
		ps().deleteCompany(String(lone.id));
		const gone = ps().state().companies.find((c) => c.id === lone.id)! as IDataObject;
		const before = pd().organizations().length;
		expect((await run(S2P, { event: 'company.updated', entity: 'company', entityId: String(lone.id), deleted: false, data: gone })).outcome.action).toBe('skipped');
		expect(pd().organizations()).toHaveLength(before);

		// Its organization edited later: the company is not brought back.
		pd().advanceClock(2_000);
		pd().updateOrganization(orgId, { name: 'Nordhav After Delete' });
		const { outcome: again } = await run(P2S, await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId }));
		expect(again.action).toBe('skipped');
		expect(companiesWithRef(orgId)).toHaveLength(0);
		expect(bed.propstreetWrites()['POST /api/v1/network/companies'] ?? 0).toBe(0);
	});

	it('a counterpart deleted on the other side unlinks with a warning, and the next run does not fail (case 7)', async () => {
		const { companyId, orgId } = await linkedNordhav();
		pd().deleteOrganization(orgId);
		await bed.skipPendingEvents();
		ps().advanceClock(2_000);
		ps().updateCompany(companyId, { name: 'Nordhav Without Organization' });
		const { outcome } = await run(S2P, await bed.nextPropstreetItem('company.updated', companyId));
		expect(outcome.action).toBe('unlinked');
		expect(outcome.warnings).toEqual([expect.stringMatching(/no longer exists/)]);
		expect(total(bed.pipedriveWrites())).toBe(0);
		expect(companyRows().find((r) => r.propstreetId === companyId)?.status).toBe('unlinked');

		ps().advanceClock(2_000);
		ps().updateCompany(companyId, { name: 'Nordhav Still Without' });
		const next = await run(S2P, await bed.nextPropstreetItem('company.updated', companyId));
		expect(next.outcome.action).toBe('skipped');
		expect(pd().organizations().filter((o) => o.name === 'Nordhav Still Without')).toHaveLength(0);
		expect(company(companyId).name).toBe('Nordhav Still Without');
	});

	it('a Pipedrive delete is not propagated; a merge moves the link to the surviving organization', async () => {
		const { companyId, orgId } = await linkedNordhav();
		const survivor = pd().createOrganization({ name: 'Nordhav Holding AB' });
		await bed.skipPendingEvents();
		pd().merge('organization', orgId, survivor.id as number);
		const mergeEvent = await bed.nextPipedriveEvent({ entity: 'organization', action: 'delete', entityId: orgId });
		bed.resetCounters();
		const { outcome } = await run(P2S, mergeEvent);
		expect(outcome.action).toBe('relinked');
		expect(refOf(company(companyId))).toBe(String(survivor.id));
		expect(orgField(survivor.id as number, 'propstreet_company_id')).toBe(companyId);
		expect(liveCompanies().filter((c) => c.id === companyId)).toHaveLength(1);

		const lone = pd().createOrganization({ name: 'Kortlivad AB' });
		await bed.skipPendingEvents();
		pd().deleteOrganization(lone.id as number);
		bed.resetCounters();
		const deleted = await run(P2S, await bed.nextPipedriveEvent({ entity: 'organization', action: 'delete', entityId: lone.id as number }));
		expect(deleted.outcome.action).toBe('skipped');
		expect(total(bed.propstreetWrites()) + total(bed.pipedriveWrites())).toBe(0);
	});

	it('an org number a merge brought to the survivor, still held by the merged-away company, is left out with a warning; the rest syncs', async () => {
		const loser = pd().createOrganization({ name: 'Slussen Invest AB', custom_fields: { org_number: '556677-8899' } });
		const survivor = pd().createOrganization({ name: 'Slussen Holding AB' });
		for (const id of [loser.id as number, survivor.id as number]) await run(P2S, await bed.nextPipedriveEvent({ entity: 'organization', action: 'create', entityId: id }));
		await bed.skipPendingEvents();
		const loserCompany = companiesWithRef(loser.id as number)[0];
		const survivorCompany = companiesWithRef(survivor.id as number)[0];
		expect(refOf(loserCompany, 'orgnr-se')).toBe('5566778899');
		pd().merge('organization', loser.id as number, survivor.id as number);
		expect(orgField(survivor.id as number, 'org_number')).toBe('556677-8899');
		await run(P2S, await bed.nextPipedriveEvent({ entity: 'organization', action: 'delete', entityId: loser.id as number }));
		await bed.skipPendingEvents();
		pd().updateOrganization(survivor.id as number, { name: 'Slussen Holding Group AB' });
		const { outcome } = await run(P2S, await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: survivor.id as number }));
		expect(outcome.action).toBe('updated');
		expect((outcome.warnings as string[]).join(' ')).toMatch(new RegExp(`orgnr-se/5566778899 belongs to Propstreet company ${loserCompany.id}`));
		expect(company(String(survivorCompany.id)).name).toBe('Slussen Holding Group AB');
		expect(refOf(company(String(survivorCompany.id)), 'orgnr-se')).toBeUndefined();
		expect(refOf(company(String(loserCompany.id)), 'orgnr-se')).toBe('5566778899');
	});

	it('an invalid org number is reported as a warning and never sent; the valid fields sync', async () => {
		const created = pd().createOrganization({ name: 'Felaktig Nummer AB', address: { value: 'Malmö, Sverige', country: 'Sverige' }, custom_fields: { org_number: '556123-4568', domain: 'felaktig.example.se' } });
		const { outcome } = await run(P2S, await bed.nextPipedriveEvent({ entity: 'organization', action: 'create', entityId: created.id as number }));
		expect(outcome.warnings).toEqual([expect.stringMatching(/^orgNumber: /)]);
		const [made] = companiesWithRef(created.id as number);
		expect(made).toMatchObject({ name: 'Felaktig Nummer AB', countryCode: 'SE', domain: 'felaktig.example.se' });
		expect((made.externalRefs as IDataObject[]).some((r) => String(r.namespace).startsWith('orgnr-'))).toBe(false);
		expect(orgField(created.id as number, 'org_number')).toBe('556123-4568');
	});
});
