/**
 * Cloud 04/05: organization ⇄ company events through `recordStep`, answered by both simulators and
 * in-test Data Tables; final state asserted on both sides.
 */
import { pipedriveIdFor } from '../../simulators/seed/ids';
import { apiWrites, execution, interleave, refOf, rowsOf, pdEvent, pdGet, psCreate, psEvent, psGet, psList, psPatch, runRecord, settingsRow, startCloudBed, type CloudBed } from './replayDriver';

type Rec = Record<string, any>;

let bed: CloudBed;
beforeEach(async () => {
	bed = await startCloudBed();
});
afterEach(async () => bed.close());

async function linkedOrg(key = 'fjordkapital'): Promise<{ orgId: number; companyId: string }> {
	const orgId = pipedriveIdFor('organization', key);
	const done = await runRecord(bed, 'company', await pdEvent(bed, 'company', orgId, 'create'));
	expect(done.error).toBeUndefined();
	expect(done.outcome).toMatchObject({ action: 'created' });
	return { orgId, companyId: done.outcome!.propstreetId! };
}

describe('Cloud record step: companies', () => {
	it('creates the company of a new organization; its echo writes nothing', async () => {
		const { orgId, companyId } = await linkedOrg();
		const company = await psGet(bed, 'company', companyId);
		expect(company.name).toBe('Fjordkapital AS');
		expect(refOf(company)).toBe(String(orgId));
		expect(rowsOf(bed, 'company').map((r) => [r.pipedriveId, r.propstreetId, r.status])).toEqual([[String(orgId), companyId, 'linked']]);
		bed.calls = [];
		const echo = await runRecord(bed, 'company', await psEvent(bed, 'company', companyId));
		expect(echo.outcome).toMatchObject({ action: 'unchanged' });
		expect(apiWrites(bed.calls)).toEqual([]);
	}, 60000);

	it('creates the organization of a new Propstreet company, or links the one with its domain', async () => {
		const company = await psCreate(bed, 'company', { name: 'Vänern Fastigheter AB', domain: 'vanern.example.se', countryCode: 'SE' });
		const done = await runRecord(bed, 'company', await psEvent(bed, 'company', company.id, 'created'));
		expect(done.error).toBeUndefined();
		expect(done.outcome).toMatchObject({ action: 'created', propstreetId: company.id });
		expect((await pdGet(bed, 'company', done.outcome!.pipedriveId!)).name).toBe('Vänern Fastigheter AB');
		expect(refOf(await psGet(bed, 'company', company.id))).toBe(done.outcome!.pipedriveId);
		// A company with the domain of an organization that has no company yet is linked to it, not created again.
		const org = bed.pd.control.createOrganization({ name: 'Siljan Bostäder AB', custom_fields: { domain: 'siljan.example.se' } });
		const twin = await psCreate(bed, 'company', { name: 'Siljan Bostäder AB', domain: 'siljan.example.se', countryCode: 'SE' });
		const linked = await runRecord(bed, 'company', await psEvent(bed, 'company', twin.id, 'created'));
		expect(linked.outcome?.pipedriveId).toBe(String(org.id));
		expect(bed.pd.control.organizations().filter((o: Rec) => o.name === 'Siljan Bostäder AB')).toHaveLength(1);
		expect(refOf(await psGet(bed, 'company', twin.id))).toBe(String(org.id));
	}, 60000);

	it('merges edits on both sides, unlinks on delete and keeps the company; a merge moves the link', async () => {
		const { orgId, companyId } = await linkedOrg();
		bed.pd.control.updateOrganization(orgId, { name: 'Fjordkapital Holding AS' });
		await psPatch(bed, 'company', companyId, { domain: 'fjordholding.example.no' });
		const done = await runRecord(bed, 'company', await psEvent(bed, 'company', companyId));
		expect(done.outcome).toMatchObject({ action: 'updated' });
		expect((await psGet(bed, 'company', companyId)).name).toBe('Fjordkapital Holding AS');
		expect(JSON.stringify(await pdGet(bed, 'company', orgId))).toContain('fjordholding.example.no');

		const survivor = bed.pd.control.createOrganization({ name: 'Fjordkapital Survivor AS' }).id as number;
		const removed = await pdEvent(bed, 'company', orgId, 'delete', { merged_to_id: String(survivor) });
		bed.pd.control.merge('organization', orgId, survivor);
		expect((await runRecord(bed, 'company', removed)).error).toBeUndefined();
		expect(rowsOf(bed, 'company').filter((r) => r.status === 'linked').map((r) => [r.pipedriveId, r.propstreetId])).toEqual([[String(survivor), companyId]]);

		const deleted = await pdEvent(bed, 'company', survivor, 'delete');
		bed.pd.control.deleteOrganization(survivor);
		expect((await runRecord(bed, 'company', deleted)).outcome).toMatchObject({ action: 'unlinked' });
		expect((await psGet(bed, 'company', companyId)).id).toBe(companyId);
	}, 60000);

	it('raises a review row under Manual Review', async () => {
		const { orgId, companyId } = await linkedOrg();
		bed.pd.control.updateOrganization(orgId, { name: 'Fjord PD AS' });
		await psPatch(bed, 'company', companyId, { name: 'Fjord PS AS' });
		const done = await runRecord(bed, 'company', await pdEvent(bed, 'company', orgId), { settings: settingsRow({ conflictPolicy: 'manualReview' }) });
		expect(done.outcome?.review.length).toBeGreaterThan(0);
		expect(bed.review.rows.map((r) => [r.entity, r.pipedriveId, r.propstreetId, r.status])).toEqual([['company', String(orgId), companyId, 'open']]);
		expect((await psGet(bed, 'company', companyId)).name).toBe('Fjord PS AS');
		expect((await pdGet(bed, 'company', orgId)).name).toBe('Fjord PD AS');
	}, 60000);

	it('two interleaved executions of one create make one company', async () => {
		const event = await pdEvent(bed, 'company', pipedriveIdFor('organization', 'bergen'), 'create');
		const a = execution(bed, 'company', event, { owner: 'cloud-a' });
		const b = execution(bed, 'company', event, { owner: 'cloud-b' });
		await interleave(a, b);
		expect([a.result?.action, b.result?.action]).toEqual(['finished', 'finished']);
		expect((await psList(bed, 'company')).filter((c) => c.name === 'Bergen Næringseiendom AS')).toHaveLength(1);
		expect(rowsOf(bed, 'company').map((r) => r.status)).toEqual(['linked']);
	}, 60000);
});
