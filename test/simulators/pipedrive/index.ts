/**
 * A local Pipedrive API server for tests, benchmarks and the demo: API v2 (persons, organizations,
 * deals, search, fields, pipelines, stages), the v1 endpoints v2 lacks (participants, notes, fields,
 * webhooks, merges, users), Webhooks v2 deliveries, token-based rate limits and Pipedrive's errors.
 * See README.md for what it models and what it does not.
 *
 *   const sim = await startPipedriveSimulator({ seed: true });
 *   // sim.url = http://127.0.0.1:<port>; API token 'pipedrive-dev-token'
 *   await sim.close();
 */
import * as http from 'http';
import { listenOnLoopback } from '../shared/listen';

import { SimClock } from './clock';
import { createControl, createControlHttp, type PipedriveControl } from './control';
import { RateLimiter } from './rateLimit';
import { Router } from './router';
import { registerV1 } from './routes/v1';
import { registerV2 } from './routes/v2';
import { seedNordic } from './seed';
import { createHandler, emptyStats, type Fault, type TokenInfo } from './server';
import { Store } from './store';
import type { PipedriveSimulatorOptions, PipedriveSwitches } from './types';
import { WebhookDispatcher } from './webhooks';

export type { PipedriveControl } from './control';
export type { PipedriveSimulatorOptions, PipedriveSwitches, DeliveryRecord, RequestLogEntry, Plan } from './types';
export { seededFieldKey } from './fields';
export { SEEDED_CUSTOM_FIELDS, CLASSIFICATION_LABELS } from './seed';

export const DEFAULT_TOKEN = 'pipedrive-dev-token';
export const DEFAULT_OAUTH_TOKEN = 'pipedrive-dev-oauth-token';

export interface PipedriveSimulator {
	/** `http://127.0.0.1:<port>`; the API lives under `/api/v2` and `/v1` (also `/api/v1`). */
	url: string;
	port: number;
	token: string;
	close(): Promise<void>;
	control: PipedriveControl;
}

export const DEFAULT_SWITCHES: PipedriveSwitches = {
	participantWebhooks: false,
	participantChangeTouchesDeal: false,
	primaryPersonIsParticipant: true,
	duplicateParticipant: 'error',
	v1PaginationShape: 'wrapped',
	webhookTimestamp: 'iso',
	acceptQueryToken: true,
	contactSync: true,
	enforceBurst: false,
	allowHttpLoopbackWebhooks: true,
};

export async function startPipedriveSimulator(options: PipedriveSimulatorOptions = {}): Promise<PipedriveSimulator> {
	const switches: PipedriveSwitches = { ...DEFAULT_SWITCHES, ...(options.switches ?? {}) };
	const clock = new SimClock(options.clock ?? {});
	const company = {
		id: options.company?.id ?? 7001234,
		name: options.company?.name ?? 'Propstreet Sim AB',
		domain: options.company?.domain ?? 'propstreet-sim',
		currency: options.company?.currency ?? 'SEK',
	};
	let dispatcher: WebhookDispatcher | undefined;
	const store = new Store(clock, company, switches, (event) => dispatcher?.dispatch(event));
	dispatcher = new WebhookDispatcher(store, clock, company, switches, {
		retryDelaysMs: options.webhookRetryDelaysMs ?? [3_000, 30_000, 150_000],
		timeoutMs: options.webhookTimeoutMs ?? 10_000,
		banThreshold: options.webhookBanThreshold ?? 10,
		banMs: options.webhookBanMs ?? 30 * 60_000,
	});
	if (options.seed) seedNordic(store);

	const token = options.token ?? DEFAULT_TOKEN;
	const tokens = new Map<string, TokenInfo>([[token, { userId: 1, isOAuth: false }]]);
	for (const extra of options.extraTokens ?? []) tokens.set(extra, { userId: 2, isOAuth: false });
	for (const oauth of options.oauthTokens ?? [DEFAULT_OAUTH_TOKEN]) tokens.set(oauth, { userId: 1, isOAuth: true });

	const limiter = new RateLimiter(clock, options.rateLimit ?? {}, switches.enforceBurst);
	const router = new Router();
	registerV2(router);
	registerV1(router);
	const faults: Fault[] = [];
	const stats = emptyStats();
	const control = createControl({ store, clock, limiter, dispatcher, faults, stats, tokens, switches });
	const handler = createHandler({
		store, router, limiter, switches, tokens, faults, stats, verbose: options.verbose ?? false,
		control: options.controlApi === false ? undefined : createControlHttp(control),
	});

	const server = http.createServer((req, res) => {
		handler(req, res).catch((error) => {
			if (!res.headersSent) {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ success: false, error: `Internal server error: ${(error as Error).message}`, error_info: null, data: null, additional_data: null }));
			}
		});
	});
	server.keepAliveTimeout = 1000;
	const port = await listenOnLoopback(server, options.port ?? 0);
	let closed = false;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		token,
		control,
		async close() {
			if (closed) return;
			closed = true;
			dispatcher!.close();
			server.closeAllConnections?.();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
