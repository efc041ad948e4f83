/**
 * A TLS-intercepting HTTP(S) proxy on loopback that sends n8n's traffic for the fixed Pipedrive
 * host to a local simulator, without touching the machine's hosts file.
 *
 * n8n 2.x routes outbound HTTP through a global agent that honours HTTP(S)_PROXY / NO_PROXY, so the
 * built-in Pipedrive nodes (hard-wired to https://api.pipedrive.com) CONNECT through this proxy; we
 * terminate TLS with a certificate signed by a CA generated here (n8n trusts it through
 * NODE_EXTRA_CA_CERTS) and forward the plain request, path and query unchanged, to the target.
 * Every other host is refused, so a test can never reach the internet by accident.
 */
import * as fs from 'fs';
import * as path from 'path';
import { generateCACertificate, getLocal, type Mockttp } from 'mockttp';

import { proxyEnv, type InterceptProxy } from './proxy-process';

export const PIPEDRIVE_HOST = 'api.pipedrive.com';

export interface InterceptProxyOptions {
	/** Base URL every request for a routed host is forwarded to, e.g. the Pipedrive simulator (no path). */
	target: string;
	/** Hosts to forward; default just api.pipedrive.com. */
	hosts?: string[];
	/** Folder the CA certificate is written to (n8n reads it through NODE_EXTRA_CA_CERTS). */
	dir: string;
}


export async function startInterceptProxy(options: InterceptProxyOptions): Promise<InterceptProxy> {
	const target = new URL(options.target);
	if (target.pathname !== '/' || target.search) {
		throw new Error(`proxy target must be a bare origin (scheme://host:port), got ${options.target}`);
	}
	const hosts = options.hosts ?? [PIPEDRIVE_HOST];
	const ca = await generateCACertificate({
		subject: { commonName: 'n8n-nodes-propstreet e2e proxy CA', organizationName: 'n8n-nodes-propstreet tests' },
		bits: 2048,
	});
	fs.mkdirSync(options.dir, { recursive: true });
	const caPath = path.join(options.dir, 'proxy-ca.pem');
	fs.writeFileSync(caPath, ca.cert);

	const server: Mockttp = getLocal({ https: { key: ca.key, cert: ca.cert }, http2: false });
	await server.start({ startPort: 20000, endPort: 60000 });
	const forwarded: InterceptProxy['forwarded'] = [];
	const refused: InterceptProxy['refused'] = [];

	for (const host of hosts) {
		await server
			.forAnyRequest()
			.forHostname(host)
			.thenForwardTo(target.origin);
	}
	await server.on('request', (req) => {
		if (hosts.includes(new URL(req.url).hostname)) forwarded.push({ method: req.method, url: req.url });
	});
	await server.forUnmatchedRequest().thenCallback((req) => {
		refused.push({ method: req.method, url: req.url });
		return {
			statusCode: 502,
			headers: { 'content-type': 'text/plain' },
			body: `e2e proxy: ${req.url} is not routed (only ${hosts.join(', ')} are)`,
		};
	});

	const url = `http://127.0.0.1:${server.port}`;
	return {
		url,
		port: server.port,
		caPath,
		forwarded,
		refused,
		env: () => proxyEnv(url, caPath),
		close: () => server.stop(),
	};
}

/**
 * Child-process mode (see proxy-process.ts): mockttp pulls in ESM-only packages that Jest's module
 * system cannot load, and a separate process also keeps the proxy responsive while the test
 * process is busy. Prints one READY line, then a line per forwarded or refused request.
 */
if (require.main === module) {
	const arg = (name: string) => {
		const i = process.argv.indexOf(`--${name}`);
		return i > 0 ? process.argv[i + 1] : undefined;
	};
	const target = arg('target');
	const dir = arg('dir');
	if (!target || !dir) {
		process.stderr.write('usage: tsx test/harness/proxy.ts --target <origin> --dir <folder> [--hosts a,b]\n');
		process.exit(2);
	}
	startInterceptProxy({ target, dir, hosts: arg('hosts')?.split(',') })
		.then((proxy) => {
			const emit = (kind: string, list: Array<{ method: string; url: string }>) => {
				const push = list.push.bind(list);
				list.push = (...entries) => {
					for (const e of entries) process.stdout.write(`${kind} ${JSON.stringify(e)}\n`);
					return push(...entries);
				};
			};
			emit('FORWARDED', proxy.forwarded);
			emit('REFUSED', proxy.refused);
			process.stdout.write(`READY ${JSON.stringify({ url: proxy.url, port: proxy.port, caPath: proxy.caPath })}\n`);
			const stop = () => void proxy.close().finally(() => process.exit(0));
			process.on('SIGTERM', stop);
			process.on('SIGINT', stop);
			process.stdin.on('end', stop); // parent gone
			process.stdin.resume();
		})
		.catch((err: Error) => {
			process.stderr.write(`proxy failed: ${err.stack ?? err.message}\n`);
			process.exit(1);
		});
}
