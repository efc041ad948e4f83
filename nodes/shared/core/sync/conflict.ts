/**
 * What to write after a 412 (someone changed the record between our read and our PATCH).
 * A field is in conflict when Propstreet's value moved since our read AND the source wants a
 * different value; the policy picks a side for each such field. Fields nobody else touched are
 * written as planned; merged fields (externalRefs, connections) never conflict.
 */
import { diffRecord, type RecordDiff } from './diff';
import { MERGED_FIELDS, fieldEquals } from './fields';
import type { ConflictSettings, FieldConflict, JsonRecord, Side } from './types';

export type ConflictPlan =
	| { kind: 'write'; diff: RecordDiff; conflicts: FieldConflict[] }
	| { kind: 'unchanged'; conflicts: FieldConflict[] }
	| { kind: 'conflict'; conflicts: FieldConflict[] };

function parseTime(value: unknown): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const t = typeof value === 'number' ? value : Date.parse(value);
	return Number.isNaN(t) ? undefined : t;
}

/** Which side wins one conflicting field. */
export function winnerFor(field: string, latest: JsonRecord, settings: ConflictSettings): Side | undefined {
	switch (settings.policy) {
		case 'sourceWins':
			return 'source';
		case 'propstreetWins':
			return 'propstreet';
		case 'perField':
			return settings.fieldOwners?.[field] ?? settings.defaultOwner ?? 'propstreet';
		case 'lastWriteWins': {
			const source = parseTime(settings.sourceUpdatedAt);
			const propstreet = parseTime(latest.updatedUtc);
			// Without a readable source time we cannot claim to be newer: keep Propstreet's edit.
			if (source === undefined) return 'propstreet';
			if (propstreet === undefined) return 'source';
			// A tie goes to Propstreet: it already holds the value, so no write ping-pong.
			return source > propstreet ? 'source' : 'propstreet';
		}
		case 'manualReview':
			return undefined;
	}
}

export function planAfterConflict(base: JsonRecord, latest: JsonRecord, desired: JsonRecord, settings: ConflictSettings): ConflictPlan {
	const full = diffRecord(latest, desired);
	const conflicts: FieldConflict[] = [];
	const patch: JsonRecord = {};
	const changes = [];
	for (const change of full.changes) {
		const { field } = change;
		const movedSinceRead = !MERGED_FIELDS.has(field) && !fieldEquals(field, base[field], latest[field]);
		if (!movedSinceRead) {
			patch[field] = full.patch[field];
			changes.push(change);
			continue;
		}
		const winner = winnerFor(field, latest, settings);
		conflicts.push({ field, base: base[field] ?? null, propstreet: latest[field] ?? null, source: desired[field], winner });
		if (winner === 'source') {
			patch[field] = full.patch[field];
			changes.push(change);
		}
	}
	if (settings.policy === 'manualReview' && conflicts.length) return { kind: 'conflict', conflicts };
	if (!changes.length) return { kind: 'unchanged', conflicts };
	return { kind: 'write', diff: { patch, changes }, conflicts };
}
