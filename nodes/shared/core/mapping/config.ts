/**
 * Mapper configuration with the defaults the bundled workflows use. Custom fields are named by
 * their Pipedrive field *name* (resolved to the 40-character key through field definitions) or
 * directly by key.
 */
import type { ConflictStrategy, SystemName } from '../conflict';
import { DEFAULT_ORG_NUMBER_PREFIX } from '../orgNumber';

export type Direction = 'toPropstreet' | 'toPipedrive';
export type EntityName = 'contact' | 'company' | 'project' | 'prospect' | 'note';
export type FieldDirection = 'both' | 'toPropstreet' | 'toPipedrive' | 'off';
export type ProjectClassification = 'draft' | 'active' | 'inactive';
export const PROJECT_CLASSIFICATIONS: readonly ProjectClassification[] = ['draft', 'active', 'inactive'];
export const TEASER_STAGES = ['property_added', 'drafting', 'published', 'verified', 'communicated'] as const;
export const PROSPECT_CLASSIFICATIONS = ['not_contacted', 'contacted', 'interested', 'not_interested', 'bidder'] as const;

/**
 * One row of the stage table. Forward (deal → project): a deal in `pipedriveStage` gets
 * `classification`; `teaserStage` is what Propstreet is expected to show (read-only there, so it is
 * only reported). Reverse (project → deal): a deal whose current row has the project's
 * classification keeps its stage (see `MapperConfig.reverseStage`); otherwise the first row whose
 * `classification` equals the project's and whose `reverseMatch` lists the project's teaser stage
 * ("none" = no teaser) wins, else the first row with that classification.
 */
export interface StageRule {
	/** Pipedrive stage name or numeric id. */
	pipedriveStage: string;
	classification: ProjectClassification;
	/** Expected teaser stage, or '' for none. */
	teaserStage: string;
	/** Teaser stages (and "none") that map back to this row. */
	reverseMatch: string[];
}

export interface LabelPair {
	pipedrive: string;
	propstreet: string;
}

export interface MapperConfig {
	fieldKeys: {
		person: { propstreetContactId: string; investorStrategy: string; classification: string; jobTitle: string };
		organization: { propstreetCompanyId: string; domain: string; orgNumber: string };
		deal: { propstreetProjectId: string; isPortfolio: string; propertyCount: string; propertyType: string };
	};
	/** Explicit label ⇄ tag pairs; checked before the fallback. */
	labelMap: LabelPair[];
	/** Labels / tags without a pair: `lowercase` = tag is the label lower-cased; `drop` = not synced. */
	unmappedLabels: 'lowercase' | 'drop';
	stageTable: StageRule[];
	/** Only deals in these pipelines are synced (ids or names); empty = all. */
	pipelines: string[];
	/** Per mapped field (`contact.email`, ...): both, one direction, or off. Missing = default. */
	fieldDirections: Record<string, FieldDirection>;
	pipedriveNamespace: string;
	orgNumberPrefix: string;
	/** Deal won: classification → inactive (default) or leave the classification alone. */
	onWon: 'inactive' | 'keep';
	/** Deal lost: classification → inactive (default), ask the workflow to delete the project, or keep. */
	onLost: 'inactive' | 'deleteProject' | 'keep';
	/** A record deleted on one side: report only (default) or ask the workflow to delete the other. */
	onDelete: 'report' | 'delete';
	/** Project closed → deal won (spec), or ignore. */
	onProjectClosed: 'won' | 'ignore';
	/** Project deleted → deal lost (spec's "Mark as Lost"), or ignore. */
	onProjectDeleted: 'lost' | 'ignore';
	/**
	 * Project still open while the deal is won or lost: report it and leave the deal closed (default;
	 * the project often just has not been closed in the Propstreet app yet), or reopen the deal.
	 */
	onProjectOpenDealClosed: 'report' | 'reopen';
	/**
	 * Project → deal stage. `classification` (default): a deal whose current stage maps to the
	 * project's classification keeps its stage; the read-only teaser stage, which lags, only picks
	 * the stage when the classification changes or the deal is new. `teaserStage`: the deal's row
	 * must also list the project's teaser stage in `reverseMatch`, else the deal moves.
	 */
	reverseStage: 'classification' | 'teaserStage';
	noteMaxLength: number;
	/** Which linked record a Pipedrive note goes to first. */
	noteTargetOrder: Array<'deal' | 'person' | 'organization'>;
	conflict: { strategy: ConflictStrategy; sourceOfTruth: Record<string, SystemName> };
}

export interface MappedFieldInfo {
	id: string;
	label: string;
	defaultDirection: FieldDirection;
}

/** Every mapped field, for the per-field switches. */
export const MAPPED_FIELDS: Record<EntityName, MappedFieldInfo[]> = {
	contact: [
		{ id: 'contact.name', label: 'Name ⇄ First/Last Name', defaultDirection: 'both' },
		{ id: 'contact.email', label: 'Primary Email', defaultDirection: 'both' },
		{ id: 'contact.phone', label: 'Primary Phone', defaultDirection: 'both' },
		{ id: 'contact.organization', label: 'Organization ⇄ Company Connection', defaultDirection: 'both' },
		{ id: 'contact.jobTitle', label: 'Job Title', defaultDirection: 'both' },
		{ id: 'contact.labels', label: 'Labels ⇄ Tags', defaultDirection: 'both' },
		{ id: 'contact.strategy', label: 'Investor Strategy ⇄ Strategy', defaultDirection: 'both' },
		{ id: 'contact.pipedriveId', label: 'Person ID → External Ref', defaultDirection: 'both' },
		{ id: 'contact.propstreetId', label: 'Contact ID → Custom Field', defaultDirection: 'both' },
	],
	company: [
		{ id: 'company.name', label: 'Name', defaultDirection: 'both' },
		{ id: 'company.country', label: 'Address Country ⇄ Country Code', defaultDirection: 'both' },
		{ id: 'company.domain', label: 'Domain', defaultDirection: 'both' },
		{ id: 'company.orgNumber', label: 'Org Number ⇄ External Ref', defaultDirection: 'both' },
		{ id: 'company.pipedriveId', label: 'Organization ID → External Ref', defaultDirection: 'both' },
		{ id: 'company.propstreetId', label: 'Company ID → Custom Field', defaultDirection: 'both' },
	],
	project: [
		{ id: 'project.name', label: 'Title ⇄ Name', defaultDirection: 'both' },
		{ id: 'project.stage', label: 'Stage ⇄ Classification / Teaser Stage', defaultDirection: 'both' },
		{ id: 'project.status', label: 'Won/Lost ⇄ Closed/Deleted', defaultDirection: 'both' },
		{ id: 'project.isPortfolio', label: 'Is Portfolio ⇄ Asset Type', defaultDirection: 'both' },
		{ id: 'project.propertyCount', label: 'Property Count', defaultDirection: 'both' },
		{ id: 'project.propertyType', label: 'Property Type (hint only)', defaultDirection: 'toPropstreet' },
		{ id: 'project.pipedriveId', label: 'Deal ID → External Ref', defaultDirection: 'both' },
		{ id: 'project.propstreetId', label: 'Project ID → Custom Field', defaultDirection: 'both' },
	],
	prospect: [
		{ id: 'prospect.contact', label: 'Person ⇄ Contact', defaultDirection: 'both' },
		{ id: 'prospect.classification', label: 'Classification', defaultDirection: 'both' },
		{ id: 'prospect.pipedriveId', label: 'Person ID → External Ref', defaultDirection: 'both' },
	],
	note: [{ id: 'note.content', label: 'Content', defaultDirection: 'both' }],
};

const stage = (pipedriveStage: string, classification: ProjectClassification, teaserStage: string, reverseMatch: string[]): StageRule => ({
	pipedriveStage,
	classification,
	teaserStage,
	reverseMatch,
});

/** The spec's stage table, with the reverse defaults documented in the README. */
export const DEFAULT_STAGE_TABLE: StageRule[] = [
	stage('Lead In', 'draft', '', ['none']),
	stage('Property Added', 'draft', '', ['property_added', 'drafting']),
	stage('Teaser Drafting', 'active', 'published', ['published', 'verified', 'none', 'property_added', 'drafting']),
	stage('Investor Outreach', 'active', 'communicated', ['communicated']),
	stage('Due Diligence', 'active', 'communicated', ['communicated']),
	stage('Closing', 'active', 'communicated', ['communicated']),
];

export const DEFAULT_CONFIG: MapperConfig = {
	fieldKeys: {
		person: { propstreetContactId: 'propstreet_contact_id', investorStrategy: 'investor_strategy', classification: 'classification', jobTitle: 'job_title' },
		organization: { propstreetCompanyId: 'propstreet_company_id', domain: 'domain', orgNumber: 'org_number' },
		deal: { propstreetProjectId: 'propstreet_project_id', isPortfolio: 'is_portfolio', propertyCount: 'property_count', propertyType: 'property_type' },
	},
	labelMap: [],
	unmappedLabels: 'lowercase',
	stageTable: DEFAULT_STAGE_TABLE,
	pipelines: [],
	fieldDirections: {},
	pipedriveNamespace: 'pipedrive',
	orgNumberPrefix: DEFAULT_ORG_NUMBER_PREFIX,
	onWon: 'inactive',
	onLost: 'inactive',
	onDelete: 'report',
	onProjectClosed: 'won',
	onProjectDeleted: 'lost',
	onProjectOpenDealClosed: 'report',
	reverseStage: 'classification',
	noteMaxLength: 10000,
	noteTargetOrder: ['deal', 'person', 'organization'],
	conflict: { strategy: 'lastWriteWins', sourceOfTruth: {} },
};

export type MapperConfigInput = Partial<Omit<MapperConfig, 'fieldKeys' | 'conflict'>> & {
	fieldKeys?: { [K in keyof MapperConfig['fieldKeys']]?: Partial<MapperConfig['fieldKeys'][K]> };
	conflict?: Partial<MapperConfig['conflict']>;
};

const nonEmpty = <T extends Record<string, string>>(defaults: T, given: Partial<T> | undefined): T => {
	const out = { ...defaults };
	for (const [k, v] of Object.entries(given ?? {})) if (typeof v === 'string' && v.trim() !== '') (out as Record<string, string>)[k] = v.trim();
	return out;
};

/** Defaults filled in for anything not given (empty field keys fall back to the default names). */
export function resolveConfig(input: MapperConfigInput = {}): MapperConfig {
	const d = DEFAULT_CONFIG;
	return {
		...d,
		...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
		fieldKeys: {
			person: nonEmpty(d.fieldKeys.person, input.fieldKeys?.person),
			organization: nonEmpty(d.fieldKeys.organization, input.fieldKeys?.organization),
			deal: nonEmpty(d.fieldKeys.deal, input.fieldKeys?.deal),
		},
		stageTable: input.stageTable && input.stageTable.length ? input.stageTable : d.stageTable,
		fieldDirections: { ...d.fieldDirections, ...(input.fieldDirections ?? {}) },
		conflict: { ...d.conflict, ...(input.conflict ?? {}) },
		noteMaxLength: input.noteMaxLength && input.noteMaxLength > 0 ? Math.min(input.noteMaxLength, 10000) : d.noteMaxLength,
	} as MapperConfig;
}

/** Is this field mapped in this direction? */
export function fieldEnabled(config: MapperConfig, fieldId: string, direction: Direction): boolean {
	const entity = fieldId.split('.')[0] as EntityName;
	const info = MAPPED_FIELDS[entity]?.find((f) => f.id === fieldId);
	const setting = config.fieldDirections[fieldId] ?? info?.defaultDirection ?? 'both';
	return setting === 'both' || setting === direction;
}
