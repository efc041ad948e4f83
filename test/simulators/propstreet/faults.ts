/**
 * Fault injection for API calls: the next N matching requests answer with a status (429 / 5xx / any)
 * or a dropped connection, either before the handler runs or after it (the write happened but the
 * client sees an error); delayed responses (the write happens at once, the answer comes late, so a
 * client that times out and retries with the same Idempotency-Key gets a replay, not a duplicate);
 * and a concurrent edit right after a GET (so the caller's ETag is stale on its next write).
 */
export type RouteMatcher = string | RegExp;

export interface FaultSpec {
	/** HTTP status to answer with, or `reset` to drop the connection without an answer. */
	status: number | 'reset';
	/** How many matching requests get the fault (default 1). */
	count?: number;
	/**
	 * Which requests: strings match a route pattern (`PATCH /api/v1/network/contacts/{id}`), a
	 * method + path prefix (`POST /api/v1/projects`) or a path prefix (`/api/v1/network`); RegExps are
	 * tested on `METHOD /path`. Default: every API request.
	 */
	routes?: RouteMatcher[];
	/** `before` (default): the handler does not run. `after`: the write happens, the answer is the fault. */
	when?: 'before' | 'after';
	/** Retry-After seconds on injected 429/503 (default 1). */
	retryAfterSec?: number;
}

export interface DelaySpec {
	count?: number;
	routes?: RouteMatcher[];
}

export interface ConcurrentWriteSpec extends DelaySpec {
	/** Fields the concurrent app user changes (contacts and companies); without it the record is only touched. */
	edit?: Record<string, unknown>;
}

interface Armed<T> {
	spec: T;
	remaining: number;
	routes?: RouteMatcher[];
}

export function routeMatches(routes: RouteMatcher[] | undefined, method: string, path: string, route: string | null): boolean {
	if (!routes || routes.length === 0) return true;
	const line = `${method} ${path}`;
	return routes.some((m) => {
		if (m instanceof RegExp) return m.test(line);
		if (route && m === route) return true;
		if (/^[A-Z]+ /.test(m)) return line.startsWith(m);
		return path.startsWith(m);
	});
}

export class FaultInjector {
	private faults: Armed<FaultSpec>[] = [];
	private delays: Armed<number>[] = [];
	private staleAfterGet: Armed<Record<string, unknown> | true>[] = [];

	inject(spec: FaultSpec): void {
		this.faults.push({ spec, remaining: spec.count ?? 1, routes: spec.routes });
	}

	delay(ms: number, spec: DelaySpec = {}): void {
		this.delays.push({ spec: ms, remaining: spec.count ?? 1, routes: spec.routes });
	}

	concurrentWriteAfterGet(spec: ConcurrentWriteSpec = {}): void {
		this.staleAfterGet.push({ spec: spec.edit ?? true, remaining: spec.count ?? 1, routes: spec.routes });
	}

	private take<T>(list: Armed<T>[], method: string, path: string, route: string | null): T | null {
		const armed = list.find((a) => a.remaining > 0 && routeMatches(a.routes, method, path, route));
		if (!armed) return null;
		armed.remaining--;
		return armed.spec;
	}

	takeFault(method: string, path: string, route: string | null): FaultSpec | null {
		const f = this.take(this.faults, method, path, route);
		this.faults = this.faults.filter((a) => a.remaining > 0);
		return f;
	}

	takeDelay(method: string, path: string, route: string | null): number | null {
		const d = this.take(this.delays, method, path, route);
		this.delays = this.delays.filter((a) => a.remaining > 0);
		return d;
	}

	/** The concurrent write armed for this GET: `true` (touch only), the fields to edit, or null. */
	takeConcurrentWrite(method: string, path: string, route: string | null): Record<string, unknown> | true | null {
		if (method !== 'GET') return null;
		const hit = this.take(this.staleAfterGet, method, path, route);
		this.staleAfterGet = this.staleAfterGet.filter((a) => a.remaining > 0);
		return hit;
	}

	clear(): void {
		this.faults = [];
		this.delays = [];
		this.staleAfterGet = [];
	}
}
