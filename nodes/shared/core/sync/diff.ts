import { MERGED_FIELDS, READ_ONLY_FIELDS, fieldEquals, mergeConnections, mergeExternalRefs } from './fields';
import type { FieldChange, JsonRecord } from './types';

export interface RecordDiff {
	/** Minimal PATCH body: only fields whose value would change. Empty = nothing to write. */
	patch: JsonRecord;
	changes: FieldChange[];
}

/**
 * Compare the current Propstreet record with what the source wants. Fields the desired record
 * leaves out (undefined) are not managed by the sync and stay as they are; `null` clears.
 */
export function diffRecord(current: JsonRecord, desired: JsonRecord): RecordDiff {
	const patch: JsonRecord = {};
	const changes: FieldChange[] = [];
	for (const [field, wanted] of Object.entries(desired)) {
		if (wanted === undefined || READ_ONLY_FIELDS.has(field)) continue;
		if (field === 'externalRefs') {
			const merged = mergeExternalRefs(current.externalRefs, wanted);
			if (merged) {
				patch.externalRefs = merged;
				changes.push({ field, from: current.externalRefs ?? [], to: merged });
			}
			continue;
		}
		if (field === 'connections') {
			const merged = mergeConnections(current, wanted);
			if (merged) {
				patch.connections = merged;
				changes.push({ field, from: current.companies ?? current.connections ?? [], to: merged });
			}
			continue;
		}
		if (!fieldEquals(field, current[field], wanted)) {
			patch[field] = wanted;
			changes.push({ field, from: current[field] ?? null, to: wanted });
		}
	}
	return { patch, changes };
}

export function isEmptyPatch(diff: RecordDiff): boolean {
	return diff.changes.length === 0;
}

export { MERGED_FIELDS };
