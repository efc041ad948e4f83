/**
 * Postgres and Redis for the queue-mode stack (see queue.ts), from Debian's packages:
 *   - `ensureQueueServices()` installs `postgresql` and `redis-server` with apt-get when either is
 *     missing (CI runs as root), quietly, once per machine;
 *   - `startPostgres()` makes a throwaway cluster (initdb, trust auth on loopback only) on a free
 *     port and runs it as the `postgres` user when we are root (Postgres refuses to run as root);
 *   - `startRedis()` runs redis-server on a free loopback port without persistence.
 * Each runs in its own process group, so `stop()` (and the exit hook) reaches every child.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import { freePort } from './n8n';

type Log = (line: string) => void;

export interface RunningService {
	name: string;
	port: number;
	logFile: string;
	stop(): Promise<void>;
}

export interface PostgresService extends RunningService {
	database: string;
	user: string;
	/** Runs one SQL statement with psql; rows of tab-separated columns (for assertions on what n8n stored). */
	query(sql: string): Promise<string[][]>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command, appending its output to `logFile`; resolves with exit code and output. */
function run(cmd: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; output: string }> {
	fs.appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}\n`);
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			fs.appendFileSync(logFile, chunk);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', (err) => resolve({ code: -1, output: `${output}${err.message}` }));
		child.on('close', (code) => resolve({ code, output }));
	});
}

/** The newest installed Postgres server's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const majors = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')) && fs.existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(root, majors[0], 'bin') : undefined;
}

function redisServerBin(): string | undefined {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
}

/** Installs postgresql and redis-server from Debian's packages when missing. Idempotent. */
export async function ensureQueueServices(logFile: string, log: Log): Promise<{ postgresBin: string; redisBin: string }> {
	const missing = [postgresBinDir() ? undefined : 'postgresql', redisServerBin() ? undefined : 'redis-server'].filter((p): p is string => !!p);
	if (missing.length) {
		const hint = `install them with: apt-get update && apt-get install -y ${missing.join(' ')}`;
		if (!fs.existsSync('/usr/bin/apt-get')) throw new Error(`queue mode needs ${missing.join(' and ')}, and apt-get is not available here; ${hint.replace('install them with', 'install them another way, e.g.')}`);
		if (process.getuid?.() !== 0) throw new Error(`queue mode needs ${missing.join(' and ')}, and installing them needs root; ${hint}`);
		log(`installing ${missing.join(', ')} from Debian's packages (output in ${logFile})`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const update = await run('apt-get', ['update', '-qq'], logFile, env);
		if (update.code !== 0) throw new Error(`apt-get update failed (exit ${update.code}):\n${update.output.slice(-2000)}`);
		const install = await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], logFile, env);
		if (install.code !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed (exit ${install.code}):\n${install.output.slice(-2000)}`);
	}
	const postgresBin = postgresBinDir();
	const redisBin = redisServerBin();
	if (!postgresBin || !redisBin) throw new Error(`after apt-get install, still missing: ${!postgresBin ? 'Postgres server (/usr/lib/postgresql/*/bin)' : ''} ${!redisBin ? 'redis-server' : ''}`);
	return { postgresBin, redisBin };
}

/** Root cannot run Postgres: the command then runs as the `postgres` user (setpriv execs in place, so signals reach it). */
function asPostgresUser(cmd: string, args: string[]): [string, string[]] {
	if (process.getuid?.() !== 0) return [cmd, args];
	return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]];
}

function ownerIds(user: string): { uid: number; gid: number } {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${user}:`));
	if (!line) throw new Error(`no "${user}" user on this machine (the postgresql package creates it)`);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/** A long-running child in its own process group, with its output in `logFile`. */
function spawnService(cmd: string, args: string[], logFile: string): { child: ChildProcess; exited: () => boolean; stop: (signal: NodeJS.Signals) => Promise<void> } {
	const out = fs.openSync(logFile, 'a');
	const child = spawn(cmd, args, { stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	let gone = false;
	child.on('exit', () => (gone = true));
	const signalGroup = (signal: NodeJS.Signals) => {
		if (gone || !child.pid) return;
		try {
			process.kill(-child.pid, signal);
		} catch {
			/* already gone */
		}
	};
	const onExit = () => signalGroup('SIGKILL');
	process.on('exit', onExit);
	const stop = async (signal: NodeJS.Signals) => {
		process.removeListener('exit', onExit);
		signalGroup(signal);
		const deadline = Date.now() + 10000;
		while (!gone && Date.now() < deadline) await sleep(100);
		if (!gone) signalGroup('SIGKILL');
		while (!gone && Date.now() < deadline + 5000) await sleep(100);
	};
	return { child, exited: () => gone, stop };
}

async function waitUntil(what: string, check: () => Promise<boolean>, exited: () => boolean, logFile: string, timeoutMs = 60000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited()) throw new Error(`${what} exited during start; last lines of ${logFile}:\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}`);
		if (await check().catch(() => false)) return;
		if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s (log: ${logFile})`);
		await sleep(200);
	}
}

/** A throwaway Postgres cluster under `dir` (a folder only this run uses), on a free loopback port. */
export async function startPostgres(binDir: string, dir: string, log: Log): Promise<PostgresService> {
	const logFile = path.join(dir, 'postgres.log');
	const dataDir = path.join(dir, 'pgdata');
	const socketDir = path.join(dir, 'pgsocket');
	fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	fs.mkdirSync(socketDir, { recursive: true });
	if (process.getuid?.() === 0) {
		const { uid, gid } = ownerIds('postgres');
		fs.chmodSync(dir, 0o755); // the postgres user must reach its folders
		for (const d of [dataDir, socketDir]) fs.chownSync(d, uid, gid);
		fs.writeFileSync(logFile, '');
		fs.chownSync(logFile, uid, gid);
	}
	const user = 'n8n';
	const [initCmd, initArgs] = asPostgresUser(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
	const init = await run(initCmd, initArgs, logFile);
	if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.output.slice(-2000)}`);

	const port = await freePort();
	// A test database: durability traded for speed (fsync and synchronous commit off).
	const [cmd, args] = asPostgresUser(path.join(binDir, 'postgres'), [
		'-D', dataDir, '-p', String(port), '-k', socketDir,
		'-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
		'-c', 'max_connections=200', '-c', 'shared_buffers=128MB',
	]);
	const service = spawnService(cmd, args, logFile);
	try {
		const ready = () => run(path.join(binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres'], logFile).then((r) => r.code === 0);
		await waitUntil(`Postgres on port ${port}`, ready, service.exited, logFile);
		const database = 'n8n';
		const created = await run(path.join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database], logFile);
		if (created.code !== 0) throw new Error(`createdb ${database} failed:\n${created.output}`);
		log(`Postgres ${path.basename(path.dirname(binDir))} on 127.0.0.1:${port} (database ${database}, user ${user}, data ${dataDir})`);
		// SIGINT is Postgres' "fast" shutdown: it does not wait for clients (n8n) to disconnect.
		const query = async (sql: string) => {
			const res = await run(path.join(binDir, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], logFile);
			if (res.code !== 0) throw new Error(`psql failed (exit ${res.code}): ${sql}\n${res.output.slice(-1000)}`);
			return res.output.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
		};
		return { name: 'postgres', port, logFile, database, user, query, stop: () => service.stop('SIGINT') };
	} catch (err) {
		await service.stop('SIGINT');
		throw err;
	}
}

function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let reply = '';
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			reply += d.toString();
			if (reply.includes('\r\n')) {
				socket.end();
				resolve(reply.startsWith('+PONG'));
			}
		});
		socket.on('error', () => resolve(false));
		socket.on('close', () => resolve(reply.startsWith('+PONG')));
	});
}

/** redis-server on a free loopback port, no snapshots, no append-only file. */
export async function startRedis(redisBin: string, dir: string, log: Log): Promise<RunningService> {
	const logFile = path.join(dir, 'redis.log');
	const redisDir = path.join(dir, 'redis');
	fs.mkdirSync(redisDir, { recursive: true });
	const port = await freePort();
	const service = spawnService(
		redisBin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir, '--daemonize', 'no', '--protected-mode', 'yes'],
		logFile,
	);
	try {
		await waitUntil(`Redis on port ${port}`, () => redisPing(port), service.exited, logFile, 30000);
		log(`Redis on 127.0.0.1:${port} (no persistence)`);
		return { name: 'redis', port, logFile, stop: () => service.stop('SIGTERM') };
	} catch (err) {
		await service.stop('SIGKILL');
		throw err;
	}
}
