/**
 * Measuring helpers for the benchmarks: a high-resolution clock, percentiles, a memory sampler,
 * and the result shape every benchmark returns. Nothing here knows about the code under test.
 */

/** Milliseconds from a monotonic clock, with sub-millisecond resolution. */
export function nowMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

/** The p-th percentile (0–100) of the samples, nearest-rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

type GcFunction = () => void;

/** `global.gc` when node runs with --expose-gc, else undefined. */
export function gcFunction(): GcFunction | undefined {
	const candidate = (globalThis as { gc?: unknown }).gc;
	return typeof candidate === 'function' ? (candidate as GcFunction) : undefined;
}

export function collectGarbage(): void {
	const gc = gcFunction();
	if (gc) {
		// Two passes: the first can leave objects only reachable from finalizers / weak cells.
		gc();
		gc();
	}
}

export interface MemoryFigures {
	/** Highest resident set size seen while the benchmark ran (whole process). */
	peakRssBytes: number;
	/** Highest heapUsed seen minus heapUsed at the start. */
	peakHeapDeltaBytes: number;
	/** heapUsed after a full GC at the end minus at the start; only with --expose-gc. */
	retainedHeapDeltaBytes?: number;
	samples: number;
}

/**
 * Samples `process.memoryUsage()`: on a timer (for async work that yields) and whenever `sample()`
 * is called (synchronous loops never let a timer fire, so they call it every few hundred records).
 */
export class MemorySampler {
	private baselineHeap = 0;
	private peakRss = 0;
	private peakHeap = 0;
	private count = 0;
	private timer: NodeJS.Timeout | undefined;

	start(intervalMs = 10): this {
		collectGarbage();
		const m = process.memoryUsage();
		this.baselineHeap = m.heapUsed;
		this.peakRss = m.rss;
		this.peakHeap = m.heapUsed;
		this.count = 1;
		this.timer = setInterval(() => this.sample(), intervalMs);
		this.timer.unref();
		return this;
	}

	sample(): void {
		const m = process.memoryUsage();
		this.count++;
		if (m.rss > this.peakRss) this.peakRss = m.rss;
		if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
	}

	/** Stops sampling. `keepAlive` is whatever the benchmark still holds (its output), so a GC cannot free it before the retained figure is read. */
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	stop(keepAlive?: unknown): MemoryFigures {
		this.sample();
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		const figures: MemoryFigures = {
			peakRssBytes: this.peakRss,
			peakHeapDeltaBytes: Math.max(0, this.peakHeap - this.baselineHeap),
			samples: this.count,
		};
		if (gcFunction()) {
			collectGarbage();
			figures.retainedHeapDeltaBytes = process.memoryUsage().heapUsed - this.baselineHeap;
		}
		return figures;
	}
}

/** One target next to one figure. `pass` is decided by the benchmark from its measured value. */
export interface TargetCheck {
	figure: string;
	measured: string;
	target: string;
	pass: boolean;
	/** No target, only a figure worth seeing (shown as "info", never as PASS/MISS). */
	informational?: boolean;
}

/** One line of the report. A benchmark returns one or more. */
export interface BenchRow {
	name: string;
	/** Workload size, in words ("10,000 persons"). */
	size: string;
	totalMs?: number;
	/** Records (or operations) per second, and the unit word. */
	throughput?: { perSecond: number; unit: string };
	/** Per-operation latency in ms, where one operation is meaningful. */
	p50Ms?: number;
	p95Ms?: number;
	opLabel?: string;
	memory?: MemoryFigures;
	checks: TargetCheck[];
	/** Extra facts shown under the table (counts, sanity checks, assumptions). */
	notes: string[];
}

/** A benchmark fails hard (the run exits 1) when the code under test gives a wrong answer. */
export class SanityError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SanityError';
	}
}

export function expectEqual(label: string, actual: unknown, expected: unknown): void {
	if (JSON.stringify(actual) !== JSON.stringify(expected)) {
		throw new SanityError(`${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
	}
}

/** Times `op` once per item and returns the per-op samples in ms. */
export function timeEach<T, R>(items: readonly T[], op: (item: T, index: number) => R, onEach?: (result: R, index: number) => void, sampleEvery = 500, sampler?: MemorySampler): { totalMs: number; samples: number[] } {
	const samples = new Array<number>(items.length);
	const start = nowMs();
	for (let i = 0; i < items.length; i++) {
		const t0 = nowMs();
		const result = op(items[i], i);
		samples[i] = nowMs() - t0;
		onEach?.(result, i);
		if (sampler && i % sampleEvery === 0) sampler.sample();
	}
	return { totalMs: nowMs() - start, samples };
}

export const MB = 1024 * 1024;
