/**
 * Who spent what: each workflow run (and each poll) is measured as the difference of the two
 * simulators' counters before and after it, and added to a bucket per workflow and per kind of
 * trigger (a user's change, an echo of our own write, a record the filters drop, a poll, the backfill).
 */
import type { World } from './world';

export interface Spend {
	runs: number;
	pdCalls: number;
	pdTokens: number;
	pd429: number;
	psRequests: number;
	ps429: number;
}

export const emptySpend = (): Spend => ({ runs: 0, pdCalls: 0, pdTokens: 0, pd429: 0, psRequests: 0, ps429: 0 });

export function addSpend(into: Spend, more: Spend): void {
	for (const key of Object.keys(into) as Array<keyof Spend>) into[key] += more[key];
}

function counters(world: World): Omit<Spend, 'runs'> {
	const stats = world.bed.pd.control.stats();
	const pd429 = Object.values(stats.byRoute).reduce((n, r) => n + (r.statuses['429'] ?? 0), 0);
	const psLog = (world.bed.ps.control as any).requests() as Array<{ status: number }>;
	return { pdCalls: stats.total, pdTokens: stats.tokens, pd429, psRequests: psLog.length, ps429: psLog.filter((e) => e.status === 429).length };
}

export class Meter {
	readonly byWorkflow = new Map<string, Spend>();
	readonly byKind = new Map<string, Spend>();
	/** Pipedrive routes (with calls and tokens) per workflow, to see where the tokens went. */
	readonly routes = new Map<string, Map<string, { calls: number; tokens: number }>>();

	constructor(private readonly world: World) {}

	async measure<T>(workflow: string, kind: string, run: () => Promise<T>): Promise<T> {
		const before = counters(this.world);
		const routesBefore = this.world.bed.pd.control.requestsByRoute();
		const tokensBefore = this.world.bed.pd.control.tokensByRoute();
		try {
			return await run();
		} finally {
			const after = counters(this.world);
			const spend: Spend = { runs: 1, pdCalls: after.pdCalls - before.pdCalls, pdTokens: after.pdTokens - before.pdTokens, pd429: after.pd429 - before.pd429, psRequests: after.psRequests - before.psRequests, ps429: after.ps429 - before.ps429 };
			for (const [map, key] of [[this.byWorkflow, workflow], [this.byKind, kind], [this.byKind, `${workflow} | ${kind}`]] as const) {
				if (!map.has(key)) map.set(key, emptySpend());
				addSpend(map.get(key)!, spend);
			}
			const routes = this.routes.get(workflow) ?? new Map<string, { calls: number; tokens: number }>();
			this.routes.set(workflow, routes);
			const routesAfter = this.world.bed.pd.control.requestsByRoute();
			const tokensAfter = this.world.bed.pd.control.tokensByRoute();
			for (const [route, calls] of Object.entries(routesAfter)) {
				const delta = calls - (routesBefore[route] ?? 0);
				if (!delta) continue;
				const entry = routes.get(route) ?? { calls: 0, tokens: 0 };
				entry.calls += delta;
				entry.tokens += (tokensAfter[route] ?? 0) - (tokensBefore[route] ?? 0);
				routes.set(route, entry);
			}
		}
	}
}
