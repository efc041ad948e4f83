/**
 * The Mapper's stateless compare: a mapped body (from the source system) against the target's
 * current record, projected into the same body shape. A field is "changed" when the canonical
 * values differ; it is *contested* when the target was updated later than the source, or when the
 * target's side owns the field (and holds a value). Who wins a contested field is decided by the one
 * conflict rule in `merge/policy.ts` (last write wins, source of truth per field, manual review);
 * the two-way sync (`twoWay/`) uses the same rule with baselines instead of record times.
 */
import { deletePath, getPath, setPath } from './bodyPath';
import { decideConflict, type ConflictRules, type Side, type SideTimes } from './merge/policy';
import { canonicalValue, kindForPath, sameAtPath, sameValue as sameCanonical, type CompareKind } from './mapping/compare';

export type ConflictStrategy = 'lastWriteWins' | 'sourceOfTruthPerField' | 'manualReview';
export type SystemName = Side;

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
	/** body path → how its values compare; missing paths use the path's name (`mapping/compare.ts`). */
	kinds?: Record<string, CompareKind>;
}

export interface ConflictOutcome {
	/** The body with the fields the target keeps removed. */
	body: Record<string, unknown>;
	/**
	 * The minimal body: only the paths whose canonical value differs from the target's and that the
	 * rules let through; `{}` when nothing differs. A list or object the target replaces whole
	 * (emails, tags, externalRefs, address …) is carried whole; `custom_fields.<key>` one key at a time.
	 */
	patch: Record<string, unknown>;
	changedFields: string[];
	conflicts: FieldConflict[];
	needsReview: boolean;
	unchanged: boolean;
}

/** Canonical form of a value (generic kind); kept here for older callers. */
export function comparable(value: unknown): unknown {
	return canonicalValue(value, 'generic');
}

/** Canonical equality (see `mapping/compare.ts`); the kind defaults to generic. */
export function sameValue(a: unknown, b: unknown, kind: CompareKind = 'generic'): boolean {
	return sameCanonical(a, b, kind);
}

/** Every leaf path of a body: top-level members, and `head.key` for plain-object members that `fieldPaths` addresses per key. */
function bodyPaths(body: Record<string, unknown>, fieldPaths: Record<string, string>): string[] {
	const nestedHeads = new Set(Object.keys(fieldPaths).filter((p) => p.includes('.')).map((p) => p.slice(0, p.indexOf('.'))));
	const paths: string[] = [];
	for (const [key, value] of Object.entries(body)) {
		if (nestedHeads.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
			for (const sub of Object.keys(value as Record<string, unknown>)) paths.push(`${key}.${sub}`);
		} else paths.push(key);
	}
	return paths;
}

function time(value: string | null): number | null {
	if (!value) return null;
	const t = Date.parse(value);
	return Number.isNaN(t) ? null : t;
}

/**
 * Whether the target's value of a changed field has a claim of its own (it is newer, or its side
 * owns the field and holds a value), and if so who wins under the one conflict rule
 * (`merge/policy.ts`). A target that owns a field but holds nothing is simply filled.
 */
function contest(input: ConflictInput, field: string, targetEmpty: boolean, targetIsNewer: boolean): { resolution?: FieldConflict['resolution']; reason: string } {
	const targetSystem: SystemName = input.sourceSystem === 'pipedrive' ? 'propstreet' : 'pipedrive';
	const perField = input.strategy === 'sourceOfTruthPerField';
	const owner = perField ? input.sourceOfTruth?.[field] : undefined;
	if (owner === targetSystem && targetEmpty) return { reason: '' };
	if (!targetIsNewer && !(owner === targetSystem)) return { reason: '' };
	const rules: ConflictRules = { policy: perField ? 'sourceOfTruth' : input.strategy === 'manualReview' ? 'manualReview' : 'lastWriteWins', owners: input.sourceOfTruth };
	const times = { [input.sourceSystem]: input.sourceUpdatedAt, [targetSystem]: input.targetUpdatedAt } as SideTimes;
	const decision = decideConflict(field, rules, times, input.sourceSystem);
	const resolution = decision.winner === 'review' ? 'review' : decision.winner === input.sourceSystem ? 'source' : 'target';
	return { resolution, reason: decision.reason };
}

export function resolveConflicts(input: ConflictInput): ConflictOutcome {
	const body = JSON.parse(JSON.stringify(input.body)) as Record<string, unknown>;
	const sourceAt = time(input.sourceUpdatedAt);
	const targetAt = time(input.targetUpdatedAt);
	// Unknown times never produce a conflict: the write goes ahead.
	const targetIsNewer = sourceAt !== null && targetAt !== null && targetAt > sourceAt;

	const kinds = input.kinds ?? {};
	const changedFields = new Set<string>();
	const conflicts: FieldConflict[] = [];
	const patch: Record<string, unknown> = {};
	for (const path of bodyPaths(input.body, input.fieldPaths)) {
		const field = input.fieldPaths[path] ?? path;
		const sourceValue = getPath(input.body, path);
		if (sourceValue === undefined) continue;
		const targetValue = getPath(input.current, path);
		if (sameAtPath(path, sourceValue, targetValue, kinds)) continue;
		changedFields.add(field);

		const { resolution, reason } = contest(input, field, canonicalValue(targetValue, kinds[path] ?? kindForPath(path)) === null, targetIsNewer);
		if (resolution) conflicts.push({ field, path, sourceValue, targetValue: targetValue ?? null, resolution, reason });
		if (resolution === 'target') deletePath(body, path);
		else setPath(patch, path, JSON.parse(JSON.stringify(sourceValue)) as unknown);
	}
	return {
		body,
		patch,
		changedFields: [...changedFields].sort(),
		conflicts,
		needsReview: conflicts.some((c) => c.resolution === 'review'),
		unchanged: changedFields.size === 0,
	};
}
