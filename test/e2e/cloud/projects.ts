/**
 * Cloud edition e2e: deals ⇄ projects (06 for deal events, 03 for project deliveries, both run the loop 00) in the real n8n set up as Cloud. Registered by
 * cloud.e2e.test.ts with its running stack; every scenario asserts both simulators and the state table.
 */
import type { Stack } from '../../harness/stack';
import { contactRecords, type Rec } from '../contactRecords';
import { SYNC_RECORD } from './engine';

export function cloudProjectScenarios(getStack: () => Stack): void {
	const { ps, pd, refOf } = contactRecords(getStack);
	const stack = () => getStack();
	const deal = (id: number) => pd().deals().find((d) => d.id === id) as Rec | undefined;
	const dealCustom = (record: Rec | undefined, name: string) => {
		const value = (record?.custom_fields ?? {})[pd().fieldKey('deal', name)];
		return value && typeof value === 'object' && 'value' in value ? value.value : value;
	};
	const projects = () => (ps().state().projects as Rec[]).filter((p) => !p.deletedUtc);
	const projectsOfDeal = (dealId: number) => projects().filter((p) => refOf(p) === String(dealId));
	const projectRows = async (match: { pipedriveId?: number; propstreetId?: string }) =>
		(await stack().syncStateRows())
			.filter((r) => r.entity === 'project')
			.filter((r) => (match.pipedriveId === undefined || r.pipedriveId === String(match.pipedriveId)) && (match.propstreetId === undefined || r.propstreetId === match.propstreetId))
			.map((r) => ({ pipedriveId: r.pipedriveId, propstreetId: r.propstreetId, status: r.status }));
	/** Executions of these workflows since `since` that did not succeed (their error workflow would have fired). */
	const failedSince = async (since: number, ...keys: string[]) => {
		const lists = await Promise.all(keys.map(async (key) => (await stack().n8n.executions({ workflowId: stack().workflow(key).id })).map((e) => ({ key, ...e }))));
		return lists.flat().filter((e) => Date.parse(e.startedAt) >= since && !['success', 'running', 'new', 'waiting'].includes(e.status)).map((e) => `${e.key} #${e.id} ${e.status}`);
	};

	describe('n8n Cloud edition: deals Pipedrive → Propstreet with built-in nodes only', () => {
		test('a deal in the synced pipeline gets one project; its stage moves the classification, won makes it inactive; both sides name each other', async () => {
			const since = Date.now();
			const dealId = Number((pd().createDeal({ title: 'Sundsvall Logistics Hub', stage_id: pd().stageId('Lead In'), value: 80_000_000, currency: 'SEK' }) as Rec).id);
			const project = await stack().waitFor(() => projectsOfDeal(dealId)[0], { what: `the Propstreet project of deal ${dealId}`, timeoutMs: 90000 });
			await stack().waitFor(() => dealCustom(deal(dealId), 'propstreet_project_id') === project.id, { what: 'the project id on the deal', timeoutMs: 60000 });
			await stack().settle({ quietMs: 3000 });
			expect(ps().get('project', project.id)).toMatchObject({ name: 'Sundsvall Logistics Hub', classification: 'draft', status: 'open' });

			pd().moveDealToStage(dealId, 'Due Diligence');
			await stack().waitFor(() => ps().get('project', project.id)?.classification === 'active', { what: 'classification active after "Due Diligence"', timeoutMs: 90000 });
			await stack().settle({ quietMs: 3000 });
			pd().updateDeal(dealId, { status: 'won' });
			await stack().waitFor(() => ps().get('project', project.id)?.classification === 'inactive', { what: 'classification inactive after the deal was won', timeoutMs: 90000 });
			await stack().settle({ quietMs: 4000 });

			expect(projectsOfDeal(dealId)).toHaveLength(1);
			expect(ps().get('project', project.id)).toMatchObject({ name: 'Sundsvall Logistics Hub', classification: 'inactive', status: 'open' });
			expect(deal(dealId)).toMatchObject({ status: 'won', stage_id: pd().stageId('Due Diligence'), title: 'Sundsvall Logistics Hub' });
			expect(await projectRows({ pipedriveId: dealId })).toEqual([{ pipedriveId: String(dealId), propstreetId: project.id, status: 'linked' }]);
			expect(await failedSince(since, '06', SYNC_RECORD)).toEqual([]);
		}, 300000);

		test('a deal in another pipeline is left alone: no project, nothing written to the deal', async () => {
			const leasing = (await stack().observe.pipedrive<{ data: Rec }>('POST', '/api/v2/pipelines', { name: 'Cloud Leasing' })).body.data;
			const stage = (await stack().observe.pipedrive<{ data: Rec }>('POST', '/api/v2/stages', { name: 'Cloud Leasing Lead', pipeline_id: leasing.id })).body.data;
			const before = projects().length;
			const since = Date.now();
			const mark = stack().mark();
			const dealId = Number((pd().createDeal({ title: 'Leasing: Storgatan 12', pipeline_id: leasing.id, stage_id: stage.id }) as Rec).id);
			await stack().n8n.waitForExecutions(stack().workflow('06').id, 1, { since: Date.now() - 5000, timeoutMs: 60000 });
			await stack().settle({ quietMs: 4000 });
			expect(projects()).toHaveLength(before);
			expect(projectsOfDeal(dealId)).toHaveLength(0);
			expect(dealCustom(deal(dealId), 'propstreet_project_id') ?? null).toBeNull();
			expect(stack().apiCallReport(mark).propstreet.writes).toBe(0);
			expect(await projectRows({ pipedriveId: dealId })).toEqual([]);
			expect(await failedSince(since, '06', SYNC_RECORD)).toEqual([]);
		}, 300000);
	});

	describe('n8n Cloud edition: projects Propstreet → Pipedrive with built-in nodes only', () => {
		const dealsOfProject = (projectId: string) => pd().deals().filter((d) => String(dealCustom(d as Rec, 'propstreet_project_id') ?? '') === projectId) as Rec[];

		test('a project created, then renamed, in Propstreet gets one deal in the synced pipeline; both sides name each other; the rename reaches the deal once', async () => {
			const since = Date.now();
			const project = ps().createProject({ name: 'Gävle Hamn Logistics' }) as Rec;
			const created = await stack().waitFor(() => dealsOfProject(project.id)[0], { what: 'the Pipedrive deal of the new project', timeoutMs: 90000 });
			const dealId = Number(created.id);
			await stack().waitFor(() => refOf(ps().get('project', project.id)) === String(dealId), { what: 'the pipedrive ref on the project', timeoutMs: 60000 });
			await stack().settle({ quietMs: 4000 });
			const nordic = pd().pipelines().find((p) => p.name === 'Nordic Transactions') as Rec;
			expect(deal(dealId)).toMatchObject({ title: 'Gävle Hamn Logistics', pipeline_id: nordic.id, stage_id: pd().stageId('Lead In'), status: 'open' });

			const mark = stack().mark();
			ps().updateProject(project.id, { name: 'Gävle Hamn Logistics Park' });
			await stack().waitFor(() => deal(dealId)?.title === 'Gävle Hamn Logistics Park', { what: 'the new name on the deal', timeoutMs: 90000 });
			await stack().settle({ quietMs: 4000 });
			// The rename is written once; its echo (deal.updated) writes nothing back.
			const report = stack().apiCallReport(mark);
			expect(report.propstreet.writes).toBe(0);
			expect(report.pipedrive.writesByRoute ?? {}).toEqual({ 'PATCH /api/v2/deals/{id}': 1 });
			expect(dealsOfProject(project.id)).toHaveLength(1);
			expect(projectsOfDeal(dealId).map((p) => p.id)).toEqual([project.id]);
			expect(ps().get('project', project.id)).toMatchObject({ name: 'Gävle Hamn Logistics Park', classification: 'draft' });
			expect(await projectRows({ propstreetId: project.id })).toEqual([{ pipedriveId: String(dealId), propstreetId: project.id, status: 'linked' }]);
			expect(await failedSince(since, '06', SYNC_RECORD)).toEqual([]);
		}, 300000);

		test('a deal stage change and a project rename seconds apart both survive, on both sides', async () => {
			const since = Date.now();
			const dealId = Number((pd().createDeal({ title: 'Örebro Cloud Logistics', stage_id: pd().stageId('Lead In') }) as Rec).id);
			const project = await stack().waitFor(() => projectsOfDeal(dealId)[0], { what: `the Propstreet project of deal ${dealId}`, timeoutMs: 90000 });
			await stack().waitFor(() => dealCustom(deal(dealId), 'propstreet_project_id') === project.id, { what: 'the project id on the deal', timeoutMs: 60000 });
			await stack().settle({ quietMs: 4000 });
			pd().moveDealToStage(dealId, 'Investor Outreach');
			ps().updateProject(project.id, { name: 'Örebro Cloud Logistics Park' });
			await stack().waitFor(() => ps().get('project', project.id)?.classification === 'active' && deal(dealId)?.title === 'Örebro Cloud Logistics Park', {
				what: 'the classification in Propstreet and the new name in Pipedrive',
				timeoutMs: 90000,
			});
			await stack().settle({ quietMs: 4000 });
			expect(ps().get('project', project.id)).toMatchObject({ name: 'Örebro Cloud Logistics Park', classification: 'active', status: 'open' });
			expect(deal(dealId)).toMatchObject({ title: 'Örebro Cloud Logistics Park', stage_id: pd().stageId('Investor Outreach'), status: 'open' });
			expect(projectsOfDeal(dealId)).toHaveLength(1);
			expect(await projectRows({ pipedriveId: dealId })).toEqual([{ pipedriveId: String(dealId), propstreetId: project.id, status: 'linked' }]);
			expect(await failedSince(since, '06', SYNC_RECORD)).toEqual([]);
		}, 300000);

		test('a linked deal in a stage the stage table lacks keeps its stage when its project is renamed and reclassified', async () => {
			const since = Date.now();
			const dealId = Number((pd().createDeal({ title: 'Uppsala Cloud Science Park', stage_id: pd().stageId('Due Diligence') }) as Rec).id);
			const project = await stack().waitFor(() => projectsOfDeal(dealId)[0], { what: `the Propstreet project of deal ${dealId}`, timeoutMs: 90000 });
			await stack().waitFor(() => dealCustom(deal(dealId), 'propstreet_project_id') === project.id && ps().get('project', project.id)?.classification === 'active', { what: 'the linked pair', timeoutMs: 60000 });
			await stack().settle({ quietMs: 4000 });
			const nordic = pd().pipelines().find((p) => p.name === 'Nordic Transactions') as Rec;
			const bids = (await stack().observe.pipedrive<{ data: Rec }>('POST', '/api/v2/stages', { name: 'Cloud Bids Received', pipeline_id: nordic.id })).body.data;
			pd().updateDeal(dealId, { stage_id: bids.id });
			await stack().settle({ quietMs: 4000 });
			expect(ps().get('project', project.id)?.classification).toBe('active');
			ps().updateProject(project.id, { name: 'Uppsala Cloud Science Park II', classification: 'draft' });
			await stack().waitFor(() => deal(dealId)?.title === 'Uppsala Cloud Science Park II', { what: 'the rename on the deal', timeoutMs: 90000 });
			await stack().settle({ quietMs: 4000 });
			expect(deal(dealId)).toMatchObject({ stage_id: bids.id, status: 'open' });
			expect(ps().get('project', project.id)).toMatchObject({ name: 'Uppsala Cloud Science Park II', classification: 'draft' });
			expect(await projectRows({ pipedriveId: dealId })).toEqual([{ pipedriveId: String(dealId), propstreetId: project.id, status: 'linked' }]);
			expect(await failedSince(since, '06', SYNC_RECORD)).toEqual([]);
		}, 300000);
	});
}
