/**
 * Assembles the simulator: one `http` server on 127.0.0.1 and the request pipeline
 * (control API → token endpoint → route → auth → rate limit → faults → Idempotency-Key → handler →
 * delay / concurrent-write faults → response + request log).
 */
import http from 'http';
import { listenOnLoopback } from '../shared/listen';
import { AuthService } from './auth';
import { SimClock } from './clock';
import type { SimCore, WriteContext } from './context';
import { createControl, controlRouter, type PropstreetControl } from './control';
import { ApiError, problemBody } from './errors';
import { FaultInjector } from './faults';
import { header, json, parseJsonBody, readBody, Router, writeResponse, type AuthContext, type SimRequest, type SimResponse } from './http';
import { IdempotencyCache, fingerprint } from './idempotency';
import { registerCompanyRoutes } from './resources/companies';
import { registerContactRoutes } from './resources/contacts';
import { registerLinkRoutes } from './resources/links';
import { registerProjectRoutes } from './resources/projects';
import { registerPropertyRoutes } from './resources/properties';
import { registerProspectRoutes } from './resources/prospects';
import { registerNetworkNoteRoutes } from './resources/timeline';
import { registerWebhookRoutes } from './resources/webhooks';
import { loadSeed } from './seed';
import { Store } from './store';
import type { PropstreetSimulatorOptions, PropstreetSwitches, RequestLogEntry } from './types';
import { DEFAULT_RETRY_DELAYS_MS, WebhookDispatcher } from './webhookDispatcher';

export const DEFAULT_TOKEN = 'propstreet-dev-token';
export const DEFAULT_OAUTH_CLIENT = { clientId: 'propstreet-sim-client', clientSecret: 'propstreet-sim-secret' };

export const DEFAULT_SWITCHES: PropstreetSwitches = {
	listEnvelope: 'page',
	createOnlyMeaning: 'create-only',
	strictLinkIfMatch: false,
	noteMaxLength: 10_000,
	pageSizeMeaning: 'requested',
	duplicateRefOnCreate: 'conflict',
	readOnlyFieldWrites: 'reject',
	findDuplicatesResponse: 'data',
	changeFieldsOnReads: false,
	consecutiveFailureUnit: 'attempt',
};

export interface PropstreetSimulator {
	/** `http://127.0.0.1:<port>` */
	url: string;
	port: number;
	close(): Promise<void>;
	control: PropstreetControl;
	/** The resolved options (token, OAuth clients, switches) the simulator runs with. */
	config: { token: string; oauthClients: { clientId: string; clientSecret: string }[]; switches: PropstreetSwitches };
}

function resolveSwitches(o: PropstreetSimulatorOptions): PropstreetSwitches {
	const s: PropstreetSwitches = { ...DEFAULT_SWITCHES, ...o.switches };
	if (o.createOnlyMeaning) s.createOnlyMeaning = o.createOnlyMeaning;
	if (o.strictLinkIfMatch !== undefined) s.strictLinkIfMatch = o.strictLinkIfMatch;
	if (o.noteMaxLength !== undefined) s.noteMaxLength = o.noteMaxLength;
	if (o.listEnvelope) s.listEnvelope = o.listEnvelope;
	return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startPropstreetSimulator(options: PropstreetSimulatorOptions = {}): Promise<PropstreetSimulator> {
	const clock = new SimClock(options.clock);
	const store = new Store(clock);
	const switches = resolveSwitches(options);
	const token = options.token ?? DEFAULT_TOKEN;
	const oauthClients = options.oauthClients ?? [DEFAULT_OAUTH_CLIENT];
	const auth = new AuthService(
		clock,
		[token, ...(options.extraTokens ?? [])],
		oauthClients,
		options.tokenExpiresInSec ?? 3600,
		{
			pat: options.rateLimit?.pat ?? 60,
			oauth: options.rateLimit?.oauth ?? 600,
			anonymous: options.rateLimit?.anonymous ?? options.rateLimit?.pat ?? 60,
			windowMs: options.rateLimit?.windowMs ?? 60_000,
		},
		options.acceptBasicClientAuth ?? false,
	);
	const scale = options.webhookTimeScale ?? 1;
	const dispatcher = new WebhookDispatcher(store, clock, {
		delaysMs: (options.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS).map((d) => d * scale),
		timeoutMs: options.webhookTimeoutMs ?? 10_000,
		switches,
		frozenClock: !!options.clock?.frozen,
	});
	const core: SimCore = { store, clock, switches, emit: (type, data, action) => dispatcher.emit(type, data, action) };
	const faults = new FaultInjector();
	const idempotency = new IdempotencyCache(clock);
	const log: RequestLogEntry[] = [];
	const control = createControl({ core, auth, faults, idempotency, dispatcher, log, defaultClientId: oauthClients[0]?.clientId ?? '' });
	const controlRoutes = options.controlApi === false ? null : controlRouter(control);

	const router = new Router();
	const writeCtx = (req: SimRequest): WriteContext => ({
		core,
		origin: 'api',
		actor: req.auth.kind === 'oauth' ? { id: `bot-${req.auth.client}`, name: `Bot (${req.auth.client})`, oauthClientId: req.auth.client } : { id: 'user-sim-pat', name: 'Personal Token User' },
	});
	registerContactRoutes(router, core, writeCtx);
	registerCompanyRoutes(router, core, writeCtx);
	registerLinkRoutes(router, core, writeCtx);
	registerNetworkNoteRoutes(router, core, writeCtx);
	registerProjectRoutes(router, core, writeCtx);
	registerProspectRoutes(router, core, writeCtx);
	registerPropertyRoutes(router, core, writeCtx);
	registerWebhookRoutes(router, core, dispatcher, { allowHttpLoopback: options.allowHttpLoopback ?? true });

	if (options.seed) loadSeed(store);

	const errorResponse = (err: unknown, instance: string): SimResponse => {
		const apiErr = err instanceof ApiError ? err : new ApiError(500, 'Internal Server Error', err instanceof Error ? err.message : String(err));
		if (!(err instanceof ApiError)) console.error('[propstreet-sim] unexpected error', err);
		return { status: apiErr.status, headers: { ...apiErr.extra.headers }, raw: { contentType: 'application/problem+json', text: JSON.stringify(problemBody(apiErr, instance)) } };
	};

	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
		const idempotencyKey = header(req, 'idempotency-key') ?? null;
		let authCtx: AuthContext = { kind: 'anonymous', credentialKey: `anon:${req.socket.remoteAddress ?? '?'}`, client: 'anonymous' };
		let route: string | null = null;
		let replayed = false;
		let faulted = false;
		let delayMs: number | null = null;
		let rateHeaders: Record<string, string> = {};
		let response: SimResponse;
		let reset = false;

		// The control API sits outside auth, rate limits and the request log.
		if (controlRoutes && path.startsWith('/__control')) {
			try {
				const raw = await readBody(req);
				const m = controlRoutes.match(method, path);
				if (m.kind !== 'found') throw new ApiError(404, 'Not Found', `No control route ${method} ${path}.`);
				response = await m.handler({ method, path, query: url.searchParams, headers: req.headers, params: m.params, rawBody: raw, body: parseJsonBody(raw, undefined), auth: authCtx });
			} catch (err) {
				response = errorResponse(err, path);
			}
			writeResponse(res, response);
			return;
		}

		let cacheKey: string | null = null;
		try {
			const raw = await readBody(req);
			if (path === '/openid/token') {
				route = 'POST /openid/token';
				rateHeaders = auth.consume(authCtx).headers;
				if (method !== 'POST') throw new ApiError(405, 'Method Not Allowed', 'Use POST.', { headers: { Allow: 'POST' } });
				// The documented request is a form post; anything else has no readable grant.
				const isForm = /^application\/x-www-form-urlencoded\b/i.test(header(req, 'content-type') ?? '');
				const r = auth.issueToken(new URLSearchParams(isForm ? raw : ''), header(req, 'authorization'));
				response = json(r.status, r.body, { 'Cache-Control': 'no-store' });
				if (r.body.access_token) authCtx = { ...authCtx, client: String(new URLSearchParams(raw).get('client_id') ?? 'anonymous') };
			} else {
				const m = router.match(method, path);
				if (m.kind === 'found') route = m.route;
				try {
					authCtx = auth.authenticate(header(req, 'authorization'));
				} catch (err) {
					rateHeaders = auth.consume(authCtx).headers;
					throw err;
				}
				const rate = auth.consume(authCtx);
				rateHeaders = rate.headers;
				if (rate.limited) {
					throw new ApiError(429, 'Too Many Requests', `Rate limit exceeded. Please retry after ${rate.retryAfterSec} seconds.`, { headers: { 'Retry-After': String(rate.retryAfterSec) } });
				}
				if (m.kind === 'method-not-allowed') throw new ApiError(405, 'Method Not Allowed', `${method} is not supported here.`, { headers: { Allow: m.allowed.join(', ') } });
				if (m.kind === 'not-found') throw new ApiError(404, 'Not Found', `No route for ${method} ${path}.`);
				const fault = faults.takeFault(method, path, route);
				delayMs = faults.takeDelay(method, path, route);
				const faultResponse = (f: NonNullable<typeof fault>): SimResponse => {
					faulted = true;
					if (f.status === 'reset') {
						reset = true;
						return json(500, {});
					}
					const retryAfter = String(f.retryAfterSec ?? 1);
					const extraHeaders: Record<string, string> = f.status === 429 || f.status === 503 ? { 'Retry-After': retryAfter } : {};
					if (f.status === 429) rateHeaders = { ...rateHeaders, 'RateLimit-Remaining': '0', 'RateLimit-Reset': retryAfter };
					const title = f.status === 429 ? 'Too Many Requests' : f.status === 503 ? 'Service Unavailable' : f.status >= 500 ? 'Internal Server Error' : 'Injected Fault';
					return errorResponse(new ApiError(f.status, title, f.status === 429 ? `Rate limit exceeded. Please retry after ${retryAfter} seconds.` : 'Injected fault (simulator).', { headers: extraHeaders }), path);
				};
				if (fault && fault.when !== 'after') {
					response = faultResponse(fault);
				} else {
					const simReq: SimRequest = { method, path, query: url.searchParams, headers: req.headers, params: m.params, rawBody: raw, body: parseJsonBody(raw, header(req, 'content-type')), auth: authCtx };
					let replay: SimResponse | null = null;
					if (method === 'POST' && idempotencyKey) {
						cacheKey = `${authCtx.credentialKey}\u0000${method}\u0000${path}\u0000${idempotencyKey}`;
						replay = idempotency.begin(cacheKey, fingerprint(raw));
					}
					if (replay) {
						replayed = true;
						response = replay;
					} else {
						try {
							response = await m.handler(simReq);
						} catch (err) {
							response = errorResponse(err, path);
						}
						if (cacheKey) idempotency.complete(cacheKey, response);
						// A concurrent app edit right after a single-resource read makes the reader's ETag stale.
						const b = response.body as { id?: unknown; etag?: unknown } | undefined;
						const concurrent = response.status === 200 && b && typeof b.etag === 'string' && typeof b.id === 'string' ? faults.takeConcurrentWrite(method, path, route) : null;
						if (concurrent && b && typeof b.id === 'string') {
							const kind = /\/prospects\//.test(path) ? 'prospect' : /\/links\//.test(path) ? 'link' : /\/companies\//.test(path) ? 'company' : /\/contacts\//.test(path) ? 'contact' : /\/properties\//.test(path) ? 'property' : 'project';
							try {
								if (concurrent !== true && kind === 'company') control.updateCompany(b.id, concurrent);
								else if (concurrent !== true && kind === 'contact') control.updateContact(b.id, concurrent);
								else control.touch(kind, b.id);
							} catch {
								// the record may be gone; nothing to make stale
							}
						}
					}
					if (fault) response = faultResponse(fault);
				}
			}
		} catch (err) {
			response = errorResponse(err, path);
		}
		response = { ...response, headers: { ...response.headers, ...rateHeaders } };
		log.push({ method, path, route, status: reset ? 0 : response.status, client: authCtx.client, idempotencyKey, replayed, faulted, at: clock.iso() });
		if (options.verbose) console.error(`[propstreet-sim] ${method} ${path} → ${reset ? 'reset' : response.status} (${authCtx.client})`);
		if (delayMs) await sleep(delayMs);
		if (reset) {
			req.socket.destroy();
			return;
		}
		if (res.destroyed || req.socket.destroyed) return;
		writeResponse(res, response);
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
			if (!res.headersSent) writeResponse(res, errorResponse(err, req.url ?? '/'));
		});
	});
	const port = await listenOnLoopback(server, options.port ?? 0);
	let closed = false;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		control,
		config: { token, oauthClients, switches },
		close: async () => {
			if (closed) return;
			closed = true;
			await dispatcher.close();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
