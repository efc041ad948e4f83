/**
 * What the Sync node needs to run one entity: its core spec, the mapper context built from the
 * Pipedrive field definitions it uses, both sides as ports, and (when it has them) a scope filter
 * and the lookups of related records. One file per entity; `index.ts` lists them.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { JsonRecord, MapperConfig } from '../../shared/core/mapping';
import type { SyncStateStore } from '../../shared/core/syncState/store';
import type { SideEvent } from '../../shared/core/twoWay/event';
import type { SyncFilters } from '../../shared/core/twoWay/filters';
import type { RunOutcome, TwoWayRun } from '../../shared/core/twoWay/ports';

export interface EntitySetup {
	ctx: IExecuteFunctions;
	i: number;
	store: SyncStateStore;
	config: MapperConfig;
	/** Field definitions given in the node's options (JSON), if any. */
	givenDefinitions: unknown;
	/** The record filters both ways (contact label and tag, project classification and asset type, companies). */
	filters: SyncFilters;
	/** The pipeline whose open deals a prospect sweep covers. */
	prospectPipeline: string;
	/** The run's settings (rules, store, where to create, this execution's token), for related entities synced on the way. */
	settings: RunSettings;
	/** The Pipedrive record the event delivers (null otherwise): what it carries that the cached definitions lack forces a read. */
	payload: JsonRecord | null;
	/** The oldest cached field definitions to use (the backfill's is an hour); default a day. */
	definitionsMaxAgeMs?: number;
}

export type EntityRunParts = Pick<TwoWayRun, 'spec' | 'ctx' | 'sides' | 'inScope' | 'lookups' | 'newRecordScope' | 'createScope'>;

/** Everything of a run that does not depend on the entity. */
export type RunSettings = Omit<TwoWayRun, keyof EntityRunParts>;

interface BindingInfo {
	/** The value of the node's Entity parameter (the sync entity it runs). */
	value: string;
	name: string;
	description: string;
}

/** A two-way entity: the parts of its run; the node then runs the engine's `syncEvent`. */
export interface TwoWayBinding extends BindingInfo {
	build(setup: EntitySetup): Promise<EntityRunParts>;
	syncEvent?: never;
	syncItem?: never;
}

/** An entity with a flow of its own (notes: one way, revised in place) runs the event itself. */
export interface OwnFlowBinding extends BindingInfo {
	syncEvent(setup: EntitySetup, event: SideEvent): Promise<RunOutcome>;
	build?: never;
	syncItem?: never;
}

/**
 * An entity synced as a set, not one record per event (deal participants ⇄ project prospects):
 * the item names what to sync (a deal, a prospect event, ids, a sweep); one outcome per synced pair.
 */
export interface ItemBinding extends BindingInfo {
	syncItem(setup: EntitySetup, item: IDataObject): Promise<RunOutcome[]>;
	build?: never;
	syncEvent?: never;
}

export type SyncEntityBinding = TwoWayBinding | OwnFlowBinding | ItemBinding;
