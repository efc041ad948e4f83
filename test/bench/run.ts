/**
 * Benchmarks over the real core and the simulators. Prints a table of figures with the target next
 * to each; targets are informational, so the exit code is 0 unless a benchmark crashes or one of
 * its answers is wrong (then 1).
 *
 *   npm run bench                                   # heap figures include uncollected garbage
 *   node --expose-gc --import tsx test/bench/run.ts # adds "Heap Δ kept" after a full GC
 *   BENCH_ONLY=mapper,polling npm run bench         # a subset (names: see BENCHES below)
 *   npm run bench -- parsers diff                   # the same, names as arguments
 *   npm run bench -- queue                          # n8n queue mode, one then two workers (boots n8n; only when named)
 *   npm run bench -- day                            # one simulated day of a brokerage through the bundled workflows
 */
import { join } from 'path';
import { cpus, totalmem } from 'os';
import { benchOrganizationsToCompanies, benchPersonsToContacts } from './benches/mapper';
import { benchBigPair, benchManyPairs, benchOneContact } from './benches/participantDiff';
import { benchWebhookVerify } from './benches/webhookSignature';
import { benchPolling } from './benches/polling';
import { benchListPaging, benchSync } from './benches/http';
import { benchPipedriveBudget } from './benches/pipedriveBudget';
import { benchDayInTheLife } from './benches/dayInTheLife';
import { benchParsers } from './benches/parsers';
import { benchQueueThroughput } from './benches/queueThroughput';
import { collectGarbage, gcFunction, nowMs, SanityError, type BenchRow } from './lib/measure';
import { renderResults } from './lib/table';

const REPO_ROOT = join(__dirname, '..', '..');

type Bench = () => BenchRow[] | Promise<BenchRow[]>;

/** `explicit`: runs only when named (it boots a real n8n in queue mode, minutes instead of seconds). */
const BENCHES: Array<{ key: string; run: Bench; explicit?: boolean }> = [
	{ key: 'mapper', run: () => [benchPersonsToContacts(), benchOrganizationsToCompanies()] },
	{ key: 'diff', run: () => [benchBigPair(), benchManyPairs(), benchOneContact()] },
	{ key: 'signature', run: () => [benchWebhookVerify()] },
	{ key: 'polling', run: async () => [await benchPolling()] },
	{ key: 'http-list', run: async () => (await benchListPaging()).rows },
	{ key: 'http-sync', run: () => benchSync() },
	{ key: 'parsers', run: () => benchParsers() },
	{ key: 'queue', run: () => benchQueueThroughput(), explicit: true },
];

async function main(): Promise<number> {
	const only = [...(process.env.BENCH_ONLY ?? '').split(','), ...process.argv.slice(2)].map((s) => s.trim()).filter(Boolean);
	const wanted = (key: string) => (only.length === 0 ? !BENCHES.find((b) => b.key === key)?.explicit : only.includes(key));
	const started = nowMs();
	console.log(`n8n-nodes-propstreet benchmarks — node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM`);
	console.log(gcFunction() ? 'GC exposed: heap baselines are taken after a full GC, and "Heap Δ kept" is measured.' : 'GC not exposed (run with --expose-gc for cleaner heap figures): heap deltas include garbage not yet collected.');
	console.log('');

	const rows: BenchRow[] = [];
	const failures: string[] = [];
	for (const bench of BENCHES) {
		if (!wanted(bench.key)) continue;
		process.stdout.write(`running ${bench.key} … `);
		const t0 = nowMs();
		try {
			collectGarbage();
			rows.push(...(await bench.run()));
			console.log(`${((nowMs() - t0) / 1000).toFixed(1)} s`);
		} catch (error) {
			console.log('FAILED');
			failures.push(`${bench.key}: ${error instanceof SanityError ? 'wrong answer: ' : ''}${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		}
	}

	let budgetText: string | null = null;
	if (wanted('budget')) {
		process.stdout.write('running budget … ');
		const t0 = nowMs();
		try {
			budgetText = (await benchPipedriveBudget(REPO_ROOT)).text;
			console.log(`${((nowMs() - t0) / 1000).toFixed(1)} s`);
		} catch (error) {
			console.log('FAILED');
			failures.push(`budget: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		}
	}

	let dayText: string | null = null;
	if (wanted('day')) {
		process.stdout.write('running day (setup ≈ 1–3 min, then the day) … ');
		const t0 = nowMs();
		try {
			dayText = (await benchDayInTheLife()).text;
			console.log(`${((nowMs() - t0) / 1000).toFixed(1)} s`);
		} catch (error) {
			console.log('FAILED');
			failures.push(`day: ${error instanceof SanityError ? 'wrong answer: ' : ''}${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		}
	}

	console.log('');
	if (rows.length) {
		console.log(renderResults(rows, gcFunction() !== undefined));
		const misses = rows.flatMap((r) => r.checks.filter((c) => !c.pass && !c.informational).map((c) => `${r.name}: ${c.figure} ${c.measured} (target ${c.target})`));
		console.log('');
		console.log(misses.length ? `Targets missed (informational): ${misses.join('; ')}` : 'All targets met.');
		console.log('Per-op columns: per record (mapper, signature, HTTP sync), per diff run (big pair), per pair, per poll, per page request. Peak RSS is the whole process.');
		const notes = rows.flatMap((r) => r.notes);
		if (notes.length) {
			console.log('');
			console.log('Notes:');
			for (const note of notes) console.log(`- ${note}`);
		}
	}
	if (budgetText) {
		console.log('');
		console.log('Pipedrive API budget per person sync (token costs measured on the Pipedrive simulator):');
		console.log(budgetText);
	}
	if (dayText) {
		console.log('');
		console.log('A day in the life of a mid-size brokerage (Pipedrive tokens measured on the simulator, floor from the event list):');
		console.log(dayText);
	}
	console.log('');
	console.log(`Finished in ${((nowMs() - started) / 1000).toFixed(1)} s.`);
	if (failures.length) {
		console.error('');
		console.error('Benchmarks that crashed or gave a wrong answer:');
		for (const f of failures) console.error(`- ${f}`);
		return 1;
	}
	return 0;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error) => {
		console.error(error);
		process.exitCode = 1;
	},
);
