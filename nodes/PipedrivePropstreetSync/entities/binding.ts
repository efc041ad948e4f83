/**
 * What the Sync node needs to run one entity: its core spec, the mapper context built from the
 * Pipedrive field definitions it uses, both sides as ports, and (when it has them) a scope filter
 * and the lookups of related records. One file per entity; `index.ts` lists them.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import type { MapperConfig } from '../../shared/core/mapping';
import type { SyncStateStore } from '../../shared/core/syncState/store';
import type { TwoWayRun } from '../../shared/core/twoWay/ports';

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

export type EntityRunParts = Pick<TwoWayRun, 'spec' | 'ctx' | 'sides' | 'inScope' | 'lookups' | 'newRecordScope' | 'createScope'>;

export interface SyncEntityBinding {
	/** The value of the node's Entity parameter (the sync entity it runs). */
	value: string;
	name: string;
	description: string;
	build(setup: EntitySetup): Promise<EntityRunParts>;
}
