/**
 * The sync's record filters, both ways, as engine scopes (`inScope`, `newRecordScope`). A record a
 * filter leaves out is skipped before any API call, so it is never read further, linked or created.
 * - Contacts: persons with a Pipedrive label (Pipedrive → Propstreet) and contacts with a Propstreet
 *   tag (Propstreet → Pipedrive). A linked pair whose record loses the label or tag stops syncing.
 * - Projects: deals in the synced pipelines; Propstreet projects of the chosen classifications and
 *   asset types. These decide which records get linked or a counterpart; a linked pair keeps syncing
 *   when its classification moves on (a deal must not stop following its project halfway).
 * - Companies: every Propstreet company, or only those a synced contact works at (those are linked
 *   when the contact syncs, through the contact's company lookup, not through this scope).
 */
import type { Side } from '../merge/policy';
import { isRecord, type JsonRecord, type MapperContext } from '../mapping/common';
import type { MapperConfig } from '../mapping/config';
import { labelIdsOf, labelOptions, normaliseTag, tagForLabel } from '../mapping/labels';
import { dealPipelineScope } from './projectSpec';

export type Scope = (side: Side, record: JsonRecord) => boolean;

export interface SyncFilters {
	/** Pipedrive → Propstreet: only persons with this label ('' = every person). */
	personLabel: string;
	/** Propstreet → Pipedrive: only contacts with this tag ('' = the tag the label maps to, or every contact without a label). */
	contactTag: string;
	/** Propstreet → Pipedrive: only projects with one of these classifications get a deal ([] = all). */
	projectClassifications: string[];
	/** Propstreet → Pipedrive: only projects of these asset types get a deal ([] = all). */
	projectAssetTypes: string[];
	propstreetCompanies: 'all' | 'contactsOnly';
}

export const NO_FILTERS: SyncFilters = { personLabel: '', contactTag: '', projectClassifications: [], projectAssetTypes: [], propstreetCompanies: 'all' };

/** The Propstreet tag contacts need ('' = none): the one set, else the tag the person label maps to. */
export function contactTagOf(filters: SyncFilters, config: MapperConfig): string {
	if (filters.contactTag.trim()) return normaliseTag(filters.contactTag);
	const label = filters.personLabel.trim();
	return label ? normaliseTag(tagForLabel(label, config) ?? label) : '';
}

function hasTag(record: JsonRecord, tag: string): boolean {
	return Array.isArray(record.tags) && record.tags.some((t) => typeof t === 'string' && normaliseTag(t) === tag);
}

/** Contacts: the person label one way, the contact tag the other; undefined when neither filters. */
export function contactScope(filters: SyncFilters, config: MapperConfig, ctx: MapperContext): Scope | undefined {
	const label = filters.personLabel.trim().toLowerCase();
	const tag = contactTagOf(filters, config);
	if (!label && !tag) return undefined;
	const option = (labelOptions(ctx.catalogs.person) ?? []).find((o) => o.label.trim().toLowerCase() === label);
	return (side, record) => {
		if (side === 'propstreet') return !tag || hasTag(record, tag);
		return !label || (option !== undefined && (labelIdsOf(record) ?? []).includes(String(option.id)));
	};
}

/** Projects a Propstreet project must match (classification, asset type) to get or find a deal. */
function projectMatches(filters: SyncFilters, project: JsonRecord): boolean {
	const classification = typeof project.classification === 'string' && project.classification ? project.classification : 'draft';
	const assetType = isRecord(project.asset) && typeof project.asset.type === 'string' ? project.asset.type : 'single';
	if (filters.projectClassifications.length && !filters.projectClassifications.includes(classification)) return false;
	return !filters.projectAssetTypes.length || filters.projectAssetTypes.includes(assetType);
}

/** Unlinked records that may be linked or get a counterpart: deals in the synced pipelines, projects the filters let through. */
export function projectScope(filters: SyncFilters, config: MapperConfig, ctx: MapperContext): Scope {
	const pipelines = dealPipelineScope(config, ctx);
	return (side, record) => (side === 'pipedrive' ? pipelines(side, record) : projectMatches(filters, record));
}

/** Unlinked Propstreet companies the company sync may link or create; undefined = all. */
export function companyScope(filters: SyncFilters): Scope | undefined {
	if (filters.propstreetCompanies !== 'contactsOnly') return undefined;
	return (side) => side === 'pipedrive';
}
