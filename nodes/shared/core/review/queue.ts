/**
 * The review queue: one row per linked pair and merge group that the conflict rule sent to manual
 * review. A person settles a row by setting its `resolution` to the side that should win; the next
 * sync of that pair turns the resolutions into review decisions (`ConflictRules.decisions`, read by
 * `decideConflict`), so the chosen side's current value is written to the other side like any
 * other decided conflict, and the row is marked `applied`.
 *
 * This file is pure: the row shape, the port the sync writes through (an n8n Data Table in the
 * nodes, `MemoryReviewQueue` in tests) and the decisions on which rows to raise, update or close.
 */
import type { Side } from '../merge/policy';
import type { FieldDecision } from '../merge/threeWay';
import type { SyncEntity } from '../syncState/link';

/**
 * `open`: waiting for a person (or for the next sync once `resolution` is set);
 * `applied`: the chosen side's value was synced; `settled`: closed without a choice being applied
 * (both sides came to agree by themselves, or the link is gone).
 */
export type ReviewStatus = 'open' | 'applied' | 'settled';

export const REVIEW_STATUSES: readonly ReviewStatus[] = ['open', 'applied', 'settled'];

/** What the sync knows of one field it sent to review. */
export interface ReviewRaise {
	entity: SyncEntity;
	pipedriveId: string;
	propstreetId: string;
	field: string;
	/** Both sides' values of the field, as JSON text in each side's own shape. */
	pipedriveValue: string;
	propstreetValue: string;
	/** When the pair was last in sync, per side (the baseline keeps signatures, not values). */
	lastSynced: string;
	/** The conflict rule's reason: why the field is here. */
	rule: string;
	raisedAt: string;
}

export interface ReviewEntry extends ReviewRaise {
	rowId: number;
	/** The row's identity: entity, both ids and the field (see `reviewKey`). */
	key: string;
	/** What a person typed in the `resolution` column (checked by `resolutionOf`). */
	resolution: string;
	status: ReviewStatus;
	appliedAt: string;
}

export type ReviewChange = Partial<Pick<ReviewEntry, 'status' | 'appliedAt' | 'pipedriveValue' | 'propstreetValue' | 'lastSynced' | 'rule' | 'raisedAt'>>;

/** What the sync needs of the queue; every method acts on open rows of one pair unless it says otherwise. */
export interface ReviewQueue {
	/** The open rows of a pair, oldest first. */
	openFor(entity: SyncEntity, pipedriveId: string, propstreetId: string): Promise<ReviewEntry[]>;
	/** Adds an open row for the field; when another execution added one at the same time, only the oldest stays. */
	raise(item: ReviewRaise): Promise<void>;
	update(rowId: number, change: ReviewChange): Promise<void>;
}

export function reviewKey(item: Pick<ReviewRaise, 'entity' | 'pipedriveId' | 'propstreetId' | 'field'>): string {
	return `${item.entity}:${item.pipedriveId}:${item.propstreetId}:${item.field}`;
}

/** The side a person chose, read leniently ("Pipedrive ", "PS"); null for empty or unreadable text. */
export function resolutionOf(text: string): Side | null {
	const t = text.trim().toLowerCase();
	if (t === 'pipedrive' || t === 'pd') return 'pipedrive';
	if (t === 'propstreet' || t === 'ps') return 'propstreet';
	return null;
}

/** The review decisions of a pair's open rows (field → chosen side), for `ConflictRules.decisions`. */
export function decisionsOf(entries: ReviewEntry[]): Record<string, Side> {
	const out: Record<string, Side> = {};
	for (const entry of entries) {
		const side = entry.status === 'open' ? resolutionOf(entry.resolution) : null;
		if (side) out[entry.field] = side;
	}
	return out;
}

export interface ReviewPlan {
	/** Fields sent to review that have no open row yet. */
	raise: ReviewRaise[];
	/** Existing rows to refresh (a repeated conflict) or close. */
	update: Array<{ rowId: number; change: ReviewChange }>;
}

/**
 * After a pass: a field still in review refreshes its open row (new values, rule and time) or gets
 * one; an open row whose field the pass decided otherwise is closed, as `applied` when a person's
 * resolution was behind it and as `settled` when the conflict went away without one. Rows of
 * fields the pass did not look at (a field switched off) are left alone.
 */
export function planReviewRows(entries: ReviewEntry[], decisions: FieldDecision[], items: ReviewRaise[], now: string): ReviewPlan {
	const plan: ReviewPlan = { raise: [], update: [] };
	const open = new Map(entries.filter((e) => e.status === 'open').map((e) => [e.field, e]));
	for (const item of items) {
		const row = open.get(item.field);
		if (!row) plan.raise.push(item);
		else plan.update.push({ rowId: row.rowId, change: { pipedriveValue: item.pipedriveValue, propstreetValue: item.propstreetValue, lastSynced: item.lastSynced, rule: item.rule, raisedAt: item.raisedAt } });
	}
	for (const d of decisions) {
		const row = open.get(d.field);
		if (!row || d.action === 'review') continue;
		const status: ReviewStatus = resolutionOf(row.resolution) ? 'applied' : 'settled';
		plan.update.push({ rowId: row.rowId, change: { status, appliedAt: now } });
	}
	return plan;
}
