/**
 * End to end over real HTTP against the Propstreet simulator started in this process (no seed, a
 * rate limit far above what the run needs):
 * - list paging: 50,000 contacts at page_size 500 through the core pagination helper
 *   (`collectPages` / `readPage`) with a plain `fetch` as the page fetcher;
 * - sync: 2,000 Pipedrive persons through the Mapper core and the sync core (`syncContact`),
 *   with its ports implemented over `fetch` the way the Propstreet node implements them over its
 *   transport — first as new records, then again unchanged, then with a tenth of them edited.
 * Client and server share the event loop and the two cores, so the figures include the
 * simulator's own work; they are a floor for the client, not a server benchmark.
 */
import { collectPages, pageSizeFor, readPage } from '../../../nodes/shared/core/http';
import { buildContext, mapRecord, resolveConfig } from '../../../nodes/shared/core/mapping';
import { syncContact, type ContactSyncPorts, type JsonRecord, type PatchResult, type ReadRecord, type SyncOutcome } from '../../../nodes/shared/core/sync';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { FIELD_DEFINITIONS, generatePersons } from '../data/pipedrive';
import { Random } from '../data/random';
import { expectEqual, MemorySampler, nowMs, percentile, type BenchRow } from '../lib/measure';
import { formatInt } from '../lib/table';

const CONTACTS_PATH = '/api/v1/network/contacts';
const GENEROUS_RATE_LIMIT = { pat: 10_000_000, oauth: 10_000_000, anonymous: 10_000_000 };

interface Client {
	request(method: string, path: string, options?: { body?: unknown; ifMatch?: string }): Promise<{ status: number; headers: Headers; body: unknown; parseMs: number }>;
}

function client(sim: PropstreetSimulator): Client {
	const auth = `Bearer ${sim.config.token}`;
	return {
		async request(method, path, options = {}) {
			const headers: Record<string, string> = { Authorization: auth, Accept: 'application/json' };
			if (options.body !== undefined) headers['Content-Type'] = 'application/json';
			if (options.ifMatch) headers['If-Match'] = options.ifMatch;
			const response = await fetch(`${sim.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
			const text = await response.text();
			const t0 = nowMs();
			const body = text ? (JSON.parse(text) as unknown) : null;
			return { status: response.status, headers: response.headers, body, parseMs: nowMs() - t0 };
		},
	};
}

const asRecord = (body: unknown): JsonRecord => (body && typeof body === 'object' && !Array.isArray(body) ? (body as JsonRecord) : {});
const etagOf = (headers: Headers, body: unknown) => headers.get('etag') ?? (typeof asRecord(body).etag === 'string' ? String(asRecord(body).etag) : '');
const seg = encodeURIComponent;

function fail(method: string, path: string, status: number, body: unknown): never {
	throw new Error(`${method} ${path} → ${status}: ${JSON.stringify(body).slice(0, 300)}`);
}

/** The sync ports over fetch, mirroring nodes/Propstreet/actions/syncCommon.ts and contact/sync.ts. */
function contactPorts(http: Client): ContactSyncPorts {
	return timedPorts({ ...untimedPorts(http) }, portClock);
}

/** Time spent inside port calls (HTTP round trip incl. the simulator), to tell it apart from the core's own time. */
const portClock = { ms: 0 };

function timedPorts(ports: ContactSyncPorts, clock: { ms: number }): ContactSyncPorts {
	const wrap =
		<A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
		async (...args: A): Promise<R> => {
			const t0 = nowMs();
			try {
				return await fn(...args);
			} finally {
				clock.ms += nowMs() - t0;
			}
		};
	return {
		getById: wrap(ports.getById),
		getByExternalRef: wrap(ports.getByExternalRef),
		patchById: wrap(ports.patchById),
		upsertByExternalRef: wrap(ports.upsertByExternalRef),
	};
}

function untimedPorts(http: Client): ContactSyncPorts {
	const read = async (path: string): Promise<ReadRecord | null> => {
		const r = await http.request('GET', path);
		if (r.status === 404) return null;
		if (r.status !== 200) fail('GET', path, r.status, r.body);
		return { record: asRecord(r.body), etag: etagOf(r.headers, r.body) };
	};
	return {
		getById: (id) => read(`${CONTACTS_PATH}/${seg(id)}`),
		getByExternalRef: (ns, id) => read(`${CONTACTS_PATH}/external/${seg(ns)}/${seg(id)}`),
		async patchById(id, body, etag): Promise<PatchResult> {
			const path = `${CONTACTS_PATH}/${seg(id)}`;
			const r = await http.request('PATCH', path, { body, ifMatch: etag || undefined });
			if (r.status === 412) return { ok: false, reason: 'preconditionFailed' };
			if (r.status !== 200) fail('PATCH', path, r.status, r.body);
			return { ok: true, record: asRecord(r.body), etag: etagOf(r.headers, r.body) };
		},
		async upsertByExternalRef(ns, id, body) {
			const path = `${CONTACTS_PATH}/external/${seg(ns)}/${seg(id)}?match=email&revive=true`;
			const r = await http.request('PATCH', path, { body });
			if (r.status !== 200 && r.status !== 201) fail('PATCH', path, r.status, r.body);
			return { record: asRecord(r.body), etag: etagOf(r.headers, r.body), upsertAction: r.headers.get('x-propstreet-upsert-action') ?? undefined, status: r.status };
		},
	};
}

export async function benchListPaging(total = 50_000, pageSize = 500): Promise<{ rows: BenchRow[]; seedMs: number }> {
	const sim = await startPropstreetSimulator({ seed: false, rateLimit: GENEROUS_RATE_LIMIT });
	try {
		const rng = new Random(3);
		const seedStart = nowMs();
		for (let i = 0; i < total; i++) {
			sim.control.createContact({ firstName: rng.pick(['Åsa', 'Bjørn', 'Päivi', 'Søren', 'Märta']), lastName: `Nyström-${i}`, email: `investor-${i}@bench.example.se`, phone: `+46 70 ${rng.digits(3)} ${rng.digits(2)} ${rng.digits(2)}`, tags: ['investor'], strategy: 'Logistics along the E6 corridor' });
		}
		const seedMs = nowMs() - seedStart;
		sim.control.clearRequests();

		const http = client(sim);
		const pageTimes: number[] = [];
		let pages = 0;
		let clientMs = 0;
		const sampler = new MemorySampler().start();
		const start = nowMs();
		const items = await collectPages<JsonRecord>({
			fetchPage: async (cursor) => {
				const query = new URLSearchParams({ page_size: String(pageSizeFor(undefined, pageSize)) });
				if (cursor) query.set('cursor', cursor);
				const t0 = nowMs();
				const r = await http.request('GET', `${CONTACTS_PATH}?${query.toString()}`);
				pageTimes.push(nowMs() - t0);
				pages++;
				if (r.status !== 200) fail('GET', CONTACTS_PATH, r.status, r.body);
				const t1 = nowMs();
				const page = readPage<JsonRecord>(r.body);
				clientMs += r.parseMs + (nowMs() - t1);
				return page;
			},
		});
		const totalMs = nowMs() - start;
		const memory = sampler.stop(items);
		expectEqual('paged contacts', items.length, total);
		expectEqual('distinct ids', new Set(items.map((c) => String(c.id))).size, total);
		const requests = sim.control.countRequests();
		expectEqual('list requests', requests, Math.ceil(total / pageSize));

		return {
			seedMs,
			rows: [
				{
					name: 'HTTP: list contacts (paging)',
					size: `${formatInt(total)} / ${pageSize} per page`,
					totalMs,
					throughput: { perSecond: total / (totalMs / 1000), unit: 'rec' },
					p50Ms: percentile(pageTimes, 50),
					p95Ms: percentile(pageTimes, 95),
					opLabel: 'page',
					memory,
					checks: [{ figure: 'requests/record', target: '', measured: `${(requests / total).toFixed(3)} (${requests} req)`, pass: true, informational: true }],
					notes: [
						`HTTP paging: ${requests} GET requests (${pages} pages) for ${formatInt(total)} contacts; p50/p95 are per page request. Client work (JSON.parse + readPage) took ${clientMs.toFixed(0)} ms of ${totalMs.toFixed(0)} ms; the rest is the round trip and the simulator building each page. Seeding through the simulator's control API took ${(seedMs / 1000).toFixed(1)} s (not counted)`,
					],
				},
			],
		};
	} finally {
		await sim.close();
	}
}

interface PassResult {
	totalMs: number;
	perRecordMs: number[];
	actions: Record<string, number>;
	requests: number;
	byRoute: Record<string, number>;
	/** Time inside the ports (HTTP + simulator); the rest of totalMs is the sync core and the loop. */
	portMs: number;
}

async function syncPass(sim: PropstreetSimulator, inputs: Array<Parameters<typeof syncContact>[1]>): Promise<PassResult & { memory: ReturnType<MemorySampler['stop']> }> {
	const ports = contactPorts(client(sim));
	sim.control.clearRequests();
	portClock.ms = 0;
	const perRecordMs: number[] = [];
	const actions: Record<string, number> = {};
	const outcomes: SyncOutcome[] = [];
	const sampler = new MemorySampler().start();
	const start = nowMs();
	for (const input of inputs) {
		const t0 = nowMs();
		const outcome = await syncContact(ports, input);
		perRecordMs.push(nowMs() - t0);
		actions[outcome.action] = (actions[outcome.action] ?? 0) + 1;
		outcomes.push(outcome);
	}
	const totalMs = nowMs() - start;
	const memory = sampler.stop(outcomes);
	const byRoute: Record<string, number> = {};
	for (const entry of sim.control.requests()) {
		const key = entry.route ?? `${entry.method} ${entry.path}`;
		byRoute[key] = (byRoute[key] ?? 0) + 1;
	}
	return { totalMs, perRecordMs, actions, requests: sim.control.countRequests(), byRoute, memory, portMs: portClock.ms };
}

function syncRow(name: string, count: number, pass: PassResult & { memory: ReturnType<MemorySampler['stop']> }, target: number | null): BenchRow {
	const perRecord = pass.requests / count;
	return {
		name,
		size: `${formatInt(count)} contacts`,
		totalMs: pass.totalMs,
		throughput: { perSecond: count / (pass.totalMs / 1000), unit: 'rec' },
		p50Ms: percentile(pass.perRecordMs, 50),
		p95Ms: percentile(pass.perRecordMs, 95),
		opLabel: 'record',
		memory: pass.memory,
		checks: [{ figure: 'requests/record', target: target === null ? '' : `≤ ${target}`, measured: perRecord.toFixed(2), pass: target === null || perRecord <= target, informational: target === null }],
		notes: [
			`${name}: actions ${JSON.stringify(pass.actions)}; requests ${Object.entries(pass.byRoute).map(([route, n]) => `${route} ×${formatInt(n)}`).join(', ')}; time outside the HTTP ports (sync core, diff): ${(pass.totalMs - pass.portMs).toFixed(0)} ms of ${pass.totalMs.toFixed(0)} ms`,
		],
	};
}

export async function benchSync(count = 2_000, editShare = 0.1): Promise<BenchRow[]> {
	const sim = await startPropstreetSimulator({ seed: false, rateLimit: GENEROUS_RATE_LIMIT });
	try {
		// Persons without an org map (connections need companies that exist in Propstreet first).
		const { events } = generatePersons(count, 77);
		const config = resolveConfig({});
		const ctx = buildContext({ entity: 'contact', fieldDefinitions: { person: FIELD_DEFINITIONS.person } });
		const toInput = (event: Record<string, unknown>) => {
			const item = mapRecord(event, 'contact', 'toPropstreet', config, ctx);
			return {
				desired: item.body,
				sourceNamespace: 'pipedrive',
				sourceId: String(item.match.pipedriveId),
				sourceEventId: item.sourceEventId ?? undefined,
				sourceUpdatedAt: item.sourceUpdatedAt ?? undefined,
				conflict: { policy: 'lastWriteWins' as const, sourceUpdatedAt: item.sourceUpdatedAt ?? undefined },
				createIfMissing: true,
			};
		};
		const inputs = events.map(toInput);

		const created = await syncPass(sim, inputs);
		expectEqual('first pass: all created', created.actions, { created: count });
		const unchanged = await syncPass(sim, inputs);

		// A tenth edited in Pipedrive since: new strategy and a later update_time.
		const rng = new Random(5);
		const edited = events.map((event) => {
			if (!rng.chance(editShare)) return event;
			const data = { ...(event.data as JsonRecord) };
			const custom = { ...(data.custom_fields as JsonRecord) };
			const key = Object.keys(custom).find((k) => k === FIELD_DEFINITIONS.person[4].field_code) as string;
			custom[key] = { type: 'text', value: 'Hotels and leisure, Lapland (edited)' };
			data.custom_fields = custom;
			data.update_time = new Date(Date.UTC(2030, 0, 1)).toISOString();
			return { ...event, data };
		});
		const editedCount = edited.filter((e, i) => e !== events[i]).length;
		const changed = await syncPass(sim, edited.map(toInput));

		const rows = [
			syncRow('HTTP sync: new contacts', count, created, 2),
			syncRow('HTTP sync: unchanged', count, unchanged, 1),
			syncRow(`HTTP sync: ${Math.round(editShare * 100)}% edited`, count, changed, null),
		];
		rows[2].notes.push(`edited pass: ${formatInt(editedCount)} of ${formatInt(count)} persons changed in Pipedrive`);
		return rows;
	} finally {
		await sim.close();
	}
}
