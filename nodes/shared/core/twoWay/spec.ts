/**
 * What the two-way sync needs to know about one entity: how each side's record reads as one value
 * per merge group (in that side's own shape, for the baseline signatures), how a record maps into
 * the other side's body (the existing mappers), and which fields only carry the link.
 */
import type { Side } from '../merge/policy';
import type { Draft, JsonRecord, MapperContext } from '../mapping/common';
import type { MapperConfig } from '../mapping/config';
import type { SyncEntity } from '../syncState/link';

export interface EntitySpec {
	entity: SyncEntity;
	/** Every merge group; a record that yields fewer (a partial webhook body) is read in full before a write. */
	groups: readonly string[];
	/** Field ids that carry the other side's id (never merged; written whenever missing). */
	linkFields: readonly string[];
	/** The merge group of a mapped field id; fields stored together on one side share a group. */
	groupOf(field: string): string;
	/** One canonical value per merge group, in the side's own shape; `undefined` when the record does not carry it. */
	values(side: Side, record: JsonRecord, config: MapperConfig, ctx: MapperContext): Record<string, unknown>;
	/** A Pipedrive record mapped into a Propstreet body, against Propstreet's current record. */
	toPropstreet(pipedrive: JsonRecord, propstreet: JsonRecord | null, config: MapperConfig, ctx: MapperContext): Draft;
	/** A Propstreet record mapped into a Pipedrive body, against Pipedrive's current record. */
	toPipedrive(propstreet: JsonRecord, pipedrive: JsonRecord | null, config: MapperConfig, ctx: MapperContext): Draft;
	/** The other side's id the record itself stores (Propstreet id custom field, `pipedrive` external ref). */
	counterpartId(side: Side, record: JsonRecord, config: MapperConfig, ctx: MapperContext): string | undefined;
	/** When the record was last changed on its side (ISO), if it says. */
	updatedAt(side: Side, record: JsonRecord): string | null;
	/** True when the record is deleted (soft-deleted) on its side. */
	isDeleted(side: Side, record: JsonRecord): boolean;
	/**
	 * What a delete on one side writes to the counterpart before the link is dropped (a project
	 * deleted in Propstreet marks its deal lost); null or absent = nothing. Never a delete.
	 */
	deletePatch?(deletedSide: Side, counterpart: JsonRecord, config: MapperConfig): JsonRecord | null;
}
