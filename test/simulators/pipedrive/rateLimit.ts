/**
 * Pipedrive's rate limits (reference §15): a daily token budget per company (30 000 × plan multiplier ×
 * seats, every endpoint has a fixed token cost), a burst limit per token in a rolling 2-second window
 * (search has its own 10 per 2 s), the `x-ratelimit-*` / `x-daily-*` headers, 429 when over, and a 403
 * HTML block for an API-token client that keeps calling while limited.
 */
import type { SimClock } from './clock';
import type { Plan, RateLimitOptions } from './types';

export const PLAN_MULTIPLIER: Record<Plan, number> = { lite: 1, growth: 2, premium: 5, ultimate: 7 };
/** Burst per 2 s: [API token, OAuth app]. */
export const PLAN_BURST: Record<Plan, [number, number]> = { lite: [20, 80], growth: [40, 160], premium: [100, 400], ultimate: [120, 480] };

export interface CostContext {
	method: string;
	version: 'v1' | 'v2';
	/** The route pattern, e.g. `GET /api/v2/persons/{id}`. */
	route: string;
	search: boolean;
	/** True for routes returning a list. */
	list: boolean;
}

/**
 * Token cost of one request. Confirmed: GET /api/v2/persons 10, GET/POST /v1/webhooks 10. Secondary:
 * v2 single 1, list 10, create/update 5, delete 3, search 20, pipelines/stages 5, v1 notes POST/PUT 10,
 * GET notes / users 20, users/me 2. The rest follow the documented v1 examples (single 2, list 20,
 * update 10, delete 6, search 40) — participants, merges and webhook deletes are not documented.
 */
export function tokenCost(c: CostContext): number {
	const r = c.route;
	if (r === 'GET /v1/users/me') return 2;
	if (r === 'GET /v1/webhooks' || r === 'POST /v1/webhooks') return 10;
	if (c.version === 'v2') {
		if (c.search) return 20;
		if (/\/(pipelines|stages)/.test(r)) return c.method === 'GET' ? 5 : c.method === 'DELETE' ? 3 : 5;
		if (r.includes('/deals/archived')) return 20;
		if (c.method === 'GET') return c.list ? 10 : 1;
		if (c.method === 'DELETE') return 3;
		return 5;
	}
	if (c.search) return 40;
	if (c.method === 'GET') return c.list ? 20 : 2;
	if (c.method === 'DELETE') return 6;
	return 10;
}

export interface ClientInfo {
	/** Counter / bucket key. */
	label: string;
	isOAuth: boolean;
}

export type LimitDecision =
	| { kind: 'ok'; headers: Record<string, string> }
	| { kind: 'limited'; headers: Record<string, string>; reason: 'burst' | 'search-burst' | 'daily' }
	| { kind: 'blocked' };

interface ClientState {
	requests: number[];
	searches: number[];
	/** Requests received while limited since the last allowed one. */
	limitedStreak: number;
	blockedUntil: number | null;
	writesToday: number;
	writesDay: string;
}

export class RateLimiter {
	plan: Plan;
	seats: number;
	budgetOverride: number | undefined;
	tokensUsed = 0;
	private budgetDay: string;
	private clients = new Map<string, ClientState>();

	constructor(
		private readonly clock: SimClock,
		private readonly options: RateLimitOptions,
		public enforceBurst: boolean,
	) {
		this.plan = options.plan ?? 'ultimate';
		this.seats = options.seats ?? 10;
		this.budgetOverride = options.dailyTokenBudget;
		this.budgetDay = this.day();
	}

	/** The budget resets at midnight, server time; the server's zone is not documented, so UTC here. */
	private day(): string {
		return new Date(this.clock.now()).toISOString().slice(0, 10);
	}

	get windowMs(): number {
		return this.options.windowMs ?? 2000;
	}

	get dailyBudget(): number {
		return this.budgetOverride ?? 30_000 * PLAN_MULTIPLIER[this.plan] * this.seats;
	}

	burstLimit(client: ClientInfo): number {
		const [token, oauth] = PLAN_BURST[this.plan];
		return client.isOAuth ? (this.options.oauthBurstLimit ?? oauth) : (this.options.burstLimit ?? token);
	}

	get searchLimit(): number {
		return this.options.searchBurstLimit ?? 10;
	}

	private state(label: string): ClientState {
		let s = this.clients.get(label);
		if (!s) {
			s = { requests: [], searches: [], limitedStreak: 0, blockedUntil: null, writesToday: 0, writesDay: this.day() };
			this.clients.set(label, s);
		}
		return s;
	}

	private rollDay(): void {
		const today = this.day();
		if (today !== this.budgetDay) {
			this.budgetDay = today;
			this.tokensUsed = 0;
		}
	}

	remainingTokens(): number {
		this.rollDay();
		return Math.max(0, this.dailyBudget - this.tokensUsed);
	}

	block(label: string, ms?: number): void {
		this.state(label).blockedUntil = this.clock.now() + (ms ?? this.options.blockDurationMs ?? 600_000);
	}

	unblock(label?: string): void {
		for (const [key, s] of this.clients) if (!label || key === label) { s.blockedUntil = null; s.limitedStreak = 0; }
	}

	isBlocked(label: string): boolean {
		const s = this.clients.get(label);
		return !!s?.blockedUntil && s.blockedUntil > this.clock.now();
	}

	/** Decides whether a request may run; when it may, records it and charges `cost` tokens. */
	check(client: ClientInfo, cost: number, opts: { search: boolean; write: boolean }): LimitDecision {
		this.rollDay();
		const now = this.clock.now();
		const s = this.state(client.label);
		if (s.blockedUntil !== null) {
			if (s.blockedUntil > now) return { kind: 'blocked' };
			s.blockedUntil = null;
			s.limitedStreak = 0;
		}
		const since = now - this.windowMs;
		s.requests = s.requests.filter((t) => t > since);
		s.searches = s.searches.filter((t) => t > since);
		if (s.writesDay !== this.day()) {
			s.writesDay = this.day();
			s.writesToday = 0;
		}
		const limit = this.burstLimit(client);
		let reason: 'burst' | 'search-burst' | 'daily' | null = null;
		if (this.tokensUsed + cost > this.dailyBudget) reason = 'daily';
		else if (this.enforceBurst && s.requests.length >= limit) reason = 'burst';
		else if (this.enforceBurst && opts.search && s.searches.length >= this.searchLimit) reason = 'search-burst';
		if (reason) {
			s.limitedStreak++;
			// Only API-token traffic is blocked (the docs exempt OAuth apps).
			const blockAfter = this.options.blockAfterLimitedRequests ?? 10;
			if (!client.isOAuth && s.limitedStreak > blockAfter) {
				s.blockedUntil = now + (this.options.blockDurationMs ?? 600_000);
				return { kind: 'blocked' };
			}
			return { kind: 'limited', reason, headers: this.headers(client, s, opts.search && reason === 'search-burst') };
		}
		s.limitedStreak = 0;
		s.requests.push(now);
		if (opts.search) s.searches.push(now);
		if (opts.write) s.writesToday++;
		this.tokensUsed += cost;
		return { kind: 'ok', headers: this.headers(client, s, opts.search) };
	}

	private headers(client: ClientInfo, s: ClientState, search: boolean): Record<string, string> {
		const now = this.clock.now();
		const window = search ? s.searches : s.requests;
		const limit = search ? this.searchLimit : this.burstLimit(client);
		const oldest = window[0];
		const reset = oldest === undefined ? this.windowMs / 1000 : Math.max(0, Math.ceil((oldest + this.windowMs - now) / 1000));
		const headers: Record<string, string> = {
			'x-ratelimit-limit': String(limit),
			'x-ratelimit-remaining': String(Math.max(0, limit - window.length)),
			'x-ratelimit-reset': String(reset),
			'x-daily-ratelimit-token-limit': String(this.dailyBudget),
			'x-daily-ratelimit-token-remaining': String(Math.max(0, this.dailyBudget - this.tokensUsed)),
		};
		// Only for api_token requests: the POST/PUT fair-use counter.
		if (!client.isOAuth) headers['x-daily-requests-left'] = String(Math.max(0, (this.options.dailyWriteLimit ?? 10_000) - s.writesToday));
		return headers;
	}

	resetCounters(): void {
		this.clients.clear();
		this.tokensUsed = 0;
	}
}

/** The Cloudflare-style page an abusive API-token client gets (HTML, not JSON). */
export const BLOCKED_HTML = `<!DOCTYPE html>
<html lang="en"><head><title>Access denied | api.pipedrive.com used Cloudflare to restrict access</title></head>
<body><div id="cf-wrapper"><h1>Error 1015</h1><h2>You are being rate limited</h2>
<p>The owner of this website (api.pipedrive.com) has banned you temporarily from accessing this website.</p></div></body></html>
`;
