/**
 * Delta polling over Propstreet's cursor-paged lists (`updated_since` + `include_deleted=true`).
 *
 * - High-water mark: the newest `updatedUtc` seen, in the server's own clock and text, so our
 *   clock never decides what counts as new (only the very first run, when nothing is stored,
 *   starts from "now").
 * - Boundary overlap: each query asks from `highWaterMark - overlap`. `updated_since` is "on or
 *   after", so the boundary record comes back every time, and the overlap also catches rows
 *   committed late with a slightly older timestamp.
 * - Dedupe: every record seen inside that overlap window is remembered as `id|etag` (or
 *   `id|updatedUtc` without an etag) with its time; a record that comes back unchanged is
 *   skipped, one that changed has a new etag and is emitted again.
 * - Classification: a non-null `deletedUtc` (or a project `status` of `deleted`) is a deletion;
 *   `createdUtc == updatedUtc` is a creation; anything else an update.
 * - Backlogs: the driver stops after `maxPages` pages (or when told to) and stores the cursor,
 *   so the next poll resumes the same query where this one stopped instead of skipping rows.
 *
 * Pure: no n8n imports; HTTP comes in as a `fetchPage` function.
 */

export const POLL_RESOURCES = ['contacts', 'companies', 'links', 'projects', 'prospects'] as const;
export type PollResource = (typeof POLL_RESOURCES)[number];

export type PropstreetEntity = 'contact' | 'company' | 'link' | 'project' | 'prospect';

export const ENTITY_OF_RESOURCE: Record<PollResource, PropstreetEntity> = {
	contacts: 'contact',
	companies: 'company',
	links: 'link',
	projects: 'project',
	prospects: 'prospect',
};

export type ChangeKind = 'created' | 'updated' | 'deleted';

export const DEFAULT_OVERLAP_SECONDS = 60;
export const DEFAULT_MAX_PAGES_PER_POLL = 20;
/** Cap on remembered boundary keys; only a burst of edits inside one overlap window reaches it. */
export const DEFAULT_MAX_BOUNDARY_KEYS = 2000;

export interface PolledRecord {
	id: string | number;
	etag?: string | null;
	createdUtc?: string | null;
	updatedUtc?: string | null;
	deletedUtc?: string | null;
	[field: string]: unknown;
}

export interface ListPage {
	data: PolledRecord[];
	page?: { nextCursor?: string | null; hasMore?: boolean; pageSize?: number } | null;
}

export interface PageQuery {
	updatedSince: string;
	cursor?: string;
}

export type FetchPage = (query: PageQuery) => Promise<ListPage>;

/** What lives in node static data between polls. */
export interface PollState {
	version: 1;
	/** Newest `updatedUtc` seen, as the server wrote it. */
	highWaterMark: string;
	/** `[key, updatedMs]` for records inside the overlap window of the high-water mark. */
	boundary: Array<[string, number]>;
	/** Set while a backlog is drained over several polls. */
	resume: { cursor: string; updatedSince: string } | null;
}

export interface PollChange {
	kind: ChangeKind;
	/** e.g. `contact.updated` */
	event: string;
	key: string;
	record: PolledRecord;
}

export interface PollOptions {
	resource: PollResource;
	nowMs: number;
	overlapSeconds?: number;
	/** ISO date; without stored state, start from here instead of "now". */
	startFrom?: string;
	maxPages?: number;
	maxBoundaryKeys?: number;
	/** Asked after each page; true stops early (e.g. the poll's time budget is nearly spent). */
	shouldStop?: () => boolean;
}

export interface PollOutcome {
	state: PollState;
	changes: PollChange[];
	/** True when this run only stored a starting point (first run without `startFrom`). */
	initialised: boolean;
	/** False when pages are left for the next poll. */
	complete: boolean;
	pages: number;
}

function parseTime(value: unknown): number {
	return typeof value === 'string' && value !== '' ? Date.parse(value) : NaN;
}

function isDeleted(record: PolledRecord): boolean {
	if (record.deletedUtc !== undefined && record.deletedUtc !== null && record.deletedUtc !== '') return true;
	// Projects also carry a lifecycle status; "deleted" there means the same thing.
	return record.status === 'deleted';
}

export function classifyChange(record: PolledRecord): ChangeKind {
	if (isDeleted(record)) return 'deleted';
	const created = parseTime(record.createdUtc);
	const updated = parseTime(record.updatedUtc);
	if (!Number.isNaN(created) && created === updated) return 'created';
	return 'updated';
}

export function recordKey(record: PolledRecord): string {
	const version = record.etag ? String(record.etag) : `u:${String(record.updatedUtc ?? '')}`;
	return `${String(record.id)}|${version}`;
}

/** Accepts only a well-formed stored state; anything else counts as "no state". */
export function readPollState(raw: unknown): PollState | null {
	if (!raw || typeof raw !== 'object') return null;
	const candidate = raw as Partial<PollState>;
	if (candidate.version !== 1 || typeof candidate.highWaterMark !== 'string') return null;
	if (Number.isNaN(parseTime(candidate.highWaterMark))) return null;
	const boundary = Array.isArray(candidate.boundary)
		? candidate.boundary.filter(
				(entry): entry is [string, number] =>
					Array.isArray(entry) && typeof entry[0] === 'string' && Number.isFinite(entry[1]),
			)
		: [];
	const resume =
		candidate.resume &&
		typeof candidate.resume.cursor === 'string' &&
		typeof candidate.resume.updatedSince === 'string'
			? { cursor: candidate.resume.cursor, updatedSince: candidate.resume.updatedSince }
			: null;
	return { version: 1, highWaterMark: candidate.highWaterMark, boundary, resume };
}

/** The `updated_since` value for a stored high-water mark. */
export function updatedSinceFor(highWaterMark: string, overlapSeconds: number): string {
	if (overlapSeconds <= 0) return highWaterMark;
	return new Date(parseTime(highWaterMark) - overlapSeconds * 1000).toISOString();
}

/**
 * One poll: follows cursors from the stored state, returns the new changes in the order the API
 * listed them and the state to store. Never mutates its inputs.
 */
export async function pollChanges(
	stored: PollState | null,
	fetchPage: FetchPage,
	options: PollOptions,
): Promise<PollOutcome> {
	const overlapSeconds = Math.max(0, options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS);
	const maxPages = Math.max(1, options.maxPages ?? DEFAULT_MAX_PAGES_PER_POLL);
	const maxBoundaryKeys = Math.max(1, options.maxBoundaryKeys ?? DEFAULT_MAX_BOUNDARY_KEYS);
	const entity = ENTITY_OF_RESOURCE[options.resource];

	let state = stored;
	if (!state) {
		const start = options.startFrom ? parseTime(options.startFrom) : NaN;
		if (Number.isNaN(start)) {
			// First run: remember where we start and report nothing, so activating a trigger on a
			// large network does not replay every existing record.
			return {
				state: { version: 1, highWaterMark: new Date(options.nowMs).toISOString(), boundary: [], resume: null },
				changes: [],
				initialised: true,
				complete: true,
				pages: 0,
			};
		}
		state = { version: 1, highWaterMark: new Date(start).toISOString(), boundary: [], resume: null };
	}

	const updatedSince = state.resume?.updatedSince ?? updatedSinceFor(state.highWaterMark, overlapSeconds);
	let cursor: string | undefined = state.resume?.cursor;
	const known = new Set(state.boundary.map(([key]) => key));
	const seenThisRun: Array<[string, number]> = [];
	const changes: PollChange[] = [];
	let highWaterMark = state.highWaterMark;
	let highWaterMs = parseTime(highWaterMark);
	let pages = 0;
	let complete = false;

	for (;;) {
		const page = await fetchPage(cursor ? { updatedSince, cursor } : { updatedSince });
		pages++;
		for (const record of Array.isArray(page.data) ? page.data : []) {
			const key = recordKey(record);
			const updatedMs = parseTime(record.updatedUtc);
			if (!Number.isNaN(updatedMs)) {
				seenThisRun.push([key, updatedMs]);
				if (updatedMs > highWaterMs) {
					highWaterMs = updatedMs;
					highWaterMark = String(record.updatedUtc);
				}
			}
			if (known.has(key)) continue;
			known.add(key);
			const kind = classifyChange(record);
			changes.push({ kind, event: `${entity}.${kind}`, key, record });
		}
		const next = page.page?.nextCursor;
		if (!next || page.page?.hasMore === false) {
			cursor = undefined;
			complete = true;
			break;
		}
		cursor = next;
		if (pages >= maxPages || options.shouldStop?.()) break;
	}

	// Keep what the next query will return again: everything at or after its `updated_since`.
	// While a backlog is pending the window is still the old query's, so keep this run's keys too.
	const windowStart = complete ? highWaterMs - overlapSeconds * 1000 : parseTime(updatedSince);
	const merged = new Map<string, number>();
	for (const [key, ms] of [...state.boundary, ...seenThisRun]) {
		if (ms >= windowStart || Number.isNaN(windowStart)) merged.set(key, Math.max(ms, merged.get(key) ?? ms));
	}
	const boundary = [...merged.entries()].sort((a, b) => a[1] - b[1]).slice(-maxBoundaryKeys);

	return {
		state: {
			version: 1,
			highWaterMark,
			boundary,
			resume: complete || !cursor ? null : { cursor, updatedSince },
		},
		changes,
		initialised: false,
		complete,
		pages,
	};
}
