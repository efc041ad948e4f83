/**
 * Starts a real n8n 2.x for the e2e suite and the demo, set up the way a user would have it:
 *   - a fresh user folder per run (temp dir), SQLite, owner account managed by environment variables;
 *   - our packed package installed with npm into `<userFolder>/.n8n/nodes`, so node types carry the
 *     package prefix (`n8n-nodes-propstreet.<name>`) exactly as after a community-node install;
 *   - credentials (generated, plaintext `data`, encrypted by the CLI) and workflows (files imported
 *     unchanged) written with n8n's own CLI before start;
 *   - workflows activated through the public API after start, so an activation error (e.g. a
 *     trigger failing to register its webhook) fails loudly instead of hiding in the log;
 *   - optionally, HTTPS for api.pipedrive.com routed to a local simulator through an intercepting proxy.
 *
 * Child processes are spawned asynchronously on purpose: the proxy lives in this process, so a
 * blocking call here (execSync, spawnSync) while n8n runs would stall n8n's outbound requests.
 */
import { spawn, type ChildProcess } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import { toolchainEnv, type ToolchainPaths } from './config';
import { ensureN8nInstalled } from './install';
import { startInterceptProxyProcess, type InterceptProxy } from './proxy-process';
import { queueEnv, startQueueHelpers, type QueueHelper, type QueueSetup, type RunningHelpers } from './queue';

type Log = (line: string) => void;

/** A credential as n8n's `import:credentials` reads it; `data` in plaintext. */
export interface CredentialImport {
	/** Fixed id, so workflows can reference it; n8n ids are 16 alphanumerics. */
	id?: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface StartN8nOptions {
	/** `npm pack` output of this repo; installed into the nodes folder before start. */
	packageTarball?: string;
	/** Credentials to import before start. */
	credentials?: CredentialImport[];
	/** Workflow JSON files to import, unchanged, before start. */
	workflowFiles?: string[];
	/** Which imported workflows to activate after start: 'all', or names / ids. Default none. */
	activate?: 'all' | string[];
	/** Route https://api.pipedrive.com (any path) to this origin (e.g. the Pipedrive simulator). */
	pipedriveTarget?: string;
	/** Extra environment for n8n (wins over the defaults). */
	env?: Record<string, string>;
	/** Owner login; defaults below. */
	owner?: { email?: string; password?: string; firstName?: string; lastName?: string };
	/** Fixed port (the demo); default a free one. */
	port?: number;
	/** Prefix of the temp user folder. */
	label?: string;
	/** Milliseconds to wait for n8n to answer /healthz. */
	bootTimeoutMs?: number;
	/**
	 * Queue mode (see queue.ts): Postgres and Redis already running; the main gets
	 * EXECUTIONS_MODE=queue and no production webhooks, and one `n8n webhook` plus `workers`
	 * `n8n worker` processes start next to it. Webhook URLs then point at the webhook processor.
	 */
	queue?: QueueSetup;
	log?: Log;
}

export interface WorkflowSummary {
	id: string;
	name: string;
	active: boolean;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: string;
	stoppedAt: string | null;
	/** With includeData: the run data (`resultData.runData[node][run].data.main[output][item].json`, `resultData.error`). */
	data?: {
		resultData?: {
			error?: { message?: string; description?: string };
			lastNodeExecuted?: string;
			runData?: Record<string, Array<{ error?: { message?: string }; data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
		};
	};
}

export interface N8nInstance {
	/** http://127.0.0.1:<port> */
	url: string;
	port: number;
	userFolder: string;
	logFile: string;
	owner: { email: string; password: string };
	apiKey: string;
	proxy?: InterceptProxy;
	/** Seconds from spawn to /healthz answering, and to ready (logged in, workflows active). */
	timings: Record<string, number>;
	/** Production webhook URL for a webhook path. */
	webhookUrl(webhookPath: string): string;
	/** Public API call (`/api/v1` + path) with the API key; throws on non-2xx. */
	api<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T>;
	/** Internal REST call (`/rest` + path) with the owner's session; throws on non-2xx. */
	rest<T = unknown>(method: string, restPath: string, body?: unknown): Promise<T>;
	/** Scopes of the API key (`apiKey`), as n8n offered them for the owner's role. */
	apiKeyScopes: string[];
	/**
	 * Replaces an existing credential's data (all fields; plaintext, n8n encrypts it), through
	 * `PATCH /rest/credentials/:id` as the editor's credential dialog does. For values only known
	 * once n8n runs, such as an API key of this instance.
	 */
	setCredentialData(id: string, data: Record<string, unknown>): Promise<void>;
	/** Rows of a data table found by exact name, through the public API (`/data-tables`, `/rows`); [] when no such table. */
	dataTableRows(name: string): Promise<Array<Record<string, unknown>>>;
	/** Names of every node type this n8n knows (`/types/nodes.json`), e.g. `n8n-nodes-propstreet.propstreet`. */
	nodeTypeNames(): Promise<string[]>;
	workflows(): Promise<WorkflowSummary[]>;
	/** Looks a workflow up by id or exact name. */
	workflow(idOrName: string): Promise<WorkflowSummary>;
	activate(idOrName: string): Promise<void>;
	deactivate(idOrName: string): Promise<void>;
	executions(filter?: { workflowId?: string; status?: string; includeData?: boolean }): Promise<ExecutionSummary[]>;
	execution(id: string): Promise<ExecutionSummary>;
	/** Waits until the workflow has at least `count` finished executions (any status); returns them, oldest first, with data. */
	waitForExecutions(
		idOrName: string,
		count: number,
		options?: { timeoutMs?: number; since?: number },
	): Promise<ExecutionSummary[]>;
	/** Queue mode only: the webhook processor and the workers (their logs, who ran what). */
	queue?: { webhookBaseUrl: string; helpers: QueueHelper[]; addWorker(): Promise<QueueHelper> };
	/** Last lines of the n8n log. */
	logTail(lines?: number): string;
	/** Stops n8n and starts it again on the same user folder and port; active workflows come back by themselves. */
	restart(): Promise<void>;
	/**
	 * Stops n8n (SIGTERM, then SIGKILL after a grace period) and the proxy, and removes the user
	 * folder unless `keep` (default: keep when a test failed or N8N_E2E_KEEP=1).
	 */
	stop(options?: { keep?: boolean }): Promise<void>;
}

interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

export const DEFAULT_OWNER = {
	email: 'owner@example.com',
	password: 'Propstreet-e2e-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

/** Fixed so credentials imported in one run stay readable if a user folder is reused. */
const ENCRYPTION_KEY = 'n8n-nodes-propstreet-e2e-encryption-key';

const defaultLog: Log = (line) => process.stdout.write(`[n8n] ${line}\n`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

interface RunResult {
	code: number | null;
	output: string;
}

/** Runs a command asynchronously, appending output to a log file; resolves with its output. */
function runAsync(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Promise<RunResult> {
	fs.appendFileSync(opts.logFile, `\n$ ${path.basename(cmd)} ${args.join(' ')}\n`);
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			fs.appendFileSync(opts.logFile, chunk);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, output }));
	});
}

function tail(file: string, lines: number): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** bcrypt hash for N8N_INSTANCE_OWNER_PASSWORD_HASH, computed with n8n's own bcryptjs under Node 24. */
async function bcryptHash(paths: ToolchainPaths, password: string, logFile: string): Promise<string> {
	const script =
		'const {createRequire}=require("module");' +
		'const r=createRequire(process.argv[1]+"/package.json");' +
		'process.stdout.write(r("bcryptjs").hashSync(process.argv[2],10))';
	const res = await runAsync(paths.nodeBin, ['-e', script, paths.n8nDir, password], {
		cwd: paths.n8nPrefix,
		env: toolchainEnv(paths),
		logFile,
	});
	const hash = res.output.trim().split('\n').pop() ?? '';
	if (res.code !== 0 || !hash.startsWith('$2')) throw new Error(`bcrypt hash failed: ${res.output}`);
	return hash;
}

/** `npm install <tgz>` into the community-nodes folder, as a user (or n8n's own installer) would. */
async function installPackage(paths: ToolchainPaths, tarball: string, userFolder: string, logFile: string): Promise<string> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n',
	);
	// No scripts, and no peer install: n8n-workflow is a peer that n8n itself provides.
	const res = await runAsync(
		'npm',
		['install', path.resolve(tarball), '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev'],
		{ cwd: nodesDir, env: toolchainEnv(paths), logFile },
	);
	if (res.code !== 0) throw new Error(`npm install of ${tarball} into ${nodesDir} failed:\n${res.output}`);
	return nodesDir;
}

function n8nEnv(paths: ToolchainPaths, settings: {
	userFolder: string;
	port: number;
	brokerPort: number;
	ownerHash: string;
	owner: typeof DEFAULT_OWNER;
	proxy?: InterceptProxy;
	extra?: Record<string, string>;
}): NodeJS.ProcessEnv {
	const base = `http://127.0.0.1:${settings.port}/`;
	const env: Record<string, string> = {
		N8N_USER_FOLDER: settings.userFolder,
		N8N_PORT: String(settings.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: base,
		WEBHOOK_URL: base,
		N8N_WEBHOOK_URL: base,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: settings.owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: settings.owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: settings.owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: settings.ownerHash,
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		// Code node: internal JS task runner (a child of n8n, our Node 24); its broker port must
		// not collide between parallel instances.
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(settings.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		// Activation goes through a publication outbox polled every 15 s by default.
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '500',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_NO_COLOR: 'true',
		NO_COLOR: '1',
		NO_PROXY: '127.0.0.1,localhost,::1',
		no_proxy: '127.0.0.1,localhost,::1',
		...(settings.proxy ? settings.proxy.env() : {}),
		...(settings.extra ?? {}),
	};
	return toolchainEnv(paths, env);
}

/** Keeps the temp folder of a failed test (see test/e2e/environment.js) for debugging. */
function testFailed(): boolean {
	return Boolean((globalThis as { __E2E_FAILED__?: boolean }).__E2E_FAILED__);
}

export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	const log = options.log ?? defaultLog;
	const { paths } = await ensureN8nInstalled({ log: (l) => log(l) });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `${options.label ?? 'n8n-e2e'}-`));
	const logFile = path.join(userFolder, 'n8n.log');
	fs.writeFileSync(logFile, '');
	const owner = { ...DEFAULT_OWNER, ...(options.owner ?? {}) };
	const timings: Record<string, number> = {};
	const t0 = Date.now();
	const mark = (name: string, since = t0) => (timings[name] = Math.round((Date.now() - since) / 100) / 10);

	let child: ChildProcess | undefined;
	let proxy: InterceptProxy | undefined;
	let helpers: RunningHelpers | undefined;
	let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;

	const killGroup = (signal: NodeJS.Signals) => {
		if (!child?.pid || exited) return;
		try {
			process.kill(-child.pid, signal); // n8n and its task runner (own process group)
		} catch {
			try {
				child.kill(signal);
			} catch {
				/* already gone */
			}
		}
	};
	const onProcessExit = () => {
		helpers?.kill();
		killGroup('SIGKILL');
	};

	const cleanup = async (keep: boolean) => {
		process.removeListener('exit', onProcessExit);
		// Workers first: a worker stopping finishes its jobs against the database the main shares.
		if (helpers) await helpers.stop();
		if (child && !exited) {
			killGroup('SIGTERM');
			const deadline = Date.now() + 15000;
			while (!exited && Date.now() < deadline) await sleep(100);
			if (!exited) killGroup('SIGKILL');
			while (!exited && Date.now() < deadline + 5000) await sleep(100);
		}
		if (proxy) await proxy.close().catch(() => undefined);
		if (keep) log(`kept n8n user folder for debugging: ${userFolder} (log: ${logFile})`);
		else fs.rmSync(userFolder, { recursive: true, force: true });
	};

	try {
		const [port, brokerPort, ownerHash] = await Promise.all([
			options.port ? Promise.resolve(options.port) : freePort(),
			freePort(),
			bcryptHash(paths, owner.password, logFile),
		]);
		const url = `http://127.0.0.1:${port}`;
		// Queue mode: ports of the webhook processor and of each worker's health server, known
		// before start because the main registers webhooks at the webhook processor's URL.
		const queue = options.queue;
		const helperSpecs = queue
			? await Promise.all(
					[{ kind: 'webhook' as const, name: 'webhook-1' }, ...Array.from({ length: queue.workers ?? 2 }, (_, i) => ({ kind: 'worker' as const, name: `worker-${i + 1}` }))].map(
						async (h) => ({ ...h, port: await freePort(), brokerPort: await freePort() }),
					),
				)
			: [];
		const webhookBase = queue ? `http://127.0.0.1:${helperSpecs[0].port}` : url;
		const queueExtras = queue ? { ...queueEnv(queue), WEBHOOK_URL: `${webhookBase}/`, N8N_WEBHOOK_URL: `${webhookBase}/` } : {};

		if (options.packageTarball) {
			const tPkg = Date.now();
			await installPackage(paths, options.packageTarball, userFolder, logFile);
			mark('installPackage', tPkg);
			log(`installed ${path.basename(options.packageTarball)} into ${path.join(userFolder, '.n8n', 'nodes')}`);
		}
		if (options.pipedriveTarget) {
			proxy = await startInterceptProxyProcess({ target: options.pipedriveTarget, dir: userFolder });
			log(`proxy ${proxy.url}: https://api.pipedrive.com → ${options.pipedriveTarget}`);
		}
		const env = n8nEnv(paths, { userFolder, port, brokerPort, ownerHash, owner, proxy, extra: { ...queueExtras, ...(options.env ?? {}) } });
		const cli = async (args: string[]) => {
			const res = await runAsync(paths.nodeBin, [paths.n8nBin, ...args], { cwd: userFolder, env, logFile });
			// The CLI reports some failures only in its output, with exit code 0.
			if (res.code !== 0 || /An error occurred|Error:/.test(res.output)) {
				throw new Error(`n8n ${args.join(' ')} failed (exit ${res.code}):\n${res.output.slice(-3000)}`);
			}
			return res.output;
		};

		const tImport = Date.now();
		const importDir = path.join(userFolder, 'import');
		if (options.credentials?.length) {
			fs.mkdirSync(importDir, { recursive: true });
			const file = path.join(importDir, 'credentials.json');
			fs.writeFileSync(file, JSON.stringify(options.credentials, null, 2));
			await cli(['import:credentials', `--input=${file}`]);
			log(`imported ${options.credentials.length} credential(s)`);
		}
		if (options.workflowFiles?.length) {
			const dir = path.join(importDir, 'workflows');
			fs.mkdirSync(dir, { recursive: true });
			options.workflowFiles.forEach((file, i) =>
				fs.copyFileSync(file, path.join(dir, `${String(i).padStart(3, '0')}-${path.basename(file)}`)),
			);
			await cli(['import:workflow', '--separate', `--input=${dir}`]);
			log(`imported ${options.workflowFiles.length} workflow(s): ${options.workflowFiles.map((f) => path.basename(f)).join(', ')}`);
		}
		if (options.credentials?.length || options.workflowFiles?.length) mark('import', tImport);

		// Spawns n8n and waits until it answers; used at start and by restart().
		const boot = async () => {
			exited = undefined;
			const out = fs.openSync(logFile, 'a');
			const spawned = spawn(paths.nodeBin, [paths.n8nBin, 'start'], {
				cwd: userFolder,
				env,
				stdio: ['ignore', out, out],
				detached: true, // own process group, so stop() also reaches the task runner
			});
			child = spawned;
			fs.closeSync(out);
			spawned.on('exit', (code, signal) => {
				if (child === spawned) exited = { code, signal };
			});
			const deadline = Date.now() + (options.bootTimeoutMs ?? 180000);
			for (;;) {
				const gone = exited as { code: number | null; signal: NodeJS.Signals | null } | undefined;
				if (gone) throw new Error(`n8n exited during start (${gone.signal ?? `exit ${gone.code}`})`);
				if (Date.now() > deadline) throw new Error(`n8n did not answer ${url}/healthz/readiness in time`);
				try {
					const res = await fetch(`${url}/healthz/readiness`);
					if (res.ok) break;
				} catch {
					/* not listening yet */
				}
				await sleep(500);
			}
		};

		const tBoot = Date.now();
		log(`starting n8n ${paths.n8nVersion} on ${url} (user folder ${userFolder})`);
		process.on('exit', onProcessExit);
		await boot();
		mark('boot', tBoot);
		log(`n8n answered /healthz/readiness after ${timings.boot}s`);
		if (queue) {
			const tHelpers = Date.now();
			helpers = await startQueueHelpers({ paths, env, mainFolder: userFolder, specs: helperSpecs, concurrency: queue.concurrency ?? 5, log });
			mark('queueHelpers', tHelpers);
		}

		// Session for the internal REST API, then an API key for the public one.
		const browserId = randomUUID();
		let cookie = '';
		const rawFetch = async (method: string, target: string, body?: unknown, headers: Record<string, string> = {}) => {
			const res = await fetch(target, {
				method,
				headers: {
					...(body !== undefined ? { 'content-type': 'application/json' } : {}),
					...headers,
				},
				body: body !== undefined ? JSON.stringify(body) : undefined,
			});
			const text = await res.text();
			if (!res.ok) throw new Error(`${method} ${target.replace(url, '')} → ${res.status}: ${text.slice(0, 2000)}`);
			return { res, json: text ? (JSON.parse(text) as unknown) : undefined };
		};
		const rest = async <T>(method: string, restPath: string, body?: unknown): Promise<T> => {
			const { json } = await rawFetch(method, `${url}/rest${restPath}`, body, { cookie, 'browser-id': browserId });
			return ((json as { data?: T })?.data ?? json) as T;
		};
		// The owner is applied from the environment during start; retry briefly until login works.
		const login = async () => {
			for (let attempt = 0; ; attempt++) {
				try {
					const { res } = await rawFetch(
						'POST',
						`${url}/rest/login`,
						{ emailOrLdapLoginId: owner.email, password: owner.password },
						{ 'browser-id': browserId },
					);
					const setCookie = res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''];
					cookie = setCookie.map((c) => c.split(';')[0]).filter(Boolean).join('; ');
					break;
				} catch (err) {
					if (attempt >= 20 || exited) throw err;
					await sleep(500);
				}
			}
		};
		await login();
		const scopes = await rest<string[]>('GET', '/api-keys/scopes');
		const created = await rest<{ rawApiKey: string }>('POST', '/api-keys', {
			label: `e2e-${randomUUID().slice(0, 8)}`,
			scopes,
			expiresAt: null,
		});
		const apiKey = created.rawApiKey;
		log(`API key created with ${scopes.length} scopes (data tables: ${scopes.filter((x) => x.startsWith('dataTable')).join(' ') || 'none'})`);
		const api = async <T>(method: string, apiPath: string, body?: unknown): Promise<T> => {
			const { json } = await rawFetch(method, `${url}/api/v1${apiPath}`, body, { 'X-N8N-API-KEY': apiKey });
			return json as T;
		};

		const workflows = async (): Promise<WorkflowSummary[]> => {
			const all: WorkflowSummary[] = [];
			let cursor: string | undefined;
			do {
				const page = await api<{ data: WorkflowSummary[]; nextCursor?: string | null }>(
					'GET',
					`/workflows?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
				);
				all.push(...page.data.map((w) => ({ id: w.id, name: w.name, active: w.active })));
				cursor = page.nextCursor ?? undefined;
			} while (cursor);
			return all;
		};
		const workflow = async (idOrName: string) => {
			const list = await workflows();
			const found = list.find((w) => w.id === idOrName) ?? list.filter((w) => w.name === idOrName);
			if (Array.isArray(found)) {
				if (found.length !== 1) {
					throw new Error(`${found.length} workflows match "${idOrName}"; have: ${list.map((w) => `${w.id} ${w.name}`).join(', ')}`);
				}
				return found[0];
			}
			return found;
		};
		// n8n 2.40 publishes through an outbox: the API call queues the activation and a worker
		// registers the triggers shortly after. Wait for the publication to settle, and fail with
		// n8n's own message when a trigger could not be activated.
		const activate = async (idOrName: string) => {
			const wf = await workflow(idOrName);
			await api('POST', `/workflows/${wf.id}/activate`);
			const until = Date.now() + 60000;
			for (;;) {
				const status = await rest<PublicationStatus>('GET', `/workflows/${wf.id}/publication-status`);
				if (status.status === 'published') break;
				if (status.status === 'failed' || status.status === 'partial') {
					const errors = status.triggers.filter((t) => t.status === 'failed').map((t) => t.errorMessage);
					throw new Error(`activating "${wf.name}" failed: ${errors.join('; ')}`);
				}
				if (Date.now() > until) throw new Error(`activating "${wf.name}": still ${status.status} after 60 s`);
				await sleep(250);
			}
			log(`activated "${wf.name}" (${wf.id})`);
		};
		const deactivate = async (idOrName: string) => {
			const wf = await workflow(idOrName);
			await api('POST', `/workflows/${wf.id}/deactivate`);
		};
		const executions = async (filter: { workflowId?: string; status?: string; includeData?: boolean } = {}) => {
			const all: ExecutionSummary[] = [];
			let cursor: string | undefined;
			do {
				const qs = new URLSearchParams({ limit: '250' });
				if (filter.workflowId) qs.set('workflowId', filter.workflowId);
				if (filter.status) qs.set('status', filter.status);
				if (filter.includeData) qs.set('includeData', 'true');
				if (cursor) qs.set('cursor', cursor);
				const page = await api<{ data: ExecutionSummary[]; nextCursor?: string | null }>('GET', `/executions?${qs}`);
				all.push(...page.data);
				cursor = page.nextCursor ?? undefined;
			} while (cursor);
			return all.sort((a, b) => Number(a.id) - Number(b.id));
		};
		const execution = (id: string) => api<ExecutionSummary>('GET', `/executions/${id}?includeData=true`);
		const waitForExecutions = async (
			idOrName: string,
			count: number,
			waitOptions: { timeoutMs?: number; since?: number } = {},
		) => {
			const wf = await workflow(idOrName);
			const until = Date.now() + (waitOptions.timeoutMs ?? 60000);
			const done = (e: ExecutionSummary) => !['new', 'running', 'waiting'].includes(e.status);
			const relevant = (e: ExecutionSummary) => !waitOptions.since || Date.parse(e.startedAt) >= waitOptions.since;
			for (;;) {
				const list = (await executions({ workflowId: wf.id })).filter(relevant);
				if (list.filter(done).length >= count) {
					return Promise.all(list.filter(done).map((e) => execution(e.id)));
				}
				if (Date.now() > until) {
					throw new Error(
						`"${wf.name}" has ${list.filter(done).length}/${count} finished executions after ${waitOptions.timeoutMs ?? 60000} ms ` +
							`(statuses: ${list.map((e) => e.status).join(', ') || 'none'})`,
					);
				}
				await sleep(300);
			}
		};

		const setCredentialData = async (id: string, data: Record<string, unknown>) => {
			const current = await rest<{ id: string; name: string; type: string }>('GET', `/credentials/${encodeURIComponent(id)}`);
			await rest('PATCH', `/credentials/${encodeURIComponent(id)}`, { name: current.name, type: current.type, data });
			log(`credential "${current.name}" (${current.type}) updated`);
		};
		const dataTableRows = async (name: string) => {
			type Page<T> = { data: T[]; nextCursor?: string | null };
			const tables = await api<Page<{ id: string; name: string }>>('GET', `/data-tables?filter=${encodeURIComponent(JSON.stringify({ name }))}&limit=250`);
			const table = tables.data.find((t) => t.name === name);
			if (!table) return [];
			const rows: Array<Record<string, unknown>> = [];
			let cursor: string | undefined;
			do {
				const page = await api<Page<Record<string, unknown>>>('GET', `/data-tables/${table.id}/rows?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
				rows.push(...page.data);
				cursor = page.nextCursor ?? undefined;
			} while (cursor);
			return rows;
		};

		if (options.activate) {
			const targets = options.activate === 'all' ? (await workflows()).map((w) => w.id) : options.activate;
			for (const target of targets) await activate(target);
		}
		mark('ready');
		log(`n8n ready in ${timings.ready}s: ${url} (login ${owner.email} / ${owner.password})`);

		return {
			url,
			port,
			userFolder,
			logFile,
			owner: { email: owner.email, password: owner.password },
			apiKey,
			proxy,
			timings,
			nodeTypeNames: async () => {
				const { json } = await rawFetch('GET', `${url}/types/nodes.json`, undefined, { cookie, 'browser-id': browserId });
				return [...new Set((json as Array<{ name: string }>).map((t) => t.name))];
			},
			webhookUrl: (webhookPath) => `${webhookBase}/webhook/${webhookPath.replace(/^\/+/, '')}`,
			queue: helpers
				? {
						webhookBaseUrl: webhookBase,
						helpers: helpers.helpers,
						addWorker: async () => {
							const name = `worker-${helpers!.helpers.filter((h) => h.kind === 'worker').length + 1}`;
							return helpers!.add({ kind: 'worker', name, port: await freePort(), brokerPort: await freePort() });
						},
					}
				: undefined,
			api,
			rest,
			apiKeyScopes: scopes,
			setCredentialData,
			dataTableRows,
			workflows,
			workflow,
			activate,
			deactivate,
			executions,
			execution,
			waitForExecutions,
			logTail: (lines = 60) => tail(logFile, lines),
			restart: async () => {
				// Same user folder (database, settings, API key), a new process: what an upgrade or a crash does.
				const tRestart = Date.now();
				killGroup('SIGTERM');
				const until = Date.now() + 20000;
				while (!exited && Date.now() < until) await sleep(100);
				if (!exited) killGroup('SIGKILL');
				while (!exited) await sleep(100);
				await boot();
				await login();
				mark('restart', tRestart);
				log(`n8n restarted in ${timings.restart}s`);
			},
			stop: async (stopOptions = {}) =>
				cleanup(stopOptions.keep ?? (process.env.N8N_E2E_KEEP === '1' || testFailed())),
		};
	} catch (err) {
		log(`n8n failed to start: ${(err as Error).message}`);
		log(`last lines of ${logFile}:\n${tail(logFile, 80)}`);
		await cleanup(true);
		throw err;
	}
}
