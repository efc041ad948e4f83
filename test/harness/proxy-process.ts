/**
 * Runs the intercepting proxy (proxy.ts) in a child process and mirrors its state here.
 *
 * Why a child: mockttp depends on ESM-only packages that Jest's CommonJS module system cannot
 * load (plain Node 20 and tsx can), and a proxy in its own process keeps serving n8n while the
 * test process is busy.
 */
import { spawn } from 'child_process';
import * as path from 'path';

export interface InterceptProxy {
	/** http://127.0.0.1:<port>; use as HTTP_PROXY and HTTPS_PROXY. */
	url: string;
	port: number;
	/** PEM file of the generated CA. */
	caPath: string;
	/** Requests forwarded so far: method and original URL (https://api.pipedrive.com/...). */
	forwarded: Array<{ method: string; url: string }>;
	/** Requests refused so far (hosts that are not routed). */
	refused: Array<{ method: string; url: string }>;
	/** Environment for n8n: proxy variables, loopback excluded, CA trusted. */
	env(): Record<string, string>;
	close(): Promise<void>;
}

export function proxyEnv(url: string, caPath: string): Record<string, string> {
	const noProxy = '127.0.0.1,localhost,::1';
	return {
		HTTP_PROXY: url,
		HTTPS_PROXY: url,
		http_proxy: url,
		https_proxy: url,
		NO_PROXY: noProxy,
		no_proxy: noProxy,
		NODE_EXTRA_CA_CERTS: caPath,
	};
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export async function startInterceptProxyProcess(options: {
	target: string;
	dir: string;
	hosts?: string[];
}): Promise<InterceptProxy> {
	const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
	const args = [path.join(__dirname, 'proxy.ts'), '--target', options.target, '--dir', options.dir];
	if (options.hosts?.length) args.push('--hosts', options.hosts.join(','));
	const env = { ...process.env };
	delete env.NODE_OPTIONS;
	const child = spawn(tsx, args, { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
	const forwarded: InterceptProxy['forwarded'] = [];
	const refused: InterceptProxy['refused'] = [];
	let stderr = '';
	let exited = false;
	child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));

	const ready = await new Promise<{ url: string; port: number; caPath: string }>((resolve, reject) => {
		let buffer = '';
		const timer = setTimeout(() => reject(new Error(`proxy did not start in 30 s: ${stderr}`)), 30000);
		child.stdout.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			let nl: number;
			while ((nl = buffer.indexOf('\n')) >= 0) {
				const line = buffer.slice(0, nl);
				buffer = buffer.slice(nl + 1);
				const space = line.indexOf(' ');
				const kind = line.slice(0, space);
				const payload = line.slice(space + 1);
				if (kind === 'READY') {
					clearTimeout(timer);
					resolve(JSON.parse(payload) as { url: string; port: number; caPath: string });
				} else if (kind === 'FORWARDED') forwarded.push(JSON.parse(payload) as { method: string; url: string });
				else if (kind === 'REFUSED') refused.push(JSON.parse(payload) as { method: string; url: string });
			}
		});
		child.on('exit', (code) => {
			exited = true;
			clearTimeout(timer);
			reject(new Error(`proxy exited (${code}) before it was ready: ${stderr}`));
		});
	});

	return {
		...ready,
		forwarded,
		refused,
		env: () => proxyEnv(ready.url, ready.caPath),
		close: async () => {
			if (exited) return;
			const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await gone;
			clearTimeout(timer);
		},
	};
}
