/** The small HTTP layer: request/response shapes, a path router, body parsing and response writing. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'http';
import { ApiError } from './errors';

export interface AuthContext {
	kind: 'pat' | 'oauth' | 'anonymous';
	/** Key of the rate-limit bucket and of the idempotency cache (one per token). */
	credentialKey: string;
	/** Who is calling, for the request log: `pat`, the OAuth client id, or `anonymous`. */
	client: string;
}

export interface SimRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	params: Record<string, string>;
	rawBody: string;
	body: unknown;
	auth: AuthContext;
}

export interface SimResponse {
	status: number;
	headers: Record<string, string>;
	/** JSON-serialisable body; undefined means no body. */
	body?: unknown;
	/** Pre-serialised body with its content type (problem+json, form errors). */
	raw?: { contentType: string; text: string };
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
	return { status, body, headers };
}

export function noContent(headers: Record<string, string> = {}): SimResponse {
	return { status: 204, headers };
}

export function header(req: { headers: IncomingHttpHeaders }, name: string): string | undefined {
	const value = req.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

interface Route {
	method: string;
	pattern: string;
	segments: string[];
	handler: Handler;
}

export type RouteMatch =
	| { kind: 'found'; route: string; handler: Handler; params: Record<string, string> }
	| { kind: 'method-not-allowed'; allowed: string[] }
	| { kind: 'not-found' };

/** Routes use `{name}` for path parameters, so literal colons (`prospects:batch`) stay literal. */
export class Router {
	private readonly routes: Route[] = [];

	add(method: string, pattern: string, handler: Handler): void {
		this.routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler });
	}

	match(method: string, path: string): RouteMatch {
		const parts = path.split('/').filter(Boolean);
		const allowed: string[] = [];
		let best: { route: Route; params: Record<string, string>; literals: number } | null = null;
		for (const route of this.routes) {
			if (route.segments.length !== parts.length) continue;
			const params: Record<string, string> = {};
			let literals = 0;
			let ok = true;
			for (let i = 0; i < parts.length; i++) {
				const seg = route.segments[i];
				if (seg.startsWith('{') && seg.endsWith('}')) {
					let value: string;
					try {
						value = decodeURIComponent(parts[i]);
					} catch {
						ok = false;
						break;
					}
					params[seg.slice(1, -1)] = value;
				} else if (seg === parts[i]) literals++;
				else {
					ok = false;
					break;
				}
			}
			if (!ok) continue;
			if (route.method !== method) {
				allowed.push(route.method);
				continue;
			}
			// Prefer the route with more literal segments (`/contacts/external/...` over `/contacts/{id}/...`).
			if (!best || literals > best.literals) best = { route, params, literals };
		}
		if (best) return { kind: 'found', route: `${best.route.method} ${best.route.pattern}`, handler: best.route.handler, params: best.params };
		if (allowed.length) return { kind: 'method-not-allowed', allowed: [...new Set(allowed)] };
		return { kind: 'not-found' };
	}
}

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new ApiError(413, 'Payload Too Large', 'Request bodies are limited to 10 MB.'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

export function parseJsonBody(raw: string, contentType: string | undefined): unknown {
	if (!raw.trim()) return undefined;
	if (contentType && !/json/i.test(contentType)) {
		throw new ApiError(415, 'Unsupported Media Type', 'Send request bodies as application/json.');
	}
	try {
		return JSON.parse(raw);
	} catch {
		throw new ApiError(400, 'Bad Request', 'The request body is not valid JSON.');
	}
}

export function writeResponse(res: ServerResponse, response: SimResponse): void {
	let text: string | undefined;
	let contentType: string | undefined;
	if (response.raw) {
		text = response.raw.text;
		contentType = response.raw.contentType;
	} else if (response.body !== undefined) {
		text = JSON.stringify(response.body);
		contentType = 'application/json; charset=utf-8';
	}
	const headers: Record<string, string | number> = { ...response.headers };
	if (text !== undefined) {
		headers['Content-Type'] = contentType as string;
		headers['Content-Length'] = Buffer.byteLength(text);
	} else headers['Content-Length'] = 0;
	res.writeHead(response.status, headers);
	res.end(text);
}
