/**
 * n8n queue mode for the harness: the environment every process shares (Postgres, Redis,
 * EXECUTIONS_MODE=queue, one encryption key) and the helper processes next to the main one:
 * `n8n webhook` (serves /webhook/*, enqueues executions) and `n8n worker` (runs them).
 *
 * Facts about n8n 2.40.7 this relies on (read in its dist/):
 *   - every process needs the same DB_* and QUEUE_BULL_REDIS_* settings and N8N_ENCRYPTION_KEY;
 *     a worker loads community packages from its own `<N8N_USER_FOLDER>/.n8n/nodes`, so each
 *     helper gets its own user folder with a copy of the main's installed nodes folder;
 *   - `N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true` stops the main from serving production webhooks,
 *     so a delivery that reaches a workflow went through the webhook processor;
 *   - manual runs stay on the main unless `OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true` (n8n 3 makes
 *     that the only behaviour; the harness adopts it now);
 *   - a worker logs "Worker started execution <id> (job <n>)" per job; its host id is
 *     `worker-<hostname>` inside a container, the same for every worker, so the harness attributes
 *     executions by each worker's own log, not by host id;
 *   - the default Postgres pool is 2 connections and the health ping (every 2 s) must finish within
 *     `DB_PING_TIMEOUT_MS` (5 s), or the process answers 503 "Database is not ready!" to every
 *     request until a ping succeeds;
 *   - a worker's readiness (`/healthz/readiness` on QUEUE_HEALTH_CHECK_PORT) means database
 *     connected and migrated and Redis connected.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import type { ToolchainPaths } from './config';

type Log = (line: string) => void;

export interface QueueSetup {
	postgres: { port: number; database: string; user: string };
	redis: { port: number };
	/** Number of `n8n worker` processes (default 2). */
	workers?: number;
	/** Jobs one worker runs at once (default 5; n8n warns below 5). */
	concurrency?: number;
}

export interface QueueHelper {
	kind: 'webhook' | 'worker';
	/** `webhook-1`, `worker-1`, `worker-2`. */
	name: string;
	userFolder: string;
	logFile: string;
	/** The webhook processor's HTTP port, or the worker's health port. */
	port: number;
	/** Execution ids this process logged as started (workers only). */
	startedExecutions(): string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Postgres connections per n8n process in queue mode (README "Scaling out" recommends the same). */
export const QUEUE_DB_POOL_SIZE = 10;
/** How long n8n's database health ping may take before the process counts the database as down. */
export const QUEUE_DB_PING_TIMEOUT_MS = 30_000;

/** What every process of the queue-mode stack shares (main, CLI imports, webhook processor, workers). */
export function queueEnv(setup: QueueSetup): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(setup.postgres.port),
		DB_POSTGRESDB_DATABASE: setup.postgres.database,
		DB_POSTGRESDB_USER: setup.postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		// n8n's default pool is 2 connections, and its health ping (every 2 s, 5 s timeout) waits for
		// one of them: a burst of deliveries on the webhook processor starved the ping, n8n took the
		// database for down and answered every webhook 503 for seconds (retried by Pipedrive, and
		// towards its 10-failure ban). Each process here may open this many (Postgres allows 100).
		DB_POSTGRESDB_POOL_SIZE: String(QUEUE_DB_POOL_SIZE),
		// The same ping gives up after 5 s; one failed ping makes the process answer 503 until the next
		// one succeeds (2 s later at best). On a loaded 2-core machine a ping took longer than 5 s with
		// the pool idle, the webhook processor refused deliveries for seconds, and Propstreet, which
		// disables a subscription after 10 failed attempts in a row, stopped sending (every later
		// contact event of that workflow was lost).
		DB_PING_TIMEOUT_MS: String(QUEUE_DB_PING_TIMEOUT_MS),
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(setup.redis.port),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
	};
}

const STARTED = /Worker started execution (\d+)/g;

function startedIn(logFile: string): string[] {
	let text = '';
	try {
		text = fs.readFileSync(logFile, 'utf8');
	} catch {
		return [];
	}
	return [...text.matchAll(STARTED)].map((m) => m[1]);
}

export interface HelperSpec {
	kind: 'webhook' | 'worker';
	name: string;
	port: number;
	brokerPort: number;
}

export interface RunningHelpers {
	helpers: QueueHelper[];
	/** Starts one more helper (e.g. a second worker for the bench) and waits until it is ready. */
	add(spec: HelperSpec): Promise<QueueHelper>;
	/** SIGTERM to every helper's process group, SIGKILL after the grace period. */
	stop(): Promise<void>;
	/** SIGKILL, synchronously (process exit hook). */
	kill(): void;
}

interface HelperArgs {
	paths: ToolchainPaths;
	env: NodeJS.ProcessEnv;
	mainFolder: string;
	concurrency: number;
	log: Log;
	timeoutMs?: number;
}

/**
 * Starts the helpers, each in its own user folder (a copy of the main's `.n8n/nodes`) and process
 * group, and waits until each answers its readiness endpoint.
 */
export async function startQueueHelpers(args: HelperArgs & { specs: HelperSpec[] }): Promise<RunningHelpers> {
	const children: Array<{ child: ChildProcess; exited: boolean }> = [];
	const signal = (s: NodeJS.Signals) => {
		for (const c of children) {
			if (c.exited || !c.child.pid) continue;
			try {
				process.kill(-c.child.pid, s);
			} catch {
				/* gone */
			}
		}
	};
	const spawnHelper = (spec: HelperSpec) => {
		const helper = spawnOne(args, spec);
		children.push(helper.entry);
		running.helpers.push(helper.info);
		return helper;
	};
	const running: RunningHelpers = {
		helpers: [],
		add: async (spec) => {
			const helper = spawnHelper(spec);
			await waitReady(helper.info, helper.entry, Date.now() + (args.timeoutMs ?? 180000), args);
			return helper.info;
		},
		kill: () => signal('SIGKILL'),
		stop: async () => {
			signal('SIGTERM');
			const deadline = Date.now() + 15000;
			while (children.some((c) => !c.exited) && Date.now() < deadline) await sleep(100);
			signal('SIGKILL');
			while (children.some((c) => !c.exited) && Date.now() < deadline + 5000) await sleep(100);
		},
	};
	try {
		// All spawned at once (they boot in parallel), then each waited for.
		const started = args.specs.map(spawnHelper);
		const deadline = Date.now() + (args.timeoutMs ?? 180000);
		for (const helper of started) await waitReady(helper.info, helper.entry, deadline, args);
		return running;
	} catch (err) {
		await running.stop();
		throw err;
	}
}

function spawnOne(args: HelperArgs, spec: HelperSpec): { info: QueueHelper; entry: { child: ChildProcess; exited: boolean } } {
	const nodesDir = path.join(args.mainFolder, '.n8n', 'nodes');
	const userFolder = path.join(args.mainFolder, spec.name);
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	if (fs.existsSync(nodesDir)) fs.cpSync(nodesDir, path.join(userFolder, '.n8n', 'nodes'), { recursive: true, verbatimSymlinks: true });
	const logFile = path.join(args.mainFolder, `${spec.name}.log`);
	const env: NodeJS.ProcessEnv = {
		...args.env,
		N8N_USER_FOLDER: userFolder,
		N8N_RUNNERS_BROKER_PORT: String(spec.brokerPort),
		...(spec.kind === 'webhook' ? { N8N_PORT: String(spec.port) } : { QUEUE_HEALTH_CHECK_PORT: String(spec.port) }),
	};
	const cliArgs = spec.kind === 'webhook' ? ['webhook'] : ['worker', `--concurrency=${args.concurrency}`];
	const out = fs.openSync(logFile, 'a');
	const child = spawn(args.paths.nodeBin, [args.paths.n8nBin, ...cliArgs], { cwd: userFolder, env, stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	const entry = { child, exited: false };
	child.on('exit', () => (entry.exited = true));
	return { entry, info: { kind: spec.kind, name: spec.name, userFolder, logFile, port: spec.port, startedExecutions: () => startedIn(logFile) } };
}

/** Both kinds answer /healthz/readiness once the database and Redis are connected. */
async function waitReady(helper: QueueHelper, entry: { exited: boolean }, deadline: number, args: HelperArgs): Promise<void> {
	for (;;) {
		if (entry.exited) throw new Error(`${helper.name} exited during start; last lines of ${helper.logFile}:\n${tail(helper.logFile, 40)}`);
		if (Date.now() > deadline) throw new Error(`${helper.name} did not answer /healthz/readiness on port ${helper.port} in time (log ${helper.logFile})`);
		const ok = await fetch(`http://127.0.0.1:${helper.port}/healthz/readiness`).then((r) => r.ok, () => false);
		if (ok) break;
		await sleep(500);
	}
	args.log(`${helper.name} ready (${helper.kind === 'webhook' ? `webhooks on http://127.0.0.1:${helper.port}/webhook/` : `concurrency ${args.concurrency}, health port ${helper.port}`})`);
}

function tail(file: string, lines: number): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}
