/**
 * workflows/08-prospects-participants.json, run in-process against both seeded simulators.
 *
 * Each test starts the workflow from one of its real entry points: the schedule (mode "trigger"),
 * the "Sync Participants Now" webhook, or the Propstreet Trigger fed with the item our trigger makes
 * from a real signed delivery the Propstreet simulator sent. Then it checks both systems' state and
 * how many writes each one received, and that an immediate second run writes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { INodeExecutionData } from 'n8n-workflow';

import { ParticipantDiffer } from '../../nodes/ParticipantDiffer/ParticipantDiffer.node';
import { Propstreet } from '../../nodes/Propstreet/Propstreet.node';
import { PropstreetTrigger } from '../../nodes/PropstreetTrigger/PropstreetTrigger.node';
import { deliveryItem, parseEnvelope } from '../../nodes/shared/core/webhookDelivery';
import { runWorkflow, type RunWorkflowResult, type WorkflowJson } from '../helpers/n8nRunner';
import { routePipedriveTo, type PipedriveRoute } from '../helpers/pipedriveRoute';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver';
import { startPipedriveSimulator, type PipedriveSimulator } from '../simulators/pipedrive';
import { startPropstreetSimulator, type PropstreetSimulator } from '../simulators/propstreet';
import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';

const WORKFLOW_FILE = path.resolve(__dirname, '../../workflows/08-prospects-participants.json');
const BATCH_ROUTE = 'POST /api/v1/projects/{projectId}/prospects:batch';

const KISTA = pipedriveIdFor('deal', 'kista');
const KISTA_PROJECT = propstreetIdFor('project', 'kista');
const ASTRID = pipedriveIdFor('person', 'astrid');
const LARS = pipedriveIdFor('person', 'lars');
const PER = pipedriveIdFor('person', 'per');
const PER_CONTACT = propstreetIdFor('contact', 'per');

function loadWorkflow(): WorkflowJson {
	return JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8')) as WorkflowJson;
}

/** The workflow with one value of its Settings node changed, as a user would edit it. */
function withSetting(name: string, value: string): WorkflowJson {
	const workflow = loadWorkflow();
	const settings = workflow.nodes.find((n) => n.name === 'Settings')!;
	const assignments = (settings.parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
	const field = assignments.find((a) => a.name === name);
	if (!field) throw new Error(`Settings has no field ${name}`);
	field.value = value;
	return workflow;
}

describe('workflow 08: deal participants ⇄ project prospects', () => {
	let pd: PipedriveSimulator;
	let ps: PropstreetSimulator;
	let route: PipedriveRoute;
	let receiver: WebhookReceiver;

	beforeEach(async () => {
		pd = await startPipedriveSimulator({ seed: true });
		ps = await startPropstreetSimulator({ seed: true, rateLimit: { pat: 100_000 } });
		route = routePipedriveTo(pd.url);
		receiver = await startWebhookReceiver();
		ps.control.createWebhook({ url: receiver.url, events: ['prospect.created', 'prospect.updated', 'prospect.deleted'] });
	});

	afterEach(async () => {
		route.restore();
		await receiver.close();
		await pd.close();
		await ps.close();
	});

	const credentials = () => ({
		pipedriveApi: { apiToken: 'pipedrive-dev-token' },
		propstreetApi: { accessToken: 'propstreet-dev-token', baseUrl: ps.url },
	});
	const nodeTypes = { propstreet: Propstreet, participantDiffer: ParticipantDiffer, propstreetTrigger: PropstreetTrigger };

	function resetCounters(): void {
		pd.control.resetStats();
		ps.control.clearRequests();
	}

	async function run(startNode: string, pinnedInput: INodeExecutionData[], workflow = loadWorkflow()): Promise<RunWorkflowResult> {
		resetCounters();
		const mode = startNode === 'Every 10 Minutes' ? 'trigger' : 'webhook';
		const result = await runWorkflow({ workflow, credentials: credentials(), nodeTypes, startNode, pinnedInput, mode });
		// n8n hands back a plain error object; make it an Error so failures read well.
		if (result.error) throw Object.assign(new Error(result.error.message), { cause: result.error });
		return result;
	}
	const poll = (workflow?: WorkflowJson) => run('Every 10 Minutes', [{ json: { timestamp: new Date().toISOString() } }], workflow);
	const pollOnDemand = () => run('Sync Participants Now', [{ json: { headers: {}, params: {}, query: {}, body: {} } }]);

	/** Delivers the Propstreet simulator's newest real, signed prospect webhook to the workflow. */
	async function deliverLatestProspectEvent(workflow?: WorkflowJson): Promise<RunWorkflowResult> {
		const before = receiver.received.length;
		await ps.control.flushWebhooks();
		const delivery = receiver.received.slice(before).pop();
		if (!delivery) throw new Error('The Propstreet simulator sent no webhook');
		const parsed = parseEnvelope(JSON.stringify(delivery.body));
		if (!parsed.ok) throw new Error(parsed.message);
		const item = deliveryItem(parsed.envelope, String(delivery.headers['webhook-id']), false);
		return run('Prospect Changed', [{ json: item as never }], workflow);
	}

	const writes = () => ({ pipedrive: pd.control.stats().writes, propstreet: ps.control.countWrites() });
	const participantsOf = (dealId: number) => pd.control.participants(dealId).map((p) => p.person_id).sort((a, b) => a - b);
	const liveProspects = (projectId: string) =>
		ps.control.state().prospects.filter((p) => p.projectId === projectId && !p.deletedUtc) as Array<Record<string, any>>;
	/** The label of the person's classification option (the field stores the option id). */
	const classificationOf = (personId: number): string | null => {
		const optionId = (pd.control.person(personId)!.custom_fields as Record<string, unknown>)[pd.control.fieldKey('person', 'classification')];
		if (optionId === null || optionId === undefined) return null;
		const option = pd.control.fields('person').find((f) => f.field_name === 'classification')!.options as { id: number; label: string }[];
		return option.find((o) => o.id === optionId)?.label ?? `unknown option ${String(optionId)}`;
	};

	it('finds the seeded deals already in step: a poll writes nothing and reports the person without a contact', async () => {
		const result = await poll();
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
		// Alnabru's primary person Ingrid exists in Propstreet only by email (not linked yet).
		const needsSync = result.outputOf('Needs Contact Sync First').map((i) => i.json);
		expect(needsSync).toEqual([
			expect.objectContaining({ reason: 'no_propstreet_contact', personId: pipedriveIdFor('person', 'ingrid'), dealId: pipedriveIdFor('deal', 'alnabru') }),
		]);
		// Only open deals of the pipeline with a project id were read (Kista, Alnabru).
		const routes = pd.control.requestsByRoute();
		expect(routes['GET /v1/deals/{id}/participants']).toBe(2);
		expect(routes['GET /api/v2/persons']).toBe(1);
	});

	it('makes a participant added to a deal a prospect within one poll; the next poll writes nothing', async () => {
		pd.control.addParticipant(KISTA, PER);

		const first = await poll();
		const added = liveProspects(KISTA_PROJECT).find((p) => p.contactId === PER_CONTACT);
		expect(added).toBeDefined();
		expect(added!.externalRefs).toEqual([{ namespace: 'pipedrive', id: String(PER) }]);
		expect(added!.classification).toBe('not_contacted');
		// Propstreet wins classifications by default: the person gets the new prospect's stage.
		expect(classificationOf(PER)).toBe('Not contacted');
		expect(ps.control.requestsByRoute()[BATCH_ROUTE]).toBe(1);
		expect(writes()).toEqual({ pipedrive: 1, propstreet: 1 });
		expect(first.outputOf('Add Prospects')).toHaveLength(1);

		await poll();
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
	});

	it('removes the prospect of a participant removed from the deal, keeps the teaser-matched one, then writes nothing', async () => {
		pd.control.removeParticipant(KISTA, LARS);
		const larsProspect = propstreetIdFor('prospect', 'kista:lars');
		const teaserProspect = propstreetIdFor('prospect', 'kista:juha');

		await pollOnDemand();
		expect(ps.control.get('prospect', larsProspect)!.deletedUtc).toBeTruthy();
		expect(ps.control.get('prospect', teaserProspect)!.deletedUtc).toBeNull();
		expect(liveProspects(KISTA_PROJECT).map((p) => p.id).sort()).toEqual([propstreetIdFor('prospect', 'kista:astrid'), propstreetIdFor('prospect', 'kista:karin'), teaserProspect].sort());
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 1 });

		await pollOnDemand();
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
	});

	it('removes the participant when the prospect is removed in Propstreet, and leaves a new participant who is not a prospect yet', async () => {
		pd.control.addParticipant(KISTA, PER); // new in Pipedrive, not a prospect yet
		ps.control.removeProspect(KISTA_PROJECT, propstreetIdFor('prospect', 'kista:lars'));

		const result = await deliverLatestProspectEvent();
		expect(result.outputOf('Prospect Event Run')[0].json).toMatchObject({ runType: 'prospectEvent', projectId: KISTA_PROJECT, contactId: propstreetIdFor('contact', 'lars') });
		expect(participantsOf(KISTA)).toEqual([ASTRID, LARS, PER, pipedriveIdFor('person', 'karin')].filter((id) => id !== LARS).sort((a, b) => a - b));
		expect(pd.control.requestsByRoute()['DELETE /v1/deals/{id}/participants/{participantId}']).toBe(1);
		expect(writes()).toEqual({ pipedrive: 1, propstreet: 0 });

		// The same event again finds nothing to do.
		await run('Prospect Changed', result.outputOf('Prospect Changed'));
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });

		// The next poll makes the new participant a prospect and does not bring Lars back.
		await poll();
		expect(liveProspects(KISTA_PROJECT).map((p) => p.contactId).sort()).toEqual(
			[propstreetIdFor('contact', 'astrid'), propstreetIdFor('contact', 'karin'), propstreetIdFor('contact', 'juha'), PER_CONTACT].sort(),
		);
	});

	it('adds a Propstreet prospect of a known person as a deal participant on the prospect event', async () => {
		const created = ps.control.addProspect(KISTA_PROJECT, { contactId: PER_CONTACT, classification: 'interested' });
		await deliverLatestProspectEvent();
		expect(participantsOf(KISTA)).toContain(PER);
		expect(classificationOf(PER)).toBe('Interested');
		expect(writes()).toEqual({ pipedrive: 2, propstreet: 0 });
		expect(created.contactId).toBe(PER_CONTACT);

		await poll();
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
	});

	it('sends a classification changed in Propstreet to the Pipedrive person (Propstreet wins by default)', async () => {
		expect(classificationOf(ASTRID)).toBe('Interested');
		ps.control.classifyProspect(KISTA_PROJECT, propstreetIdFor('prospect', 'kista:astrid'), 'bidder');

		await deliverLatestProspectEvent();
		expect(classificationOf(ASTRID)).toBe('Bidder');
		expect(pd.control.requestsByRoute()['PATCH /api/v2/persons/{id}']).toBe(1);
		expect(writes()).toEqual({ pipedrive: 1, propstreet: 0 });

		await poll();
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
	});

	it('puts a Pipedrive-side classification edit back under the default, and sends it to Propstreet when Pipedrive is set to win', async () => {
		const bidder = pd.control.optionId('person', 'classification', 'Bidder');
		const astridProspect = propstreetIdFor('prospect', 'kista:astrid');

		pd.control.updatePerson(ASTRID, { custom_fields: { classification: bidder } });
		await poll();
		expect(classificationOf(ASTRID)).toBe('Interested');
		expect(ps.control.get('prospect', astridProspect)!.classification).toBe('interested');
		expect(writes()).toEqual({ pipedrive: 1, propstreet: 0 });

		pd.control.updatePerson(ASTRID, { custom_fields: { classification: bidder } });
		const pipedriveWins = withSetting('classificationSource', 'pipedrive');
		await poll(pipedriveWins);
		expect(ps.control.get('prospect', astridProspect)!.classification).toBe('bidder');
		expect(classificationOf(ASTRID)).toBe('Bidder');
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 1 });

		await poll(pipedriveWins);
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
	});

	it('adds 250 new participants as prospects in 3 batch calls, and a second poll writes nothing', async () => {
		const personIds: number[] = [];
		for (let n = 0; n < 250; n++) {
			const contact = ps.control.createContact({ firstName: 'Investor', lastName: `Number ${n}`, email: `investor${n}@bulk.example.se` });
			const person = pd.control.createPerson({
				name: `Investor Number ${n}`,
				emails: [{ value: `investor${n}@bulk.example.se`, primary: true, label: 'work' }],
				custom_fields: { propstreet_contact_id: String(contact.id) },
			});
			pd.control.addParticipant(KISTA, person.id as number);
			personIds.push(person.id as number);
		}

		await poll();
		expect(ps.control.requestsByRoute()[BATCH_ROUTE]).toBe(3);
		const prospects = liveProspects(KISTA_PROJECT);
		expect(prospects).toHaveLength(4 + 250);
		const refs = new Set(prospects.flatMap((p) => (p.externalRefs as { id: string }[]).map((r) => r.id)));
		for (const id of personIds) expect(refs.has(String(id))).toBe(true);
		// 253 people on Kista plus 2 on Alnabru: persons are read 100 ids at a time.
		expect(pd.control.requestsByRoute()['GET /api/v2/persons']).toBe(3);
		// Each new person gets the new prospect's classification (Propstreet wins).
		expect(classificationOf(personIds[0])).toBe('Not contacted');
		expect(writes()).toEqual({ pipedrive: 250, propstreet: 3 });

		await poll();
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
	}, 60_000);

	it('stops with a clear error when the pipeline named in Settings does not exist', async () => {
		await expect(poll(withSetting('pipelineName', 'No Such Pipeline'))).rejects.toThrow(/no pipeline named "No Such Pipeline"/);
		expect(writes()).toEqual({ pipedrive: 0, propstreet: 0 });
	});
});
