/**
 * Cloud edition e2e: deals ⇄ projects (06, 07) in the real n8n set up as Cloud. Registered by
 * cloud.e2e.test.ts with its running stack; every scenario asserts both simulators and the state table.
 */
import type { Stack } from '../../harness/stack';
import { contactRecords, type Rec } from '../contactRecords';

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
			expect(await failedSince(since, '06', '07')).toEqual([]);
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
			expect(await failedSince(since, '06')).toEqual([]);
		}, 300000);
	});
}
