/**
 * Pipedrive API budget of one person sync. The token costs are the Pipedrive simulator's
 * (test/simulators/pipedrive/rateLimit.ts, from the reference): each call below is made against a
 * seeded simulator on the Lite plan with one seat, and the tokens it charged are read back from
 * its counters, so a change to the cost table shows up here.
 *
 * Which calls a sync makes comes from the bundled contact workflows (workflows/02-*.json for
 * Pipedrive → Propstreet, 03-*.json for Propstreet → Pipedrive) when they exist; the Pipedrive
 * calls found in them are listed and costed. Until they exist, the call lists below are the
 * assumption, stated in the output.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { seededFieldKey, startPipedriveSimulator } from '../../simulators/pipedrive';
import { PLAN_MULTIPLIER, tokenCost } from '../../simulators/pipedrive/rateLimit';
import { pipedriveIdFor } from '../../simulators/seed/ids';
import { deals } from '../../simulators/seed/nordic';
import { expectEqual } from '../lib/measure';
import { formatInt, renderTable } from '../lib/table';

interface Call {
	method: string;
	path: string;
	query?: Record<string, string>;
	body?: unknown;
	why: string;
}

interface Scenario {
	name: string;
	direction: 'P→PS' | 'PS→P';
	calls: Call[];
}

const CONTACT_ID_KEY = seededFieldKey('propstreet_contact_id');

/** The assumed Pipedrive calls of the bundled contact workflows (used while workflows/02-, 03- are missing). */
function assumedScenarios(): Scenario[] {
	const person = pipedriveIdFor('person', 'astrid');
	const org = pipedriveIdFor('organization', 'nordhav');
	const fields: Call = { method: 'GET', path: '/api/v2/personFields', query: { limit: '500' }, why: 'field definitions for the Mapper (custom-field keys, options)' };
	const orgLookup: Call = { method: 'GET', path: `/api/v2/organizations/${org}`, why: "the person's organization, for its propstreet_company_id" };
	const current: Call = { method: 'GET', path: `/api/v2/persons/${person}`, why: 'current person, to compare and to merge e-mails/phones' };
	const patch: Call = { method: 'PATCH', path: `/api/v2/persons/${person}`, body: { custom_fields: { [CONTACT_ID_KEY]: '5001' } }, why: 'write the change (or the Propstreet id) to the person' };
	return [
		{ name: 'P→PS, contact exists (update or no-op)', direction: 'P→PS', calls: [fields, orgLookup] },
		{ name: 'P→PS, new contact (+ id written back)', direction: 'P→PS', calls: [fields, orgLookup, patch] },
		{ name: 'PS→P, person changed', direction: 'PS→P', calls: [fields, current, patch] },
		{ name: 'PS→P, person unchanged (echo of our own write)', direction: 'PS→P', calls: [fields, current] },
		{
			name: 'PS→P, new person (no ref: search, create)',
			direction: 'PS→P',
			calls: [
				fields,
				{ method: 'GET', path: '/api/v2/persons/search', query: { term: 'ny.person@fjord.example.no', fields: 'email', exact_match: 'true' }, why: 'match by e-mail before creating' },
				{ method: 'POST', path: '/api/v2/persons', body: { name: 'Ny Person', emails: [{ value: 'ny.person@fjord.example.no', primary: true, label: 'work' }] }, why: 'create the person' },
			],
		},
	];
}

/** Round trips: one edit plus the echo webhook it causes on the other side, which stops as unchanged. */
const ROUND_TRIPS: Array<{ name: string; parts: string[] }> = [
	{ name: 'Edit in Pipedrive, synced + echo', parts: ['P→PS, contact exists (update or no-op)', 'PS→P, person unchanged (echo of our own write)'] },
	{ name: 'Edit in Propstreet, synced + echo', parts: ['PS→P, person changed', 'P→PS, contact exists (update or no-op)'] },
	{ name: 'New in Pipedrive, created + echoes', parts: ['P→PS, new contact (+ id written back)', 'P→PS, contact exists (update or no-op)', 'PS→P, person unchanged (echo of our own write)'] },
];

// --- workflow files -----------------------------------------------------------------------------

interface WorkflowNode {
	name: string;
	type: string;
	parameters?: Record<string, unknown>;
}

interface Workflow {
	name?: string;
	nodes?: WorkflowNode[];
	connections?: Record<string, { main?: Array<Array<{ node: string }> | null> }>;
}

export interface PipedriveCall {
	node: string;
	method: string;
	/** Route pattern as the simulator names it, e.g. `/api/v2/persons/{id}`. */
	route: string;
}

/** One way through a workflow: the branch taken at each IF / Filter / Switch, and the Pipedrive calls on it. */
export interface ExecutionPath {
	decisions: string[];
	calls: PipedriveCall[];
	/** A sync: the record is mapped and not dropped by a filter (not a delete / merge / filtered-out branch). */
	syncs: boolean;
}

const PLURAL: Record<string, string> = { person: 'persons', organization: 'organizations', deal: 'deals', note: 'notes', activity: 'activities', lead: 'leads', product: 'products' };
const OPERATION: Record<string, [string, boolean]> = { get: ['GET', true], getAll: ['GET', false], search: ['GET', false], create: ['POST', false], update: ['PATCH', true], delete: ['DELETE', true] };

/** The Pipedrive call a node makes, if it is a built-in Pipedrive node or an HTTP Request aimed at Pipedrive. */
export function pipedriveCallOf(node: WorkflowNode): PipedriveCall | null {
	const type = node.type ?? '';
	const p = node.parameters ?? {};
	if (/\.pipedrive$/i.test(type)) {
		const resource = String(p.resource ?? 'deal');
		const operation = String(p.operation ?? 'get');
		const op = OPERATION[operation];
		const plural = PLURAL[resource] ?? `${resource}s`;
		if (!op) return { node: node.name, method: '?', route: `${resource}.${operation}` };
		return { node: node.name, method: op[0], route: `/api/v2/${plural}${operation === 'search' ? '/search' : op[1] ? '/{id}' : ''}` };
	}
	if (/\.httpRequest$/i.test(type)) {
		const url = String(p.url ?? '');
		if (!/pipedrive/i.test(url) && !/pipedrive/i.test(String(p.nodeCredentialType ?? ''))) return null;
		const method = String(p.method ?? 'GET').toUpperCase();
		const match = /(\/api\/v2\/[^?#]*|\/v1\/[^?#]*)/.exec(url.replace(/\{\{[\s\S]*?\}\}/g, '{id}'));
		if (!match) return { node: node.name, method, route: url };
		const route = match[1].replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\{id\}[^/]*/g, '{id}').replace(/\/+$/, '');
		return { node: node.name, method, route };
	}
	return null;
}

const BRANCHING = /\.(if|filter|switch)$/i;

/**
 * Every way through the workflow from its trigger. IF / Filter / Switch nodes take exactly one
 * output (a Filter may also drop the item); every other node feeds all its outputs. A node runs at
 * most once per path (a Merge fed from two sides counts once).
 */
export function executionPaths(workflow: Workflow): ExecutionPath[] {
	const nodes = new Map((workflow.nodes ?? []).map((n) => [n.name, n]));
	const connections = workflow.connections ?? {};
	const targets = (outputs: Array<Array<{ node: string }> | null> | undefined, index?: number): string[] =>
		(outputs ?? []).flatMap((list, i) => (index === undefined || i === index ? (list ?? []).map((c) => c.node) : []));
	const fed = new Set(Object.values(connections).flatMap((c) => targets(c.main)));
	const starts = [...nodes.values()].filter((n) => !fed.has(n.name) && /trigger|webhook|schedule|manual/i.test(n.type));
	const paths: ExecutionPath[] = [];
	const walk = (queue: string[], visited: Set<string>, decisions: string[]): void => {
		if (paths.length > 500) throw new Error('more than 500 paths through one workflow');
		const [name, ...rest] = queue;
		if (name === undefined) {
			const ran = [...visited].map((n) => nodes.get(n)).filter((n): n is WorkflowNode => n !== undefined);
			paths.push({
				decisions,
				calls: ran.map(pipedriveCallOf).filter((c): c is PipedriveCall => c !== null),
				syncs: ran.some((n) => /pipedrivePropstreetMapper$/i.test(n.type)) && !decisions.some((d) => d.endsWith(' drop')),
			});
			return;
		}
		if (visited.has(name)) return walk(rest, visited, decisions);
		const node = nodes.get(name);
		const seen = new Set(visited).add(name);
		const outputs = connections[name]?.main;
		if (node && BRANCHING.test(node.type)) {
			const kind = /\.filter$/i.test(node.type) ? 'filter' : /\.if$/i.test(node.type) ? 'if' : 'switch';
			const choices = kind === 'filter' ? [0, -1] : kind === 'if' ? [0, 1] : (outputs ?? []).map((_, i) => i);
			for (const choice of choices) {
				const label = kind === 'filter' ? (choice === 0 ? 'pass' : 'drop') : kind === 'if' ? (choice === 0 ? 'yes' : 'no') : `output ${choice}`;
				walk([...rest, ...(choice < 0 ? [] : targets(outputs, choice))], seen, [...decisions, `${name} ${label}`]);
			}
			return;
		}
		walk([...rest, ...targets(outputs)], seen, decisions);
	};
	for (const start of starts) walk([start.name], new Set(), []);
	return paths;
}

function workflowFiles(root: string): string[] {
	const dir = join(root, 'workflows');
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => /^(02|03)-.*\.json$/.test(f))
		.sort()
		.map((f) => join(dir, f));
}

/** A concrete request for a route, so its cost can be measured on the seeded simulator. */
function concreteCall(method: string, route: string): Call | null {
	const ids: Record<string, number> = { persons: pipedriveIdFor('person', 'astrid'), organizations: pipedriveIdFor('organization', 'nordhav'), deals: pipedriveIdFor('deal', deals[0].key) };
	const m = /^\/api\/v2\/(persons|organizations|deals)(\/\{id\}|\/search)?$/.exec(route);
	const fieldList = /^\/api\/v2\/(person|organization|deal)Fields$/.test(route);
	if (fieldList && method === 'GET') return { method: 'GET', path: route, query: { limit: '500' }, why: '' };
	if (!m) return null;
	const [, plural, tail] = m;
	const name = plural === 'deals' ? { title: 'Bench deal' } : { name: plural === 'persons' ? 'Astrid Öberg' : 'Nordhav Fastigheter AB' };
	if (tail === '/search' && method === 'GET') return { method: 'GET', path: route, query: { term: 'nordhav', exact_match: 'false' }, why: '' };
	if (tail === '/{id}' && (method === 'GET' || method === 'PATCH')) return { method, path: `/api/v2/${plural}/${ids[plural]}`, body: method === 'PATCH' ? name : undefined, why: '' };
	if (!tail && method === 'POST') return { method: 'POST', path: `/api/v2/${plural}`, body: plural === 'deals' ? { title: 'Bench deal' } : { name: `Bench ${plural}` }, why: '' };
	if (!tail && method === 'GET') return { method: 'GET', path: `/api/v2/${plural}`, query: { limit: '100' }, why: '' };
	return null;
}

/** Token cost from the simulator's cost table, for routes with no concrete request above. */
function tableCost(method: string, route: string): number {
	const version = route.startsWith('/api/v2/') ? 'v2' : 'v1';
	const search = /\/search$/.test(route);
	const list = method === 'GET' && (search || !/\{id\}$/.test(route));
	return tokenCost({ method, version, route: `${method} ${route}`, search, list });
}

// --- the run --------------------------------------------------------------------------------------

export interface BudgetReport {
	text: string;
}

export async function benchPipedriveBudget(repoRoot: string): Promise<BudgetReport> {
	const sim = await startPipedriveSimulator({ seed: true, rateLimit: { plan: 'lite', seats: 1 } });
	const lines: string[] = [];
	try {
		let dailyBudget: number | null = null;
		/** Makes the call on the simulator and returns the tokens it charged. */
		const measure = async (call: Call): Promise<number> => {
			const before = sim.control.tokensUsed();
			const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
			const response = await fetch(`${sim.url}${call.path}${query}`, {
				method: call.method,
				headers: { 'x-api-token': sim.token, ...(call.body ? { 'Content-Type': 'application/json' } : {}) },
				body: call.body ? JSON.stringify(call.body) : undefined,
			});
			await response.text();
			if (!response.ok) throw new Error(`Pipedrive simulator: ${call.method} ${call.path} → ${response.status}`);
			dailyBudget ??= Number(response.headers.get('x-daily-ratelimit-token-limit'));
			return sim.control.tokensUsed() - before;
		};
		const costCache = new Map<string, { tokens: number; measured: boolean }>();
		const costOf = async (method: string, route: string) => {
			const key = `${method} ${route}`;
			let cost = costCache.get(key);
			if (!cost) {
				const call = concreteCall(method, route);
				cost = call ? { tokens: await measure(call), measured: true } : { tokens: tableCost(method, route), measured: false };
				costCache.set(key, cost);
			}
			return cost;
		};
		await measure({ method: 'GET', path: '/v1/users/me', why: 'read the daily budget header' });

		const perDay = (tokens: number) => (tokens > 0 ? formatInt(Math.floor((dailyBudget ?? 0) / tokens)) : 'unlimited');
		const files = workflowFiles(repoRoot);
		const extremes: Array<{ file: string; min: number; max: number }> = [];
		if (files.length) {
			lines.push('Every way through the bundled contact workflows (branch taken at each IF / Filter), with the Pipedrive calls on it.');
			lines.push('Webhook deliveries (Pipedrive Webhooks v2, Propstreet webhooks) and Propstreet calls cost no Pipedrive tokens.');
			const rows: string[][] = [];
			for (const file of files) {
				const rel = file.slice(repoRoot.length + 1);
				const paths = executionPaths(JSON.parse(readFileSync(file, 'utf8')) as Workflow);
				const syncTotals: number[] = [];
				for (const path of paths) {
					let tokens = 0;
					const parts: string[] = [];
					for (const call of path.calls) {
						const cost = await costOf(call.method, call.route);
						tokens += cost.tokens;
						parts.push(`${call.method === 'GET' ? '' : `${call.method} `}${call.route.replace(/^\/api\/v2\//, '')} ${cost.tokens}${cost.measured ? '' : '*'}`);
					}
					if (path.syncs) syncTotals.push(tokens);
					rows.push([rel.replace(/^workflows\/(\d+[a-z]?)-.*$/, '$1'), path.decisions.join(', ') || '(no branches)', parts.join(' + ') || '–', String(tokens), perDay(tokens)]);
				}
				if (syncTotals.length) extremes.push({ file: rel, min: Math.min(...syncTotals), max: Math.max(...syncTotals) });
			}
			lines.push(`Workflows: ${files.map((f) => f.slice(repoRoot.length + 1)).join(', ')}. Calls are GET unless named; /api/v2/ left out.`);
			lines.push(renderTable(['WF', 'Path (branch taken at each IF / Filter)', 'Pipedrive calls and their tokens', 'Tokens', 'Syncs/day'], rows, new Set([3, 4])));
			if ([...costCache.values()].some((c) => !c.measured)) lines.push('* cost from the simulator\'s cost table (no sample request for that route)');
		} else {
			lines.push('workflows/02-*.json and 03-*.json do not exist, so these Pipedrive calls are ASSUMED for the bundled contact workflows');
			lines.push('(webhook deliveries cost no Pipedrive tokens; field definitions are fetched on every execution):');
			const callRows: string[][] = [];
			const tokensOf = new Map<string, number>();
			for (const scenario of assumedScenarios()) {
				let total = 0;
				for (const call of scenario.calls) {
					const tokens = await measure(call);
					total += tokens;
					callRows.push([scenario.name, `${call.method} ${call.path}`, String(tokens), call.why]);
				}
				tokensOf.set(scenario.name, total);
			}
			lines.push(renderTable(['Scenario', 'Pipedrive call', 'Tokens', 'Why'], callRows, new Set([2])));
			lines.push('');
			const summary: string[][] = [...tokensOf].map(([name, tokens]) => [name, String(tokens), perDay(tokens)]);
			for (const trip of ROUND_TRIPS) {
				const tokens = trip.parts.reduce((n, part) => n + (tokensOf.get(part) ?? 0), 0);
				summary.push([`${trip.name} (round trip)`, String(tokens), perDay(tokens)]);
			}
			lines.push(renderTable(['Person sync', 'Tokens', 'Syncs/day'], summary, new Set([1, 2])));
		}
		const budget = dailyBudget ?? 0;
		expectEqual('Lite × 1 seat budget (header vs cost table)', budget, 30_000 * PLAN_MULTIPLIER.lite * 1);
		lines.push('');
		lines.push(`Daily budget on Lite, 1 seat: ${formatInt(budget)} tokens (30,000 × plan multiplier ${PLAN_MULTIPLIER.lite} × 1 seat; read from x-daily-ratelimit-token-limit). Syncs/day = budget ÷ tokens, with nothing else using the budget.`);
		if (extremes.length === 2) {
			const [p2p, p2pp] = extremes;
			const low = p2p.min + p2pp.min;
			const high = p2p.max + p2pp.max;
			lines.push(`One person sync (a path that maps the record and is not filtered out): ${p2p.file} ${p2p.min}–${p2p.max} tokens, ${p2pp.file} ${p2pp.min}–${p2pp.max} tokens.`);
			lines.push(`A change plus the echo webhook it causes on the other side (cheapest + cheapest … dearest + dearest path): ${low}–${high} tokens → ${perDay(high)}–${perDay(low)} synced changes per day.`);
		}
		const fieldCost = costCache.get('GET /api/v2/personFields');
		if (fieldCost) lines.push(`GET /api/v2/personFields costs ${fieldCost.tokens} tokens on every execution that maps a person; caching the definitions (e.g. in workflow static data) would save that much per sync.`);
		return { text: lines.join('\n') };
	} finally {
		await sim.close();
	}
}
