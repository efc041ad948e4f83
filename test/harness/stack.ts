/**
 * The whole sync stack on one machine, for the e2e suite and the demo:
 *   - the Propstreet and Pipedrive simulators, in this process, seeded from the shared Nordic data;
 *   - a real n8n 2.x (see n8n.ts) with the packed package, the five credentials the bundled
 *     workflows reference by fixed id + name (plaintext here, encrypted by n8n's CLI; the sync state
 *     one is completed after start with this n8n's API URL and an API key), and every bundled
 *     workflow imported unchanged and activated when it has a trigger n8n can activate;
 *   - https://api.pipedrive.com routed to the Pipedrive simulator through the intercepting proxy.
 *
 * Webhook URLs are whatever n8n registers (WEBHOOK_URL = its loopback address); both simulators
 * deliver to them directly. Helpers measure what a scenario cost on each side (`mark` +
 * `apiCallReport`), wait for a condition (`waitFor`) and wait until everything is quiet (`settle`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { startPipedriveSimulator, type PipedriveSimulator, type PipedriveSimulatorOptions } from '../simulators/pipedrive';
import { DEFAULT_OAUTH_CLIENT, startPropstreetSimulator, type PropstreetSimulator, type PropstreetSimulatorOptions } from '../simulators/propstreet';
import { startN8n, type CredentialImport, type ExecutionSummary, type N8nInstance } from './n8n';
import { packedPackage, REPO_ROOT } from './pack';
import type { QueueHelper, QueueSetup } from './queue';
import { ensureQueueServices, startPostgres, startRedis, type PostgresService, type RunningService } from './services';

type Log = (line: string) => void;

/** The credential ids and names every bundled workflow references (see the workflow brief). */
export const CREDENTIALS = {
	pipedrive: { id: 'PsSyncPipedrive1', name: 'Pipedrive account', type: 'pipedriveApi' },
	propstreet: { id: 'PsSyncPropstree1', name: 'Propstreet account', type: 'propstreetApi' },
	pipedriveWebhook: { id: 'PsSyncPdWebhook1', name: 'Pipedrive webhook basic auth', type: 'httpBasicAuth' },
	/** The Pipedrive Propstreet Sync node's own Pipedrive credential. */
	pipedriveSync: { id: 'PsSyncPdToken001', name: 'Pipedrive (Propstreet sync)', type: 'propstreetPipedriveApi' },
	/** Where the Sync node keeps its state: this n8n's public API, with an API key made after start. */
	syncState: { id: 'PsSyncStateApi01', name: 'Propstreet sync state', type: 'propstreetSyncStateApi' },
} as const;

/** The credentials the Cloud workflows reference: n8n's built-in types only. */
export const CLOUD_CREDENTIALS = {
	pipedrive: CREDENTIALS.pipedrive,
	pipedriveWebhook: CREDENTIALS.pipedriveWebhook,
	propstreetHeader: { id: 'PsCloudPsHeader1', name: 'Propstreet API (header)', type: 'httpHeaderAuth' },
	setup: { id: 'PsCloudSetupAuth', name: 'Propstreet Cloud setup', type: 'httpHeaderAuth' },
	/** n8n's generic OAuth2 credential, client-credentials grant: what a Cloud user picks instead of the header one (`cloudPropstreetAuth: 'oauth2'`). */
	propstreetOAuth2: { id: 'PsCloudPsOAuth01', name: 'Propstreet API (OAuth2)', type: 'oAuth2Api' },
} as const;

/** The header the Cloud setup webhook expects (the `Propstreet Cloud setup` credential). */
export const CLOUD_SETUP_HEADER = { name: 'X-Setup-Key', value: 'cloud-setup-key-1' };

/** The data table the bundled workflows keep the sync state in (the credential's table name). */
export const SYNC_STATE_TABLE = 'Propstreet sync state';

export const STACK_TOKENS = {
	propstreet: 'propstreet-stack-token',
	pipedrive: 'pipedrive-stack-token',
	webhookUser: 'pipedrive-webhooks',
	webhookPassword: 'pipedrive-webhook-secret-1',
};

/**
 * The OAuth client n8n's "Propstreet account" uses when the stack runs with `propstreetAuth:
 * 'clientCredentials'` (the suite's own checks use the simulator's default client, OBSERVER below).
 */
export const STACK_OAUTH_CLIENT = { clientId: 'propstreet-n8n-bot', clientSecret: 'propstreet-n8n-bot-secret' };

/** Requests the suite itself makes to check state; left out of API-call reports. */
const OBSERVER = {
	pipedriveToken: 'observer-pd-token',
	pipedriveClient: 'api_token:observer-pd-token',
	propstreetClient: 'propstreet-sim-client',
};

export const WORKFLOWS_DIR = path.join(REPO_ROOT, 'workflows');

/** Every bundled workflow file, in name order. */
export function bundledWorkflowFiles(dir = WORKFLOWS_DIR): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(dir, f));
}

interface WorkflowNode {
	name: string;
	type: string;
	disabled?: boolean;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name?: string }>;
	webhookId?: string;
}

/**
 * Node types that start a workflow but are not activated by n8n (manual). The Error Trigger IS
 * activated: n8n 2.x refuses to run an error workflow that is not active ("Workflow … is not active
 * and cannot be executed" in its log), so the error handler must be published too. So is a
 * sub-workflow (Execute Workflow Trigger): n8n 2.x publishes a caller only once every workflow it
 * calls is published, so those are activated first.
 */
const NOT_ACTIVATABLE = new Set(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.stickyNote']);
const SUB_WORKFLOW_TRIGGER = 'n8n-nodes-base.executeWorkflowTrigger';

/** What the stack knows about one bundled workflow file. */
export interface StackWorkflow {
	file: string;
	/** File name without folder, e.g. `01-setup.json`. */
	fileName: string;
	id: string;
	name: string;
	/** Types of the enabled trigger nodes. */
	triggerTypes: string[];
	/** True when it has a trigger n8n activates (webhook, schedule, poller, app trigger). */
	activatable: boolean;
	/** `path` of every enabled Webhook node (production URL = n8n.webhookUrl(path)). */
	webhookPaths: string[];
	/** The parsed JSON, as imported. */
	json: { id?: string; name: string; nodes: WorkflowNode[]; connections: Record<string, unknown>; settings?: Record<string, unknown> };
}

function isTriggerType(type: string): boolean {
	return /trigger$/i.test(type) || type === 'n8n-nodes-base.webhook' || type === 'n8n-nodes-base.formTrigger';
}

/** The workflow ids a workflow's Execute Workflow nodes name. */
function calledIds(w: StackWorkflow): string[] {
	return (w.json.nodes ?? [])
		.filter((n) => n.type === 'n8n-nodes-base.executeWorkflow' && !n.disabled)
		.map((n) => (n.parameters as { workflowId?: { value?: unknown } } | undefined)?.workflowId?.value)
		.filter((id): id is string => typeof id === 'string');
}

/**
 * The same list with every workflow after the workflows it calls (a workflow with its own
 * triggers that is also called, such as Cloud 08 from 03, must be published before its caller).
 */
function calleesFirst(list: StackWorkflow[]): StackWorkflow[] {
	const ids = new Set(list.map((w) => w.id));
	const done = new Set<string>();
	const out: StackWorkflow[] = [];
	while (out.length < list.length) {
		const ready = list.find((w) => !done.has(w.id) && calledIds(w).every((id) => done.has(id) || !ids.has(id)));
		// A cycle: keep the given order for the rest.
		const next = ready ?? list.find((w) => !done.has(w.id))!;
		done.add(next.id);
		out.push(next);
	}
	return out;
}

export function describeWorkflowFile(file: string): StackWorkflow {
	const json = JSON.parse(fs.readFileSync(file, 'utf8')) as StackWorkflow['json'];
	const enabled = (json.nodes ?? []).filter((n) => !n.disabled);
	const triggers = enabled.filter((n) => isTriggerType(n.type));
	return {
		file,
		fileName: path.basename(file),
		id: String(json.id ?? ''),
		name: json.name,
		triggerTypes: triggers.map((n) => n.type),
		activatable: triggers.some((n) => !NOT_ACTIVATABLE.has(n.type)),
		webhookPaths: enabled
			.filter((n) => n.type === 'n8n-nodes-base.webhook' && typeof n.parameters?.path === 'string')
			.map((n) => String(n.parameters!.path)),
		json,
	};
}

export interface StackOptions {
	/** Seed both simulators with the Nordic dataset (default true). */
	seed?: boolean;
	/** Fixed n8n port (the demo); default a free one. */
	n8nPort?: number;
	log?: Log;
	/** Workflow files to import and activate; default every `workflows/*.json`. */
	workflowFiles?: string[];
	simulatorOptions?: { propstreet?: PropstreetSimulatorOptions; pipedrive?: PipedriveSimulatorOptions };
	/** How the one "Propstreet account" credential authenticates (default the personal token). */
	propstreetAuth?: 'accessToken' | 'clientCredentials';
	/** Packed package to install; default `packedPackage()` ($N8N_E2E_PACKAGE or a fresh npm pack). */
	packageTarball?: string;
	/** Extra n8n environment. */
	n8nEnv?: Record<string, string>;
	/** Temp folder prefix of the n8n user folder. */
	label?: string;
	/**
	 * `single` (default): one n8n process on SQLite. `queue`: n8n queue mode on Postgres and Redis
	 * (Debian packages, installed when missing) with a webhook processor and `workers` workers.
	 * Default from the environment: N8N_E2E_MODE=queue (N8N_E2E_WORKERS, N8N_E2E_CONCURRENCY).
	 */
	mode?: 'single' | 'queue';
	queue?: { workers?: number; concurrency?: number };
	/**
	 * `cloud`: n8n set up as n8n Cloud is for this package (#17): the package NOT installed,
	 * community packages off, no Code-node module allowances; only built-in credentials (see
	 * CLOUD_CREDENTIALS). The Cloud workflows call `https://app.propstreet.com`, which a user keeps;
	 * here imported copies point it at the Propstreet simulator instead.
	 */
	edition?: 'selfHosted' | 'cloud';
	/**
	 * Cloud edition only: how its HTTP Request nodes authenticate to Propstreet. `header` (default):
	 * the workflows as shipped (Header Auth, a token). `oauth2`: every one of them switched to n8n's
	 * generic OAuth2 credential with the client-credentials grant, as README tells a Cloud user
	 * (`useOAuth2ForPropstreet`).
	 */
	cloudPropstreetAuth?: 'header' | 'oauth2';
}

/** The queue-mode parts of a running stack. */
export interface StackQueue {
	postgresPort: number;
	redisPort: number;
	/** Where webhook deliveries go (the webhook processor). */
	webhookBaseUrl: string;
	helpers: QueueHelper[];
	/** One SQL statement against n8n's Postgres database (psql); rows of columns. */
	sql(statement: string): Promise<string[][]>;
	/** Starts one more worker (the bench's second phase). */
	addWorker(): Promise<QueueHelper>;
	/** Worker name → execution ids it logged as started. */
	executionsByWorker(): Record<string, string[]>;
}

/** The mode a stack runs in when the caller does not say: N8N_E2E_MODE=queue, else single. */
export function stackModeFromEnv(): 'single' | 'queue' {
	return process.env.N8N_E2E_MODE === 'queue' ? 'queue' : 'single';
}

export interface StackMark {
	at: number;
	propstreet: number;
	pipedrive: number;
}

export interface SideReport {
	/** Requests per route (`PATCH /api/v2/persons/{id}`), in first-seen order. */
	byRoute: Record<string, number>;
	total: number;
	/** Successful non-GET requests (not injected faults, not idempotent replays). */
	writes: number;
	/** Writes per route. */
	writesByRoute: Record<string, number>;
	/** Responses by status. */
	statuses: Record<string, number>;
	/** Every write, `METHOD /path status`, in order. */
	writeLog: string[];
}

export interface ApiCallReport {
	sinceMs: number;
	propstreet: SideReport;
	pipedrive: SideReport;
}

export interface WaitOptions {
	timeoutMs?: number;
	what: string;
	intervalMs?: number;
}

export interface Stack {
	mode: 'single' | 'queue';
	/** Queue mode only. */
	queue?: StackQueue;
	propstreet: PropstreetSimulator;
	pipedrive: PipedriveSimulator;
	n8n: N8nInstance;
	/** Every imported workflow with its id / name / triggers; `active` ones were activated. */
	workflows: Array<StackWorkflow & { active: boolean }>;
	/** Looks a workflow up by file-name prefix (`08`), file name, id or name. */
	workflow(key: string): StackWorkflow & { active: boolean };
	/** File name → n8n's error, for activatable workflows n8n refused to activate. */
	activationErrors: Record<string, string>;
	/** A point in both request logs; pass it to `apiCallReport`. */
	mark(): StackMark;
	/** API calls on each side since `since` (default: the stack's start). */
	apiCallReport(since?: StackMark): ApiCallReport;
	/** A compact multi-line rendering of a report. */
	formatReport(report: ApiCallReport, title?: string): string;
	/** Polls until `predicate` returns a truthy value; returns it. Throws with `what` on timeout. */
	waitFor<T>(predicate: () => T | Promise<T>, options: WaitOptions): Promise<NonNullable<T>>;
	/**
	 * Waits until nothing moves: both simulators' webhook queues are empty, n8n has no running
	 * execution, and neither request log grew for `quietMs` (default 2500). Pipedrive's queue includes
	 * its scheduled retries; with `propstreetRetries`, a Propstreet delivery waiting for its next
	 * attempt keeps the stack busy too (off by default: a subscription that keeps failing would hold
	 * settle for the whole retry schedule, about two minutes at the stack's time scale).
	 */
	settle(options?: { quietMs?: number; timeoutMs?: number; propstreetRetries?: boolean }): Promise<void>;
	/** Starts a workflow now: POSTs its Webhook node when it has one, else runs it manually (as the editor's "Execute workflow"). Returns when n8n accepted the start. */
	startWorkflow(key: string, body?: unknown, triggerName?: string): Promise<{ via: 'webhook' | 'manual'; status?: number; response?: unknown; executionId?: string }>;
	/** Direct API calls made by the test (not counted in reports): Propstreet with an OAuth token, Pipedrive with an observer token. */
	observe: {
		propstreet<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: T }>;
		pipedrive<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: T }>;
	};
	/** Rows of the Sync node's state table in n8n, read through n8n's public API. */
	syncStateRows(): Promise<Array<Record<string, unknown>>>;
	/** Executions (without data) of one workflow, optionally since a time. */
	executionsOf(key: string, since?: number): Promise<ExecutionSummary[]>;
	stop(options?: { keep?: boolean }): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** POSTs that only read (search, duplicate lookup) are not writes. */
const READ_ONLY_POST = /find-duplicates|\/search\b/;

function emptySide(): SideReport {
	return { byRoute: {}, total: 0, writes: 0, writesByRoute: {}, statuses: {}, writeLog: [] };
}

function addCall(side: SideReport, route: string, method: string, status: number, isWrite: boolean, path: string): void {
	side.total++;
	side.byRoute[route] = (side.byRoute[route] ?? 0) + 1;
	side.statuses[String(status)] = (side.statuses[String(status)] ?? 0) + 1;
	if (isWrite) {
		side.writes++;
		side.writesByRoute[route] = (side.writesByRoute[route] ?? 0) + 1;
		side.writeLog.push(`${method} ${path} ${status}`);
	}
}

/** The "Propstreet account" credential: the one credential type, as a personal token or client credentials. */
function propstreetCredentialData(auth: StackOptions['propstreetAuth'], propstreet: PropstreetSimulator): Record<string, string> {
	if (auth === 'clientCredentials') return { authType: 'clientCredentials', ...STACK_OAUTH_CLIENT, baseUrl: propstreet.url };
	return { authType: 'accessToken', accessToken: propstreet.config.token, baseUrl: propstreet.url };
}

/**
 * A Cloud workflow with every HTTP Request node that calls Propstreet through the Header Auth
 * credential switched to n8n's generic OAuth2 credential (the switch README describes). Found by
 * node type and auth parameters, not by node name, so it holds for any Cloud workflow.
 */
export function useOAuth2ForPropstreet<T extends { nodes: WorkflowNode[] }>(workflow: T): { workflow: T; switched: string[] } {
	const switched: string[] = [];
	const header = CLOUD_CREDENTIALS.propstreetHeader;
	for (const node of workflow.nodes ?? []) {
		const params = node.parameters ?? {};
		const credential = node.credentials?.httpHeaderAuth;
		if (node.type !== 'n8n-nodes-base.httpRequest' || params.authentication !== 'genericCredentialType' || params.genericAuthType !== 'httpHeaderAuth') continue;
		if (credential?.id !== header.id && credential?.name !== header.name) continue;
		params.genericAuthType = 'oAuth2Api';
		const { httpHeaderAuth: _replaced, ...others } = node.credentials ?? {};
		node.credentials = { ...others, oAuth2Api: { id: CLOUD_CREDENTIALS.propstreetOAuth2.id, name: CLOUD_CREDENTIALS.propstreetOAuth2.name } };
		switched.push(node.name);
	}
	return { workflow, switched };
}

/** Copies of the Cloud workflows with the Propstreet host pointed at the simulator (in a temp folder), optionally on OAuth2. */
function cloudCopies(described: StackWorkflow[], propstreetUrl: string, auth: StackOptions['cloudPropstreetAuth'] = 'header'): string[] {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propstreet-cloud-workflows-'));
	return described.map((w) => {
		const copy = path.join(dir, w.fileName);
		let text = fs.readFileSync(w.file, 'utf8').split('https://app.propstreet.com').join(propstreetUrl.replace(/\/+$/, ''));
		if (auth === 'oauth2') text = JSON.stringify(useOAuth2ForPropstreet(JSON.parse(text) as StackWorkflow['json']).workflow, null, '\t');
		fs.writeFileSync(copy, text);
		return copy;
	});
}

/** The generic OAuth2 credential a Cloud user makes for Propstreet: client credentials, id and secret in the form body. */
export function propstreetOAuth2CredentialData(propstreetUrl: string, client = STACK_OAUTH_CLIENT): Record<string, string> {
	return {
		grantType: 'clientCredentials',
		accessTokenUrl: `${propstreetUrl.replace(/\/+$/, '')}/openid/token`,
		clientId: client.clientId,
		clientSecret: client.clientSecret,
		scope: 'api:public',
		authentication: 'body',
		authQueryParameters: '',
	};
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
	const log: Log = options.log ?? ((line) => process.stdout.write(`[stack] ${line}\n`));
	const seed = options.seed ?? true;
	const files = options.workflowFiles ?? bundledWorkflowFiles();
	const described = files.map(describeWorkflowFile);

	const propstreet = await startPropstreetSimulator({
		token: STACK_TOKENS.propstreet,
		seed,
		// The personal-token limit (60/min) would make every scenario wait for the window; the
		// suite injects 429s on purpose instead. Overridable through simulatorOptions.
		rateLimit: { pat: 6000, oauth: 6000 },
		// Retries of failed deliveries in seconds, not hours.
		webhookTimeScale: 0.001,
		oauthClients: [DEFAULT_OAUTH_CLIENT, STACK_OAUTH_CLIENT],
		...(options.simulatorOptions?.propstreet ?? {}),
	});
	let pipedrive: PipedriveSimulator | undefined;
	let n8n: N8nInstance | undefined;
	const mode = options.mode ?? stackModeFromEnv();
	const services: RunningService[] = [];
	let postgresService: PostgresService | undefined;
	let servicesDir: string | undefined;
	// Ctrl-C: the n8n processes, Postgres and Redis run in their own process groups, which the
	// terminal's SIGINT does not reach; exiting runs every exit hook, and each hook kills its group.
	const onSignal = (signal: NodeJS.Signals) => {
		log(`${signal}: stopping n8n, its workers, Postgres and Redis`);
		process.exit(130);
	};
	const removeOnExit = () => servicesDir && fs.rmSync(servicesDir, { recursive: true, force: true });
	if (mode === 'queue') {
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
		process.on('exit', removeOnExit);
	}
	const stopServices = async (keep: boolean) => {
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
		process.removeListener('exit', removeOnExit);
		await Promise.all(services.map((s) => s.stop().catch(() => undefined)));
		if (servicesDir && !keep) fs.rmSync(servicesDir, { recursive: true, force: true });
		else if (servicesDir) log(`kept Postgres / Redis folder ${servicesDir}`);
	};
	try {
		pipedrive = await startPipedriveSimulator({
			token: STACK_TOKENS.pipedrive,
			seed,
			webhookRetryDelaysMs: [1000, 3000, 8000],
			...(options.simulatorOptions?.pipedrive ?? {}),
			extraTokens: [...(options.simulatorOptions?.pipedrive?.extraTokens ?? []), OBSERVER.pipedriveToken],
		});
		log(`Propstreet simulator ${propstreet.url}, Pipedrive simulator ${pipedrive.url}${seed ? ' (Nordic seed)' : ''}`);

		const credentials: CredentialImport[] = [
			{ ...CREDENTIALS.pipedrive, data: { apiToken: pipedrive.token } },
			{ ...CREDENTIALS.propstreet, data: propstreetCredentialData(options.propstreetAuth, propstreet) },
			{ ...CREDENTIALS.pipedriveWebhook, data: { user: STACK_TOKENS.webhookUser, password: STACK_TOKENS.webhookPassword } },
			// api.pipedrive.com goes through the intercepting proxy to the simulator, as for n8n's own Pipedrive nodes.
			{ ...CREDENTIALS.pipedriveSync, data: { apiToken: pipedrive.token, baseUrl: 'https://api.pipedrive.com' } },
			// The API key and port exist only once n8n runs: completed right after start, before activation.
			{ ...CREDENTIALS.syncState, data: { baseUrl: 'http://127.0.0.1/api/v1', apiKey: 'set-after-start', tableName: SYNC_STATE_TABLE } },
		];
		const cloud = options.edition === 'cloud';
		const cloudCredentials: CredentialImport[] = [
			{ ...CLOUD_CREDENTIALS.pipedrive, data: { apiToken: pipedrive.token } },
			{ ...CLOUD_CREDENTIALS.pipedriveWebhook, data: { user: STACK_TOKENS.webhookUser, password: STACK_TOKENS.webhookPassword } },
			{ ...CLOUD_CREDENTIALS.propstreetHeader, data: { name: 'Authorization', value: `Bearer ${propstreet.config.token}` } },
			{ ...CLOUD_CREDENTIALS.setup, data: { name: CLOUD_SETUP_HEADER.name, value: CLOUD_SETUP_HEADER.value } },
			{ ...CLOUD_CREDENTIALS.propstreetOAuth2, data: propstreetOAuth2CredentialData(propstreet.url) },
		];
		const importFiles = cloud ? cloudCopies(described, propstreet.url, options.cloudPropstreetAuth) : described.map((w) => w.file);
		const onlyCalled = (w: StackWorkflow) => w.triggerTypes.every((t) => t === SUB_WORKFLOW_TRIGGER);
		// n8n publishes a workflow only after the sub-workflows it calls: called-only workflows that call
		// none first, then those that call others, then the rest.
		const callsOthers = (w: StackWorkflow) => (w.json.nodes ?? []).some((n) => n.type === 'n8n-nodes-base.executeWorkflow' && !n.disabled);
		const subWorkflows = described.filter((w) => w.activatable && onlyCalled(w));
		const firstPass = [...subWorkflows.filter((w) => !callsOthers(w)), ...subWorkflows.filter(callsOthers), ...described.filter((w) => w.activatable && !onlyCalled(w))];
		const toActivate = calleesFirst(firstPass);
		let queueSetup: QueueSetup | undefined;
		if (mode === 'queue') {
			servicesDir = fs.mkdtempSync(path.join(os.tmpdir(), `${options.label ?? 'n8n-e2e-stack'}-services-`));
			const bins = await ensureQueueServices(path.join(servicesDir, 'apt.log'), log);
			const [postgres, redis] = await Promise.all([startPostgres(bins.postgresBin, servicesDir, log), startRedis(bins.redisBin, servicesDir, log)]);
			services.push(postgres, redis);
			postgresService = postgres;
			queueSetup = {
				postgres: { port: postgres.port, database: postgres.database, user: postgres.user },
				redis: { port: redis.port },
				workers: options.queue?.workers ?? (Number(process.env.N8N_E2E_WORKERS) || 2),
				concurrency: options.queue?.concurrency ?? (Number(process.env.N8N_E2E_CONCURRENCY) || 5),
			};
		}
		n8n = await startN8n({
			queue: queueSetup,
			label: options.label ?? 'n8n-e2e-stack',
			packageTarball: cloud ? undefined : (options.packageTarball ?? (await packedPackage())),
			credentials: cloud ? cloudCredentials : credentials,
			workflowFiles: importFiles,
			pipedriveTarget: pipedrive.url,
			port: options.n8nPort,
			env: cloud ? { N8N_COMMUNITY_PACKAGES_ENABLED: 'false', NODE_FUNCTION_ALLOW_BUILTIN: '', NODE_FUNCTION_ALLOW_EXTERNAL: '', ...(options.n8nEnv ?? {}) } : options.n8nEnv,
			log,
		});
		// The sync state credential: this instance's public API and the API key the harness made
		// (the owner's scopes, which include dataTable:* and dataTableRow:*).
		if (!cloud) await n8n.setCredentialData(CREDENTIALS.syncState.id, { baseUrl: `${n8n.url}/api/v1`, apiKey: n8n.apiKey, tableName: SYNC_STATE_TABLE });
		// Activate one by one (by id when the file has one), so an error names the workflow. A
		// workflow that cannot be activated is recorded, not fatal: the suite reports it as a
		// defect of that workflow and still runs the others.
		const activationErrors: Record<string, string> = {};
		for (const wf of toActivate) {
			try {
				await n8n.activate(wf.id || wf.name);
			} catch (err) {
				activationErrors[wf.fileName] = (err as Error).message;
				log(`could not activate ${wf.fileName}: ${(err as Error).message}`);
			}
		}
		const list = await n8n.workflows();
		const workflows = described.map((w) => {
			const found = list.find((x) => (w.id ? x.id === w.id : x.name === w.name));
			return { ...w, id: found?.id ?? w.id, active: found?.active ?? false };
		});
		log(`active: ${workflows.filter((w) => w.active).map((w) => w.fileName).join(', ') || 'none'}`);

		const sims = { propstreet, pipedrive };
		const startMark: StackMark = {
			at: Date.now(),
			propstreet: propstreet.control.requests().length,
			pipedrive: pipedrive.control.stats().total,
		};
		const mark = (): StackMark => ({
			at: Date.now(),
			propstreet: sims.propstreet.control.countRequests(),
			pipedrive: sims.pipedrive.control.stats().total,
		});
		const apiCallReport = (since: StackMark = startMark): ApiCallReport => {
			const report: ApiCallReport = { sinceMs: Date.now() - since.at, propstreet: emptySide(), pipedrive: emptySide() };
			for (const e of sims.propstreet.control.requests().slice(since.propstreet)) {
				if (e.path.startsWith('/__control') || e.client === OBSERVER.propstreetClient) continue;
				const isWrite = e.method !== 'GET' && e.status >= 200 && e.status < 300 && !e.replayed && !e.faulted && e.route !== 'POST /openid/token' && !READ_ONLY_POST.test(e.path);
				addCall(report.propstreet, e.route ?? `${e.method} ${e.path}`, e.method, e.status, isWrite, e.path);
			}
			// The Pipedrive log keeps the last 20 000 entries; take the ones after the mark by count.
			const stats = sims.pipedrive.control.stats();
			const newer = Math.max(0, stats.total - since.pipedrive);
			for (const e of newer ? stats.log.slice(-newer) : []) {
				if (e.client === OBSERVER.pipedriveClient || e.path.startsWith('/__control')) continue;
				const isWrite = e.method !== 'GET' && e.status >= 200 && e.status < 300 && !e.faulted && !READ_ONLY_POST.test(e.path);
				addCall(report.pipedrive, e.route ?? `${e.method} ${e.path}`, e.method, e.status, isWrite, e.path);
			}
			return report;
		};
		const formatReport = (report: ApiCallReport, title = 'API calls'): string => {
			const side = (name: string, s: SideReport) => {
				const routes = Object.entries(s.byRoute)
					.map(([route, n]) => `      ${String(n).padStart(3)} × ${route}${s.writesByRoute[route] ? ` (${s.writesByRoute[route]} write${s.writesByRoute[route] > 1 ? 's' : ''})` : ''}`)
					.join('\n');
				const statuses = Object.entries(s.statuses).map(([k, v]) => `${k}:${v}`).join(' ');
				const writes = s.writeLog.length
					? `\n      writes: ${s.writeLog.slice(0, 20).join(', ')}${s.writeLog.length > 20 ? `, … ${s.writeLog.length - 20} more` : ''}`
					: '';
				return `  ${name}: ${s.total} call(s), ${s.writes} write(s)${statuses ? ` [${statuses}]` : ''}${routes ? `\n${routes}` : ''}${writes}`;
			};
			return `${title} (${(report.sinceMs / 1000).toFixed(1)} s)\n${side('Propstreet', report.propstreet)}\n${side('Pipedrive ', report.pipedrive)}`;
		};
		const waitFor = async <T>(predicate: () => T | Promise<T>, w: WaitOptions): Promise<NonNullable<T>> => {
			const until = Date.now() + (w.timeoutMs ?? 30000);
			let lastError: unknown;
			for (;;) {
				try {
					const value = await predicate();
					if (value) return value as NonNullable<T>;
					lastError = undefined;
				} catch (err) {
					lastError = err;
				}
				if (Date.now() > until) {
					const why = lastError ? `: ${(lastError as Error).message}` : '';
					throw new Error(`timed out after ${w.timeoutMs ?? 30000} ms waiting for ${w.what}${why}`);
				}
				await sleep(w.intervalMs ?? 250);
			}
		};
		const busyExecutions = async (): Promise<number> => {
			let n = 0;
			for (const status of ['new', 'running']) {
				const page = await n8n!.api<{ data: unknown[] }>('GET', `/executions?status=${status}&limit=50`);
				n += page.data.length;
			}
			return n;
		};
		// Propstreet's flush returns while a failed delivery waits for its next attempt (seconds apart
		// even at the stack's time scale); such a delivery is not settled.
		const propstreetRetriesWaiting = (): number => {
			const enabled = new Set(sims.propstreet.control.webhookSubscriptions().filter((w) => w.enabled).map((w) => w.id));
			return sims.propstreet.control.deliveries().filter((d) => d.status === 'failed' && enabled.has(d.subscriptionId)).length;
		};
		const settle = async (s: { quietMs?: number; timeoutMs?: number; propstreetRetries?: boolean } = {}) => {
			const quietMs = s.quietMs ?? 2500;
			const until = Date.now() + (s.timeoutMs ?? 60000);
			let last = '';
			let quietSince = Date.now();
			for (;;) {
				// A burst of hundreds of deliveries may take all of settle's time: Pipedrive's flush waits
				// for its retries too, and its own 30 s default is not the limit.
				const flushMs = Math.max(1000, until - Date.now());
				await Promise.all([sims.propstreet.control.flushWebhooks(), sims.pipedrive.control.flushWebhooks({ timeoutMs: flushMs })]);
				const busy = (await busyExecutions()) + (s.propstreetRetries ? propstreetRetriesWaiting() : 0);
				const now = `${sims.propstreet.control.countRequests()}/${sims.pipedrive.control.stats().total}/${busy}`;
				if (now !== last || busy > 0) {
					last = now;
					quietSince = Date.now();
				} else if (Date.now() - quietSince >= quietMs) {
					return;
				}
				if (Date.now() > until) throw new Error(`the stack did not settle within ${s.timeoutMs ?? 60000} ms (requests/executions ${now})`);
				await sleep(250);
			}
		};
		const workflow = (key: string) => {
			const found =
				workflows.find((w) => w.fileName.startsWith(`${key}-`)) ??
				workflows.find((w) => w.fileName === key || w.id === key || w.name === key);
			if (!found) throw new Error(`no bundled workflow "${key}"; have ${workflows.map((w) => w.fileName).join(', ')}`);
			return found;
		};
		const executionsOf = async (key: string, since?: number) => {
			const wf = workflow(key);
			const list = await n8n!.executions({ workflowId: wf.id });
			return since ? list.filter((e) => Date.parse(e.startedAt) >= since) : list;
		};
		const instance = n8n;
		const queue: StackQueue | undefined = instance.queue && {
			postgresPort: services[0].port,
			redisPort: services[1].port,
			webhookBaseUrl: instance.queue.webhookBaseUrl,
			helpers: instance.queue.helpers,
			addWorker: () => instance.queue!.addWorker(),
			sql: (statement) => postgresService!.query(statement),
			executionsByWorker: () => Object.fromEntries(instance.queue!.helpers.filter((h) => h.kind === 'worker').map((h) => [h.name, h.startedExecutions()])),
		};
		const httpJson = async <T>(url: string, method: string, headers: Record<string, string>, body?: unknown) => {
			const res = await fetch(url, {
				method,
				headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
				body: body !== undefined ? JSON.stringify(body) : undefined,
			});
			const text = await res.text();
			let parsed: unknown = text;
			try {
				parsed = text ? JSON.parse(text) : undefined;
			} catch {
				/* not JSON */
			}
			return { status: res.status, body: parsed as T };
		};
		let observerToken: string | undefined;
		const observe = {
			propstreet: <T>(method: string, apiPath: string, body?: unknown) => {
				observerToken ??= propstreet.control.issueToken();
				return httpJson<T>(`${propstreet.url}${apiPath}`, method, { authorization: `Bearer ${observerToken}` }, body);
			},
			pipedrive: <T>(method: string, apiPath: string, body?: unknown) =>
				httpJson<T>(`${sims.pipedrive.url}${apiPath}`, method, { 'x-api-token': OBSERVER.pipedriveToken }, body),
		};
		const startWorkflow = async (key: string, body: unknown = {}, triggerName?: string) => {
			const wf = workflow(key);
			if (wf.webhookPaths.length && !triggerName) {
				if (!wf.active) throw new Error(`${wf.fileName} is not active, its webhook ${wf.webhookPaths[0]} is not registered`);
				const node = wf.json.nodes.find((n) => n.type === 'n8n-nodes-base.webhook' && !n.disabled && n.parameters?.path === wf.webhookPaths[0]);
				const headers: Record<string, string> = {};
				// A Webhook node protected with the bundled basic-auth credential gets its user and password.
				if (node?.parameters?.authentication === 'basicAuth') {
					const cred = node.credentials?.httpBasicAuth;
					if (cred?.id !== CREDENTIALS.pipedriveWebhook.id && cred?.name !== CREDENTIALS.pipedriveWebhook.name) {
						throw new Error(`${wf.fileName}: webhook "${node.name}" uses basic auth with a credential the stack does not import (${JSON.stringify(cred)})`);
					}
					headers.authorization = `Basic ${Buffer.from(`${STACK_TOKENS.webhookUser}:${STACK_TOKENS.webhookPassword}`).toString('base64')}`;
				}
				const method = String(node?.parameters?.httpMethod ?? 'GET').toUpperCase();
				const res = await httpJson<unknown>(instance.webhookUrl(wf.webhookPaths[0]), method, headers, method === 'GET' ? undefined : body);
				return { via: 'webhook' as const, status: res.status, response: res.body };
			}
			// The Manual Trigger, else the first other trigger (a poller runs in its manual mode, as
			// the editor's "Execute workflow" / "Fetch test event" does); or the trigger named.
			const manual = triggerName
				? wf.json.nodes.find((n) => n.name === triggerName)
				: wf.json.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger' && !n.disabled) ??
				wf.json.nodes.find((n) => !n.disabled && isTriggerType(n.type) && n.type !== 'n8n-nodes-base.errorTrigger');
			if (!manual) throw new Error(`${wf.fileName} has no trigger to start it with`);
			const result = await instance.rest<{ executionId?: string; waitingForWebhook?: boolean }>('POST', `/workflows/${wf.id}/run`, {
				triggerToStartFrom: { name: manual.name },
			});
			if (!result.executionId) throw new Error(`n8n did not start ${wf.fileName} manually: ${JSON.stringify(result)}`);
			return { via: 'manual' as const, executionId: result.executionId };
		};
		return {
			mode,
			queue,
			propstreet,
			pipedrive,
			n8n: instance,
			workflows,
			activationErrors,
			workflow,
			mark,
			apiCallReport,
			formatReport,
			waitFor,
			settle,
			startWorkflow,
			observe,
			syncStateRows: () => instance.dataTableRows(SYNC_STATE_TABLE),
			executionsOf,
			stop: async (stopOptions) => {
				if (queue) log(`executions per worker: ${Object.entries(queue.executionsByWorker()).map(([w, ids]) => `${w} ${ids.length}`).join(', ')}`);
				await instance.stop(stopOptions);
				await stopServices(stopOptions?.keep ?? process.env.N8N_E2E_KEEP === '1');
				await Promise.all([propstreet.close(), sims.pipedrive.close()]);
			},
		};
	} catch (err) {
		await n8n?.stop({ keep: true }).catch(() => undefined);
		await stopServices(true);
		await pipedrive?.close().catch(() => undefined);
		await propstreet.close().catch(() => undefined);
		throw err;
	}
}
