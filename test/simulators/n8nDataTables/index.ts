/**
 * A local stand-in for the data-table endpoints of n8n 2.40.7's public API, for the sync state
 * store's tests. See README.md for what it models and what it leaves out.
 *
 *   const sim = await startN8nDataTableSimulator();
 *   // sim.url = http://127.0.0.1:<port>/api/v1 (the credential's Base URL); header X-N8N-API-KEY: sim.apiKey
 *   sim.rows('Propstreet sync state');
 *   await sim.close();
 */
import * as http from 'http';
import { SimClock } from '../shared/clock';
import { listenOnLoopback } from '../shared/listen';
import { ALL_SCOPES, createHandler, type ApiKeyInfo, type RequestLogEntry } from './server';
import { DataTableStore, rowJson, type TableRecord, type UpdateGapInfo } from './store';
import type { ColumnType } from './schemas';

export type { RequestLogEntry, UpdateGapInfo };
export { ALL_SCOPES };

export const DEFAULT_API_KEY = 'n8n-sim-api-key';
export const DEFAULT_PROJECT_ID = 'personalProject1';

export interface N8nDataTableSimulatorOptions {
	apiKey?: string;
	/** Scopes of the default key (all data-table scopes when absent). */
	scopes?: string[];
	/** More keys: their scopes and the personal project their tables land in. */
	extraKeys?: Record<string, Partial<ApiKeyInfo>>;
	/** Emulate n8n on SQLite: an update's returned rows are the ones read before the UPDATE. */
	sqliteReturnedRows?: boolean;
	clock?: { start?: string | Date | number; frozen?: boolean };
	port?: number;
}

export interface N8nDataTableSimulator {
	/** The public API base, as an n8n user would enter it: `http://127.0.0.1:<port>/api/v1`. */
	url: string;
	apiKey: string;
	clock: SimClock;
	/** Live switches: `sqliteReturnedRows` and `publicApiDisabled` (every /api/v1 call 404s). */
	switches: { sqliteReturnedRows: boolean; publicApiDisabled: boolean };
	/** `updateGap` runs between the read and the write of an update in SQLite mode. */
	hooks: { updateGap?: (info: UpdateGapInfo) => Promise<void> | void };
	/** Every request, in order. */
	requests: RequestLogEntry[];
	/** Every table, oldest first. */
	tables(): TableRecord[];
	/** The rows of a table (by id or name; the oldest table of that name), as the API returns them. */
	rows(table: string): Array<Record<string, unknown>>;
	/** Creates a table directly (seeding), e.g. in another user's project. */
	createTable(name: string, columns: Array<{ name: string; type: ColumnType }>, projectId?: string): TableRecord;
	/** Forgets every table, row and logged request. */
	reset(): void;
	close(): Promise<void>;
}

export async function startN8nDataTableSimulator(options: N8nDataTableSimulatorOptions = {}): Promise<N8nDataTableSimulator> {
	const clock = new SimClock(options.clock ?? {});
	const store = new DataTableStore(clock);
	const apiKey = options.apiKey ?? DEFAULT_API_KEY;
	const keys = new Map<string, ApiKeyInfo>([[apiKey, { scopes: options.scopes ?? ALL_SCOPES, projectId: DEFAULT_PROJECT_ID }]]);
	for (const [key, info] of Object.entries(options.extraKeys ?? {})) {
		keys.set(key, { scopes: info.scopes ?? ALL_SCOPES, projectId: info.projectId ?? `personal-${key}` });
	}
	const switches = { sqliteReturnedRows: options.sqliteReturnedRows ?? false, publicApiDisabled: false };
	const hooks: N8nDataTableSimulator['hooks'] = {};
	const requests: RequestLogEntry[] = [];
	const handler = createHandler({ store, keys, switches, hooks, log: requests });
	const server = http.createServer((req, res) => {
		handler(req, res).catch(() => {
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Internal server error"}');
		});
	});
	server.keepAliveTimeout = 1000;
	const port = await listenOnLoopback(server, options.port ?? 0);
	const tables = () => [...store.tables.values()]; // insertion order = oldest first
	const find = (ref: string) => store.tables.get(ref) ?? tables().find((t) => t.name === ref);
	let closed = false;
	return {
		url: `http://127.0.0.1:${port}/api/v1`,
		apiKey,
		clock,
		switches,
		hooks,
		requests,
		tables,
		rows(ref) {
			const table = find(ref);
			return table ? table.rows.map((r) => rowJson(table, r)) : [];
		},
		createTable: (name, columns, projectId = DEFAULT_PROJECT_ID) => store.createTable(projectId, name, columns),
		reset() {
			store.tables.clear();
			requests.length = 0;
			hooks.updateGap = undefined;
			switches.publicApiDisabled = false;
			switches.sqliteReturnedRows = options.sqliteReturnedRows ?? false;
		},
		async close() {
			if (closed) return;
			closed = true;
			server.closeAllConnections?.();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
