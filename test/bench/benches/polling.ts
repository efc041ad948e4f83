/**
 * Polling core: drains a 100,000-record backlog of `updated_since` pages the way the polling
 * trigger does (20 pages per poll, cursor stored between polls), then polls once more after 1,000
 * new records arrive. The page source is in memory so only the core is timed. It repeats the last
 * 5 records of the previous page at the top of each page (an overlapping cursor) and the overlap
 * window re-sends boundary records, so dedupe has real work: exactly one change per new version.
 */
import { pollChanges, type ListPage, type PageQuery, type PolledRecord, type PollState } from '../../../nodes/shared/core/polling';
import { expectEqual, MemorySampler, nowMs, percentile, type BenchRow } from '../lib/measure';
import { formatInt } from '../lib/table';

const MIN_RECORDS_PER_SECOND = 50_000;
const PAGE_SIZE = 500;
const REPEAT = 5;
const START = Date.UTC(2026, 2, 1, 0, 0, 0);

function makeRecords(from: number, count: number): PolledRecord[] {
	const out: PolledRecord[] = [];
	for (let i = from; i < from + count; i++) {
		// One change per 100 ms; a fifth are creations, one in fifty is a deletion.
		const updated = new Date(START + i * 100).toISOString();
		const created = i % 5 === 0 ? updated : new Date(START - 86_400_000).toISOString();
		out.push({ id: String(1_000_000 + i), etag: `W/"${i.toString(36)}"`, createdUtc: created, updatedUtc: updated, deletedUtc: i % 50 === 0 ? updated : null, firstName: 'Sigrid', lastName: 'Hågensen', email: `s${i}@bergen-naering.example.no` });
	}
	return out;
}

/** A keyset list over records sorted by updatedUtc; the cursor is the next index. */
function pageSource(records: PolledRecord[], counter: { pages: number; delivered: number }) {
	return async (query: PageQuery): Promise<ListPage> => {
		counter.pages++;
		let start: number;
		if (query.cursor) start = Number(query.cursor);
		else {
			// First index with updatedUtc >= updated_since (inclusive, as Propstreet documents).
			let lo = 0;
			let hi = records.length;
			const since = Date.parse(query.updatedSince);
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				if (Date.parse(String(records[mid].updatedUtc)) < since) lo = mid + 1;
				else hi = mid;
			}
			start = lo;
		}
		const from = query.cursor ? Math.max(0, start - REPEAT) : start;
		const end = Math.min(records.length, start + PAGE_SIZE);
		const data = records.slice(from, end);
		counter.delivered += data.length;
		const hasMore = end < records.length;
		return { data, page: { nextCursor: hasMore ? String(end) : null, hasMore, pageSize: PAGE_SIZE } };
	};
}

export async function benchPolling(total = 100_000, extra = 1_000): Promise<BenchRow> {
	const records = makeRecords(0, total);
	const counter = { pages: 0, delivered: 0 };
	const fetchPage = pageSource(records, counter);
	const options = { resource: 'contacts' as const, nowMs: START + total * 100 + 60_000, startFrom: new Date(START - 1000).toISOString() };

	const pollTimes: number[] = [];
	const kinds = { created: 0, updated: 0, deleted: 0 };
	let state: PollState | null = null;
	let changes = 0;
	let polls = 0;
	const sampler = new MemorySampler().start(5);
	const start = nowMs();
	for (;;) {
		const t0 = nowMs();
		const outcome = await pollChanges(state, fetchPage, options);
		pollTimes.push(nowMs() - t0);
		polls++;
		sampler.sample();
		state = outcome.state;
		changes += outcome.changes.length;
		for (const c of outcome.changes) kinds[c.kind]++;
		if (outcome.complete) break;
		if (polls > 1000) throw new Error('polling never completed');
	}
	const drainMs = nowMs() - start;
	expectEqual('backlog: one change per record', changes, total);
	expectEqual('backlog: deletions', kinds.deleted, Math.ceil(total / 50));

	// New records arrive; the next poll asks from the high-water mark minus the overlap.
	records.push(...makeRecords(total, extra));
	const t0 = nowMs();
	const next = await pollChanges(state, fetchPage, { ...options, nowMs: options.nowMs + extra * 100 });
	pollTimes.push(nowMs() - t0);
	const totalMs = nowMs() - start;
	const memory = sampler.stop(state);
	expectEqual('incremental poll: only the new records', next.changes.length, extra);

	const perSecond = counter.delivered / (totalMs / 1000);
	return {
		name: 'Polling core (dedupe)',
		size: `${formatInt(total + extra)} records`,
		totalMs,
		throughput: { perSecond, unit: 'rec' },
		p50Ms: percentile(pollTimes, 50),
		p95Ms: percentile(pollTimes, 95),
		opLabel: 'poll',
		memory,
		checks: [{ figure: 'throughput', target: `≥ ${formatInt(MIN_RECORDS_PER_SECOND)}/s`, measured: `${formatInt(perSecond)}/s`, pass: perSecond >= MIN_RECORDS_PER_SECOND }],
		notes: [
			`polling: ${polls} polls of ≤20 pages drained the backlog in ${drainMs.toFixed(0)} ms, then 1 incremental poll; ${formatInt(counter.pages)} pages, ${formatInt(counter.delivered)} records delivered incl. ${formatInt(counter.delivered - total - extra)} repeats (overlap + cursor re-sends), ${formatInt(changes + next.changes.length)} changes emitted (${formatInt(kinds.created)} created, ${formatInt(kinds.updated)} updated, ${formatInt(kinds.deleted)} deleted in the backlog); p50/p95 are per poll`,
		],
	};
}
