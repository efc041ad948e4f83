/**
 * Cloud 06/07: deal ⇄ project events through `recordStep`, answered by both simulators and in-test
 * Data Tables; final state asserted on both sides.
 */
import { apiWrites, execution, interleave, refOf, rowsOf, pdEvent, pdGet, psCreate, psEvent, psGet, psList, psPatch, runRecord, startCloudBed, type CloudBed } from './replayDriver';

import { call as psCall } from '../../simulators/propstreet/testkit';

type Rec = Record<string, any>;

let bed: CloudBed;
beforeEach(async () => {
	bed = await startCloudBed();
});
afterEach(async () => bed.close());

function newDeal(title: string): number {
	const pipeline = bed.pd.control.pipelines().find((p: Rec) => p.name === 'Nordic Transactions')!;
	return bed.pd.control.createDeal({ title, pipeline_id: pipeline.id, stage_id: bed.pd.control.stageId('Investor Outreach'), status: 'open' }).id as number;
}

async function linkedDeal(title = 'Solna Logistics'): Promise<{ dealId: number; projectId: string }> {
	const dealId = newDeal(title);
	const done = await runRecord(bed, 'project', await pdEvent(bed, 'project', dealId, 'create'));
	expect(done.error).toBeUndefined();
	expect(done.outcome).toMatchObject({ action: 'created' });
	return { dealId, projectId: done.outcome!.propstreetId! };
}

describe('Cloud record step: deals ⇄ projects', () => {
	it('creates the project of a new deal (with an Idempotency-Key), names it on the deal; the echo writes nothing', async () => {
		const { dealId, projectId } = await linkedDeal();
		const project = await psGet(bed, 'project', projectId);
		expect(project.name).toBe('Solna Logistics');
		expect(refOf(project)).toBe(String(dealId));
		expect(bed.calls.filter((c) => c.api === 'propstreet' && c.method === 'POST').map((c) => c.headers?.['Idempotency-Key'])).toEqual([expect.stringMatching(/^pipedrive-deal-/)]);
		expect(JSON.stringify((await pdGet(bed, 'project', dealId)).custom_fields)).toContain(projectId);
		bed.calls = [];
		expect((await runRecord(bed, 'project', await pdEvent(bed, 'project', dealId))).outcome).toMatchObject({ action: 'unchanged' });
		expect((await runRecord(bed, 'project', await psEvent(bed, 'project', projectId))).outcome).toMatchObject({ action: 'unchanged' });
		expect(apiWrites(bed.calls)).toEqual([]);
	}, 60000);

	it('creates the deal of a new Propstreet project in the first synced pipeline', async () => {
		const project = await psCreate(bed, 'project', { name: 'Uppsala Campus' });
		const done = await runRecord(bed, 'project', await psEvent(bed, 'project', project.id, 'created'));
		expect(done.error).toBeUndefined();
		expect(done.outcome).toMatchObject({ action: 'created', propstreetId: project.id });
		const deal = await pdGet(bed, 'project', done.outcome!.pipedriveId!);
		const pipeline = bed.pd.control.pipelines().find((p: Rec) => p.name === 'Nordic Transactions')!;
		expect(deal).toMatchObject({ title: 'Uppsala Campus', pipeline_id: pipeline.id });
		expect(refOf(await psGet(bed, 'project', project.id))).toBe(String(deal.id));
	}, 60000);

	it('merges a rename in Propstreet with a change in Pipedrive, and a deleted deal unlinks and keeps the project', async () => {
		const { dealId, projectId } = await linkedDeal();
		bed.pd.control.moveDealToStage(dealId, 'Property Added');
		await psPatch(bed, 'project', projectId, { name: 'Solna Logistics II' });
		const done = await runRecord(bed, 'project', await pdEvent(bed, 'project', dealId));
		expect(done.error).toBeUndefined();
		expect((await pdGet(bed, 'project', dealId)).title).toBe('Solna Logistics II');
		expect((await psGet(bed, 'project', projectId)).name).toBe('Solna Logistics II');
		expect((await pdGet(bed, 'project', dealId)).stage_id).toBe(bed.pd.control.stageId('Property Added'));
		expect((await psGet(bed, 'project', projectId)).classification).toBe('draft'); // the stage table's class of Property Added

		const deleted = await pdEvent(bed, 'project', dealId, 'delete');
		bed.pd.control.deleteDeal(dealId);
		const gone = await runRecord(bed, 'project', deleted);
		expect(gone.error).toBeUndefined();
		expect(rowsOf(bed, 'project').filter((r) => r.status === 'linked')).toEqual([]);
		expect((await psGet(bed, 'project', projectId)).id).toBe(projectId);
	}, 60000);

	it('a project deleted in Propstreet marks its open deal lost (On Project Deleted: lost) and unlinks', async () => {
		const { dealId, projectId } = await linkedDeal();
		const before = await psGet(bed, 'project', projectId);
		await psCall(bed.ps, 'DELETE', `/api/v1/projects/${projectId}`);
		const done = await runRecord(bed, 'project', await psEvent(bed, 'project', projectId, 'deleted', { ...before, deletedUtc: new Date().toISOString() }));
		expect(done.error).toBeUndefined();
		expect((await pdGet(bed, 'project', dealId)).status).toBe('lost');
		expect(rowsOf(bed, 'project').filter((r) => r.status === 'linked')).toEqual([]);
	}, 60000);

	it('two interleaved executions of one deal create make one project', async () => {
		const dealId = newDeal('Malmö Hamn');
		const event = await pdEvent(bed, 'project', dealId, 'create');
		const a = execution(bed, 'project', event, { owner: 'cloud-a' });
		const b = execution(bed, 'project', event, { owner: 'cloud-b' });
		await interleave(a, b);
		expect([a.result?.action, b.result?.action]).toEqual(['finished', 'finished']);
		expect((await psList(bed, 'project')).filter((p) => p.name === 'Malmö Hamn')).toHaveLength(1);
		expect(rowsOf(bed, 'project').map((r) => [r.pipedriveId, r.status])).toEqual([[String(dealId), 'linked']]);
		expect(bed.calls.filter((c) => c.api === 'propstreet' && c.method === 'POST' && c.path === '/api/v1/projects')).toHaveLength(1);
	}, 60000);

	it('reads deal fields, stages and pipelines once, then answers them from the workflow cache', async () => {
		await linkedDeal();
		for (const catalog of ['dealFields', 'stages', 'pipelines']) expect(bed.calls.filter((c) => c.path.startsWith(`/api/v2/${catalog}`))).toHaveLength(1);
		bed.calls = [];
		await linkedDeal('Göteborg Lager');
		expect(bed.calls.filter((c) => /dealFields|stages|pipelines/.test(c.path))).toEqual([]);
	}, 60000);
});
