export type JsonRecord = Record<string, unknown>;

export type SyncAction = 'created' | 'updated' | 'unchanged' | 'conflict' | 'skipped';

export type MatchedBy = 'externalRef' | 'email' | 'domain' | 'orgNumber';

export type ConflictPolicy = 'lastWriteWins' | 'sourceWins' | 'propstreetWins' | 'perField' | 'manualReview';

export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['lastWriteWins', 'sourceWins', 'propstreetWins', 'perField', 'manualReview'];

export type Side = 'source' | 'propstreet';

export interface ExternalRef {
	namespace: string;
	id: string;
}

export interface FieldChange {
	field: string;
	from: unknown;
	to: unknown;
}

export interface FieldConflict {
	field: string;
	/** Value when we first read the record. */
	base: unknown;
	/** Value Propstreet holds now (someone changed it after our read). */
	propstreet: unknown;
	/** Value the source wants. */
	source: unknown;
	/** Who won under the policy; undefined under manualReview. */
	winner?: Side;
}

/** One output item of Sync contact / Sync company. */
export interface SyncOutcome {
	action: SyncAction;
	propstreetId: string | null;
	etag: string | null;
	matchedBy: MatchedBy | null;
	changes: FieldChange[];
	record: JsonRecord | null;
	conflicts?: FieldConflict[];
	reason?: string;
	/** Raw X-Propstreet-Upsert-Action when the server-side upsert was used. */
	upsertAction?: string;
}

/** A record read from Propstreet with the etag to send back as If-Match. */
export interface ReadRecord {
	record: JsonRecord;
	etag: string;
}

export type PatchResult = { ok: true; record: JsonRecord; etag: string } | { ok: false; reason: 'preconditionFailed' };

export interface ConflictSettings {
	policy: ConflictPolicy;
	/** Propstreet-side timestamp is the record's updatedUtc; this is the source side's. */
	sourceUpdatedAt?: string;
	/** perField: field → winning side. */
	fieldOwners?: Record<string, Side>;
	/** perField: side for fields not in fieldOwners. */
	defaultOwner?: Side;
}
