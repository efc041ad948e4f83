/**
 * Sends every request the built-in Pipedrive nodes make to `https://api.pipedrive.com` (their fixed
 * host) to a local simulator instead, inside the test process: a `nock` interceptor forwards each
 * request over real HTTP to the simulator and returns the simulator's real answer (status, headers,
 * body). Nothing on the machine changes (no hosts file, no proxy). Call `restore()` when done.
 *
 * If a test calls `nock.disableNetConnect()`, it must also `nock.enableNetConnect('127.0.0.1')`
 * so the forwarded request (and the simulator's webhook deliveries) can reach loopback.
 */
import * as http from 'http';
import nock from 'nock';

export const PIPEDRIVE_HOST = 'https://api.pipedrive.com';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'proxy-connection']);

export interface PipedriveRoute {
	/** Requests forwarded so far: method and path (with query). */
	forwarded: { method: string; path: string }[];
	restore(): void;
}

function forward(simUrl: URL, method: string, path: string, headers: Record<string, string | string[] | undefined>, body: Buffer | undefined): Promise<[number, Buffer, Record<string, string>]> {
	return new Promise((resolve, reject) => {
		const outHeaders: Record<string, string | string[]> = {};
		for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())) outHeaders[k] = v;
		if (body) outHeaders['content-length'] = String(body.length);
		const req = http.request({ hostname: simUrl.hostname, port: simUrl.port, method, path, headers: outHeaders }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const resHeaders: Record<string, string> = {};
				for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) resHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
				resolve([res.statusCode ?? 502, Buffer.concat(chunks), resHeaders]);
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** Routes `https://api.pipedrive.com/**` to `simUrl` (e.g. `http://127.0.0.1:4020`) until `restore()`. */
export function routePipedriveTo(simUrl: string): PipedriveRoute {
	const target = new URL(simUrl);
	const forwarded: { method: string; path: string }[] = [];
	const scope = nock(PIPEDRIVE_HOST).persist();
	const interceptors: nock.Interceptor[] = [];
	for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
		const interceptor = scope.intercept(() => true, method).query(true);
		interceptors.push(interceptor);
		interceptor.reply(async function (this: nock.ReplyFnContext, uri: string, requestBody: nock.Body) {
			forwarded.push({ method, path: uri });
			let body: Buffer | undefined;
			if (requestBody !== undefined && requestBody !== '') {
				body = Buffer.from(typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody));
			}
			return await forward(target, method, uri, this.req.headers as Record<string, string>, body);
		});
	}
	return {
		forwarded,
		restore() {
			scope.persist(false);
			for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
		},
	};
}
