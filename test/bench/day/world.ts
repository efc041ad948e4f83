/**
 * The brokerage of the day-in-the-life benchmark, on both simulators and the data-table simulator:
 * the Nordic seed (fields, labels, the "Nordic Transactions" pipeline) plus 2,000 persons (600 with
 * the Investor label), 400 organizations and 150 open deals in the synced pipeline, each deal with
 * two or three investor participants. Only Pipedrive is filled; the Propstreet side, the links and
 * the sync state come from running the bundled workflows once before the day is measured (the
 * backfill, workflow 10, full sweep; then "Sync Participants Now" of workflow 08 and the Deal Poll
 * Trigger's activation poll).
 */
import { PollContext } from 'n8n-core';
import { Workflow, type IDataObject, type INodeExecutionData, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { PipedriveDealPollTrigger } from '../../../nodes/PipedriveDealPollTrigger/PipedriveDealPollTrigger.node';
import { forgetDailyBudgets, PIPEDRIVE_CREDENTIAL } from '../../../nodes/shared/pipedrive';
import { RunnerCredentialsHelper, RunnerCredentialTypes, RunnerNodeTypes, type RunWorkflowResult } from '../../helpers/n8nRunner';
import { loadWorkflow, startBed, type Bed } from '../../workflows/contactsNotesKit';
import { Random } from '../data/random';

export const SIZE = { persons: 2_000, investors: 600, organizations: 400, deals: 150 };
export const PIPELINE = 'Nordic Transactions';
export const PROPSTREET_EVENTS = ['contact.created', 'contact.updated', 'company.created', 'company.updated', 'project.created', 'project.updated', 'project.deleted', 'prospect.created', 'prospect.updated', 'prospect.deleted'];

const FIRST = ['Astrid', 'Björn', 'Camilla', 'Dag', 'Elin', 'Fredrik', 'Greta', 'Hampus', 'Ingrid', 'Johan', 'Karin', 'Lars', 'Maja', 'Nils', 'Oskar', 'Petra', 'Sigrid', 'Tove', 'Ulf', 'Vera'];
const LAST = ['Öberg', 'Lindqvist', 'Hansen', 'Nieminen', 'Sørensen', 'Berg', 'Dahl', 'Ekström', 'Holm', 'Jansson', 'Koskinen', 'Larsen', 'Moberg', 'Nyström', 'Persson', 'Rask', 'Strand', 'Virtanen'];
const FIRM = ['Fastigheter', 'Kapital', 'Eiendom', 'Invest', 'Ejendomme', 'Kiinteistöt', 'Förvaltning', 'Partners'];

/** A plain poll, the poll on the participation check's tick, or a full participant read (every deal). */
export type PollTick = 'poll' | 'check' | 'fullRead';

export interface World {
	bed: Bed;
	/** Pipedrive ids of the bench's own records (the Nordic seed's are left out of the checks). */
	investors: number[];
	others: number[];
	organizations: number[];
	deals: number[];
	/** One participant poll: the trigger's poll() with its static data, then workflow 08 for what it emits. */
	poll(tick: PollTick): Promise<{ emitted: number; result?: RunWorkflowResult }>;
	syncParticipantsNow(): Promise<RunWorkflowResult>;
	backfill(fullSweep: boolean): Promise<RunWorkflowResult>;
	close(): Promise<void>;
}

function fillPipedrive(bed: Bed, random: Random): Omit<World, 'bed' | 'poll' | 'syncParticipantsNow' | 'backfill' | 'close'> {
	const pd = bed.pd.control;
	const labels = pd.fields('person').find((f) => f.field_code === 'label_ids') as unknown as { options: Array<{ id: number; label: string }> };
	const labelId = (label: string) => Number(labels.options.find((o) => o.label === label)!.id);
	const investor = labelId('Investor');
	const broker = labelId('Broker');
	const organizations: number[] = [];
	for (let i = 0; i < SIZE.organizations; i++) {
		const name = `${random.pick(LAST)} ${random.pick(FIRM)} ${i + 1} AB`;
		organizations.push(Number(pd.createOrganization({ name, domain: `firm${i + 1}.example.se` }).id));
	}
	const investors: number[] = [];
	const others: number[] = [];
	for (let i = 0; i < SIZE.persons; i++) {
		const isInvestor = i % Math.round(SIZE.persons / SIZE.investors) === 0 && investors.length < SIZE.investors;
		const first = random.pick(FIRST);
		const last = random.pick(LAST);
		const person = pd.createPerson({
			name: `${first} ${last}`,
			emails: [{ value: `p${i + 1}.${first.toLowerCase().replace(/[^a-z]/g, '')}@firm${(i % SIZE.organizations) + 1}.example.se`, primary: true, label: 'work' }],
			org_id: organizations[i % SIZE.organizations],
			label_ids: [isInvestor ? investor : broker],
			investor_strategy: isInvestor ? `Core-plus ${random.pick(['office', 'logistics', 'residential'])}` : undefined,
		});
		(isInvestor ? investors : others).push(Number(person.id));
	}
	while (investors.length < SIZE.investors) investors.push(others.pop()!);
	const deals: number[] = [];
	const stages = ['Property Added', 'Teaser Drafting', 'Investor Outreach', 'Due Diligence'];
	for (let i = 0; i < SIZE.deals; i++) {
		const deal = pd.createDeal({ title: `${random.pick(['Kontor', 'Lager', 'Bostäder', 'Handel'])} ${random.pick(LAST)}gatan ${i + 1}`, org_id: organizations[i % SIZE.organizations], stage_id: pd.stageId(random.pick(stages)), status: 'open' });
		const id = Number(deal.id);
		deals.push(id);
		const count = random.int(2, 3);
		for (let k = 0; k < count; k++) {
			const person = investors[(i * 3 + k * 7) % investors.length];
			if (!pd.participants(id).some((p) => Number(p.person_id) === person)) pd.addParticipant(id, person);
		}
	}
	return { investors, others, organizations, deals };
}

/**
 * The participant poll as n8n runs it: n8n-core's own PollContext around workflow 08's Deal Poll
 * Trigger node, its static data kept on one Workflow object between polls. On the check's tick the
 * node's check interval is set to 0 for that poll (real time does not pass 24 hours); a full read
 * also sets "Full Participant Read Every Nth Check" to 1.
 */
function pollerFor(bed: Bed): (tick: PollTick) => Promise<INodeExecutionData[][] | null> {
	const json = loadWorkflow('08-prospects-participants.json');
	// Only the trigger node: that is all a poll runs.
	const nodes = json.nodes.filter((n) => n.name === 'Deal Participants Changed');
	const workflow = new Workflow({ nodes, connections: {}, active: true, nodeTypes: new RunnerNodeTypes({ pipedriveDealPollTrigger: PipedriveDealPollTrigger }), staticData: {} });
	const node = workflow.getNode('Deal Participants Changed')!;
	// 08's trigger reads its pipelines from the shared settings, through the sync state credential.
	const credentials = new RunnerCredentialsHelper({ [PIPEDRIVE_CREDENTIAL]: { apiToken: bed.pd.token, baseUrl: bed.pd.url }, propstreetSyncStateApi: bed.credentials.propstreetSyncStateApi }, new RunnerCredentialTypes());
	const additionalData = { credentialsHelper: credentials, executionId: 'bench-poll', restApiUrl: 'http://127.0.0.1/rest', instanceBaseUrl: 'http://127.0.0.1/', webhookBaseUrl: 'http://127.0.0.1/webhook', variables: {} } as unknown as IWorkflowExecuteAdditionalData;
	const trigger = new PipedriveDealPollTrigger();
	return async (tick) => {
		node.parameters = { ...node.parameters, sweepEveryHours: tick === 'poll' ? 24 : 0, fullReadEvery: tick === 'fullRead' ? 1 : 0 };
		return trigger.poll.call(new PollContext(workflow, node, additionalData, 'trigger', 'activate'));
	};
}

export async function startWorld(seed = 14): Promise<World> {
	forgetDailyBudgets();
	const bed = await startBed({ pipedriveEntities: ['person', 'organization', 'deal', 'note'], propstreetEvents: PROPSTREET_EVENTS, pipedriveDirect: true });
	const ids = fillPipedrive(bed, new Random(seed));
	const poller = pollerFor(bed);
	const world: World = {
		bed,
		...ids,
		async poll(tick) {
			const out = await poller(tick);
			if (!out) return { emitted: 0 };
			const result = await bed.run('08-prospects-participants.json', out[0], { startNode: 'Deal Participants Changed', mode: 'trigger' });
			return { emitted: out[0].length, result };
		},
		syncParticipantsNow: () => bed.run('08-prospects-participants.json', [{ json: { headers: {}, params: {}, query: {}, body: {} } }], { startNode: 'Sync Participants Now' }),
		backfill: (fullSweep) =>
			bed.run('10-backfill-reconcile.json', [{ json: fullSweep ? { body: { fullSweep: true }, query: {} } : {} } as INodeExecutionData], fullSweep ? { startNode: 'Run Backfill Now', mode: 'webhook' } : { startNode: 'Run Backfill', mode: 'manual' }),
		close: () => bed.close(),
	};
	return world;
}
