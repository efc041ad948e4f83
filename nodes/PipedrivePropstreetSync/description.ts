/** Parameters of the Pipedrive Propstreet Sync node. */
import type { INodeProperties } from 'n8n-workflow';
import { MAPPED_FIELDS, type EntityName } from '../shared/core/mapping/config';
import { mapperProperties } from '../PipedrivePropstreetMapper/description';
import { authenticationProperty } from '../Propstreet/transport';
import { SYNC_BINDINGS } from './entities';

const SHARED_SETTINGS = ['fieldKeys', 'labelMap', 'fieldSync'];

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
		displayOptions: { hide: { entity: ['prospect'] } },
		description: 'A Pipedrive label: only persons with it, and Propstreet contacts with the tag it maps to, are synced (nothing is read for the others). Empty = every record.',
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
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Field Definitions',
				name: 'fieldDefinitions',
				type: 'json',
				default: '',
				description: 'Pipedrive person field definitions to use instead of reading them (they are read at most once an hour otherwise)',
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
		],
	},
];
