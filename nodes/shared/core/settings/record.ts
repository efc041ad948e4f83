/**
 * The shared sync settings: one record, saved by the Propstreet Sync Settings node (workflow
 * *00 Sync Settings*) and read by every Sync node in shared mode. It holds the node parameters of
 * the setting groups in the same shape the parameters have, so the Sync node reads a setting the
 * same way whether it comes from the record or from its own parameters.
 */
import { TEASER_STAGES } from '../mapping/config';

/** The record layout this code reads and writes; a record with another version is refused. */
export const SETTINGS_VERSION = 1;

/** The `name` of the one current row in the settings table (both editions write and read it). */
export const SETTINGS_ROW_NAME = 'current';

/** The settings table's row for a record (its `settings` column is JSON text); both editions save this. */
export interface SettingsTableRow {
	name: string;
	version: number;
	settings: string;
}

export function settingsTableRow(record: SettingsRecord): SettingsTableRow {
	return { name: SETTINGS_ROW_NAME, version: record.version, settings: JSON.stringify(record.settings) };
}

export interface LabelPairParam {
	pipedrive: string;
	propstreet: string;
}

export interface StageRowParam {
	pipedriveStage: string;
	classification: string;
	teaserStage: string;
	/** Comma-separated teaser stages ("none" = no teaser). */
	reverseMatch: string;
}

export interface FieldSyncParam {
	field: string;
	direction: string;
}

/** Propstreet companies the company sync links or creates in Pipedrive. */
export type CompanyScope = 'all' | 'contactsOnly';

export interface SyncSettings {
	fieldKeys: { person?: Record<string, string>; organization?: Record<string, string>; deal?: Record<string, string> };
	labelMap: { pairs?: LabelPairParam[] };
	stageTable: { rows?: StageRowParam[] };
	fieldSync: { fields?: FieldSyncParam[] };
	/** Comma-separated pipeline names or ids ('' = every pipeline); the first also serves prospects. */
	pipelines: string;
	/** Pipedrive → Propstreet: only persons with this label ('' = all). */
	onlyWithLabel: string;
	/** Propstreet → Pipedrive: only contacts with this tag ('' = the tag the label maps to). */
	onlyWithTag: string;
	/** Propstreet → Pipedrive: only projects with one of these classifications get a deal ([] = all). */
	projectClassifications: string[];
	/** Propstreet → Pipedrive: only projects of these asset types get a deal ([] = all). */
	projectAssetTypes: string[];
	propstreetCompanies: CompanyScope;
	conflictPolicy: string;
	pipedriveOwned: string[];
	propstreetOwned: string[];
	createIn: string[];
	/** Unmapped labels, namespace, note and project options (the Sync node's option names). */
	options: Record<string, string | number>;
}

export interface SettingsRecord {
	version: number;
	settings: SyncSettings;
}

const reverse = (...stages: string[]) => stages.join(', ');
const EARLY = ['none', 'property_added', 'drafting'];

/** The settings the bundled workflows ship with (what *00 Sync Settings* holds until edited). */
export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
	fieldKeys: {
		person: { propstreetContactId: 'propstreet_contact_id', investorStrategy: 'investor_strategy', classification: 'classification', jobTitle: 'job_title' },
		organization: { propstreetCompanyId: 'propstreet_company_id', domain: 'domain', orgNumber: 'org_number' },
		deal: { propstreetProjectId: 'propstreet_project_id', isPortfolio: 'is_portfolio', propertyCount: 'property_count', propertyType: 'property_type' },
	},
	labelMap: { pairs: [] },
	stageTable: {
		rows: [
			{ pipedriveStage: 'Lead In', classification: 'draft', teaserStage: '', reverseMatch: reverse(...EARLY) },
			{ pipedriveStage: 'Property Added', classification: 'draft', teaserStage: '', reverseMatch: reverse(...EARLY) },
			{ pipedriveStage: 'Teaser Drafting', classification: 'active', teaserStage: 'published', reverseMatch: reverse(...EARLY, 'published', 'verified') },
			{ pipedriveStage: 'Investor Outreach', classification: 'active', teaserStage: 'communicated', reverseMatch: reverse(...EARLY, 'published', 'verified', 'communicated') },
			{ pipedriveStage: 'Due Diligence', classification: 'active', teaserStage: 'communicated', reverseMatch: reverse(...EARLY, 'published', 'verified', 'communicated') },
			{ pipedriveStage: 'Closing', classification: 'active', teaserStage: 'communicated', reverseMatch: reverse(...EARLY, 'published', 'verified', 'communicated') },
		],
	},
	fieldSync: { fields: [] },
	pipelines: 'Nordic Transactions',
	onlyWithLabel: 'Investor',
	onlyWithTag: '',
	projectClassifications: [],
	projectAssetTypes: [],
	propstreetCompanies: 'all',
	conflictPolicy: 'lastWriteWins',
	pipedriveOwned: [],
	propstreetOwned: [],
	createIn: ['pipedrive', 'propstreet'],
	options: { onWon: 'inactive', onLost: 'inactive', onProjectClosed: 'won', onProjectDeleted: 'lost', noteTargetOrder: 'deal,person,organization', unmappedLabels: 'lowercase' },
};

/** Allowed values of the settings that are choices (the validator and the node share them). */
export const SETTING_CHOICES = {
	classification: ['draft', 'active', 'inactive'],
	teaserStage: ['', ...TEASER_STAGES],
	reverseMatch: ['none', ...TEASER_STAGES],
	assetType: ['single', 'portfolio'],
	propstreetCompanies: ['all', 'contactsOnly'],
	conflictPolicy: ['lastWriteWins', 'manualReview', 'sourceOfTruth'],
	side: ['pipedrive', 'propstreet'],
	direction: ['both', 'off', 'toPropstreet', 'toPipedrive'],
} as const;

/** Option values the settings accept (the Sync node's options collection). */
export const OPTION_CHOICES: Record<string, readonly string[]> = {
	unmappedLabels: ['lowercase', 'drop'],
	reverseStage: ['classification', 'teaserStage'],
	onLost: ['deleteProject', 'keep', 'inactive'],
	onWon: ['keep', 'inactive'],
	onProjectOpenDealClosed: ['reopen', 'report'],
	onProjectClosed: ['ignore', 'won'],
	onProjectDeleted: ['ignore', 'lost'],
	noteTargetOrder: ['deal,person,organization', 'organization,person,deal', 'person,deal,organization', 'person,organization,deal'],
};

/** Options that take free text or a number rather than a choice. */
export const FREE_OPTIONS: Record<string, 'string' | 'number'> = { pipedriveNamespace: 'string', noteMaxLength: 'number' };
