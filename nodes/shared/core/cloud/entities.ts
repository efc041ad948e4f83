/**
 * The entities the Cloud edition's pass runs, each as the self-hosted Sync node binds it: its
 * EntitySpec, the catalog its field definitions fill, and its filters (a scope on every record,
 * or only on records that would be linked or created). Adding an entity here, plus its workflow
 * template, is all a new Cloud flow needs from the core.
 */
import type { MapperConfig } from '../mapping';
import type { JsonRecord, MapperContext } from '../mapping/common';
import type { Side } from '../merge/policy';
import type { SyncEntity } from '../syncState/link';
import { COMPANY_SPEC } from '../twoWay/companySpec';
import { CONTACT_SPEC } from '../twoWay/contactSpec';
import { companyScope, contactScope, projectScope, type SyncFilters } from '../twoWay/filters';
import { projectCreateRequest } from '../twoWay/projectCreate';
import { dealCreateScope, PROJECT_SPEC } from '../twoWay/projectSpec';
import type { EntitySpec } from '../twoWay/spec';

type Scope = (side: Side, record: JsonRecord) => boolean;

export interface CloudEntity {
	entity: SyncEntity & ('contact' | 'company' | 'project');
	spec: EntitySpec;
	/** Filters every event (the Sync node's `inScope`). */
	inScope?(filters: SyncFilters, config: MapperConfig, ctx: MapperContext): Scope | undefined;
	/** Filters only records that are not linked yet (the Sync node's `newRecordScope`). */
	newRecordScope?(filters: SyncFilters, config: MapperConfig, ctx: MapperContext): Scope | undefined;
	/** Filters only records that would get a new counterpart (the Sync node's `createScope`). */
	createScope?(config: MapperConfig): Scope | undefined;
	/**
	 * An unlinked record that names its counterpart is skipped, not created again: the execution
	 * that made it (the record is its copy) links the pair. For entities without a match before
	 * create: projects, and contacts (the Cloud contact workflows have no match step, so the echo
	 * of 02's create reaching 03 before 02 saved the row made a second person). Companies find
	 * the named counterpart in their match.
	 */
	copiesLinkedByCreator?: boolean;
	/** The create request for a new Propstreet record, when it is not the mapped body as it is (projects). */
	propstreetCreate?(body: JsonRecord, pipedriveId: string): { body: JsonRecord; idempotencyKey: string };
}

export const CLOUD_ENTITIES: Record<CloudEntity['entity'], CloudEntity> = {
	contact: { entity: 'contact', spec: CONTACT_SPEC, inScope: contactScope, copiesLinkedByCreator: true },
	company: { entity: 'company', spec: COMPANY_SPEC, newRecordScope: companyScope },
	project: { entity: 'project', spec: PROJECT_SPEC, newRecordScope: projectScope, createScope: dealCreateScope, propstreetCreate: projectCreateRequest, copiesLinkedByCreator: true },
};

export function cloudEntity(entity: unknown): CloudEntity {
	const found = CLOUD_ENTITIES[entity as CloudEntity['entity']];
	if (!found) throw new Error(`The Cloud edition does not sync "${String(entity)}" (it syncs ${Object.keys(CLOUD_ENTITIES).join(', ')})`);
	return found;
}
