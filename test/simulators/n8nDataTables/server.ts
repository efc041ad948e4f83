/**
 * The HTTP front, in the order n8n's public API applies its layers: JSON body parsing, path
 * matching against the OpenAPI spec, API-key authentication (401), OpenAPI request validation
 * (400, modelled for the parameters and bodies the routes declare), the key's scope (403), the
 * cursor (400), then the handler. Errors are `{ message }`, as n8n's public API sends them.
 */
import type * as http from 'http';
import * as R from './routes';
import { ValidationError } from './filters';
import { HttpError, type DataTableStore, type UpdateGapInfo } from './store';
import { openApiProblem } from './openapi';

export interface ApiKeyInfo {
	scopes: string[];
	/** The key owner's personal project: where tables they create land. */
	projectId: string;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	status: number;
}

export interface ServerDeps {
	store: DataTableStore;
	keys: Map<string, ApiKeyInfo>;
	switches: { sqliteReturnedRows: boolean; publicApiDisabled: boolean };
	hooks: { updateGap?: (info: UpdateGapInfo) => Promise<void> | void };
	log: RequestLogEntry[];
}

interface Route {
	method: string;
	pattern: RegExp;
	operation: string;
	scope: string;
	handler: (ctx: R.RouteContext) => R.RouteResult | Promise<R.RouteResult>;
}

const ID = '(?<dataTableId>[^/]+)';
const ROUTES: Route[] = [
	{ method: 'GET', pattern: /^\/data-tables$/, operation: 'listDataTables', scope: 'dataTable:list', handler: R.listTables },
	{ method: 'POST', pattern: /^\/data-tables$/, operation: 'createDataTable', scope: 'dataTable:create', handler: R.createTable },
	{ method: 'GET', pattern: new RegExp(`^/data-tables/${ID}$`), operation: 'getDataTable', scope: 'dataTable:read', handler: R.getTable },
	{ method: 'DELETE', pattern: new RegExp(`^/data-tables/${ID}$`), operation: 'deleteDataTable', scope: 'dataTable:delete', handler: R.deleteTable },
	{ method: 'GET', pattern: new RegExp(`^/data-tables/${ID}/columns$`), operation: 'listDataTableColumns', scope: 'dataTableColumn:read', handler: R.listColumns },
	{ method: 'POST', pattern: new RegExp(`^/data-tables/${ID}/columns$`), operation: 'createDataTableColumn', scope: 'dataTableColumn:create', handler: R.addColumn },
	{ method: 'GET', pattern: new RegExp(`^/data-tables/${ID}/rows$`), operation: 'getDataTableRows', scope: 'dataTableRow:read', handler: R.listRows },
	{ method: 'POST', pattern: new RegExp(`^/data-tables/${ID}/rows$`), operation: 'insertDataTableRows', scope: 'dataTableRow:create', handler: R.insertRows },
	{ method: 'PATCH', pattern: new RegExp(`^/data-tables/${ID}/rows/update$`), operation: 'updateDataTableRows', scope: 'dataTableRow:update', handler: R.updateRows },
	{ method: 'DELETE', pattern: new RegExp(`^/data-tables/${ID}/rows/delete$`), operation: 'deleteDataTableRows', scope: 'dataTableRow:delete', handler: R.deleteRows },
];

export const ALL_SCOPES = [...new Set(ROUTES.map((r) => r.scope))];

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
	if (status === 204) {
		res.writeHead(204).end();
		return;
	}
	const html = typeof body === 'string';
	const payload = html ? body : JSON.stringify(body);
	res.writeHead(status, { 'content-type': html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(payload)) });
	res.end(payload);
}

function match(method: string, path: string): { route: Route; params: Record<string, string> } | 'notFound' | 'methodNotAllowed' {
	const candidates = ROUTES.filter((r) => r.pattern.test(path));
	if (candidates.length === 0) return 'notFound';
	const route = candidates.find((r) => r.method === method);
	if (!route) return 'methodNotAllowed';
	const params = { ...(route.pattern.exec(path)?.groups ?? {}) };
	return { route, params };
}

/** The public API's cursor middleware: a cursor replaces `limit`/`offset` with its own. */
function applyCursor(query: Record<string, string>): string | null {
	if (!query.cursor) return null;
	try {
		const decoded = JSON.parse(Buffer.from(query.cursor, 'base64').toString()) as { offset?: number; limit?: number };
		if (typeof decoded !== 'object' || decoded === null || !('offset' in decoded)) throw new Error('not an offset cursor');
		query.offset = String(decoded.offset);
		query.limit = String(decoded.limit);
		delete query.cursor;
		return null;
	} catch {
		return 'An invalid cursor was provided';
	}
}

export function createHandler(deps: ServerDeps) {
	async function dispatch(req: http.IncomingMessage, path: string, query: Record<string, string>, rawBody: string, entry: RequestLogEntry): Promise<[number, unknown]> {
		const method = (req.method ?? 'GET').toUpperCase();
		if (deps.switches.publicApiDisabled) return [404, `<pre>Cannot ${method} /api/v1${path}</pre>`];
		let body: unknown = undefined;
		if (rawBody) {
			try {
				body = JSON.parse(rawBody);
			} catch {
				return [400, { message: 'Invalid JSON in request body' }];
			}
		}
		entry.body = body;
		const matched = match(method, path);
		if (matched === 'notFound') return [404, { message: 'not found' }];
		if (matched === 'methodNotAllowed') return [405, { message: `${method} method not allowed` }];
		const presented = req.headers['x-n8n-api-key'];
		if (typeof presented !== 'string' || presented === '') return [401, { message: "'X-N8N-API-KEY' header required" }];
		const key = deps.keys.get(presented);
		if (!key) return [401, { message: 'unauthorized' }];
		const problem = openApiProblem(matched.route.operation, matched.params, query, body);
		if (problem) return [400, { message: problem }];
		if (!key.scopes.includes(matched.route.scope)) return [403, { message: 'Forbidden' }];
		const cursorProblem = applyCursor(query);
		if (cursorProblem) return [400, { message: cursorProblem }];
		const ctx: R.RouteContext = { store: deps.store, params: matched.params, query, body, projectId: key.projectId, switches: deps.switches, updateGap: deps.hooks.updateGap };
		try {
			const result = await matched.route.handler(ctx);
			return [result.status ?? 200, result.body];
		} catch (error) {
			if (error instanceof HttpError) return [error.status, { message: error.message }];
			if (error instanceof ValidationError) return [400, { message: error.message }];
			return [500, { message: 'Internal server error' }];
		}
	}

	return async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const query: Record<string, string> = {};
		for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
		const entry: RequestLogEntry = { method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query: { ...query }, body: undefined, status: 0 };
		const rawBody = await readBody(req);
		let status: number;
		let body: unknown;
		if (!url.pathname.startsWith('/api/v1/')) [status, body] = [404, `<pre>Cannot ${entry.method} ${url.pathname}</pre>`];
		else [status, body] = await dispatch(req, url.pathname.slice('/api/v1'.length), query, rawBody, entry);
		entry.status = status;
		deps.log.push(entry);
		send(res, status, body);
	};
}
