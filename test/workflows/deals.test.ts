/**
 * Bundled workflows 06 (deals → projects, Pipedrive → Propstreet) and 07 (projects → deals,
 * Propstreet → Pipedrive), run in-process from real trigger output against both simulators.
 */
import type { IDataObject } from 'n8n-workflow';

import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { expectRunOk, loadWorkflow, outputOf, startSyncBed, total, type SyncBed } from './support/syncBed';

const P2S = '06-deals-pipedrive-to-propstreet.json';
const S2P = '07-projects-propstreet-to-pipedrive.json';

jest.setTimeout(30_000);

describe('workflow 06: deals → projects, Pipedrive → Propstreet', () => {
	let bed: SyncBed;
	beforeEach(async () => {
		bed = await startSyncBed();
	});
	afterEach(async () => {
		await bed.close();
	});

	const project = (id: string) => bed.ps.control.get('project', id)!;

	it('moves the project classification with the deal stage: Lead In → draft, Due Diligence → active', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		expect(project(projectId).classification).toBe('active');

		bed.pd.control.advanceClock(5_000);
		bed.pd.control.moveDealToStage(dealId, 'Lead In');
		bed.resetCounters();
		const toDraft = await bed.run(P2S, await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: dealId }));
		expectRunOk(toDraft);
		expect(project(projectId).classification).toBe('draft');
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });

		bed.pd.control.advanceClock(5_000);
		bed.pd.control.moveDealToStage(dealId, 'Due Diligence');
		bed.resetCounters();
		const toActive = await bed.run(P2S, await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: dealId }));
		expectRunOk(toActive);
		expect(project(projectId).classification).toBe('active');
		expect(outputOf(toActive, 'Changed Fields')[0].patch).toEqual({ classification: 'active' });
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });
		expect(total(bed.pipedriveWrites())).toBe(0);
	});

	it('creates the project for an unlinked deal once (Idempotency-Key from meta.id), writes the id back, and redelivery and echoes write nothing', async () => {
		const dealId = pipedriveIdFor('deal', 'vasteras');
		const projectsBefore = bed.ps.control.state().projects.length;
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.moveDealToStage(dealId, 'Due Diligence');
		const event = await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: dealId });
		bed.resetCounters();

		const result = await bed.run(P2S, event);
		expectRunOk(result);

		const created = bed.ps.control.state().projects.filter((p) => ((p.externalRefs as IDataObject[]) ?? []).some((r) => r.namespace === 'pipedrive' && r.id === String(dealId)));
		expect(created).toHaveLength(1);
		expect(bed.ps.control.state().projects).toHaveLength(projectsBefore + 1);
		expect(created[0]).toMatchObject({ name: 'Västerås School Portfolio', classification: 'active', asset: { type: 'portfolio', propertyCount: 5 } });
		const createCall = bed.ps.control.requests({ route: 'POST /api/v1/projects' })[0];
		expect(createCall.idempotencyKey).toBe(`pipedrive-deal-${dealId}-${(event.meta as IDataObject).id}`);
		const deal = bed.pd.control.deal(dealId)!;
		expect((deal.custom_fields as IDataObject)[bed.pd.control.fieldKey('deal', 'propstreet_project_id')]).toBe(created[0].id);
		expect(bed.propstreetWrites()).toEqual({ 'POST /api/v1/projects': 1, 'PATCH /api/v1/projects/{id}': 1 });
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/deals/{id}': 1 });

		// Redelivery of the same webhook, then the echoes: Pipedrive's change from our write-back
		// (through 06), and Propstreet's project.created / project.updated (through 07).
		const pdEcho = await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: dealId, changeSource: 'api' });
		const psCreated = await bed.nextPropstreetItem('project.created', created[0].id as string);
		const psUpdated = await bed.nextPropstreetItem('project.updated', created[0].id as string);
		bed.resetCounters();
		for (const [file, item] of [[P2S, event], [P2S, pdEcho], [S2P, psCreated], [S2P, psUpdated]] as const) {
			const run = await bed.run(file, item);
			expectRunOk(run);
			if (item === psCreated) expect(outputOf(run, 'Created From a Deal (Echo)')).toHaveLength(1);
		}
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
		expect(bed.pd.control.deal(dealId)!.stage_id).toBe(bed.pd.control.stageId('Due Diligence'));
		expect(bed.ps.control.state().projects).toHaveLength(projectsBefore + 1);
	});

	it('won: classification inactive and a visible "Close the project in Propstreet" item; the echo does not reopen the deal', async () => {
		const dealId = pipedriveIdFor('deal', 'alnabru');
		const projectId = propstreetIdFor('project', 'alnabru');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { status: 'won' });
		bed.resetCounters();
		const result = await bed.run(P2S, await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: dealId }));
		expectRunOk(result);

		expect(project(projectId)).toMatchObject({ classification: 'inactive', status: 'open' });
		const close = outputOf(result, 'Close the Project in Propstreet');
		expect(close).toHaveLength(1);
		expect(close[0].lifecycle).toMatchObject({ event: 'won', action: 'closeInPropstreetApp' });
		expect(outputOf(result, 'Delete Project')).toHaveLength(0);
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });

		const echo = await bed.nextPropstreetItem('project.updated', projectId);
		bed.resetCounters();
		const echoRun = await bed.run(S2P, echo);
		expectRunOk(echoRun);
		expect(outputOf(echoRun, 'Deal Closed but Project Open')).toHaveLength(1);
		expect(bed.pd.control.deal(dealId)!.status).toBe('won');
		expect(total(bed.pipedriveWrites())).toBe(0);
	});

	it('lost: classification inactive by default; the project is deleted only when the option is switched', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { status: 'lost' });
		const lostEvent = await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: dealId });
		bed.resetCounters();
		const result = await bed.run(P2S, lostEvent);
		expectRunOk(result);
		expect(project(projectId)).toMatchObject({ classification: 'inactive', status: 'open', deletedUtc: null });
		expect(outputOf(result, 'Close the Project in Propstreet')).toHaveLength(0);
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });

		// The user switches "On Deal Lost" to "Ask to Delete the Project" in both Mapper nodes.
		const workflow = loadWorkflow(P2S);
		for (const node of workflow.nodes) if (node.type.endsWith('pipedrivePropstreetMapper')) (node.parameters.options as IDataObject).onLost = 'deleteProject';
		const alnabruDeal = pipedriveIdFor('deal', 'alnabru');
		const alnabruProject = propstreetIdFor('project', 'alnabru');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(alnabruDeal, { status: 'lost' });
		const event = await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: alnabruDeal });
		bed.resetCounters();
		const deleting = await bed.runWorkflow(workflow, event);
		expectRunOk(deleting);
		expect(outputOf(deleting, 'Delete Project')).toHaveLength(1);
		expect(project(alnabruProject)).toMatchObject({ status: 'deleted', classification: 'active' });
		expect(bed.propstreetWrites()).toEqual({ 'DELETE /api/v1/projects/{id}': 1 });
	});

	it('stops deal deletes at a NoOp and ignores deals outside the Nordic Transactions pipeline', async () => {
		const dealId = pipedriveIdFor('deal', 'tampere');
		bed.pd.control.deleteDeal(dealId);
		bed.resetCounters();
		const deleted = await bed.run(P2S, await bed.nextPipedriveEvent({ entity: 'deal', action: 'delete', entityId: dealId }));
		expectRunOk(deleted);
		expect(outputOf(deleted, 'Deleted in Pipedrive (Not Propagated)')).toHaveLength(1);

		const api = async (path: string, body: IDataObject) =>
			(await (await fetch(`${bed.pd.url}${path}?api_token=pipedrive-dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { data: IDataObject };
		const other = (await api('/api/v2/pipelines', { name: 'Leasing' })).data;
		const stage = (await api('/api/v2/stages', { name: 'Lead In', pipeline_id: other.id })).data;
		const deal = bed.pd.control.createDeal({ title: 'Office in another pipeline', pipeline_id: other.id, stage_id: stage.id });
		const event = await bed.nextPipedriveEvent({ entity: 'deal', action: 'create', entityId: deal.id as number });
		bed.resetCounters();
		const result = await bed.run(P2S, event);
		expectRunOk(result);
		expect(outputOf(result, 'Only Nordic Transactions Pipeline')).toHaveLength(0);
		expect(result.executionOrder).not.toContain('Map Deal to Project');
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
	});
});

describe('workflow 07: projects → deals, Propstreet → Pipedrive', () => {
	let bed: SyncBed;
	beforeEach(async () => {
		bed = await startSyncBed();
	});
	afterEach(async () => {
		await bed.close();
	});

	it('marks the linked deal lost when the project is deleted in Propstreet', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.deleteProject(projectId);
		const item = await bed.nextPropstreetItem('project.deleted', projectId);
		expect(item.deleted).toBe(true);
		bed.resetCounters();

		const result = await bed.run(S2P, item);
		expectRunOk(result);

		expect(bed.pd.control.deal(dealId)!.status).toBe('lost');
		expect(outputOf(result, 'Changed Fields')[0].patch).toEqual({ status: 'lost' });
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/deals/{id}': 1 });
		expect(total(bed.propstreetWrites())).toBe(0);
	});

	it('sends a Propstreet edit (name, classification) to the linked deal; the echo through 06 writes nothing', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateProject(projectId, { name: 'Kista Office Portfolio II', classification: 'draft' });
		const item = await bed.nextPropstreetItem('project.updated', projectId);
		bed.resetCounters();
		const result = await bed.run(S2P, item);
		expectRunOk(result);

		const deal = bed.pd.control.deal(dealId)!;
		expect(deal.title).toBe('Kista Office Portfolio II');
		expect(deal.stage_id).toBe(bed.pd.control.stageId('Lead In'));
		expect(Object.keys(outputOf(result, 'Changed Fields')[0].patch as IDataObject).sort()).toEqual(['stage_id', 'title']);
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/deals/{id}': 1 });

		const echo = await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: dealId, changeSource: 'api' });
		bed.resetCounters();
		const echoRun = await bed.run(P2S, echo);
		expectRunOk(echoRun);
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
	});

	it('creates a deal in the pipeline for an unlinked project and writes both ids; the echoes write nothing', async () => {
		const projectId = propstreetIdFor('project', 'aarhusharbour');
		const dealsBefore = bed.pd.control.deals().length;
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateProject(projectId, { name: 'Aarhus Harbour Mixed Use' + ' (Ø)' });
		const item = await bed.nextPropstreetItem('project.updated', projectId);
		bed.resetCounters();
		const result = await bed.run(S2P, item);
		expectRunOk(result);

		const created = bed.pd.control.deals().filter((d) => d.title === 'Aarhus Harbour Mixed Use (Ø)');
		expect(created).toHaveLength(1);
		expect(bed.pd.control.deals()).toHaveLength(dealsBefore + 1);
		const nordic = bed.pd.control.pipelines().find((p) => p.name === 'Nordic Transactions')!;
		expect(created[0]).toMatchObject({ pipeline_id: nordic.id, stage_id: bed.pd.control.stageId('Investor Outreach'), status: 'open' });
		expect((created[0].custom_fields as IDataObject)[bed.pd.control.fieldKey('deal', 'propstreet_project_id')]).toBe(projectId);
		expect(bed.ps.control.get('project', projectId)!.externalRefs).toEqual([{ namespace: 'pipedrive', id: String(created[0].id) }]);
		expect(bed.pipedriveWrites()).toEqual({ 'POST /api/v2/deals': 1 });
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });

		const pdEcho = await bed.nextPipedriveEvent({ entity: 'deal', action: 'create', entityId: created[0].id as number });
		const psEcho = await bed.nextPropstreetItem('project.updated', projectId);
		bed.resetCounters();
		expectRunOk(await bed.run(P2S, pdEcho));
		expectRunOk(await bed.run(S2P, psEcho));
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
	});

	it('ignores project.created for a project this sync created from a deal, even while it is still draft', async () => {
		// Workflow 06 creates the Nyhavn project (POST, then the classification PATCH: Teaser Drafting
		// → active). The project.created delivery carries the project as created: draft, with the
		// pipedrive ref. Read at that moment it would pull the deal back to Lead In.
		const dealId = pipedriveIdFor('deal', 'nyhavn');
		const teaserDrafting = bed.pd.control.stageId('Teaser Drafting');
		expect(bed.pd.control.deal(dealId)!.stage_id).toBe(teaserDrafting);
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { value: 185_000_000 });
		// The two simulators keep separate clocks: put Propstreet's ahead so the new project is newer
		// than the deal, as when 07 reads it before the project id reaches the deal. Then nothing but
		// the guard stops the bounce (last write wins would side with the draft project).
		bed.ps.control.advanceClock(60_000);
		expectRunOk(await bed.run(P2S, await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: dealId })));
		const created = bed.ps.control.state().projects.filter((p) => ((p.externalRefs as IDataObject[]) ?? []).some((r) => r.namespace === 'pipedrive' && r.id === String(dealId)));
		expect(created).toHaveLength(1);
		expect(created[0].classification).toBe('active');
		const projectId = created[0].id as string;

		// The delivered copy (not re-read): the race in which 07 sees the project before the PATCH.
		const draftItem = await bed.nextPropstreetItem('project.created', projectId, { fetchCurrentRecord: false });
		expect(draftItem.data).toMatchObject({ id: projectId, classification: 'draft' });
		bed.resetCounters();
		const result = await bed.run(S2P, draftItem);
		expectRunOk(result);
		expect(outputOf(result, 'Created From a Deal (Echo)')).toHaveLength(1);
		expect(result.executionOrder).not.toContain('Map Project to Deal');
		expect(bed.pd.control.deal(dealId)!.stage_id).toBe(teaserDrafting);
		expect(bed.pd.control.deals().filter((d) => d.title === 'Nyhavn Residential')).toHaveLength(1);
		expect(total(bed.pipedriveWrites())).toBe(0);
		expect(total(bed.propstreetWrites())).toBe(0);

		// Without the guard the same delivery would have moved the deal: the test above can fail.
		const unguarded = loadWorkflow(S2P);
		const connections = unguarded.connections as Record<string, { main: unknown[][] }>;
		connections['Propstreet Trigger'].main[0] = connections['Created From a Deal?'].main[1];
		const bounced = await bed.runWorkflow(unguarded, draftItem);
		expectRunOk(bounced);
		expect(bed.pd.control.deal(dealId)!.stage_id).toBe(bed.pd.control.stageId('Lead In'));
	});

	it('still creates a deal for a project a user creates in Propstreet (no pipedrive ref), and project.updated of a linked draft project still moves the deal', async () => {
		const dealsBefore = bed.pd.control.deals().length;
		bed.ps.control.advanceClock(5_000);
		const userProject = bed.ps.control.createProject({ name: 'Bergen Wharf Offices' });
		const projectId = userProject.id as string;
		const item = await bed.nextPropstreetItem('project.created', projectId);
		expect(item.event).toBe('project.created');
		bed.resetCounters();
		const result = await bed.run(S2P, item);
		expectRunOk(result);
		expect(outputOf(result, 'Created From a Deal (Echo)')).toHaveLength(0);

		const created = bed.pd.control.deals().filter((d) => d.title === 'Bergen Wharf Offices');
		expect(created).toHaveLength(1);
		expect(bed.pd.control.deals()).toHaveLength(dealsBefore + 1);
		const nordic = bed.pd.control.pipelines().find((p) => p.name === 'Nordic Transactions')!;
		expect(created[0]).toMatchObject({ pipeline_id: nordic.id, status: 'open' });
		expect((created[0].custom_fields as IDataObject)[bed.pd.control.fieldKey('deal', 'propstreet_project_id')]).toBe(projectId);
		expect(bed.ps.control.get('project', projectId)!.externalRefs).toEqual([{ namespace: 'pipedrive', id: String(created[0].id) }]);
		expect(bed.pipedriveWrites()).toEqual({ 'POST /api/v2/deals': 1 });
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });

		// A later project.updated of a linked project is not an echo: a user's move to draft still
		// reaches the deal (the guard is for project.created only).
		const kistaDeal = pipedriveIdFor('deal', 'kista');
		const kistaProject = propstreetIdFor('project', 'kista');
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateProject(kistaProject, { classification: 'draft' });
		const updated = await bed.nextPropstreetItem('project.updated', kistaProject);
		bed.resetCounters();
		const updateRun = await bed.run(S2P, updated);
		expectRunOk(updateRun);
		expect(outputOf(updateRun, 'Created From a Deal (Echo)')).toHaveLength(0);
		expect(bed.pd.control.deal(kistaDeal)!.stage_id).toBe(bed.pd.control.stageId('Lead In'));
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/deals/{id}': 1 });
	});
});
