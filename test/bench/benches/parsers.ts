/**
 * Every text parser of the core against crafted inputs of 10 K, 100 K and 1 M characters: the
 * shapes that made backtracking patterns quadratic or worse (unclosed links, comments and script
 * tags, runs of dots, "www." or "<", long attribute lists, separators without digits …). Each
 * parser gets several shapes; its row shows the slowest shape at each size. Times are the best of
 * a few runs, so a GC pause does not pass for a trend.
 *
 * Targets: under 100 ms at 100 K, and linear — 10× the input takes at most 15× the time.
 */
import { htmlToText } from '../../../nodes/shared/core/html';
import { isEmailAddress } from '../../../nodes/shared/core/email';
import { domainOf } from '../../../nodes/shared/core/domain';
import { canonicalPhone } from '../../../nodes/shared/core/mapping/compare';
import { phonesEqual } from '../../../nodes/shared/core/sync';
import { personNameFromPipedrive, splitFullName } from '../../../nodes/shared/core/names';
import { parseOrgNumber } from '../../../nodes/shared/core/orgNumber';
import { toCountryCode } from '../../../nodes/shared/core/country';
import { collectGarbage, expectEqual, nowMs, type BenchRow } from '../lib/measure';
import { formatMs } from '../lib/table';

export const PARSER_SIZES = [10_000, 100_000, 1_000_000] as const;
const MAX_MS_AT_100K = 100;
const MAX_GROWTH_PER_10X = 15;

/** Whole copies of `unit`, then `tail`: `size` characters, give or take one unit. */
const fill = (unit: string, size: number, tail = ''): string => unit.repeat(Math.max(0, Math.floor((size - tail.length) / unit.length))) + tail;

interface Shape {
	name: string;
	make: (size: number) => string;
	run: (input: string) => unknown;
	/** The answer at every size, so a fast wrong answer fails the run. */
	check?: (output: unknown, input: string) => unknown;
	expected?: unknown;
}

interface Parser {
	name: string;
	shapes: Shape[];
}

const PARSERS: Parser[] = [
	{
		name: 'HTML → text',
		shapes: [
			{ name: 'unclosed <a href="', make: (n) => fill('<a href="', n), run: htmlToText, check: (o, i) => o === i, expected: true },
			{ name: 'links never closed', make: (n) => fill('<a href="https://x.se">y', n), run: htmlToText, check: (o) => /^y+$/.test(String(o)), expected: true },
			{ name: 'unterminated <!--', make: (n) => fill('<!--', n), run: htmlToText, check: (o, i) => o === i, expected: true },
			{ name: 'unclosed <script>', make: (n) => fill('<script>', n), run: htmlToText, check: (o) => o, expected: '' },
			{ name: '<script opens, one ">"', make: (n) => fill('<script ', n, '>'), run: htmlToText, check: (o) => o, expected: '' },
			{ name: 'run of "<"', make: (n) => fill('<', n), run: htmlToText, check: (o, i) => o === i, expected: true },
			{ name: '<li without ">"', make: (n) => fill('<li', n), run: htmlToText, check: (o, i) => o === i, expected: true },
			{ name: 'long attribute list', make: (n) => `<a ${fill('data-x="1" ', n - 40)} href="https://x.se">d</a>`, run: htmlToText, check: (o) => o, expected: 'd (https://x.se)' },
			{ name: 'entities', make: (n) => fill('&amp;&#x41;&nosuch', n), run: htmlToText, check: (o) => String(o).startsWith('&A&nosuch'), expected: true },
		],
	},
	{
		name: 'E-mail check',
		shapes: [
			{ name: 'a@ + "a." × n + space', make: (n) => `a@${fill('a.', n - 3)} `, run: isEmailAddress, check: (o) => o, expected: false },
			{ name: 'a@ + "a." × n', make: (n) => `a@${fill('a.', n - 4)}se`, run: isEmailAddress, check: (o) => o, expected: true },
			{ name: 'run of "@"', make: (n) => fill('@', n), run: isEmailAddress, check: (o) => o, expected: false },
		],
	},
	{
		name: 'Domain normaliser',
		shapes: [
			{ name: 'run of dots', make: (n) => fill('.', n, 'x'), run: domainOf, check: (o) => o, expected: null },
			{ name: 'trailing dots', make: (n) => `example.se${fill('.', n - 10)}`, run: domainOf, check: (o) => o, expected: 'example.se' },
			{ name: '"www." × n', make: (n) => fill('www.', n, 'example.se'), run: domainOf, check: (o) => o, expected: 'example.se' },
			{ name: '"a:" × n', make: (n) => fill('a:', n), run: domainOf, check: (o) => o, expected: null },
			{ name: 'no "@" after a long host', make: (n) => fill('a', n), run: domainOf, check: (o) => o, expected: null },
		],
	},
	{
		name: 'Phone compare',
		shapes: [
			{ name: 'digits and spaces', make: (n) => `+46${fill(' 1', n - 3)}`, run: canonicalPhone, check: (o) => String(o).length > 1, expected: true },
			{ name: '"(0)" × n', make: (n) => fill('(0)', n), run: canonicalPhone, check: (o) => o, expected: null },
			{ name: 'sync: "0" × n vs "+46…"', make: (n) => fill('0', n), run: (s) => phonesEqual(s, '+46701234567'), check: (o) => o, expected: false },
		],
	},
	{
		name: 'Names',
		shapes: [
			{ name: 'many words', make: (n) => fill('Anna ', n, 'Berg'), run: splitFullName, check: (o) => (o as { lastName: string }).lastName, expected: 'Berg' },
			{ name: 'run of spaces', make: (n) => `Anna${fill(' \u00A0\u200B', n - 8)}Berg`, run: (s) => personNameFromPipedrive(s, 'Anna', 'Berg'), check: (o) => o, expected: { firstName: 'Anna', lastName: 'Berg' } },
			{ name: 'run of commas', make: (n) => fill(',', n), run: splitFullName, check: (o) => o, expected: { firstName: null, lastName: null } },
		],
	},
	{
		name: 'Org numbers',
		shapes: [
			{ name: 'separators, no digit', make: (n) => `SE${fill('-', n - 2)}`, run: (s) => parseOrgNumber(s).valid, check: (o) => o, expected: false },
			{ name: 'spaces then MVA', make: (n) => fill(' ', n, 'MVA'), run: (s) => parseOrgNumber(s).valid, check: (o) => o, expected: false },
			{ name: 'digits', make: (n) => fill('1', n), run: (s) => parseOrgNumber(s, 'SE').valid, check: (o) => o, expected: false },
		],
	},
	{
		name: 'Country',
		shapes: [
			{ name: 'long address', make: (n) => fill('Stockholm ', n, 'Sverige'), run: toCountryCode, check: (o) => o, expected: 'SE' },
			{ name: 'diacritics and dots', make: (n) => fill('Å.', n), run: toCountryCode, check: (o) => o, expected: null },
		],
	},
];

/** Best of `repeats` runs, in ms (each after a full GC when node runs with --expose-gc). */
function bestTime(run: () => unknown, repeats: number): number {
	let best = Infinity;
	for (let r = 0; r < repeats; r++) {
		collectGarbage();
		const t0 = nowMs();
		run();
		best = Math.min(best, nowMs() - t0);
	}
	return best;
}

const REPEATS: Record<number, number> = { 10_000: 30, 100_000: 10, 1_000_000: 5 };

/** Times of one shape at every size, after checking its answer at each. */
function timeShape(parser: Parser, shape: Shape): number[] {
	return PARSER_SIZES.map((size) => {
		const input = shape.make(size);
		if (input.length !== size && Math.abs(input.length - size) > 64) throw new Error(`${parser.name} / ${shape.name}: built ${input.length} characters, not ${size}`);
		const output = shape.run(input);
		if (shape.check) expectEqual(`${parser.name} / ${shape.name} at ${size}`, shape.check(output, input), shape.expected);
		return bestTime(() => shape.run(input), REPEATS[size]);
	});
}

function parserRow(parser: Parser): BenchRow {
	// Warm the JIT on small inputs first, so the 10 K figure is not the compile time.
	for (const shape of parser.shapes) for (let i = 0; i < 20; i++) shape.run(shape.make(1_000));
	const timed = parser.shapes.map((shape) => ({ shape, times: timeShape(parser, shape) }));
	const worst = PARSER_SIZES.map((_, i) => Math.max(...timed.map((t) => t.times[i])));
	const growth = [worst[1] / worst[0], worst[2] / worst[1]];
	const at100k = worst[1];
	const shapeNote = timed.map((t) => `${t.shape.name} ${t.times.map(formatMs).join(' / ')}`).join('; ');
	return {
		name: `Parser: ${parser.name}`,
		size: '10 K / 100 K / 1 M chars',
		totalMs: worst.reduce((a, b) => a + b, 0),
		checks: [
			{ figure: 'slowest shape per size', target: '', measured: worst.map(formatMs).join(' / '), pass: true, informational: true },
			{ figure: 'at 100 K', target: `< ${MAX_MS_AT_100K} ms`, measured: formatMs(at100k), pass: at100k < MAX_MS_AT_100K },
			{ figure: '10 K → 100 K', target: `≤ ${MAX_GROWTH_PER_10X}×`, measured: `${growth[0].toFixed(1)}×`, pass: growth[0] <= MAX_GROWTH_PER_10X },
			{ figure: '100 K → 1 M', target: `≤ ${MAX_GROWTH_PER_10X}×`, measured: `${growth[1].toFixed(1)}×`, pass: growth[1] <= MAX_GROWTH_PER_10X },
		],
		notes: [`${parser.name} (10 K / 100 K / 1 M, best of ${REPEATS[10_000]} / ${REPEATS[100_000]} / ${REPEATS[1_000_000]}): ${shapeNote}`],
	};
}

export function benchParsers(): BenchRow[] {
	return PARSERS.map(parserRow);
}
