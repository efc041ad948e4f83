/**
 * The HTTP front: authentication, injected faults, rate limits, body parsing, routing, Pipedrive's
 * error envelope, and the per-route / per-client request and token counters.
 */
import { randomUUID } from 'crypto';
import type * as http from 'http';

import type { ClientInfo, RateLimiter } from './rateLimit';
import { BLOCKED_HTML, tokenCost } from './rateLimit';
import type { Router } from './router';
import type { Store } from './store';
import type { PipedriveSwitches, RequestLogEntry } from './types';
import { ApiError, errorBody, type Query } from './util';

export interface Fault {
	status: number;
	remaining: number;
	/** Matches the route pattern (`PATCH /api/v2/persons/{id}`) or the request path. */
	route?: string | RegExp;
	method?: string;
	/** Extra delay before answering (also usable with status 0 = answer normally, just late). */
	delayMs?: number;
	/** Close the connection without answering (a network failure). */
	hangUp?: boolean;
}

export interface RouteStats {
	requests: number;
	tokens: number;
	writes: number;
	statuses: Record<string, number>;
}

export interface ClientStats {
	requests: number;
	tokens: number;
	writes: number;
}

export interface Stats {
	total: number;
	tokens: number;
	writes: number;
	byRoute: Record<string, RouteStats>;
	byClient: Record<string, ClientStats>;
	log: RequestLogEntry[];
}

export function emptyStats(): Stats {
	return { total: 0, tokens: 0, writes: 0, byRoute: {}, byClient: {}, log: [] };
}

export interface TokenInfo {
	userId: number;
	isOAuth: boolean;
}

export interface ServerDeps {
	store: Store;
	router: Router;
	limiter: RateLimiter;
	switches: PipedriveSwitches;
	tokens: Map<string, TokenInfo>;
	faults: Fault[];
	stats: Stats;
	verbose: boolean;
	control?: (req: http.IncomingMessage, res: http.ServerResponse, path: string, query: Query, body: unknown) => Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function clientLabel(token: string, isOAuth: boolean): string {
	return `${isOAuth ? 'oauth' : 'api_token'}:${token}`;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const payload = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, {
		'content-type': typeof body === 'string' ? 'text/html; charset=UTF-8' : 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(payload)),
		...headers,
	});
	res.end(payload);
}

function matchesFault(fault: Fault, method: string, path: string, route: string | null): boolean {
	if (fault.method && fault.method.toUpperCase() !== method) return false;
	if (fault.route === undefined) return true;
	if (typeof fault.route === 'string') return fault.route === route || fault.route === path || (route !== null && route.endsWith(` ${fault.route}`));
	return fault.route.test(route ?? '') || fault.route.test(path);
}

export function createHandler(deps: ServerDeps) {
	const { store, router, limiter, switches, tokens, faults, stats } = deps;

	function record(entry: RequestLogEntry, write: boolean): void {
		stats.total++;
		stats.tokens += entry.tokenCost;
		const key = entry.route ?? `${entry.method} (unmatched)`;
		const route = (stats.byRoute[key] ??= { requests: 0, tokens: 0, writes: 0, statuses: {} });
		route.requests++;
		route.tokens += entry.tokenCost;
		route.statuses[entry.status] = (route.statuses[entry.status] ?? 0) + 1;
		const client = (stats.byClient[entry.client] ??= { requests: 0, tokens: 0, writes: 0 });
		client.requests++;
		client.tokens += entry.tokenCost;
		if (write) {
			stats.writes++;
			route.writes++;
			client.writes++;
		}
		stats.log.push(entry);
		if (stats.log.length > 20_000) stats.log.splice(0, stats.log.length - 20_000);
		if (deps.verbose) process.stderr.write(`[pipedrive-sim] ${entry.method} ${entry.path} → ${entry.status} (${entry.client}, ${entry.tokenCost} tokens)\n`);
	}

	return async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		let path = url.pathname.replace(/\/{2,}/g, '/');
		if (path.startsWith('/api/v1/')) path = path.slice(4); // `/api/v1/...` is the same as `/v1/...`
		const query: Query = {};
		for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
		const correlation = { 'x-correlation-id': randomUUID() };

		if (path.startsWith('/__control') && deps.control) {
			const raw = await readBody(req);
			let body: unknown = {};
			try {
				body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
			} catch {
				send(res, 400, { success: false, error: 'Invalid JSON' });
				return;
			}
			await deps.control(req, res, path, query, body);
			return;
		}

		const matched = router.match(method, path);
		const routeKey = matched && 'route' in matched ? `${matched.route.method} ${matched.route.pattern}` : null;
		const version: 'v1' | 'v2' = path.startsWith('/api/v2/') ? 'v2' : 'v1';
		const entry: RequestLogEntry = { method, path, route: routeKey, status: 0, client: 'anonymous', tokenCost: 0, faulted: false, at: new Date(store.now()).toISOString() };
		const finish = (status: number, body: unknown, headers: Record<string, string> = {}, write = false) => {
			entry.status = status;
			record(entry, write);
			send(res, status, body, { ...correlation, ...headers });
		};

		// Authentication: `x-api-token` header (canonical), OAuth bearer, or the legacy `api_token` query.
		const headerToken = req.headers['x-api-token'];
		const auth = req.headers.authorization;
		let presented: string | undefined;
		let viaBearer = false;
		if (typeof headerToken === 'string' && headerToken) presented = headerToken;
		else if (auth && /^Bearer\s+/i.test(auth)) {
			presented = auth.replace(/^Bearer\s+/i, '').trim();
			viaBearer = true;
		} else if (switches.acceptQueryToken && query.api_token) presented = query.api_token;
		const info = presented !== undefined ? tokens.get(presented) : undefined;
		if (!info || info.isOAuth !== viaBearer) {
			entry.client = presented ? 'invalid' : 'anonymous';
			finish(401, { success: false, error: 'unauthorized access', errorCode: 401, error_info: 'Please check developers.pipedrive.com' }, { 'x-401-by-gw': 'true' });
			return;
		}
		const client: ClientInfo = { label: clientLabel(presented!, info.isOAuth), isOAuth: info.isOAuth };
		entry.client = client.label;

		// Injected faults take the request before anything else happens.
		const faultIndex = faults.findIndex((f) => f.remaining > 0 && matchesFault(f, method, path, routeKey));
		if (faultIndex >= 0) {
			const fault = faults[faultIndex];
			fault.remaining--;
			if (fault.remaining <= 0) faults.splice(faultIndex, 1);
			if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
			if (fault.hangUp) {
				entry.faulted = true;
				entry.status = 0;
				record(entry, false);
				req.socket.destroy();
				return;
			}
			if (fault.status) {
				entry.faulted = true;
				if (fault.status === 403) finish(403, BLOCKED_HTML);
				else if (fault.status === 429) finish(429, { success: false, error: 'Request over limit', errorCode: 429, error_info: 'Please check developers.pipedrive.com', data: null, additional_data: null }, { 'x-ratelimit-limit': '0', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' });
				else finish(fault.status, errorBody(new ApiError(fault.status, fault.status === 503 ? 'Service temporarily unavailable' : 'Internal server error')));
				return;
			}
		}

		if (!matched) {
			finish(404, errorBody(new ApiError(404, `Unknown method ${method} ${path}`)));
			return;
		}
		if ('methodNotAllowed' in matched) {
			finish(405, errorBody(new ApiError(405, `Method ${method} is not allowed for ${path}`)));
			return;
		}
		const { route, params } = matched;
		const isWrite = WRITE_METHODS.has(method);
		const cost = tokenCost({ method, version, route: routeKey!, search: route.options.search === true, list: route.options.list === true });
		const decision = limiter.check(client, cost, { search: route.options.search === true, write: isWrite && (method === 'POST' || method === 'PUT') });
		if (decision.kind === 'blocked') {
			finish(403, BLOCKED_HTML);
			return;
		}
		if (decision.kind === 'limited') {
			const message = decision.reason === 'daily' ? 'Daily API token budget exhausted' : 'Request over limit';
			finish(429, { success: false, error: message, errorCode: 429, error_info: 'Please check developers.pipedrive.com', data: null, additional_data: null }, decision.headers);
			return;
		}
		entry.tokenCost = cost;

		let body: Record<string, unknown> = {};
		if (method !== 'GET' && method !== 'DELETE') {
			const raw = await readBody(req);
			const type = String(req.headers['content-type'] ?? '');
			if (raw.length) {
				if (/application\/x-www-form-urlencoded/.test(type) && version === 'v1') {
					body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
				} else {
					try {
						body = JSON.parse(raw.toString('utf8'));
					} catch {
						finish(400, errorBody(new ApiError(400, 'Invalid JSON in request body')), decision.headers);
						return;
					}
					if (typeof body !== 'object' || body === null) {
						finish(400, errorBody(new ApiError(400, 'The request body must be a JSON object')), decision.headers);
						return;
					}
				}
			}
		}

		try {
			const result = await route.handler({ method, path, params, query, body, client, userId: info.userId, store });
			const status = result.status ?? 200;
			finish(status, result.body, { ...decision.headers, ...(result.headers ?? {}) }, isWrite && status < 300);
		} catch (error) {
			if (error instanceof ApiError) finish(error.status, errorBody(error), decision.headers);
			else {
				if (deps.verbose) process.stderr.write(`[pipedrive-sim] 500: ${(error as Error).stack}\n`);
				finish(500, errorBody(new ApiError(500, `Internal server error: ${(error as Error).message}`)), decision.headers);
			}
		}
	};
}
