/**
 * The interleaving runner (its seeds are split over interleaving.<n>.test.ts so jest runs them in
 * two processes). Seeded random interleavings of the two-way sync, in-process: both simulators, the sync state in
 * the data-table simulator, the Sync node fed by real trigger payloads. Each entity module
 * (interleave/*.ts) adds its user actions: creates on both sides, edits of one record on both sides
 * in the same batch, deletes and merges. Deliveries are duplicated, reordered and dropped; 429 and
 * 5xx bursts are injected. Then settle, run the backfill (every record of both sides through the
 * node), settle again, and check every module's invariants on both simulators.
 *
 *   INTERLEAVE_SEEDS (default 20) / INTERLEAVE_OPS (default 200): how much to run.
 *   INTERLEAVE_SEED=1234: replay one seed. INTERLEAVE_TRACE=<record id>: print what touches it.
 *   INTERLEAVE_MODULES=contact,prospect: only these entity modules. INTERLEAVE_TIMING=1: executions and time per entity.
 *   INTERLEAVE_CONCURRENCY: executions at once within a seed. By default every other seed runs its
 *     deliveries one at a time (it replays exactly) and the others run 4 at once, so executions for
 *     one record overlap as in n8n (those replay the same operations, but the overlap varies with timing).
 *   INTERLEAVE_PARALLEL (default 3): seeds at once, each with its own simulators (they mostly wait
 *     on loopback HTTP, so this overlaps the waiting without changing any seed's operations).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { forgetProcessDeliveries } from '../../../nodes/PropstreetTrigger/deliveryMemory';
import { pipedriveEvents, propstreetTriggerItems, startBed } from '../contactsNotesKit';
import { companies } from './companies';
import { contacts } from './contacts';
import { notes } from './notes';
import { projects } from './projects';
import { prospects } from './prospects';
import { prng } from './rng';
import { syncWorkflow, World, type EntityModule, type SideName } from './world';

const SEEDS = Number(process.env.INTERLEAVE_SEEDS ?? 20);
const OPS = Number(process.env.INTERLEAVE_OPS ?? 200);
const ONLY = process.env.INTERLEAVE_SEED ? [Number(process.env.INTERLEAVE_SEED)] : undefined;
const FIXED_CONCURRENCY = process.env.INTERLEAVE_CONCURRENCY ? Number(process.env.INTERLEAVE_CONCURRENCY) : undefined;
const OVERLAPPING = 4;
const PARALLEL = Math.max(1, Number(process.env.INTERLEAVE_PARALLEL ?? 3));
const BATCH = 8;

const ALL_MODULES: EntityModule[] = [contacts, companies, projects, prospects, notes];
const MODULES = process.env.INTERLEAVE_MODULES ? ALL_MODULES.filter((m) => process.env.INTERLEAVE_MODULES!.split(',').includes(m.entity)) : ALL_MODULES;

/** Executions and their time per entity (INTERLEAVE_TIMING=1 prints them per seed). */
const timing: Record<string, { runs: number; ms: number }> = {};

interface Delivery {
	module: EntityModule;
	side: SideName;
	item: INodeExecutionData;
}

/** Everything both sides delivered since the last call, each routed to its entity's module. */
async function collect(w: World, cursor: { pd: number; ps: number }): Promise<Delivery[]> {
	const out: Delivery[] = [];
	for (const json of await pipedriveEvents(w.bed, cursor.pd)) {
		const module = MODULES.find((m) => m.pipedriveObject === (json.meta as IDataObject)?.entity);
		if (module) out.push({ module, side: 'pipedrive', item: { json } });
	}
	cursor.pd = w.bed.pdHooks.received.length;
	const events = MODULES.flatMap((m) => m.propstreetEvents);
	for (const item of await propstreetTriggerItems(w.bed, cursor.ps, { events, options: { fetchCurrentRecord: true } })) {
		const module = MODULES.find((m) => m.propstreetEvents.includes(String(item.json.event)));
		if (module) out.push({ module, side: 'propstreet', item });
	}
	cursor.ps = w.bed.psHooks.received.length;
	for (const module of MODULES) if (module.polled) out.push(...(await module.polled(w)).map((d) => ({ module, ...d })));
	return out;
}

/** The batch's deliveries with faults: some dropped, some duplicated, all shuffled. */
function withDeliveryFaults(w: World, list: Delivery[]): Delivery[] {
	const out: Delivery[] = [];
	for (const d of list) {
		if (w.rng.chance(0.05)) {
			w.lost.push({ entity: d.module.entity, side: d.side, json: d.item.json });
			continue;
		}
		out.push(d);
		if (w.rng.chance(0.1)) out.push(d);
	}
	for (let i = out.length - 1; i > 0; i--) {
		const j = w.rng.int(i + 1);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

async function runOne(w: World, d: Delivery, faulted: boolean): Promise<void> {
	const started = Date.now();
	const result = await w.bed.runJson(syncWorkflow(d.module, d.side), [d.item], { mode: 'webhook' });
	const wanted = process.env.INTERLEAVE_TRACE;
	if (wanted) {
		const text = JSON.stringify(result.outputOf('Sync', 0).map((o) => o.json).concat(result.outputOf('Sync', 1).map((o) => o.json)));
		if (text.includes(`"${wanted}"`)) console.log(`${d.side} in=${JSON.stringify(d.item.json).slice(0, 300)}\n  out=${text.slice(0, 900)}`);
	}
	if (process.env.INTERLEAVE_TIMING) {
		const t = (timing[d.module.entity] ??= { runs: 0, ms: 0 });
		t.runs++;
		t.ms += Date.now() - started;
	}
	if (result.error && faulted) w.lost.push({ entity: d.module.entity, side: d.side, json: d.item.json });
	if (result.error && !faulted) w.failures.push(`${d.module.entity} from ${d.side} ${JSON.stringify(d.item.json).slice(0, 160)}: ${result.error.message} ${(result.error as any).description ?? ''}`);
}

/** Executions at once for a seed: every other seed overlaps them (unless the environment fixes it). */
function concurrencyOf(seed: number): number {
	return FIXED_CONCURRENCY ?? (((seed - 1000) / 7919) % 2 === 1 ? OVERLAPPING : 1);
}

/** Runs deliveries `w.concurrency` at a time, as n8n would run webhook executions. */
async function deliver(w: World, list: Delivery[], faulted: boolean): Promise<void> {
	const n = w.concurrency;
	for (let i = 0; i < list.length; i += n) await Promise.all(list.slice(i, i + n).map((d) => runOne(w, d, faulted)));
}

function injectFaults(w: World): boolean {
	if (!w.rng.chance(0.08)) return false;
	w.faultsInjected++;
	if (w.rng.chance(0.5)) w.pd.failNext({ status: w.rng.chance(0.5) ? 429 : 503, count: 1 + w.rng.int(2) });
	else w.ps.injectFaults({ status: w.rng.chance(0.5) ? 429 : 503, count: 1 + w.rng.int(2), retryAfterSec: 0 });
	return true;
}

async function settle(w: World, cursor: { pd: number; ps: number }): Promise<void> {
	for (let round = 0; round < 6; round++) {
		const list = await collect(w, cursor);
		if (!list.length) return;
		await deliver(w, list, false);
	}
}

async function backfill(w: World): Promise<void> {
	await deliver(w, MODULES.flatMap((module) => module.backfillItems(w).map((d) => ({ module, ...d }))), false);
}

function pickModule(w: World): EntityModule {
	const total = MODULES.reduce((sum, m) => sum + m.weight, 0);
	let roll = w.rng.next() * total;
	for (const m of MODULES) if ((roll -= m.weight) < 0) return m;
	return MODULES[MODULES.length - 1];
}

async function runSeed(seed: number): Promise<string[]> {
	const bed = await startBed({ pipedriveEntities: MODULES.flatMap((m) => (m.pipedriveObject ? [m.pipedriveObject] : [])), propstreetEvents: MODULES.flatMap((m) => m.propstreetEvents), pipedriveDirect: true });
	try {
		const w = new World(bed, prng(seed), seed, concurrencyOf(seed));
		const cursor = { pd: bed.pdHooks.received.length, ps: bed.psHooks.received.length };
		// As at install: the backfill links what exists and fills the sync state first.
		await backfill(w);
		await settle(w, cursor);
		for (let done = 0; done < OPS; done += BATCH) {
			for (let k = 0; k < BATCH; k++) pickModule(w).act(w);
			const list = withDeliveryFaults(w, await collect(w, cursor));
			const faulted = injectFaults(w);
			await deliver(w, list, faulted);
			if (faulted) {
				bed.pd.control.clearFaults();
				w.ps.clearFaults?.();
			}
		}
		await settle(w, cursor);
		await backfill(w);
		await settle(w, cursor);
		const problems = [...w.failures.map((f) => `failed execution: ${f}`)];
		for (const m of MODULES) problems.push(...(await m.check(w)));
		// Each module must have had edits judged at the end, or its checks proved nothing.
		if (OPS >= 40) for (const m of MODULES) if (!w.judged.get(m.entity)) problems.push(`no ${m.entity} edit was judged: the ${m.entity} operations did not run`);
		if (process.env.INTERLEAVE_TIMING) {
			const limited = Object.values(bed.pd.control.stats().byRoute).reduce((n, r) => n + (r.statuses[429] ?? 0), 0);
			console.log(`seed ${seed}: ${JSON.stringify(timing)}; Pipedrive 429 answers: ${limited} (${w.faultsInjected} fault bursts injected)`);
		}
		return problems;
	} finally {
		await bed.close();
	}
}

/** At most PARALLEL seeds hold a test bed at once. */
const slots = { free: PARALLEL, waiting: [] as Array<() => void> };
async function withSlot<T>(work: () => Promise<T>): Promise<T> {
	if (slots.free === 0) await new Promise<void>((resolve) => slots.waiting.push(resolve));
	else slots.free--;
	try {
		return await work();
	} finally {
		const next = slots.waiting.shift();
		if (next) next();
		else slots.free++;
	}
}

/** This shard's seeds: every `shards`-th of the list, or the one being replayed (first shard only). */
function seedsOf(shard: number, shards: number): number[] {
	if (ONLY) return shard === 0 ? ONLY : [];
	return Array.from({ length: SEEDS }, (_, i) => 1000 + i * 7919).filter((_, i) => i % shards === shard);
}

export function describeInterleavings(shard: number, shards: number): void {
	const seeds = seedsOf(shard, shards);
	beforeAll(() => forgetProcessDeliveries());
	describe(`two-way sync under random interleavings (shard ${shard + 1}/${shards}: ${seeds.length} seeds × ${OPS} operations; ${MODULES.map((m) => m.entity).join(', ')})`, () => {
		if (!seeds.length) {
			it('has no seed in this shard (a single seed is being replayed in the first)', () => expect(ONLY).toBeDefined());
			return;
		}
		it.concurrent.each(seeds.map((seed) => [seed, concurrencyOf(seed)]))(
			'seed %i (%i execution(s) at once) keeps both sides equal, linked once, with no lost edit',
			async (seed) => {
				const problems = await withSlot(() => runSeed(seed));
				if (problems.length) throw new Error(`seed ${seed} (replay: INTERLEAVE_SEED=${seed} INTERLEAVE_CONCURRENCY=${concurrencyOf(seed)} npx jest test/workflows/interleaving):\n${problems.slice(0, 15).join('\n')}`);
			},
			600_000,
		);
	});
}
