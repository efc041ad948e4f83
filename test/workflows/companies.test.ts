/**
 * Bundled workflows 04 (companies, Pipedrive → Propstreet) and 05 (companies, Propstreet → Pipedrive),
 * run in-process from real trigger output against both simulators.
 */
import type { IDataObject } from 'n8n-workflow';

import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { expectRunOk, outputOf, startSyncBed, total, type SyncBed } from './support/syncBed';

const P2S = '04-companies-pipedrive-to-propstreet.json';
const S2P = '05-companies-propstreet-to-pipedrive.json';

jest.setTimeout(30_000);

describe('workflow 04: companies, Pipedrive → Propstreet', () => {
	let bed: SyncBed;
	beforeEach(async () => {
		bed = await startSyncBed();
	});
	afterEach(async () => {
		await bed.close();
	});

	function companiesWithRef(namespace: string, id: string): IDataObject[] {
		return bed.ps.control
			.state()
			.companies.filter((c) => !c.deletedUtc && ((c.externalRefs as IDataObject[]) ?? []).some((r) => r.namespace === namespace && r.id === id)) as IDataObject[];
	}

	it('creates an organization made in Pipedrive once in Propstreet and writes the company id back', async () => {
		const org = bed.pd.control.createOrganization({
			name: 'Kvarnholmen Fastigheter AB',
			address: { value: 'Kvarnholmsvägen 1, Nacka, Sverige', country: 'Sverige' },
			custom_fields: { domain: 'https://www.Kvarnholmen.example.se/om-oss', org_number: '556677-8899' },
		});
		const event = await bed.nextPipedriveEvent({ entity: 'organization', action: 'create', entityId: org.id as number });
		bed.resetCounters();

		const result = await bed.run(P2S, event);
		expectRunOk(result);

		const created = companiesWithRef('pipedrive', String(org.id));
		expect(created).toHaveLength(1);
		expect(created[0]).toMatchObject({ name: 'Kvarnholmen Fastigheter AB', countryCode: 'SE', domain: 'kvarnholmen.example.se' });
		expect(created[0].externalRefs).toEqual(expect.arrayContaining([{ namespace: 'orgnr-se', id: '5566778899' }]));
		const stored = bed.pd.control.organization(org.id as number)!;
		expect((stored.custom_fields as IDataObject)[bed.pd.control.fieldKey('organization', 'propstreet_company_id')]).toBe(created[0].id);
		expect(outputOf(result, 'Sync Company')[0]).toMatchObject({ action: 'created', matchedBy: null });
		expect(bed.propstreetWrites()).toEqual({ 'POST /api/v1/network/companies': 1 });
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/organizations/{id}': 1 });
	});

	it('links the seeded Propstreet company matched by domain (Øresund), without a duplicate', async () => {
		const orgId = pipedriveIdFor('organization', 'oresund');
		const companyId = propstreetIdFor('company', 'oresund');
		const before = bed.ps.control.state().companies.filter((c) => !c.deletedUtc).length;
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateOrganization(orgId, { name: 'Øresund Ejendomme A/S (Copenhagen)' });
		const event = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId });
		bed.resetCounters();

		const result = await bed.run(P2S, event);
		expectRunOk(result);

		expect(outputOf(result, 'Sync Company')[0]).toMatchObject({ action: 'updated', matchedBy: 'domain', propstreetId: companyId });
		expect(bed.ps.control.state().companies.filter((c) => !c.deletedUtc)).toHaveLength(before);
		const company = bed.ps.control.get('company', companyId)!;
		expect(company.name).toBe('Øresund Ejendomme A/S (Copenhagen)');
		expect(company.externalRefs).toEqual(expect.arrayContaining([{ namespace: 'pipedrive', id: String(orgId) }]));
		expect((bed.pd.control.organization(orgId)!.custom_fields as IDataObject)[bed.pd.control.fieldKey('organization', 'propstreet_company_id')]).toBe(companyId);
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/network/companies/{id}': 1 });
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/organizations/{id}': 1 });
	});

	it('links the seeded Propstreet company matched by org number (Fjordkapital), without a duplicate', async () => {
		const orgId = pipedriveIdFor('organization', 'fjordkapital');
		const companyId = propstreetIdFor('company', 'fjordkapital');
		const before = bed.ps.control.state().companies.filter((c) => !c.deletedUtc).length;
		// No domain in Propstreet to match on, so the org number decides.
		expect(bed.ps.control.get('company', companyId)!.domain ?? null).not.toBe('fjordkapital.example.no');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateOrganization(orgId, { name: 'Fjordkapital AS (Oslo)' });
		const event = await bed.nextPipedriveEvent({ entity: 'organization', entityId: orgId });
		bed.resetCounters();

		const result = await bed.run(P2S, event);
		expectRunOk(result);

		expect(outputOf(result, 'Sync Company')[0]).toMatchObject({ matchedBy: 'orgNumber', propstreetId: companyId });
		expect(bed.ps.control.state().companies.filter((c) => !c.deletedUtc)).toHaveLength(before);
		expect(bed.ps.control.get('company', companyId)!.externalRefs).toEqual(
			expect.arrayContaining([
				{ namespace: 'pipedrive', id: String(orgId) },
				{ namespace: 'orgnr-no', id: '923456783' },
			]),
		);
		expect((bed.pd.control.organization(orgId)!.custom_fields as IDataObject)[bed.pd.control.fieldKey('organization', 'propstreet_company_id')]).toBe(companyId);
	});

	it('writes nothing new when the same webhook is delivered again, and the write-back echo is a no-op', async () => {
		const org = bed.pd.control.createOrganization({ name: 'Vasastan Bostäder AB', address: { value: 'Stockholm, Sweden', country: 'Sweden' }, custom_fields: { domain: 'vasastan.example.se' } });
		const event = await bed.nextPipedriveEvent({ entity: 'organization', action: 'create', entityId: org.id as number });
		expectRunOk(await bed.run(P2S, event));
		const echo = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: org.id as number, changeSource: 'api' });
		bed.resetCounters();

		const again = await bed.run(P2S, event);
		expectRunOk(again);
		expect(outputOf(again, 'Sync Company')[0]).toMatchObject({ action: 'unchanged', matchedBy: 'externalRef' });
		const afterEcho = await bed.run(P2S, echo);
		expectRunOk(afterEcho);
		expect(outputOf(afterEcho, 'Sync Company')[0]).toMatchObject({ action: 'unchanged' });
		expect(outputOf(afterEcho, 'Write Company ID to Pipedrive')).toHaveLength(0);

		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
		expect(companiesWithRef('pipedrive', String(org.id))).toHaveLength(1);
	});

	it('reports an invalid org number as a warning, never sends it, and still syncs the valid fields', async () => {
		const org = bed.pd.control.createOrganization({ name: 'Felaktig Nummer AB', address: { value: 'Malmö, Sverige', country: 'Sverige' }, custom_fields: { org_number: '556123-4568', domain: 'felaktig.example.se' } });
		const event = await bed.nextPipedriveEvent({ entity: 'organization', action: 'create', entityId: org.id as number });
		bed.resetCounters();

		const result = await bed.run(P2S, event);
		expectRunOk(result);

		const flagged = outputOf(result, 'Check These Records');
		expect(flagged).toHaveLength(1);
		expect(flagged[0].warnings).toEqual([expect.objectContaining({ field: 'orgNumber' })]);
		const [company] = companiesWithRef('pipedrive', String(org.id));
		expect(company).toMatchObject({ name: 'Felaktig Nummer AB', countryCode: 'SE', domain: 'felaktig.example.se' });
		expect((company.externalRefs as IDataObject[]).some((r) => String(r.namespace).startsWith('orgnr-'))).toBe(false);
	});

	it('stops deletes at a NoOp and re-links the company of a merged-away organization to the survivor', async () => {
		// A plain delete: nothing is written anywhere.
		const lone = bed.pd.control.createOrganization({ name: 'Kortlivad AB' });
		await bed.skipPendingEvents();
		bed.pd.control.deleteOrganization(lone.id as number);
		const deleteEvent = await bed.nextPipedriveEvent({ entity: 'organization', action: 'delete', entityId: lone.id as number });
		bed.resetCounters();
		const deleted = await bed.run(P2S, deleteEvent);
		expectRunOk(deleted);
		expect(outputOf(deleted, 'Deleted in Pipedrive (Not Propagated)')).toHaveLength(1);
		expect(total(bed.propstreetWrites()) + total(bed.pipedriveWrites())).toBe(0);

		// Göta (Pipedrive only) gets a company through the workflow, then is merged into a new org.
		const gota = pipedriveIdFor('organization', 'gota');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateOrganization(gota, { name: 'Göta Kapitalförvaltning AB' + ' (Göteborg)' });
		expectRunOk(await bed.run(P2S, await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: gota })));
		const [gotaCompany] = companiesWithRef('pipedrive', String(gota));
		expect(gotaCompany).toBeDefined();
		const survivor = bed.pd.control.createOrganization({ name: 'Göta Kapital Holding AB' });
		await bed.skipPendingEvents();
		bed.pd.control.merge('organization', gota, survivor.id as number);
		const mergeEvent = await bed.nextPipedriveEvent({ entity: 'organization', action: 'delete', entityId: gota });
		expect((mergeEvent.meta as IDataObject).merged_to_id).toBe(String(survivor.id));
		bed.resetCounters();

		const merged = await bed.run(P2S, mergeEvent);
		expectRunOk(merged);
		expect(outputOf(merged, 'Re-link Company to Surviving Organization')).toHaveLength(1);
		expect(companiesWithRef('pipedrive', String(gota))).toHaveLength(0);
		expect(companiesWithRef('pipedrive', String(survivor.id)).map((c) => c.id)).toEqual([gotaCompany.id]);
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/network/companies/{id}': 1 });
		expect(total(bed.pipedriveWrites())).toBe(0);
	});
});

describe('workflow 05: companies, Propstreet → Pipedrive', () => {
	let bed: SyncBed;
	beforeEach(async () => {
		bed = await startSyncBed();
	});
	afterEach(async () => {
		await bed.close();
	});

	it('sends an edit made in Propstreet to the linked organization (changed fields only); the echo writes nothing', async () => {
		const companyId = propstreetIdFor('company', 'nordhav');
		const orgId = pipedriveIdFor('organization', 'nordhav');
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateCompany(companyId, { name: 'Nordhav Fastigheter AB (publ)', domain: 'nordhav-fastigheter.example.se' });
		const item = await bed.nextPropstreetItem('company.updated', companyId);
		bed.resetCounters();

		const result = await bed.run(S2P, item);
		expectRunOk(result);

		const org = bed.pd.control.organization(orgId)!;
		expect(org.name).toBe('Nordhav Fastigheter AB (publ)');
		expect((org.custom_fields as IDataObject)[bed.pd.control.fieldKey('organization', 'domain')]).toBe('nordhav-fastigheter.example.se');
		const patch = outputOf(result, 'Changed Fields')[0].patch as IDataObject;
		expect(Object.keys(patch).sort()).toEqual(['custom_fields', 'name']);
		expect(Object.keys(patch.custom_fields as IDataObject)).toEqual([bed.pd.control.fieldKey('organization', 'domain')]);
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/organizations/{id}': 1 });
		expect(total(bed.propstreetWrites())).toBe(0);

		// The Pipedrive webhook caused by our PATCH runs workflow 04: compared, nothing to write.
		const echo = await bed.nextPipedriveEvent({ entity: 'organization', action: 'change', entityId: orgId, changeSource: 'api' });
		bed.resetCounters();
		const echoRun = await bed.run(P2S, echo);
		expectRunOk(echoRun);
		expect(outputOf(echoRun, 'Sync Company')[0]).toMatchObject({ action: 'unchanged', propstreetId: companyId });
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
		await bed.ps.control.flushWebhooks();
		await expect(bed.nextPropstreetItem('company.updated', companyId)).rejects.toThrow(/No unread/);
	});

	it('creates an unmatched Propstreet company in Pipedrive and writes both ids; the echoes write nothing', async () => {
		const companyId = propstreetIdFor('company', 'aarhus');
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateCompany(companyId, { strategy: 'Harbour-front mixed use' });
		const item = await bed.nextPropstreetItem('company.updated', companyId);
		bed.resetCounters();

		const result = await bed.run(S2P, item);
		expectRunOk(result);

		const created = bed.pd.control.organizations().filter((o) => o.name === 'Aarhus Havn Capital ApS');
		expect(created).toHaveLength(1);
		const custom = created[0].custom_fields as IDataObject;
		expect(custom[bed.pd.control.fieldKey('organization', 'propstreet_company_id')]).toBe(companyId);
		expect(custom[bed.pd.control.fieldKey('organization', 'domain')]).toBe('aarhushavn.example.dk');
		expect(custom[bed.pd.control.fieldKey('organization', 'org_number')]).toBe('29876541');
		// The existing org-number ref is kept next to the new pipedrive ref (the list is replace-all).
		expect(bed.ps.control.get('company', companyId)!.externalRefs).toEqual([
			{ namespace: 'orgnr-dk', id: '29876541' },
			{ namespace: 'pipedrive', id: String(created[0].id) },
		]);
		expect(bed.pipedriveWrites()).toEqual({ 'POST /api/v2/organizations': 1 });
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/network/companies/{id}': 1 });

		// Echo 1: Pipedrive's create webhook through workflow 04. Echo 2: our ref write through workflow 05.
		const pdEcho = await bed.nextPipedriveEvent({ entity: 'organization', action: 'create', entityId: created[0].id as number });
		const psEcho = await bed.nextPropstreetItem('company.updated', companyId);
		bed.resetCounters();
		const r1 = await bed.run(P2S, pdEcho);
		expectRunOk(r1);
		expect(outputOf(r1, 'Sync Company')[0]).toMatchObject({ action: 'unchanged', matchedBy: 'externalRef', propstreetId: companyId });
		const r2 = await bed.run(S2P, psEcho);
		expectRunOk(r2);
		expect(outputOf(r2, 'Anything to Change?', 1)).toHaveLength(1);
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
	});

	it('links an unlinked company to the organization found by domain instead of creating one', async () => {
		// Øresund exists on both sides unlinked; Propstreet holds the same domain as the Pipedrive custom field.
		const companyId = propstreetIdFor('company', 'oresund');
		const orgId = pipedriveIdFor('organization', 'oresund');
		const before = bed.pd.control.organizations().length;
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateCompany(companyId, { strategy: 'Residential value-add, Copenhagen' });
		const item = await bed.nextPropstreetItem('company.updated', companyId);
		bed.resetCounters();

		const result = await bed.run(S2P, item);
		expectRunOk(result);

		expect(bed.pd.control.organizations()).toHaveLength(before);
		expect((bed.pd.control.organization(orgId)!.custom_fields as IDataObject)[bed.pd.control.fieldKey('organization', 'propstreet_company_id')]).toBe(companyId);
		expect(bed.ps.control.get('company', companyId)!.externalRefs).toEqual(expect.arrayContaining([{ namespace: 'pipedrive', id: String(orgId) }]));
		expect(bed.pd.control.requestsByRoute()['GET /api/v2/organizations/search']).toBe(1);
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/organizations/{id}': 1 });
	});
});
