/**
 * The sync settings as node parameters: one definition each, used by the Propstreet Sync Settings
 * node (the shared record) and by the Sync node's "Set in This Node" mode. Defaults are the shipped
 * settings (`DEFAULT_SYNC_SETTINGS`; the Settings node test checks they agree).
 */
import type { INodeProperties } from 'n8n-workflow';
import { MAPPED_FIELDS, type EntityName } from '../shared/core/mapping/config';
import { mapperProperties } from '../PipedrivePropstreetMapper/description';
import { SYNC_BINDINGS } from './entities';

/** The Mapper's deal/project options the sync uses as they are (Projects only). */
const PROJECT_OPTIONS = ['reverseStage', 'onLost', 'onWon', 'onProjectOpenDealClosed', 'onProjectClosed', 'onProjectDeleted'];
/** Mapper options the note entity reads (where a note goes, how long it may be). */
const NOTE_OPTIONS = ['noteTargetOrder', 'noteMaxLength'];

const mapperOptions = (mapperProperties.find((p) => p.name === 'options')?.options ?? []) as INodeProperties[];

export const sortedByName = (list: INodeProperties[]): INodeProperties[] => [...list].sort((a, b) => a.displayName.localeCompare(b.displayName));

export const pipelinesProperty: INodeProperties = {
	displayName: 'Pipelines',
	name: 'pipelines',
	type: 'string',
	default: '',
	placeholder: 'Nordic Transactions',
	description:
		'Projects only. Comma-separated pipeline names or IDs: only deals there get a project, and new deals go into the first (the prospect sweep also uses the first). A linked deal moved to another pipeline keeps its stage (with a warning). Empty = every pipeline.',
};

/** Option entries of the settings (unmapped labels, namespace, notes, projects); `pipelines` is separate. */
export const settingOptions: INodeProperties[] = sortedByName([
	{
		displayName: 'Pipedrive Namespace',
		name: 'pipedriveNamespace',
		type: 'string',
		default: 'pipedrive',
		description: 'External-reference namespace that holds Pipedrive IDs in Propstreet',
	},
	{
		displayName: 'Unmapped Labels',
		name: 'unmappedLabels',
		type: 'options',
		options: [
			{ name: 'Lower-Case as Tag', value: 'lowercase' },
			{ name: 'Do Not Sync', value: 'drop' },
		],
		default: 'lowercase',
		description: 'Labels and tags that the label map does not pair',
	},
	...mapperOptions.filter((o) => NOTE_OPTIONS.includes(o.name)),
	...mapperOptions.filter((o) => PROJECT_OPTIONS.includes(o.name)).map((o) => ({ ...o, description: `Projects only. ${o.description ?? ''}`.trim() })),
]);

/** Fields a side can own, for every entity the sync runs ("Contact: Primary Email"). */
const ownedFieldOptions = SYNC_BINDINGS.flatMap((binding) =>
	(MAPPED_FIELDS[binding.value as EntityName] ?? [])
		.filter((f) => !f.id.endsWith('Id'))
		.map((f) => ({ name: `${binding.value[0].toUpperCase()}${binding.value.slice(1)}: ${f.label}`, value: f.id })),
).sort((a, b) => a.name.localeCompare(b.name));

const stageTable = mapperProperties.find((p) => p.name === 'stageTable') as INodeProperties;

export const createInProperty: INodeProperties = {
	displayName: 'Create Missing Counterparts In',
	name: 'createIn',
	type: 'multiOptions',
	options: [
		{ name: 'Pipedrive', value: 'pipedrive' },
		{ name: 'Propstreet', value: 'propstreet' },
	],
	default: ['pipedrive', 'propstreet'],
	description: 'Where a record with no counterpart gets one created; elsewhere it is only linked when a match exists',
};

/** The filters both ways (contacts, projects, companies). */
export const filterProperties: INodeProperties[] = [
	{
		displayName: 'Only Records With Label',
		name: 'onlyWithLabel',
		type: 'string',
		default: '',
		placeholder: 'Investor',
		description: 'Contacts, Pipedrive → Propstreet: only persons with this Pipedrive label are synced (nothing is read for the others). Empty = every person.',
	},
	{
		displayName: 'Only Propstreet Contacts With Tag',
		name: 'onlyWithTag',
		type: 'string',
		default: '',
		placeholder: 'investor',
		description: 'Contacts, Propstreet → Pipedrive: only contacts with this tag are synced. Empty = the tag the label above maps to (Investor → investor), or every contact when the label is empty too.',
	},
	{
		displayName: 'Only Projects With Classification',
		name: 'projectClassifications',
		type: 'multiOptions',
		options: [
			{ name: 'Active', value: 'active' },
			{ name: 'Draft', value: 'draft' },
			{ name: 'Inactive', value: 'inactive' },
		],
		default: [],
		description: 'Projects, Propstreet → Pipedrive: only unlinked projects with one of these classifications get (or are matched to) a deal; linked pairs keep syncing. None selected = every project.',
	},
	{
		displayName: 'Only Projects of Asset Type',
		name: 'projectAssetTypes',
		type: 'multiOptions',
		options: [
			{ name: 'Portfolio', value: 'portfolio' },
			{ name: 'Single Asset', value: 'single' },
		],
		default: [],
		description: 'Projects, Propstreet → Pipedrive: only unlinked projects of these asset types get (or are matched to) a deal. None selected = every project.',
	},
	{
		displayName: 'Propstreet Companies',
		name: 'propstreetCompanies',
		type: 'options',
		options: [
			{ name: 'All', value: 'all', description: 'Every Propstreet company is linked to (or creates) a Pipedrive organization' },
			{ name: 'Only Those a Synced Contact Works At', value: 'contactsOnly', description: 'The company sync skips unlinked companies; a synced contact still links (or creates) its company' },
		],
		default: 'all',
		description: 'Companies, Propstreet → Pipedrive',
	},
];

export const conflictProperties: INodeProperties[] = [
	{
		displayName: 'Conflict Policy',
		name: 'conflictPolicy',
		type: 'options',
		options: [
			{ name: 'Last Write Wins', value: 'lastWriteWins', description: 'Of a field changed on both sides, the side whose record changed later wins' },
			{ name: 'Manual Review', value: 'manualReview', description: 'A field changed on both sides is written nowhere: it goes to the Review output and the review queue data table, where a person picks the side that wins' },
			{ name: 'Source of Truth per Field', value: 'sourceOfTruth', description: 'The owning side wins; fields without an owner fall back to last write wins' },
		],
		default: 'lastWriteWins',
		description: 'Only fields changed on both sides since the last sync are conflicts; a field changed on one side always flows',
	},
	{
		displayName: 'Fields Owned by Pipedrive',
		name: 'pipedriveOwned',
		type: 'multiOptions',
		options: ownedFieldOptions,
		default: [],
		displayOptions: { show: { conflictPolicy: ['sourceOfTruth'] } },
	},
	{
		displayName: 'Fields Owned by Propstreet',
		name: 'propstreetOwned',
		type: 'multiOptions',
		options: ownedFieldOptions,
		default: [],
		displayOptions: { show: { conflictPolicy: ['sourceOfTruth'] } },
	},
];

/** Field keys, label map and field directions (the Mapper's definitions). */
export const mappingProperties: INodeProperties[] = mapperProperties.filter((p) => ['fieldKeys', 'labelMap', 'fieldSync'].includes(p.name));

export const stageTableProperty: INodeProperties = {
	...stageTable,
	description: `${stageTable.description ?? ''} A deal in a stage with no row here (or in a pipeline not synced) keeps its stage, and its project its classification; the outcome warns.`,
};
