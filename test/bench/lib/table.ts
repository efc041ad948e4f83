/** Plain-text table of benchmark rows: figures, then each target with PASS / MISS. */
import { MB, type BenchRow, type TargetCheck } from './measure';

export function formatInt(n: number): string {
	return Math.round(n).toLocaleString('en-US');
}

export function formatMs(ms: number | undefined): string {
	if (ms === undefined || Number.isNaN(ms)) return '–';
	if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
	if (ms >= 100) return `${ms.toFixed(0)} ms`;
	if (ms >= 1) return `${ms.toFixed(1)} ms`;
	if (ms >= 0.01) return `${ms.toFixed(3)} ms`;
	return `${(ms * 1000).toFixed(2)} µs`;
}

export function formatMb(bytes: number | undefined): string {
	if (bytes === undefined) return '–';
	return `${(bytes / MB).toFixed(1)} MB`;
}

function pad(text: string, width: number, right = false): string {
	const len = [...text].length;
	if (len >= width) return text;
	return right ? ' '.repeat(width - len) + text : text + ' '.repeat(width - len);
}

export function renderTable(headers: string[], rows: string[][], rightAligned: Set<number>): string {
	const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
	const line = (cells: string[]) => cells.map((c, i) => pad(c ?? '', widths[i], rightAligned.has(i))).join(' │ ');
	const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
	return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Main table: one line per row; a row with several targets continues on extra lines. */
export function renderResults(rows: BenchRow[], showRetained: boolean): string {
	const headers = ['Benchmark', 'Size', 'Total', 'Throughput', 'p50/op', 'p95/op', 'Peak RSS', 'Heap Δ peak', 'Heap Δ kept', 'Target', 'Measured', 'Result'];
	const verdict = (c: TargetCheck) => (c.informational ? 'info' : c.pass ? 'PASS' : 'MISS');
	const target = (c: TargetCheck) => (c.informational ? c.figure : `${c.figure} ${c.target}`);
	const out: string[][] = [];
	for (const row of rows) {
		const first = row.checks[0];
		out.push([
			row.name,
			row.size,
			formatMs(row.totalMs),
			row.throughput ? `${formatInt(row.throughput.perSecond)} ${row.throughput.unit}/s` : '–',
			row.p50Ms === undefined ? '–' : formatMs(row.p50Ms),
			row.p95Ms === undefined ? '–' : formatMs(row.p95Ms),
			formatMb(row.memory?.peakRssBytes),
			formatMb(row.memory?.peakHeapDeltaBytes),
			formatMb(row.memory?.retainedHeapDeltaBytes),
			first ? target(first) : '–',
			first ? first.measured : '',
			first ? verdict(first) : '',
		]);
		for (const check of row.checks.slice(1)) {
			out.push(['', '', '', '', '', '', '', '', '', target(check), check.measured, verdict(check)]);
		}
	}
	if (!showRetained) {
		headers.splice(8, 1);
		for (const r of out) r.splice(8, 1);
	}
	return renderTable(headers, out, new Set([2, 3, 4, 5, 6, 7, ...(showRetained ? [8] : [])]));
}
