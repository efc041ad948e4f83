/**
 * Test kit for the contact, note, setup and error-handler workflow tests: both simulators, the
 * Pipedrive host routed to the Pipedrive simulator, real trigger payloads (Pipedrive Webhooks v2
 * deliveries captured from the simulator; Propstreet signed deliveries run through the real
 * Propstreet Trigger), and the in-process runner with our nodes registered.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ParticipantDiffer } from '../../nodes/ParticipantDiffer/ParticipantDiffer.node';
import { PipedrivePropstreetMapper } from '../../nodes/PipedrivePropstreetMapper/PipedrivePropstreetMapper.node';
import { PipedriveDealPollTrigger } from '../../nodes/PipedriveDealPollTrigger/PipedriveDealPollTrigger.node';
import { PipedrivePropstreetSync } from '../../nodes/PipedrivePropstreetSync/PipedrivePropstreetSync.node';
import { forgetFieldDefinitions } from '../../nodes/PipedrivePropstreetSync/fieldDefinitions';
import { Propstreet } from '../../nodes/Propstreet/Propstreet.node';
import { PropstreetPollTrigger } from '../../nodes/PropstreetPollTrigger/PropstreetPollTrigger.node';
import { PropstreetTrigger } from '../../nodes/PropstreetTrigger/PropstreetTrigger.node';
import { runWorkflow, type RunWorkflowResult, type WorkflowJson } from '../helpers/n8nRunner';
import type { PipedriveRoute } from '../helpers/pipedriveRoute';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver';
import { startPipedriveSimulator, type PipedriveSimulator } from '../simulators/pipedrive';
import { startPropstreetSimulator, type PropstreetSimulator } from '../simulators/propstreet';
import { startN8nDataTableSimulator, type N8nDataTableSimulator } from '../simulators/n8nDataTables';
import { webhookContext } from '../nodes/trigger/context';

export const WORKFLOWS_DIR = path.resolve(__dirname, '../../workflows');
export const PD_TOKEN = 'pipedrive-dev-token';
export const PS_TOKEN = 'propstreet-dev-token';
export const HOOK_AUTH = { user: 'pd-hook', password: 'pd-hook-secret' };

export function loadWorkflow(file: string): WorkflowJson & { id: string; settings: IDataObject } {
	return JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8'));
}

/** The workflow's trigger node (the runner's own default may pick a sticky note, which has no inputs either). */
export function triggerOf(workflow: WorkflowJson): string {
	const trigger = workflow.nodes.find((n) => /trigger$/i.test(n.type) || n.type === 'n8n-nodes-base.webhook');
	if (!trigger) throw new Error('workflow has no trigger node');
	return trigger.name;
}

export const ownNodes = {
	propstreet: Propstreet,
	propstreetTrigger: PropstreetTrigger,
	propstreetPollTrigger: PropstreetPollTrigger,
	pipedrivePropstreetMapper: PipedrivePropstreetMapper,
	participantDiffer: ParticipantDiffer,
	pipedrivePropstreetSync: PipedrivePropstreetSync,
	pipedriveDealPollTrigger: PipedriveDealPollTrigger,
};

export interface Bed {
	pd: PipedriveSimulator;
	ps: PropstreetSimulator;
	/** n8n's public data-table API (the sync state store). */
	dt: N8nDataTableSimulator;
	route: PipedriveRoute;
	pdHooks: WebhookReceiver;
	psHooks: WebhookReceiver;
	/** Propstreet subscription (id, secret) feeding psHooks. */
	psSubscription: { id: string; secret: string };
	run(file: string, pinned: INodeExecutionData[], options?: { startNode?: string; mode?: 'webhook' | 'trigger' | 'manual' | 'error' }): Promise<RunWorkflowResult>;
	/** Runs a workflow given as JSON (e.g. a bundled one, edited by the test). */
	runJson(workflow: WorkflowJson, pinned: INodeExecutionData[], options?: { startNode?: string; mode?: 'webhook' | 'trigger' | 'manual' | 'error' }): Promise<RunWorkflowResult>;
	close(): Promise<void>;
}

/** Both simulators (seeded), Pipedrive webhooks → a receiver, Propstreet webhooks → a receiver. */
/**
 * `pipedriveDirect`: only our own nodes call Pipedrive, through the sync credential's base URL, so
 * nothing is routed through the process-wide interceptor and several beds can run at once.
 */
export async function startBed(options: { pipedriveEntities?: string[]; propstreetEvents?: string[]; pipedriveDirect?: boolean } = {}): Promise<Bed> {
	// The Sync node caches field definitions per process and account; each bed starts without them.
	forgetFieldDefinitions();
	const pd = await startPipedriveSimulator({ seed: true });
	const ps = await startPropstreetSimulator({ seed: true, rateLimit: { pat: 100_000 } });
	const dt = await startN8nDataTableSimulator();
	// Loaded only when routing: requiring nock patches every HTTP request of the process.
	const route: PipedriveRoute = options.pipedriveDirect ? { forwarded: [], restore: () => undefined } : (require('../helpers/pipedriveRoute') as typeof import('../helpers/pipedriveRoute')).routePipedriveTo(pd.url);
	const pdHooks = await startWebhookReceiver('/pipedrive');
	const psHooks = await startWebhookReceiver('/propstreet');
	for (const entity of options.pipedriveEntities ?? ['person']) {
		const res = await fetch(`${pd.url}/v1/webhooks?api_token=${PD_TOKEN}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ subscription_url: pdHooks.url, event_action: '*', event_object: entity, version: '2.0', http_auth_user: HOOK_AUTH.user, http_auth_password: HOOK_AUTH.password }),
		});
		if (res.status >= 300) throw new Error(`could not register the Pipedrive webhook: ${res.status} ${await res.text()}`);
	}
	const sub = (ps.control as any).createWebhook({ url: psHooks.url, events: options.propstreetEvents ?? ['contact.created', 'contact.updated'] });
	const credentials = {
		pipedriveApi: { apiToken: PD_TOKEN },
		propstreetApi: { accessToken: PS_TOKEN, baseUrl: ps.url },
		httpBasicAuth: HOOK_AUTH,
		propstreetPipedriveApi: { apiToken: PD_TOKEN, baseUrl: options.pipedriveDirect ? pd.url : 'https://api.pipedrive.com' },
		// The data-table simulator shows an insert as soon as it returns (as SQLite does): no claim re-check wait.
		propstreetSyncStateApi: { baseUrl: dt.url, apiKey: dt.apiKey, tableName: 'Propstreet sync state', claimRecheckMs: 0 },
	};
	// n8n keeps each workflow's static data between executions (caches live there); so does the bed.
	const staticData = new Map<string, IDataObject>();
	const runJson: Bed['runJson'] = async (workflow, pinned, runOptions = {}) => {
		const withData: WorkflowJson = { ...workflow, staticData: staticData.get(workflow.name ?? '') ?? workflow.staticData };
		const result = await runWorkflow({ workflow: withData, credentials, nodeTypes: ownNodes, pinnedInput: pinned, startNode: runOptions.startNode ?? triggerOf(workflow), mode: runOptions.mode ?? 'webhook' });
		staticData.set(workflow.name ?? '', result.staticData);
		return result;
	};
	return {
		pd,
		ps,
		dt,
		route,
		pdHooks,
		psHooks,
		psSubscription: { id: sub.id, secret: sub.secret },
		run: (file, pinned, runOptions = {}) => runJson(loadWorkflow(file), pinned, runOptions),
		runJson,
		async close() {
			route.restore();
			await pdHooks.close();
			await psHooks.close();
			await pd.close();
			await ps.close();
			await dt.close();
		},
	};
}

/** Waits for Pipedrive's webhook deliveries and returns the bodies that arrived since `from`. */
export async function pipedriveEvents(bed: Bed, from: number): Promise<IDataObject[]> {
	await bed.pd.control.flushWebhooks();
	return bed.pdHooks.received.slice(from).map((r) => r.body as IDataObject);
}

/** Waits for Propstreet's deliveries since `from` and runs each through the real Propstreet Trigger (signature check, fetch current record). */
export async function propstreetTriggerItems(bed: Bed, from: number, parameters: IDataObject = { events: ['contact.created', 'contact.updated'], options: { fetchCurrentRecord: true } }): Promise<INodeExecutionData[]> {
	await (bed.ps.control as any).flushWebhooks();
	const items: INodeExecutionData[] = [];
	const staticData: IDataObject = { webhookId: bed.psSubscription.id, secret: bed.psSubscription.secret, events: parameters.events as string[] };
	for (const request of bed.psHooks.received.slice(from)) {
		const { context, response } = webhookContext({
			baseUrl: bed.ps.url,
			token: PS_TOKEN,
			parameters,
			staticData,
			rawBody: Buffer.from(JSON.stringify(request.body)),
			headers: request.headers,
		});
		const result = await new PropstreetTrigger().webhook.call(context);
		if (response.status && response.status >= 300) throw new Error(`Propstreet Trigger refused a delivery: ${response.status} ${response.body}`);
		const data = (result.workflowData ?? [[]])[0];
		items.push(...data.map((item) => ({ json: item.json })));
	}
	return items;
}

export function pdWrites(bed: Bed): Record<string, number> {
	const routes = bed.pd.control.requestsByRoute();
	return Object.fromEntries(Object.entries(routes).filter(([route]) => !route.startsWith('GET ')));
}

export function psWrites(bed: Bed, route?: string): number {
	return (bed.ps.control as any).countWrites(route ? { route } : undefined);
}

export function namesRun(result: RunWorkflowResult): string[] {
	return result.executionOrder;
}
