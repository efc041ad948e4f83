/**
 * What the two-way sync needs from the outside world, as ports: each side's API (the nodes supply
 * HTTP implementations, tests supply simulators or fakes), the state store, and a way to wait.
 * The two sides are addressed alike so one flow serves both directions.
 */
import type { ConflictRules, Side } from '../merge/policy';
import type { FieldDecision } from '../merge/threeWay';
import type { JsonRecord, Lifecycle, MapperContext, MapperLookups } from '../mapping/common';
import type { MapperConfig } from '../mapping/config';
import type { ReviewQueue } from '../review/queue';
import type { SyncStateStore } from '../syncState/store';
import type { EntitySpec } from './spec';

export interface SideRecord {
	record: JsonRecord;
	/** Propstreet's ETag (sent back as If-Match); Pipedrive has none. */
	etag?: string;
	/** From `create`: the side matched an existing record (e.g. by e-mail) instead of creating one. */
	existed?: boolean;
}

/** `preconditionFailed`: someone changed the record since our read; `gone`: it was deleted or merged away. */
/** `warnings`: what the side accepted only in part (e.g. a ref another record holds), for the outcome. */
export type SideWrite = { ok: true; record: JsonRecord; etag?: string; warnings?: string[] } | { ok: false; reason: 'preconditionFailed' | 'gone' };

export interface SidePort {
	/** The record by id; null when it does not exist (404). */
	get(id: string): Promise<SideRecord | null>;
	/** Patch with If-Match where the side supports it. */
	update(id: string, patch: JsonRecord, etag: string | undefined): Promise<SideWrite>;
	/**
	 * Create the counterpart of `source` (the other side's record id): a side that honours
	 * idempotency keys derives one from it, so a retried create makes nothing twice.
	 */
	create(body: JsonRecord, source: { entity: string; side: Side; id: string }): Promise<SideRecord>;
	/** A record on this side that already stands for `other` (its external ref, e-mail …); null if none. */
	findCounterpart(other: JsonRecord, otherId: string): Promise<SideRecord | null>;
}

export interface TwoWayRun {
	spec: EntitySpec;
	config: MapperConfig;
	ctx: MapperContext;
	rules: ConflictRules;
	store: SyncStateStore;
	sides: Record<Side, SidePort>;
	/** Create the missing counterpart on this side (false = link existing records only). */
	createOn: Record<Side, boolean>;
	/** Records the sync carries (e.g. only persons with the Investor label); others are skipped before any call. */
	inScope?: (side: Side, record: JsonRecord) => boolean;
	/**
	 * Unlinked records that may be linked or get a counterpart (e.g. only deals in the synced
	 * pipelines); others are skipped before any call. A linked record is synced whatever this says.
	 */
	newRecordScope?: (side: Side, record: JsonRecord) => boolean;
	/** Records that may get a new counterpart when none exists (they are still linked to an existing one). */
	createScope?: (side: Side, record: JsonRecord) => boolean;
	/**
	 * Ids of related records the mapping needs (a person's organization ⇄ a contact's company),
	 * resolved for the records in hand; may link or create the related record first.
	 */
	lookups?: (records: Partial<Record<Side, JsonRecord>>) => Promise<MapperLookups>;
	/** Where fields sent to manual review are queued and a person's choice is read back; none = Review output only. */
	review?: ReviewQueue;
	/** This execution's token, for creation claims. */
	owner: string;
	now(): Date;
	wait(ms: number): Promise<void>;
}

export type RunAction = 'unchanged' | 'updated' | 'created' | 'unlinked' | 'relinked' | 'skipped';

export interface ReviewItem {
	field: string;
	reason: string;
	pipedriveValue: unknown;
	propstreetValue: unknown;
}

export interface RunOutcome {
	action: RunAction;
	entity: string;
	pipedriveId: string | null;
	propstreetId: string | null;
	/** What was written, per side ({} = nothing). */
	written: Record<Side, JsonRecord>;
	decisions: FieldDecision[];
	review: ReviewItem[];
	warnings: string[];
	/** Why the run stopped where it did, in a sentence. */
	reason: string;
	/** What the sync cannot do itself and a person or the workflow should (close the project in the app, delete it). */
	lifecycle?: Lifecycle;
}
