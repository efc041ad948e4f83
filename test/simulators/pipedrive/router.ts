/** A small router: route patterns like `/api/v2/persons/{id}`, matched per method. */
import type { ClientInfo } from './rateLimit';
import type { Store } from './store';
import type { Query } from './util';

export interface RequestContext {
	method: string;
	path: string;
	params: Record<string, string>;
	query: Query;
	body: Record<string, unknown>;
	client: ClientInfo;
	/** The user the token belongs to (author of API writes). */
	userId: number;
	store: Store;
}

export interface HandlerResult {
	status?: number;
	body: unknown;
	headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

export interface RouteOptions {
	/** Counts against the search burst limit (10 per 2 s). */
	search?: boolean;
	/** Returns a list (for the token cost). */
	list?: boolean;
}

export interface Route {
	method: string;
	pattern: string;
	regex: RegExp;
	keys: string[];
	handler: Handler;
	options: RouteOptions;
}

export class Router {
	readonly routes: Route[] = [];

	add(method: string, pattern: string, handler: Handler, options: RouteOptions = {}): void {
		const keys: string[] = [];
		const source = pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, key: string) => {
			keys.push(key);
			return '([^/]+)';
		});
		this.routes.push({ method, pattern, regex: new RegExp(`^${source}/?$`), keys, handler, options });
	}

	get = (pattern: string, handler: Handler, options?: RouteOptions) => this.add('GET', pattern, handler, options);
	post = (pattern: string, handler: Handler, options?: RouteOptions) => this.add('POST', pattern, handler, options);
	put = (pattern: string, handler: Handler, options?: RouteOptions) => this.add('PUT', pattern, handler, options);
	patch = (pattern: string, handler: Handler, options?: RouteOptions) => this.add('PATCH', pattern, handler, options);
	delete = (pattern: string, handler: Handler, options?: RouteOptions) => this.add('DELETE', pattern, handler, options);

	/** The matching route, or `methodNotAllowed` when the path exists for another method. */
	match(method: string, path: string): { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | null {
		let pathMatched = false;
		// Literal segments win over parameters (`/persons/search` before `/persons/{id}`).
		const ordered = [...this.routes].sort((a, b) => a.keys.length - b.keys.length);
		for (const route of ordered) {
			const m = route.regex.exec(path);
			if (!m) continue;
			pathMatched = true;
			if (route.method !== method) continue;
			const params: Record<string, string> = {};
			route.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1])));
			return { route, params };
		}
		return pathMatched ? { methodNotAllowed: true } : null;
	}
}
