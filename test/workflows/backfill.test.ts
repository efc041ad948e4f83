/**
 * workflows/10-backfill-reconcile.json, run in-process against both seeded simulators: it links the
 * records that exist on both sides unlinked (by email, domain, org number) without duplicates,
 * creates what exists on one side only, writes the ids back, routes conflicts to Review, reports a
 * summary, and a second run writes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { INodeExecutionData } from 'n8n-workflow';

import { PipedrivePropstreetMapper } from '../../nodes/PipedrivePropstreetMapper/PipedrivePropstreetMapper.node';
import { Propstreet } from '../../nodes/Propstreet/Propstreet.node';
import { runWorkflow, type RunWorkflowResult, type WorkflowJson } from '../helpers/n8nRunner';
import { routePipedriveTo, type PipedriveRoute } from '../helpers/pipedriveRoute';
import { startPipedriveSimulator, type PipedriveSimulator } from '../simulators/pipedrive';
import { startPropstreetSimulator, type PropstreetSimulator } from '../simulators/propstreet';
import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { deals, firms, persons } from '../simulators/seed/nordic';
import { expectRunOk, loadWorkflow as loadBundled, outputOf, startSyncBed, total } from './support/syncBed';

const WORKFLOW_FILE = path.resolve(__dirname, '../../workflows/10-backfill-reconcile.json');

type Rec = Record<string, any>;

function loadWorkflow(): WorkflowJson {
	return JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8')) as WorkflowJson;
}

const refOf = (record: Rec, namespace = 'pipedrive'): string | undefined =>
	((record.externalRefs ?? []) as { namespace: string; id: string }[]).find((r) => r.namespace.toLowerCase() === namespace)?.id;

describe('workflow 10: backfill and reconcile', () => {
	let pd: PipedriveSimulator;
	let ps: PropstreetSimulator;
	let route: PipedriveRoute;

	beforeEach(async () => {
		pd = await startPipedriveSimulator({ seed: true });
		ps = await startPropstreetSimulator({ seed: true, rateLimit: { pat: 100_000 } });
		route = routePipedriveTo(pd.url);
	});

	afterEach(async () => {
		route.restore();
		await pd.close();
		await ps.close();
	});

	async function backfill(startNode = 'Run Backfill', pinnedInput: INodeExecutionData[] = [{ json: {} }]): Promise<{ result: RunWorkflowResult; summary: Rec }> {
		pd.control.resetStats();
		ps.control.clearRequests();
		const result = await runWorkflow({
			workflow: loadWorkflow(),
			credentials: { pipedriveApi: { apiToken: 'pipedrive-dev-token' }, propstreetApi: { accessToken: 'propstreet-dev-token', baseUrl: ps.url } },
			nodeTypes: { propstreet: Propstreet, pipedrivePropstreetMapper: PipedrivePropstreetMapper },
			startNode,
			pinnedInput,
			mode: startNode === 'Run Backfill' ? 'manual' : startNode === 'Run Backfill Now' ? 'webhook' : 'trigger',
		});
		if (result.error) throw Object.assign(new Error(result.error.message), { cause: result.error });
		expect(result.executionOrder[result.executionOrder.length - 1]).toBe('Summary');
		return { result, summary: result.outputOf('Summary')[0].json as Rec };
	}

	const writes = () => ({ pipedrive: pd.control.stats().writes, propstreet: ps.control.countWrites() });
	const psState = () => ps.control.state();
	const live = (list: Rec[]) => list.filter((r) => !r.deletedUtc);
	const custom = (record: Rec | undefined, entity: 'person' | 'organization' | 'deal', name: string) =>
		(record?.custom_fields as Rec | undefined)?.[pd.control.fieldKey(entity, name)];
	/** Everything that reached the Review branch, from the nodes that feed it. */
	const reviewed = (result: RunWorkflowResult) => [
		...result.outputOf('Map Organizations', 1),
		...result.outputOf('Map Persons', 1),
		...result.outputOf('Map Deals', 1),
		...result.outputOf('Sync Companies: Conflict?', 0),
		...result.outputOf('Sync Contacts: Conflict?', 0),
	].map((i) => i.json as Rec);

	it('links the match records without duplicates, creates the one-sided ones, writes ids back, and a second run writes nothing', async () => {
		const before = psState();
		const { result, summary } = await backfill();

		// --- matched by org number (Fjordkapital) and by domain (Øresund): linked, not duplicated
		const companies = live(psState().companies as Rec[]);
		for (const key of ['fjordkapital', 'oresund']) {
			const firm = firms.find((f) => f.key === key)!;
			const orgId = pipedriveIdFor('organization', key);
			const sameName = companies.filter((c) => c.name === firm.name);
			expect(sameName).toHaveLength(1);
			expect(sameName[0].id).toBe(propstreetIdFor('company', key));
			expect(refOf(sameName[0])).toBe(String(orgId));
			expect(custom(pd.control.organization(orgId), 'organization', 'propstreet_company_id')).toBe(propstreetIdFor('company', key));
		}
		const syncedCompanies = result.outputOf('Sync Companies').map((i) => i.json as Rec);
		expect(syncedCompanies.find((o) => o.propstreetId === propstreetIdFor('company', 'fjordkapital'))!.matchedBy).toBe('orgNumber');
		expect(syncedCompanies.find((o) => o.propstreetId === propstreetIdFor('company', 'oresund'))!.matchedBy).toBe('domain');

		// --- matched by email (Ingrid, Mette, Freja): linked to the existing contact
		const contacts = live(psState().contacts as Rec[]);
		for (const key of ['ingrid', 'mette', 'freja']) {
			const person = persons.find((p) => p.key === key)!;
			const personId = pipedriveIdFor('person', key);
			const byEmail = contacts.filter((c) => c.email === person.emails[0].value);
			expect(byEmail).toHaveLength(1);
			expect(byEmail[0].id).toBe(propstreetIdFor('contact', key));
			expect(refOf(byEmail[0])).toBe(String(personId));
			expect(custom(pd.control.person(personId), 'person', 'propstreet_contact_id')).toBe(propstreetIdFor('contact', key));
		}

		// --- Pipedrive-only: organizations, investor persons and open deals get created and linked
		for (const key of firms.filter((f) => f.presence === 'pipedriveOnly').map((f) => f.key)) {
			const orgId = pipedriveIdFor('organization', key);
			const created = companies.filter((c) => refOf(c) === String(orgId));
			expect(created).toHaveLength(1);
			expect(custom(pd.control.organization(orgId), 'organization', 'propstreet_company_id')).toBe(created[0].id);
		}
		const investorsOnlyInPipedrive = persons.filter((p) => p.presence === 'pipedriveOnly' && p.labels.includes('Investor'));
		expect(investorsOnlyInPipedrive.map((p) => p.key)).toEqual(['bjorn', 'aino', 'elin']);
		for (const person of investorsOnlyInPipedrive) {
			const personId = pipedriveIdFor('person', person.key);
			const created = contacts.filter((c) => refOf(c) === String(personId));
			expect(created).toHaveLength(1);
			expect(custom(pd.control.person(personId), 'person', 'propstreet_contact_id')).toBe(created[0].id);
		}
		// Not investors: left alone.
		for (const key of ['soren', 'nils']) expect(contacts.some((c) => refOf(c) === String(pipedriveIdFor('person', key)))).toBe(false);
		const projects = live(psState().projects as Rec[]);
		for (const key of ['nyhavn', 'vasteras']) {
			const dealId = pipedriveIdFor('deal', key);
			const created = projects.filter((p) => refOf(p) === String(dealId));
			expect(created).toHaveLength(1);
			expect(created[0].name).toBe(deals.find((d) => d.key === key)!.title);
			expect(custom(pd.control.deal(dealId), 'deal', 'propstreet_project_id')).toBe(created[0].id);
		}
		// Propstreet takes no classification on create: the backfill sets it with a PATCH where the
		// deal's stage asks for another one (Nyhavn, Teaser Drafting → active; Västerås, Property
		// Added → draft, the default, so no call).
		expect(projects.find((p) => refOf(p) === String(pipedriveIdFor('deal', 'nyhavn')))!.classification).toBe('active');
		expect(projects.find((p) => refOf(p) === String(pipedriveIdFor('deal', 'vasteras')))!.classification).toBe('draft');
		expect(ps.control.countWrites({ route: 'POST /api/v1/projects' })).toBe(2);
		expect(ps.control.countWrites({ route: 'PATCH /api/v1/projects/{id}' })).toBe(1);
		expect(result.outputOf('Set Project Classification').map((i) => (i.json as Rec).classification)).toEqual(['active']);
		// The lost deal is not an open deal of the pipeline.
		expect(projects.some((p) => refOf(p) === String(pipedriveIdFor('deal', 'tampere')))).toBe(false);

		// --- Propstreet-only: found nowhere in Pipedrive, so created there and linked both ways
		const aarhusCompany = ps.control.get('company', propstreetIdFor('company', 'aarhus'))!;
		const aarhusOrg = pd.control.organizations().filter((o) => o.name === 'Aarhus Havn Capital ApS');
		expect(aarhusOrg).toHaveLength(1);
		expect(custom(aarhusOrg[0], 'organization', 'propstreet_company_id')).toBe(propstreetIdFor('company', 'aarhus'));
		expect(refOf(aarhusCompany)).toBe(String(aarhusOrg[0].id));
		expect(refOf(aarhusCompany, 'orgnr-dk')).toBe('29876541'); // existing refs kept
		const anders = pd.control.persons().filter((p) => (p.emails as Rec[]).some((e) => e.value === 'anders@aarhushavn.example.dk'));
		expect(anders).toHaveLength(1);
		expect(custom(anders[0], 'person', 'propstreet_contact_id')).toBe(propstreetIdFor('contact', 'anders'));
		expect(anders[0].label_ids).toEqual([pd.control.optionId('person', 'label_ids', 'Investor')]);
		expect(refOf(ps.control.get('contact', propstreetIdFor('contact', 'anders'))!)).toBe(String(anders[0].id));

		// --- nothing was duplicated: Propstreet grew by exactly what was created
		const after = psState();
		expect(live(after.companies as Rec[])).toHaveLength(live(before.companies as Rec[]).length + 2);
		expect(live(after.contacts as Rec[])).toHaveLength(live(before.contacts as Rec[]).length + 3);
		expect(live(after.projects as Rec[])).toHaveLength(live(before.projects as Rec[]).length + 2);

		// --- the summary matches what happened
		expect(summary).toMatchObject({ linked: 5, created: 9, idsWrittenToPipedrive: 10 });
		expect(summary.conflicts).toBe(reviewed(result).length);
		// On the fresh seed nothing needs a person's decision: the `conflict` records resolve by last
		// write wins, and reformatted phones are not differences (the next test forces a real conflict).
		expect(result.outputOf('Review')).toHaveLength(0);

		// --- a second run writes nothing and creates nothing
		const second = await backfill();
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
		expect(second.summary).toMatchObject({ linked: 0, created: 0, updated: 0, idsWrittenToPipedrive: 0 });
		expect(live(psState().contacts as Rec[])).toHaveLength(live(after.contacts as Rec[]).length);
		expect(pd.control.persons()).toHaveLength(persons.filter((p) => p.presence !== 'propstreetOnly').length + 1);
	}, 60_000);

	it('sends a field changed more recently in Propstreet to Review instead of overwriting it', async () => {
		const sigrid = propstreetIdFor('contact', 'sigrid');
		ps.control.updateContact(sigrid, { strategy: 'Edited in Propstreet after the last Pipedrive change' });

		const { result, summary } = await backfill();
		const review = result.outputOf('Map Persons', 1).map((i) => i.json as Rec);
		const item = review.find((r) => r.match.pipedriveId === String(pipedriveIdFor('person', 'sigrid')));
		expect(item).toBeDefined();
		expect((item!.conflict.conflicts as Rec[]).map((c) => c.field)).toContain('contact.strategy');
		expect(ps.control.get('contact', sigrid)!.strategy).toBe('Edited in Propstreet after the last Pipedrive change');
		expect(result.outputOf('Review').some((i) => (i.json as Rec).match?.pipedriveId === String(pipedriveIdFor('person', 'sigrid')))).toBe(true);
		expect(summary.conflicts).toBe(reviewed(result).length);
	}, 60_000);

	it('links a Propstreet-only contact to the Pipedrive person with the same email instead of creating one', async () => {
		// Nils is a broker in Pipedrive (not an investor, so step 2 skips him); Propstreet knows him unlinked.
		const contact = ps.control.createContact({ firstName: 'Nils', lastName: 'Broker', email: 'nils@broker.example.se' });
		const nils = pipedriveIdFor('person', 'nils');

		const { summary } = await backfill('Run Backfill Now', [{ json: { headers: {}, params: {}, query: {}, body: {} } }]);
		expect(custom(pd.control.person(nils), 'person', 'propstreet_contact_id')).toBe(contact.id);
		expect(refOf(ps.control.get('contact', String(contact.id))!)).toBe(String(nils));
		expect(pd.control.persons().filter((p) => (p.emails as Rec[]).some((e) => e.value === 'nils@broker.example.se'))).toHaveLength(1);
		expect(summary.linked).toBe(5 + 1);

		await backfill();
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
	}, 60_000);

	it('writes no project id to a deal whose project could not be created, warns, and creates it on the next run', async () => {
		ps.control.injectFaults({ status: 422, routes: ['POST /api/v1/projects'], count: 1 });
		const { result, summary } = await backfill();
		expect(result.outputOf('Create Project').filter((i) => (i.json as Rec).error)).toHaveLength(1);
		const projectIdOf = (key: string) => custom(pd.control.deal(pipedriveIdFor('deal', key)), 'deal', 'propstreet_project_id');
		const projects = () => live(psState().projects as Rec[]).filter((p) => ['nyhavn', 'vasteras'].some((key) => refOf(p) === String(pipedriveIdFor('deal', key))));
		expect(projects()).toHaveLength(1);
		for (const key of ['nyhavn', 'vasteras']) {
			const project = projects().find((p) => refOf(p) === String(pipedriveIdFor('deal', key)));
			// Either created and written back, or not created and the field left empty (never "undefined").
			expect(projectIdOf(key) ?? null).toBe(project ? project.id : null);
		}
		expect(summary.warnings).toBeGreaterThanOrEqual(1);

		await backfill();
		expect(projects()).toHaveLength(2);
		for (const project of projects()) expect(projectIdOf(project.name === 'Nyhavn Residential' ? 'nyhavn' : 'vasteras')).toBe(project.id);
		expect(projects().find((p) => p.name === 'Nyhavn Residential')!.classification).toBe('active');
	}, 60_000);

	it('counts a refused classification PATCH as a warning', async () => {
		ps.control.injectFaults({ status: 422, routes: ['PATCH /api/v1/projects/'], count: 1 });
		const { result, summary } = await backfill();
		expect(result.outputOf('Set Project Classification').map((i) => Boolean((i.json as Rec).error))).toEqual([true]);
		expect(summary.warnings).toBeGreaterThanOrEqual(1);
		// The project exists and is linked; only its classification is missing.
		const nyhavnDeal = pipedriveIdFor('deal', 'nyhavn');
		const nyhavn = live(psState().projects as Rec[]).find((p) => refOf(p) === String(nyhavnDeal))!;
		expect(custom(pd.control.deal(nyhavnDeal), 'deal', 'propstreet_project_id')).toBe(nyhavn.id);
		expect(nyhavn.classification).toBe('draft');
	}, 60_000);

	describe('linked deals: the safety net for missed webhooks', () => {
		const kista = () => pipedriveIdFor('deal', 'kista');
		const alnabru = () => pipedriveIdFor('deal', 'alnabru');
		const projectOf = (key: string) => ps.control.get('project', propstreetIdFor('project', key))!;
		/** Edits a deal "in the web app" with no webhook reaching n8n: no subscription exists, and the queue is emptied. */
		const editUnseen = (edit: () => void) => {
			expect(pd.control.webhooks()).toHaveLength(0);
			edit();
			pd.control.clearDeliveries();
			expect(pd.control.deliveries()).toHaveLength(0);
		};

		it('leaves the seeded linked projects alone when they agree with their deals', async () => {
			const { result, summary } = await backfill();
			const compared = result.outputOf('Compare With Project').map((i) => i.json as Rec);
			expect(compared.map((o) => o.match.pipedriveId).sort()).toEqual([String(kista()), String(alnabru())].sort());
			expect(compared.map((o) => o.patch)).toEqual([{}, {}]);
			expect(result.outputOf('Update Linked Project')).toHaveLength(0);
			// The one project PATCH is the classification of the newly created Nyhavn project.
			expect(ps.control.countWrites({ route: 'PATCH /api/v1/projects/{id}' })).toBe(1);
			expect(summary.unchanged).toBeGreaterThanOrEqual(2);
		}, 60_000);

		it('brings a linked project in line with a stage change and a rename it never heard of, and a second run writes nothing', async () => {
			await backfill(); // settle the seed: links, creates
			expect(projectOf('kista').classification).toBe('active');
			editUnseen(() => {
				pd.control.moveDealToStage(kista(), 'Property Added'); // → draft
				pd.control.updateDeal(alnabru(), { title: 'Alnabru Logistics Hub II' });
			});
			const kistaBefore = projectOf('kista');

			const { result, summary } = await backfill();
			expect(projectOf('kista').classification).toBe('draft');
			expect(projectOf('kista').name).toBe(kistaBefore.name);
			expect(projectOf('alnabru').name).toBe('Alnabru Logistics Hub II');
			// Only what differs is sent: one PATCH per project, nothing created, nothing written to Pipedrive.
			expect(result.outputOf('Project Differs From Deal?').map((i) => (i.json as Rec).patch)).toEqual(
				expect.arrayContaining([{ classification: 'draft' }, { name: 'Alnabru Logistics Hub II' }]),
			);
			expect(writes()).toEqual({ pipedrive: 0, propstreet: 2 });
			expect(ps.control.countWrites({ route: 'PATCH /api/v1/projects/{id}' })).toBe(2);
			expect(result.outputOf('Update Linked Project').map((i) => (i.json as Rec).error)).toEqual([undefined, undefined]);
			expect(summary).toMatchObject({ updated: 2, created: 0, linked: 0, idsWrittenToPipedrive: 0 });

			const second = await backfill();
			expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
			expect(second.summary).toMatchObject({ updated: 0, created: 0, linked: 0 });
			expect(projectOf('kista').classification).toBe('draft');
		}, 60_000);

		it('also updates a project found by its pipedrive ref when the deal lost its project id, in the same run', async () => {
			await backfill();
			editUnseen(() => {
				pd.control.updateDeal(kista(), { custom_fields: { propstreet_project_id: null }, stage_id: pd.control.stageId('Lead In') });
			});
			const { result, summary } = await backfill();
			expect(result.outputOf('Find Project by Deal ID').some((i) => (i.json as Rec).id === propstreetIdFor('project', 'kista'))).toBe(true);
			expect(custom(pd.control.deal(kista()), 'deal', 'propstreet_project_id')).toBe(propstreetIdFor('project', 'kista'));
			expect(projectOf('kista').classification).toBe('draft');
			expect(summary.updated).toBe(1);

			await backfill();
			expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
		}, 60_000);

		it('sends If-Match: a project edited between the read and the write is not overwritten, and counts as a warning', async () => {
			await backfill();
			editUnseen(() => pd.control.moveDealToStage(kista(), 'Property Added'));
			ps.control.injectConcurrentWrite({ routes: [`GET /api/v1/projects/${propstreetIdFor('project', 'kista')}`], count: 1 });
			const { result, summary } = await backfill();
			const update = result.outputOf('Update Linked Project').map((i) => i.json as Rec);
			expect(update).toHaveLength(1);
			expect(String(update[0].error)).toMatch(/412|changed/i);
			expect(projectOf('kista').classification).toBe('active');
			expect(summary.updated).toBe(0);
			expect(summary.warnings).toBeGreaterThanOrEqual(1);
		}, 60_000);

		it('warns about a deal whose project id points nowhere and carries on with the rest', async () => {
			await backfill();
			const settled = (await backfill()).summary.warnings as number;
			editUnseen(() => {
				pd.control.updateDeal(alnabru(), { custom_fields: { propstreet_project_id: '999999' } });
				pd.control.moveDealToStage(kista(), 'Property Added');
			});
			const { result, summary } = await backfill();
			expect(result.outputOf('Get Linked Project').filter((i) => (i.json as Rec).error)).toHaveLength(1);
			expect(projectOf('kista').classification).toBe('draft');
			expect(summary.updated).toBe(1);
			expect(summary.warnings).toBe(settled + 1);
			// A stale id is never "repaired" by creating a duplicate project.
			expect(live(psState().projects as Rec[]).filter((p) => refOf(p) === String(alnabru()))).toHaveLength(1);
		}, 60_000);
	});

	it('stops with a clear error when a field named in Settings does not exist', async () => {
		const workflow = loadWorkflow();
		const settings = workflow.nodes.find((n) => n.name === 'Settings')!;
		(settings.parameters.assignments as { assignments: { name: string; value: string }[] }).assignments.find((a) => a.name === 'companyIdField')!.value = 'no_such_field';
		pd.control.resetStats();
		ps.control.clearRequests();
		const result = await runWorkflow({
			workflow,
			credentials: { pipedriveApi: { apiToken: 'pipedrive-dev-token' }, propstreetApi: { accessToken: 'propstreet-dev-token', baseUrl: ps.url } },
			nodeTypes: { propstreet: Propstreet, pipedrivePropstreetMapper: PipedrivePropstreetMapper },
			startNode: 'Run Backfill',
		});
		expect(result.error?.message).toMatch(/no organization field "no_such_field"/);
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
	});
});

describe('workflow 10 with workflow 07: the projects the backfill creates do not bounce back', () => {
	it('takes the deal as the source for the project.created of a project the backfill made, even with the draft copy, and writes nothing on either side', async () => {
		const bed = await startSyncBed({ propstreet: { rateLimit: { pat: 100_000 } } });
		try {
			const dealId = pipedriveIdFor('deal', 'nyhavn');
			const teaserDrafting = bed.pd.control.stageId('Teaser Drafting');
			// Propstreet's clock ahead of Pipedrive's: the new project is newer than the deal, so last
			// write wins would side with the draft copy; the Sync node knows the project is a copy.
			bed.ps.control.advanceClock(60_000);
			await bed.skipPendingEvents();
			const backfillRun = await bed.run('10-backfill-reconcile.json', {});
			expectRunOk(backfillRun);
			const project = (bed.ps.control.state().projects as Rec[]).find((p) => refOf(p) === String(dealId))!;
			expect(project.classification).toBe('active');

			const asDelivered = await bed.nextPropstreetItem('project.created', project.id, { fetchCurrentRecord: false });
			expect(asDelivered.data).toMatchObject({ id: project.id, classification: 'draft' });
			const classified = await bed.nextPropstreetItem('project.updated', project.id);
			bed.resetCounters();
			const createdRun = await bed.run('07-projects-propstreet-to-pipedrive.json', asDelivered);
			expectRunOk(createdRun);
			expect(outputOf(createdRun, 'Sync Project')[0]).toMatchObject({ action: 'unchanged', pipedriveId: String(dealId), propstreetId: project.id });
			// The classification PATCH's project.updated is our own state: nothing to write.
			const updateRun = await bed.run('07-projects-propstreet-to-pipedrive.json', classified);
			expectRunOk(updateRun);
			expect(outputOf(updateRun, 'Sync Project')[0].action).toBe('unchanged');
			expect(bed.pd.control.deal(dealId)!.stage_id).toBe(teaserDrafting);
			expect(bed.ps.control.get('project', project.id)!.classification).toBe('active');
			expect(total(bed.pipedriveWrites())).toBe(0);
			expect(total(bed.propstreetWrites())).toBe(0);
		} finally {
			await bed.close();
		}
	}, 60_000);
});
