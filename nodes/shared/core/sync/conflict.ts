/**
 * What to write after a 412 (someone changed the record between our read and our PATCH).
 * A field is in conflict when Propstreet's value moved since our read AND the source wants a
 * different value; the policy picks a side for each such field. Fields nobody else touched are
 * written as planned; merged fields (externalRefs, connections) never conflict.
 */
import { diffRecord, type RecordDiff } from './diff';
import { MERGED_FIELDS, fieldEquals } from './fields';
import { decideConflict, timeOf, type ConflictRules, type Side as RuleSide } from '../merge/policy';
import type { ConflictSettings, FieldConflict, JsonRecord, Side } from './types';

export type ConflictPlan =
	| { kind: 'write'; diff: RecordDiff; conflicts: FieldConflict[] }
	| { kind: 'unchanged'; conflicts: FieldConflict[] }
	| { kind: 'conflict'; conflicts: FieldConflict[] };

/**
 * The Sync operation's policy names, read as the one conflict rule (`merge/policy.ts`). The generic
 * "source" system plays the Pipedrive side of the rule; `sourceWins` / `propstreetWins` make one
 * side the owner of every field, `perField` names owners per field (Propstreet by default).
 */
function rulesFor(settings: ConflictSettings): ConflictRules {
	const side = (s: Side): RuleSide => (s === 'source' ? 'pipedrive' : 'propstreet');
	switch (settings.policy) {
		case 'sourceWins':
			return { policy: 'sourceOfTruth', defaultOwner: 'pipedrive' };
		case 'propstreetWins':
			return { policy: 'sourceOfTruth', defaultOwner: 'propstreet' };
		case 'perField': {
			const owners: Record<string, RuleSide> = {};
			for (const [field, owner] of Object.entries(settings.fieldOwners ?? {})) owners[field] = side(owner);
			return { policy: 'sourceOfTruth', owners, defaultOwner: side(settings.defaultOwner ?? 'propstreet') };
		}
		default:
			return { policy: settings.policy };
	}
}

/** Which side wins one conflicting field; undefined under manualReview. */
export function winnerFor(field: string, latest: JsonRecord, settings: ConflictSettings): Side | undefined {
	const source = timeOf(settings.sourceUpdatedAt as string | undefined);
	const propstreet = timeOf(latest.updatedUtc as string | undefined);
	// Without a readable source time we cannot claim to be newer; a tie keeps Propstreet's value.
	const fallback: RuleSide = source !== null && propstreet === null ? 'pipedrive' : 'propstreet';
	const decision = decideConflict(field, rulesFor(settings), { pipedrive: source, propstreet }, fallback);
	if (decision.winner === 'review') return undefined;
	return decision.winner === 'pipedrive' ? 'source' : 'propstreet';
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
