/**
 * Bundled workflows 06 (deal events, Pipedrive → Propstreet) and 07 (project events, Propstreet →
 * Pipedrive): trigger → Pipedrive Propstreet Sync (entity project). Run in-process from real trigger
 * output against both simulators, with the sync state in the data-table simulator. Every test checks
 * both sides.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RunWorkflowResult } from '../helpers/n8nRunner';
import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { expectRunOk, loadWorkflow, outputOf, startSyncBed, total, type SyncBed } from './support/syncBed';

const P2S = '06-deals-pipedrive-to-propstreet.json';
const S2P = '07-projects-propstreet-to-pipedrive.json';
const STATE = 'Propstreet sync state';

jest.setTimeout(60_000);

let bed: SyncBed;
beforeEach(async () => {
	bed = await startSyncBed();
});
afterEach(async () => {
	await bed.close();
});

const project = (id: string) => bed.ps.control.get('project', id)! as IDataObject;
const deal = (id: number) => bed.pd.control.deal(id)!;
const customOf = (id: number, name: string) => (deal(id).custom_fields as IDataObject)[bed.pd.control.fieldKey('deal', name)];
const stageId = (name: string) => bed.pd.control.stageId(name);
const projectRows = () => (bed.dt.rows(STATE) as IDataObject[]).filter((r) => r.entity === 'project');
const projectsWithRef = (dealId: number) => bed.ps.control.state().projects.filter((p) => ((p.externalRefs as IDataObject[]) ?? []).some((r) => r.namespace === 'pipedrive' && r.id === String(dealId)) && !p.deletedUtc);

/** The Sync node's one outcome item (Done or Review output). */
function outcomeOf(result: RunWorkflowResult): IDataObject {
	expectRunOk(result);
	const [out] = [...outputOf(result, 'Sync Project', 0), ...outputOf(result, 'Sync Project', 1)];
	if (!out) throw new Error('Sync Project put out no item');
	return out;
}

async function run06(event: IDataObject) {
	const result = await bed.run(P2S, event);
	return { result, outcome: outcomeOf(result) };
}
async function run07(item: IDataObject) {
	const result = await bed.run(S2P, item);
	return { result, outcome: outcomeOf(result) };
}
const dealEvent = (dealId: number, action = 'change') => bed.nextPipedriveEvent({ entity: 'deal', action, entityId: dealId });

/** Runs the deal's next change through 06 so the pair is linked with a stored baseline. */
async function linkByStage(dealId: number, stage: string) {
	await bed.skipPendingEvents();
	bed.pd.control.advanceClock(5_000);
	bed.pd.control.moveDealToStage(dealId, stage);
	const out = (await run06(await dealEvent(dealId))).outcome;
	await bed.skipPendingEvents();
	return out;
}

async function api(path: string, body: IDataObject): Promise<IDataObject> {
	const res = await fetch(`${bed.pd.url}${path}?api_token=pipedrive-dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return ((await res.json()) as { data: IDataObject }).data;
}

describe('deals ⇄ projects: both directions through the Sync node', () => {
	it('a deal stage change sets the project classification (one If-Match PATCH); its echo through 07 writes nothing', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		expect(project(projectId).classification).toBe('active');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.moveDealToStage(dealId, 'Lead In');
		const event = await dealEvent(dealId);
		bed.resetCounters();
		const { outcome } = await run06(event);
		expect(outcome).toMatchObject({ entity: 'project', pipedriveId: String(dealId), propstreetId: projectId });
		expect(project(projectId).classification).toBe('draft');
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });
		expect(total(bed.pipedriveWrites())).toBe(0);
		expect(projectRows()).toHaveLength(1);

		const echo = await bed.nextPropstreetItem('project.updated', projectId);
		bed.resetCounters();
		expect((await run07(echo)).outcome.action).toBe('unchanged');
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
		expect(deal(dealId).stage_id).toBe(stageId('Lead In'));
	});

	it('a new deal gets one project, its classification set after the create, ids on both sides; redelivery and echoes write nothing', async () => {
		const dealId = pipedriveIdFor('deal', 'vasteras');
		const before = bed.ps.control.state().projects.length;
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.moveDealToStage(dealId, 'Due Diligence');
		const event = await dealEvent(dealId);
		bed.resetCounters();
		const { outcome } = await run06(event);
		expect(outcome.action).toBe('created');

		const created = projectsWithRef(dealId);
		expect(created).toHaveLength(1);
		expect(bed.ps.control.state().projects).toHaveLength(before + 1);
		expect(created[0]).toMatchObject({ name: 'Västerås School Portfolio', classification: 'active', asset: { type: 'portfolio', propertyCount: 5 } });
		expect(String(bed.ps.control.requests({ route: 'POST /api/v1/projects' })[0].idempotencyKey)).toMatch(new RegExp(`^pipedrive-deal-${dealId}-`));
		expect(customOf(dealId, 'propstreet_project_id')).toBe(created[0].id);
		expect(bed.propstreetWrites()).toEqual({ 'POST /api/v1/projects': 1, 'PATCH /api/v1/projects/{id}': 1 });
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/deals/{id}': 1 });

		// The delivered copy of project.created (still draft, not re-read) must not pull the deal back.
		const pdEcho = await bed.nextPipedriveEvent({ entity: 'deal', action: 'change', entityId: dealId, changeSource: 'api' });
		const psCreated = await bed.nextPropstreetItem('project.created', created[0].id as string, { fetchCurrentRecord: false });
		expect(psCreated.data).toMatchObject({ classification: 'draft' });
		const psUpdated = await bed.nextPropstreetItem('project.updated', created[0].id as string);
		bed.resetCounters();
		expect((await run06(event)).outcome.action).toBe('unchanged');
		expect((await run06(pdEcho)).outcome.action).toBe('unchanged');
		expect((await run07(psCreated)).outcome.action).toBe('unchanged');
		expect((await run07(psUpdated)).outcome.action).toBe('unchanged');
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
		expect(deal(dealId).stage_id).toBe(stageId('Due Diligence'));
		expect(bed.ps.control.state().projects).toHaveLength(before + 1);
	});

	it('a new Propstreet project gets one deal in the Nordic Transactions pipeline, ids on both sides; the echoes write nothing', async () => {
		const projectId = propstreetIdFor('project', 'aarhusharbour');
		const dealsBefore = bed.pd.control.deals().length;
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateProject(projectId, { name: 'Aarhus Harbour Mixed Use (Ø)' });
		const item = await bed.nextPropstreetItem('project.updated', projectId);
		bed.resetCounters();
		expect((await run07(item)).outcome.action).toBe('created');

		const created = bed.pd.control.deals().filter((d) => d.title === 'Aarhus Harbour Mixed Use (Ø)');
		expect(created).toHaveLength(1);
		expect(bed.pd.control.deals()).toHaveLength(dealsBefore + 1);
		const nordic = bed.pd.control.pipelines().find((p) => p.name === 'Nordic Transactions')!;
		expect(created[0]).toMatchObject({ pipeline_id: nordic.id, stage_id: stageId('Investor Outreach'), status: 'open' });
		expect((created[0].custom_fields as IDataObject)[bed.pd.control.fieldKey('deal', 'propstreet_project_id')]).toBe(projectId);
		expect(project(projectId).externalRefs).toEqual([{ namespace: 'pipedrive', id: String(created[0].id) }]);
		expect(bed.pipedriveWrites()).toEqual({ 'POST /api/v2/deals': 1 });
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });

		const pdEcho = await bed.nextPipedriveEvent({ entity: 'deal', action: 'create', entityId: created[0].id as number });
		const psEcho = await bed.nextPropstreetItem('project.updated', projectId);
		bed.resetCounters();
		expect((await run06(pdEcho)).outcome.action).toBe('unchanged');
		expect((await run07(psEcho)).outcome.action).toBe('unchanged');
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(total(bed.pipedriveWrites())).toBe(0);
	});

	it('one-sided edits flow both ways: a Propstreet rename and classification reach the deal; a deal title reaches the project', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		await linkByStage(dealId, 'Closing');
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateProject(projectId, { name: 'Kista Office Portfolio II', classification: 'draft' });
		const item = await bed.nextPropstreetItem('project.updated', projectId);
		bed.resetCounters();
		expect((await run07(item)).outcome.action).toBe('updated');
		expect(deal(dealId)).toMatchObject({ title: 'Kista Office Portfolio II', stage_id: stageId('Lead In') });
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/deals/{id}': 1 });
		expect(total(bed.propstreetWrites())).toBe(0);

		await bed.skipPendingEvents();
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { title: 'Kista Offices' });
		bed.resetCounters();
		await run06(await dealEvent(dealId));
		expect(project(projectId)).toMatchObject({ name: 'Kista Offices', classification: 'draft' });
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });
	});

	it('two executions for one new deal at once create exactly one project', async () => {
		const dealId = pipedriveIdFor('deal', 'vasteras');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { title: 'Västerås Schools' });
		const event = await dealEvent(dealId);
		const [a, b] = await Promise.all([bed.run(P2S, event), bed.run(P2S, JSON.parse(JSON.stringify(event)) as IDataObject)]);
		expect([outcomeOf(a).action, outcomeOf(b).action].sort()).toEqual(['created', 'unchanged']);
		expect(projectsWithRef(dealId)).toHaveLength(1);
		expect(bed.ps.control.requests({ route: 'POST /api/v1/projects' }).filter((r) => r.status < 300)).toHaveLength(1);
		expect(customOf(dealId, 'propstreet_project_id')).toBe(projectsWithRef(dealId)[0].id);
		expect(projectRows().filter((r) => r.status === 'linked')).toHaveLength(1);
	});
});

describe('deals ⇄ projects: won, lost and deletes', () => {
	it('won: classification inactive and a "Close the Project in Propstreet" item; the echo does not reopen the deal', async () => {
		const dealId = pipedriveIdFor('deal', 'alnabru');
		const projectId = propstreetIdFor('project', 'alnabru');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { status: 'won' });
		const event = await dealEvent(dealId);
		bed.resetCounters();
		const { result, outcome } = await run06(event);
		expect(project(projectId)).toMatchObject({ classification: 'inactive', status: 'open' });
		expect(outcome.lifecycle).toMatchObject({ event: 'won', action: 'closeInPropstreetApp' });
		expect(outputOf(result, 'Close the Project in Propstreet')).toHaveLength(1);
		expect(outputOf(result, 'Delete Project')).toHaveLength(0);
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });

		const echo = await bed.nextPropstreetItem('project.updated', projectId);
		bed.resetCounters();
		await run07(echo);
		expect(deal(dealId).status).toBe('won');
		expect(total(bed.pipedriveWrites())).toBe(0);
	});

	it('lost: classification inactive by default; with "Ask to Delete the Project" the project is deleted, and its delete event only unlinks', async () => {
		const kista = pipedriveIdFor('deal', 'kista');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(kista, { status: 'lost' });
		const lost = await run06(await dealEvent(kista));
		expect(project(propstreetIdFor('project', 'kista'))).toMatchObject({ classification: 'inactive', status: 'open', deletedUtc: null });
		expect(outputOf(lost.result, 'Delete Project')).toHaveLength(0);

		// One change in 00 Sync Settings; workflow 06 follows it (put back at the end of the test).
		await bed.saveSettings({ options: { onLost: 'deleteProject' } });
		const workflow = loadWorkflow(P2S);
		const dealId = pipedriveIdFor('deal', 'alnabru');
		const projectId = propstreetIdFor('project', 'alnabru');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { status: 'lost' });
		const event = await dealEvent(dealId);
		bed.resetCounters();
		const deleting = await bed.runWorkflow(workflow, event);
		expect(outcomeOf(deleting).lifecycle).toMatchObject({ event: 'lost', action: 'deleteProject' });
		expect(outputOf(deleting, 'Delete Project')).toHaveLength(1);
		expect(project(projectId)).toMatchObject({ status: 'deleted', classification: 'active' });
		expect(bed.propstreetWrites()).toEqual({ 'DELETE /api/v1/projects/{id}': 1 });

		const deletedItem = await bed.nextPropstreetItem('project.deleted', projectId);
		bed.resetCounters();
		expect((await run07(deletedItem)).outcome.action).toBe('unlinked');
		expect(deal(dealId).status).toBe('lost');
		expect(total(bed.pipedriveWrites())).toBe(0);		await bed.saveSettings();
	});

	it('case 9: a project deleted in Propstreet marks its deal lost and drops the link; a project read with deletedUtc is a delete too', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		await linkByStage(dealId, 'Closing');
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.deleteProject(projectId);
		const item = await bed.nextPropstreetItem('project.deleted', projectId);
		expect(item.deleted).toBe(true);
		bed.resetCounters();
		const { outcome } = await run07(item);
		expect(outcome.action).toBe('unlinked');
		expect(deal(dealId)).toMatchObject({ status: 'lost', title: 'Kista Office Portfolio' });
		expect(bed.pipedriveWrites()).toEqual({ 'PATCH /api/v2/deals/{id}': 1 });
		expect(projectRows().map((r) => r.status)).toEqual(['unlinked']);

		// A polled or re-sent copy that only says deletedUtc (no delete event): the same, never an update.
		const alnabru = pipedriveIdFor('deal', 'alnabru');
		const alnabruProject = propstreetIdFor('project', 'alnabru');
		await linkByStage(alnabru, 'Due Diligence');
		const copy = { ...project(alnabruProject), name: 'Renamed Before Delete', status: 'deleted', deletedUtc: bed.ps.control.now() };
		bed.resetCounters();
		const soft = await run07({ event: 'project.updated', entity: 'project', data: copy });
		expect(soft.outcome.action).toBe('unlinked');
		expect(deal(alnabru)).toMatchObject({ status: 'lost', title: 'Alnabru Logistics Hub' });

		// The deal's next edit creates no second project: the pair was linked and its project deleted.
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { title: 'Kista (after delete)' });
		bed.resetCounters();
		expect((await run06(await dealEvent(dealId))).outcome.action).toBe('skipped');
		expect(total(bed.propstreetWrites())).toBe(0);
	});

	it('a deal deleted in Pipedrive drops the link and keeps the project', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		await linkByStage(dealId, 'Closing');
		bed.pd.control.deleteDeal(dealId);
		bed.resetCounters();
		expect((await run06(await dealEvent(dealId, 'delete'))).outcome.action).toBe('unlinked');
		expect(project(projectId)).toMatchObject({ status: 'open', deletedUtc: null });
		expect(total(bed.propstreetWrites())).toBe(0);
		expect(projectRows().map((r) => r.status)).toEqual(['unlinked']);
	});

	it('a deal whose project is gone (no event came) unlinks with a warning instead of failing, and creates no second project', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		await linkByStage(dealId, 'Closing');
		bed.ps.control.deleteProject(projectId);
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { title: 'Kista (project gone)' });
		const before = bed.ps.control.state().projects.length;
		const { outcome } = await run06(await dealEvent(dealId));
		expect(outcome.action).toBe('unlinked');
		expect(String((outcome.warnings as string[])[0])).toMatch(/no longer exists/);
		expect(bed.ps.control.state().projects).toHaveLength(before);
		expect(deal(dealId).status).toBe('open');
	});
});

describe('deals ⇄ projects: issue 13 cases', () => {
	it('case 2: a stage change in Pipedrive and a rename in Propstreet two seconds later both survive', async () => {
		for (const order of ['06 first', '07 first']) {
			const dealId = pipedriveIdFor('deal', 'kista');
			const projectId = propstreetIdFor('project', 'kista');
			await linkByStage(dealId, order === '06 first' ? 'Lead In' : 'Property Added');
			expect(project(projectId).classification).toBe('draft');
			bed.pd.control.advanceClock(5_000);
			bed.pd.control.moveDealToStage(dealId, 'Investor Outreach');
			bed.ps.control.advanceClock(7_000);
			const name = `Kista Office Portfolio (${order})`;
			bed.ps.control.updateProject(projectId, { name });
			const pdEvent = await dealEvent(dealId);
			const psItem = await bed.nextPropstreetItem('project.updated', projectId);
			if (order === '06 first') {
				await run06(pdEvent);
				await run07(psItem);
			} else {
				await run07(psItem);
				await run06(pdEvent);
			}
			expect(project(projectId)).toMatchObject({ name, classification: 'active' });
			expect(deal(dealId)).toMatchObject({ title: name, stage_id: stageId('Investor Outreach') });
		}
	});

	it('case 3: a deal in a stage the table does not map, or in another pipeline, keeps its stage; the outcome warns', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		await linkByStage(dealId, 'Closing');
		const nordic = bed.pd.control.pipelines().find((p) => p.name === 'Nordic Transactions')!;
		const bids = await api('/api/v2/stages', { name: 'Bids Received', pipeline_id: nordic.id });
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { stage_id: bids.id });
		const toPs = await run06(await dealEvent(dealId));
		expect(project(projectId).classification).toBe('active');
		expect((toPs.outcome.warnings as string[]).join(' ')).toMatch(/no row in the stage table/);

		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateProject(projectId, { name: 'Kista Renamed', classification: 'draft' });
		const toPd = await run07(await bed.nextPropstreetItem('project.updated', projectId));
		expect(deal(dealId)).toMatchObject({ stage_id: bids.id, title: 'Kista Renamed' });
		expect((toPd.outcome.warnings as string[]).join(' ')).toMatch(/no row in the stage table; its stage and the project's classification are left alone/);

		// Another pipeline: a new deal there gets no project (nothing read or written in Propstreet) …
		const leasing = await api('/api/v2/pipelines', { name: 'Leasing' });
		const leasingStage = await api('/api/v2/stages', { name: 'Lead In', pipeline_id: leasing.id });
		const other = bed.pd.control.createDeal({ title: 'Office in another pipeline', pipeline_id: leasing.id, stage_id: leasingStage.id });
		const createEvent = await bed.nextPipedriveEvent({ entity: 'deal', action: 'create', entityId: other.id as number });
		bed.resetCounters();
		expect((await run06(createEvent)).outcome.action).toBe('skipped');
		expect(bed.ps.control.requests()).toHaveLength(0);
		// … and a linked deal moved there keeps its stage when the project's classification changes.
		await bed.skipPendingEvents();
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { pipeline_id: leasing.id, stage_id: leasingStage.id });
		await run06(await dealEvent(dealId));
		bed.ps.control.advanceClock(5_000);
		bed.ps.control.updateProject(projectId, { classification: 'active' });
		const moved = await run07(await bed.nextPropstreetItem('project.updated', projectId));
		expect(deal(dealId)).toMatchObject({ pipeline_id: leasing.id, stage_id: leasingStage.id });
		expect((moved.outcome.warnings as string[]).join(' ')).toMatch(/which the sync does not cover/);
	});

	it('case 5: a linked deal merged into an unlinked one moves the link to the survivor: no second project, the inherited id kept, prospects kept', async () => {
		const kista = pipedriveIdFor('deal', 'kista');
		const nyhavn = pipedriveIdFor('deal', 'nyhavn');
		const projectId = propstreetIdFor('project', 'kista');
		await linkByStage(kista, 'Closing');
		const prospects = bed.ps.control.state().prospects.filter((p) => p.projectId === projectId && !p.deletedUtc).length;
		expect(prospects).toBeGreaterThan(0);
		const projectsBefore = bed.ps.control.state().projects.length;
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.merge('deal', kista, nyhavn);
		const removed = await dealEvent(kista, 'delete');
		const survivor = await dealEvent(nyhavn, 'change');
		expect((removed.meta as IDataObject).merged_to_id).toBe(String(nyhavn));
		bed.resetCounters();
		// The survivor's change event comes first here: it already moves the link.
		expect((await run06(survivor)).outcome.action).toBe('relinked');
		expect((await run06(removed)).outcome.action).toBe('skipped');

		expect(bed.ps.control.state().projects).toHaveLength(projectsBefore);
		expect(bed.propstreetWrites()).toEqual({ 'PATCH /api/v1/projects/{id}': 1 });
		expect(project(projectId)).toMatchObject({ name: 'Nyhavn Residential', externalRefs: [{ namespace: 'pipedrive', id: String(nyhavn) }] });
		expect(customOf(nyhavn, 'propstreet_project_id')).toBe(projectId);
		expect(projectRows().filter((r) => r.status === 'linked').map((r) => [r.pipedriveId, r.propstreetId])).toEqual([[String(nyhavn), projectId]]);
		expect(bed.ps.control.state().prospects.filter((p) => p.projectId === projectId && !p.deletedUtc)).toHaveLength(prospects);

		// The survivor's next change updates the same project.
		await bed.skipPendingEvents();
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(nyhavn, { title: 'Nyhavn & Kista' });
		bed.resetCounters();
		await run06(await dealEvent(nyhavn));
		expect(project(projectId).name).toBe('Nyhavn & Kista');
		expect(bed.ps.control.requests({ route: 'POST /api/v1/projects' })).toHaveLength(0);
	});

	it('case 15: property_count 1 of a single-asset deal is kept through project edits', async () => {
		const dealId = pipedriveIdFor('deal', 'alnabru');
		const projectId = propstreetIdFor('project', 'alnabru');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.updateDeal(dealId, { custom_fields: { [bed.pd.control.fieldKey('deal', 'property_count')]: 1 } });
		await run06(await dealEvent(dealId));
		expect(project(projectId).asset).toEqual({ type: 'single', propertyCount: null });
		await bed.skipPendingEvents();
		for (const name of ['Alnabru Logistics Hub II', 'Alnabru Hub']) {
			bed.ps.control.advanceClock(5_000);
			bed.ps.control.updateProject(projectId, { name, classification: 'draft' });
			await run07(await bed.nextPropstreetItem('project.updated', projectId));
			expect(deal(dealId).title).toBe(name);
			expect(customOf(dealId, 'property_count')).toBe(1);
		}
	});

	it('case 10: a project changed between the read and the write (412) is read and merged again; both changes kept', async () => {
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		await linkByStage(dealId, 'Closing');
		bed.pd.control.advanceClock(5_000);
		bed.pd.control.moveDealToStage(dealId, 'Lead In');
		const event = await dealEvent(dealId);
		bed.ps.control.injectConcurrentWrite({ routes: ['GET /api/v1/projects/{id}'] });
		bed.resetCounters();
		await run06(event);
		const patches = bed.ps.control.requests({ route: 'PATCH /api/v1/projects/{id}' }).map((r) => r.status);
		expect(patches).toEqual([412, 200]);
		expect(project(projectId).classification).toBe('draft');
		expect(deal(dealId).stage_id).toBe(stageId('Lead In'));
	});
});
