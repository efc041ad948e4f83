/**
 * Per-field conflict rules between a mapped body (from the source system) and the current record
 * on the target side, projected into the same body shape.
 *
 * A field is "changed" when the body's value differs from the target's current value. A changed
 * field is a *conflict* when the target record was updated after the source record (the write
 * would overwrite a newer edit). Strategies:
 * - lastWriteWins: conflicting fields are dropped from the body (the newer target value stays);
 * - sourceOfTruthPerField: a field owned by the target system is dropped whenever it differs
 *   (unless the target value is empty); a field owned by the source is always written; fields
 *   without an owner fall back to lastWriteWins;
 * - manualReview: conflicting fields are kept, and the item is flagged for review.
 */
import { canonicalJson } from './hash';

export type ConflictStrategy = 'lastWriteWins' | 'sourceOfTruthPerField' | 'manualReview';
export type SystemName = 'pipedrive' | 'propstreet';

export interface FieldConflict {
	field: string;
	path: string;
	sourceValue: unknown;
	targetValue: unknown;
	resolution: 'source' | 'target' | 'review';
	reason: string;
}

export interface ConflictInput {
	body: Record<string, unknown>;
	/** body path (`name`, `custom_fields.<key>`) → logical field id (`contact.strategy`). */
	fieldPaths: Record<string, string>;
	/** Target's current record projected into body shape. */
	current: Record<string, unknown>;
	sourceSystem: SystemName;
	sourceUpdatedAt: string | null;
	targetUpdatedAt: string | null;
	strategy: ConflictStrategy;
	/** logical field id → the system that owns it. */
	sourceOfTruth?: Record<string, SystemName>;
}

export interface ConflictOutcome {
	body: Record<string, unknown>;
	changedFields: string[];
	conflicts: FieldConflict[];
	needsReview: boolean;
	unchanged: boolean;
}

/** Loose comparison form: trimmed strings, numeric strings as numbers, ''/undefined as null, sorted primitive arrays. */
export function comparable(value: unknown): unknown {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string') {
		const t = value.trim();
		if (t === '') return null;
		return /^-?\d+(\.\d+)?$/.test(t) && t.length < 16 ? Number(t) : t;
	}
	if (Array.isArray(value)) {
		const items = value.map(comparable);
		if (items.length === 0) return null;
		if (items.every((v) => v === null || typeof v !== 'object')) return [...items].sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
		return items;
	}
	if (typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = comparable(v);
		return out;
	}
	return value;
}

export function sameValue(a: unknown, b: unknown): boolean {
	return canonicalJson(comparable(a)) === canonicalJson(comparable(b));
}

export function getPath(obj: Record<string, unknown>, path: string): unknown {
	const dot = path.indexOf('.');
	if (dot < 0) return obj[path];
	const head = obj[path.slice(0, dot)];
	return head && typeof head === 'object' ? (head as Record<string, unknown>)[path.slice(dot + 1)] : undefined;
}

function deletePath(obj: Record<string, unknown>, path: string): void {
	const dot = path.indexOf('.');
	if (dot < 0) {
		delete obj[path];
		return;
	}
	const headKey = path.slice(0, dot);
	const head = obj[headKey];
	if (head && typeof head === 'object') {
		delete (head as Record<string, unknown>)[path.slice(dot + 1)];
		if (Object.keys(head as object).length === 0) delete obj[headKey];
	}
}

function time(value: string | null): number | null {
	if (!value) return null;
	const t = Date.parse(value);
	return Number.isNaN(t) ? null : t;
}

export function resolveConflicts(input: ConflictInput): ConflictOutcome {
	const body = JSON.parse(JSON.stringify(input.body)) as Record<string, unknown>;
	const sourceAt = time(input.sourceUpdatedAt);
	const targetAt = time(input.targetUpdatedAt);
	// Unknown times never produce a conflict: the write goes ahead.
	const targetIsNewer = sourceAt !== null && targetAt !== null && targetAt > sourceAt;
	const targetSystem: SystemName = input.sourceSystem === 'pipedrive' ? 'propstreet' : 'pipedrive';

	const changedFields = new Set<string>();
	const conflicts: FieldConflict[] = [];
	for (const [path, field] of Object.entries(input.fieldPaths)) {
		const sourceValue = getPath(input.body, path);
		if (sourceValue === undefined) continue;
		const targetValue = getPath(input.current, path);
		if (sameValue(sourceValue, targetValue)) continue;
		changedFields.add(field);

		const owner = input.sourceOfTruth?.[field];
		let resolution: FieldConflict['resolution'] | undefined;
		let reason = '';
		if (input.strategy === 'sourceOfTruthPerField' && owner) {
			if (owner === targetSystem && comparable(targetValue) !== null) {
				resolution = 'target';
				reason = `${targetSystem} is the source of truth for ${field}`;
			} else if (targetIsNewer) {
				resolution = 'source';
				reason = `${input.sourceSystem} is the source of truth for ${field}`;
			}
		} else if (targetIsNewer) {
			resolution = input.strategy === 'manualReview' ? 'review' : 'target';
			reason = `${targetSystem} was updated later (${input.targetUpdatedAt}) than ${input.sourceSystem} (${input.sourceUpdatedAt})`;
		}
		if (!resolution) continue;
		conflicts.push({ field, path, sourceValue, targetValue: targetValue ?? null, resolution, reason });
		if (resolution === 'target') deletePath(body, path);
	}
	return {
		body,
		changedFields: [...changedFields].sort(),
		conflicts,
		needsReview: conflicts.some((c) => c.resolution === 'review'),
		unchanged: changedFields.size === 0,
	};
}
