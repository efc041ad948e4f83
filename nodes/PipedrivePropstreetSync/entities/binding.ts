/**
 * What the Sync node needs to run one entity: its core spec, the mapper context built from the
 * Pipedrive field definitions it uses, both sides as ports, and (when it has them) a scope filter
 * and the lookups of related records. One file per entity; `index.ts` lists them.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { MapperConfig } from '../../shared/core/mapping';
import type { SyncStateStore } from '../../shared/core/syncState/store';
import type { ConflictRules } from '../../shared/core/merge/policy';
import type { RunOutcome, TwoWayRun } from '../../shared/core/twoWay/ports';

export interface EntitySetup {
	ctx: IExecuteFunctions;
	i: number;
	store: SyncStateStore;
	config: MapperConfig;
	/** Field definitions given in the node's options (JSON), if any. */
	givenDefinitions: unknown;
	/** The node's "Only Records With Label" value, trimmed ('' = every record). */
	label: string;
}

/** What an entity that syncs a whole set per item (memberships) gets besides the setup. */
export interface ItemSetup extends EntitySetup {
	item: IDataObject;
	rules: ConflictRules;
	owner: string;
	wait(ms: number): Promise<void>;
}

export type EntityRunParts = Pick<TwoWayRun, 'spec' | 'ctx' | 'sides' | 'inScope' | 'lookups'>;

export interface SyncEntityBinding {
	/** The value of the node's Entity parameter (the sync entity it runs). */
	value: string;
	name: string;
	description: string;
	/** The parts of a one-record two-way run (`twoWay/event.ts`). */
	build?(setup: EntitySetup): Promise<EntityRunParts>;
	/** An entity that is not one record per event (deal memberships) runs the whole item itself: one outcome per synced pair. */
	syncItem?(setup: ItemSetup): Promise<RunOutcome[]>;
}
