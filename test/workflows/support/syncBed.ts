/**
 * A two-sided test bed for the bundled sync workflows (companies, deals): both simulators seeded with
 * the Nordic data, the built-in Pipedrive nodes routed to the Pipedrive simulator, and real webhook
 * deliveries captured from both sides so each workflow starts from exactly what its trigger would
 * emit in n8n:
 * - Pipedrive: a Webhooks v2 subscription (`*.*`) on a local receiver; the Pipedrive Trigger emits
 *   the delivery body unchanged.
 * - Propstreet: a signed subscription on a local receiver; each delivery is passed through the real
 *   Propstreet Trigger `webhook()` (signature check, seen-id memory, Fetch Current Record).
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ParticipantDiffer } from '../../../nodes/ParticipantDiffer/ParticipantDiffer.node';
import { PipedrivePropstreetMapper } from '../../../nodes/PipedrivePropstreetMapper/PipedrivePropstreetMapper.node';
import { PipedrivePropstreetSync } from '../../../nodes/PipedrivePropstreetSync/PipedrivePropstreetSync.node';
import { forgetFieldDefinitions } from '../../../nodes/PipedrivePropstreetSync/fieldDefinitions';
import { Propstreet } from '../../../nodes/Propstreet/Propstreet.node';
import { PropstreetTrigger } from '../../../nodes/PropstreetTrigger/PropstreetTrigger.node';
import { runWorkflow, type RunWorkflowResult, type WorkflowJson } from '../../helpers/n8nRunner';
import { routePipedriveTo, type PipedriveRoute } from '../../helpers/pipedriveRoute';
import { webhookContext } from '../../nodes/trigger/context';
import { startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';
import { startPropstreetSimulator, type PropstreetSimulator, type PropstreetSimulatorOptions } from '../../simulators/propstreet';
import { startN8nDataTableSimulator, type N8nDataTableSimulator } from '../../simulators/n8nDataTables';

export const WORKFLOWS_DIR = path.resolve(__dirname, '../../../workflows');
export const PIPEDRIVE_TOKEN = 'pipedrive-dev-token';
export const PROPSTREET_TOKEN = 'propstreet-dev-token';

export function loadWorkflow(file: string): WorkflowJson & IDataObject {
	return JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8'));
}

interface RawDelivery {
	headers: http.IncomingHttpHeaders;
	rawBody: Buffer;
	json: IDataObject;
}

async function startRawReceiver(): Promise<{ url: string; received: RawDelivery[]; close(): Promise<void> }> {
	const received: RawDelivery[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks);
			let json: IDataObject = {};
			try {
				json = JSON.parse(rawBody.toString('utf8')) as IDataObject;
			} catch {
				// keep {}
			}
			received.push({ headers: req.headers, rawBody, json });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/test/webhook`;
	return {
		url,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const PROPSTREET_EVENTS = ['contact.created', 'contact.updated', 'contact.deleted', 'company.created', 'company.updated', 'company.deleted', 'project.created', 'project.updated', 'project.deleted'];

export interface PipedriveEventFilter {
	entity: string;
	action?: string;
	entityId?: number | string;
	changeSource?: 'app' | 'api';
}

export interface SyncBed {
	pd: PipedriveSimulator;
	ps: PropstreetSimulator;
	/** n8n's public data-table API, where the sync state lives. */
	dt: N8nDataTableSimulator;
	/** The next unread Pipedrive Webhooks v2 delivery that matches (older unread ones are skipped). */
	nextPipedriveEvent(filter: PipedriveEventFilter): Promise<IDataObject>;
	/** Every Pipedrive delivery so far that matches, read or not. */
	pipedriveEvents(filter: PipedriveEventFilter): IDataObject[];
	/** The next unread Propstreet delivery of this event type, run through the real Propstreet Trigger. */
	nextPropstreetItem(event: string, entityId?: string, options?: IDataObject): Promise<IDataObject>;
	/** Marks every delivery so far as read. */
	skipPendingEvents(): Promise<void>;
	run(file: string, trigger: IDataObject): Promise<RunWorkflowResult>;
	/** Runs a (possibly edited) workflow JSON from its trigger. */
	runWorkflow(workflow: WorkflowJson, trigger: IDataObject): Promise<RunWorkflowResult>;
	/** Writes (POST/PATCH/PUT/DELETE) to Pipedrive records, by route; webhook management excluded. */
	pipedriveWrites(): Record<string, number>;
	/** Successful writes to Propstreet records, by route; find-duplicates (a read over POST) excluded. */
	propstreetWrites(): Record<string, number>;
	resetCounters(): void;
	close(): Promise<void>;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
export { total };

export interface SyncBedOptions {
	/** Propstreet simulator settings, e.g. a higher rate limit for the backfill's many calls. */
	propstreet?: Omit<PropstreetSimulatorOptions, 'seed' | 'token'>;
}

export async function startSyncBed(options: SyncBedOptions = {}): Promise<SyncBed> {
	// The Sync node caches field definitions per process and account; each bed starts without them.
	forgetFieldDefinitions();
	const pd = await startPipedriveSimulator({ seed: true });
	const ps = await startPropstreetSimulator({ ...options.propstreet, seed: true, token: PROPSTREET_TOKEN });
	const dt = await startN8nDataTableSimulator();
	const route: PipedriveRoute = routePipedriveTo(pd.url);
	const pdReceiver = await startRawReceiver();
	const psReceiver = await startRawReceiver();

	const subscribe = await fetch(`${pd.url}/v1/webhooks?api_token=${PIPEDRIVE_TOKEN}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ subscription_url: pdReceiver.url, event_action: '*', event_object: '*', http_auth_user: 'n8n', http_auth_password: 'hook-secret' }),
	});
	if (subscribe.status !== 201) throw new Error(`Could not subscribe to Pipedrive webhooks: ${subscribe.status}`);
	const subscription = ps.control.createWebhook({ url: psReceiver.url, events: PROPSTREET_EVENTS as never, name: 'workflow tests' });
	const triggerStaticData: IDataObject = { webhookId: subscription.id, secret: subscription.secret, events: PROPSTREET_EVENTS };

	let pdRead = 0;
	let psRead = 0;
	const matches = (body: IDataObject, filter: PipedriveEventFilter): boolean => {
		const meta = (body.meta ?? {}) as IDataObject;
		return (
			meta.entity === filter.entity &&
			(filter.action === undefined || meta.action === filter.action) &&
			(filter.entityId === undefined || String(meta.entity_id) === String(filter.entityId)) &&
			(filter.changeSource === undefined || meta.change_source === filter.changeSource)
		);
	};

	const bed: SyncBed = {
		pd,
		ps,
		dt,
		async nextPipedriveEvent(filter) {
			await pd.control.flushWebhooks();
			for (let i = pdRead; i < pdReceiver.received.length; i++) {
				if (matches(pdReceiver.received[i].json, filter)) {
					pdRead = i + 1;
					return pdReceiver.received[i].json;
				}
			}
			throw new Error(`No unread Pipedrive delivery matches ${JSON.stringify(filter)}; got ${pdReceiver.received.slice(pdRead).map((d) => JSON.stringify((d.json.meta as IDataObject | undefined) ?? {})).join(', ') || 'none'}`);
		},
		pipedriveEvents(filter) {
			return pdReceiver.received.map((d) => d.json).filter((body) => matches(body, filter));
		},
		async nextPropstreetItem(event, entityId, options = { fetchCurrentRecord: true }) {
			await ps.control.flushWebhooks();
			for (let i = psRead; i < psReceiver.received.length; i++) {
				const delivery = psReceiver.received[i];
				const data = (delivery.json.data ?? {}) as IDataObject;
				if (delivery.json.type !== event || (entityId !== undefined && String(data.id) !== entityId)) continue;
				psRead = i + 1;
				const { context, response } = webhookContext({
					baseUrl: ps.url,
					token: PROPSTREET_TOKEN,
					staticData: triggerStaticData,
					parameters: { events: PROPSTREET_EVENTS, options },
					rawBody: delivery.rawBody,
					headers: delivery.headers,
				});
				const result = await new PropstreetTrigger().webhook.call(context);
				if (!result.workflowData) throw new Error(`The Propstreet Trigger refused the delivery: ${response.status} ${response.body}`);
				return result.workflowData[0][0].json;
			}
			throw new Error(`No unread Propstreet delivery of ${event}${entityId ? ` for ${entityId}` : ''}`);
		},
		async skipPendingEvents() {
			await pd.control.flushWebhooks();
			await ps.control.flushWebhooks();
			pdRead = pdReceiver.received.length;
			psRead = psReceiver.received.length;
		},
		async run(file, trigger) {
			return await bed.runWorkflow(loadWorkflow(file), trigger);
		},
		async runWorkflow(workflow, trigger) {
			const start = workflow.nodes.find((n) => /trigger/i.test(n.type))!;
			const pinnedInput: INodeExecutionData[] = [{ json: trigger }];
			const result = await runWorkflow({
				workflow,
				startNode: start.name,
				pinnedInput,
				credentials: {
					pipedriveApi: { apiToken: PIPEDRIVE_TOKEN },
					httpBasicAuth: { user: 'n8n', password: 'hook-secret' },
					propstreetApi: { accessToken: PROPSTREET_TOKEN, baseUrl: ps.url },
					propstreetPipedriveApi: { apiToken: PIPEDRIVE_TOKEN, baseUrl: 'https://api.pipedrive.com' },
					// The data-table simulator shows an insert as soon as it returns (as SQLite does): no claim re-check wait.
					propstreetSyncStateApi: { baseUrl: dt.url, apiKey: dt.apiKey, tableName: 'Propstreet sync state', claimRecheckMs: 0 },
				},
				nodeTypes: {
					propstreet: Propstreet,
					propstreetTrigger: PropstreetTrigger,
					pipedrivePropstreetMapper: PipedrivePropstreetMapper,
					participantDiffer: ParticipantDiffer,
					pipedrivePropstreetSync: PipedrivePropstreetSync,
				},
			});
			return result;
		},
		pipedriveWrites() {
			const out: Record<string, number> = {};
			for (const [routeKey, count] of Object.entries(pd.control.requestsByRoute())) {
				if (/^(POST|PATCH|PUT|DELETE) /.test(routeKey) && !/webhooks/.test(routeKey)) out[routeKey] = count;
			}
			return out;
		},
		propstreetWrites() {
			const out: Record<string, number> = {};
			for (const entry of ps.control.requests()) {
				if (entry.method === 'GET' || entry.status < 200 || entry.status >= 300 || entry.replayed || entry.faulted) continue;
				const key = entry.route ?? `${entry.method} ${entry.path}`;
				if (/find-duplicates|openid|webhooks/.test(key)) continue;
				out[key] = (out[key] ?? 0) + 1;
			}
			return out;
		},
		resetCounters() {
			pd.control.resetStats();
			ps.control.clearRequests();
		},
		async close() {
			route.restore();
			await pd.close();
			await ps.close();
			await dt.close();
			await pdReceiver.close();
			await psReceiver.close();
		},
	};
	return bed;
}

/** Output items (json) of a node, or [] when it did not run. */
export function outputOf(result: RunWorkflowResult, node: string, index = 0): IDataObject[] {
	return result.outputOf(node, index).map((item) => item.json);
}

/** Throws with the node error when the run failed, so a failing test says why. */
export function expectRunOk(result: RunWorkflowResult): void {
	if (result.error) {
		const error = result.error as Error & { description?: string; node?: { name?: string } };
		throw new Error(`Workflow failed in "${error.node?.name ?? '?'}": ${error.message}${error.description ? ` — ${error.description}` : ''}`);
	}
}
