/** Parameters of the Pipedrive Propstreet Sync node. */
import type { INodeProperties } from 'n8n-workflow';
import { MAPPED_FIELDS, type EntityName } from '../shared/core/mapping/config';
import { mapperProperties } from '../PipedrivePropstreetMapper/description';
import { authenticationProperty } from '../Propstreet/transport';
import { SYNC_BINDINGS } from './entities';

const SHARED_SETTINGS = ['fieldKeys', 'labelMap', 'fieldSync'];

/** The Mapper's deal/project options the Sync node uses as they are (Projects only). */
const PROJECT_OPTIONS = ['reverseStage', 'onLost', 'onWon', 'onProjectOpenDealClosed', 'onProjectClosed', 'onProjectDeleted'];
/** Mapper options the note entity reads (where a note goes, how long it may be). */
const NOTE_OPTIONS = ['noteTargetOrder', 'noteMaxLength'];

const mapperOptions = (mapperProperties.find((p) => p.name === 'options')?.options ?? []) as INodeProperties[];
const noteOptions = mapperOptions.filter((o) => NOTE_OPTIONS.includes(o.name));

const projectOptions: INodeProperties[] = [
	...mapperOptions.filter((o) => PROJECT_OPTIONS.includes(o.name)).map((o) => ({ ...o, description: `Projects only. ${o.description ?? ''}`.trim() })),
	{
		displayName: 'Pipelines',
		name: 'pipelines',
		type: 'string',
		default: '',
		placeholder: 'Nordic Transactions',
		description:
			'Projects only. Comma-separated pipeline names or IDs: only deals there get a project, and new deals go into the first. A linked deal moved to another pipeline keeps its stage (with a warning). Empty = every pipeline.',
	},
];

const sortedByName = (list: INodeProperties[]): INodeProperties[] => [...list].sort((a, b) => a.displayName.localeCompare(b.displayName));

const stageTable = mapperProperties.find((p) => p.name === 'stageTable') as INodeProperties;

/** Fields a side can own, for every entity the node runs ("Contact: Primary Email"). */
const ownedFieldOptions = SYNC_BINDINGS.flatMap((binding) =>
	(MAPPED_FIELDS[binding.value as EntityName] ?? [])
		.filter((f) => !f.id.endsWith('Id'))
		.map((f) => ({ name: `${binding.value[0].toUpperCase()}${binding.value.slice(1)}: ${f.label}`, value: f.id })),
).sort((a, b) => a.name.localeCompare(b.name));

export const syncProperties: INodeProperties[] = [
	authenticationProperty(),
	{
		displayName: 'Entity',
		name: 'entity',
		type: 'options',
		noDataExpression: true,
		options: SYNC_BINDINGS.map(({ name, value, description }) => ({ name, value, description })),
		default: 'contact',
	},
	{
		displayName: 'Pipeline',
		name: 'pipeline',
		type: 'string',
		default: 'Nordic Transactions',
		displayOptions: { show: { entity: ['prospect'] } },
		description: 'The Pipedrive pipeline whose open deals a sweep item ({ sweep: true }, or the "sync now" webhook with an empty body) syncs',
	},
	{
		displayName: 'Records',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Input Items', value: 'input', description: 'Sync the record (or trigger event) of each input item' },
			{ name: 'List Changed Records (Backfill)', value: 'list', description: 'List the side\'s records changed since the last run (or all), sync each, and output one summary' },
		],
		default: 'input',
		displayOptions: { hide: { entity: ['prospect'] } },
	},
	{
		displayName: 'Full Sweep',
		name: 'fullSweep',
		type: 'boolean',
		default: false,
		displayOptions: { show: { source: ['list'] } },
		description: 'Whether to list every record instead of only those changed since the last run (use it after resetting the sync state)',
	},
	{
		displayName: 'Stop Below (% of Daily Pipedrive Budget)',
		name: 'paceBelowPercent',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 0, maxValue: 100 },
		displayOptions: { show: { source: ['list'] } },
		description: "When less than this share of the Pipedrive company's daily API token budget is left, the backfill stops before its next record and leaves its mark, so the next run picks up from there. 0 = never stop.",
	},
	{
		displayName: 'Record From',
		name: 'recordSide',
		type: 'options',
		options: [
			{ name: 'Detect From the Trigger Item', value: 'auto', description: 'Pipedrive Trigger ({ meta, data }) or Propstreet Trigger ({ event, data })' },
			{ name: 'Pipedrive', value: 'pipedrive', description: 'The item is a Pipedrive record (e.g. from a list or a poll)' },
			{ name: 'Propstreet', value: 'propstreet', description: 'The item is a Propstreet record (e.g. from a list or a poll)' },
		],
		default: 'auto',
		displayOptions: { hide: { entity: ['prospect'] } },
	},
	{
		displayName: 'Create Missing Counterparts In',
		name: 'createIn',
		type: 'multiOptions',
		options: [
			{ name: 'Pipedrive', value: 'pipedrive' },
			{ name: 'Propstreet', value: 'propstreet' },
		],
		default: ['pipedrive', 'propstreet'],
		displayOptions: { hide: { entity: ['prospect'] } },
		description: 'Where a record with no counterpart gets one created; elsewhere it is only linked when a match exists',
	},
	{
		displayName: 'Only Records With Label',
		name: 'onlyWithLabel',
		type: 'string',
		default: '',
		placeholder: 'Investor',
		description: 'A Pipedrive label: only persons with it, and Propstreet contacts with the tag it maps to, are synced (nothing is read for the others). Empty = every record.',
		displayOptions: { show: { entity: ['contact'] } },
	},
	{
		displayName: 'Conflict Policy',
		name: 'conflictPolicy',
		type: 'options',
		options: [
			{ name: 'Last Write Wins', value: 'lastWriteWins', description: 'Of a field changed on both sides, the side whose record changed later wins' },
			{ name: 'Manual Review', value: 'manualReview', description: 'A field changed on both sides is written nowhere and goes to the Review output' },
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
	...mapperProperties.filter((p) => SHARED_SETTINGS.includes(p.name)),
	{
		...stageTable,
		displayOptions: { show: { entity: ['project'] } },
		description: `${stageTable.description ?? ''} A deal in a stage with no row here (or in a pipeline not synced) keeps its stage, and its project its classification; the outcome warns.`,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: sortedByName([
			{
				displayName: 'Field Definitions',
				name: 'fieldDefinitions',
				type: 'json',
				default: '',
				description: 'Pipedrive field definitions of the entity (person fields for contacts, organization fields for companies, deal fields for projects) to use instead of reading them (they, and the stages and pipelines, are read at most once an hour otherwise)',
			},
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
			...noteOptions,
			...projectOptions,
		]),
	},
];
