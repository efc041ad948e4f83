/** Parameters of the Pipedrive Propstreet Sync node. */
import type { INodeProperties } from 'n8n-workflow';
import { authenticationProperty } from '../Propstreet/transport';
import { SYNC_BINDINGS } from './entities';
import { conflictProperties, createInProperty, filterProperties, mappingProperties, pipelinesProperty, settingOptions, sortedByName, stageTableProperty } from './settingsProperties';

/** Shown only when the node keeps its own settings ("Set in This Node"); `show` adds the property's own conditions. */
const inNodeMode = (property: INodeProperties, show: Record<string, string[]> = {}): INodeProperties => ({
	...property,
	displayOptions: { show: { ...(property.displayOptions?.show ?? {}), ...show, settingsSource: ['node'] } },
});

const FILTER_ENTITY: Record<string, string> = { onlyWithLabel: 'contact', onlyWithTag: 'contact', projectClassifications: 'project', projectAssetTypes: 'project', propstreetCompanies: 'company' };

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
		displayName: 'Settings',
		name: 'settingsSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'From the Sync Settings Workflow',
				value: 'shared',
				description: 'Field keys, label map, stage table, pipelines, filters and conflict policy come from the record that "00 Sync Settings" saves (read at most once a minute)',
			},
			{ name: 'Set in This Node', value: 'node', description: 'This node has its own settings below' },
		],
		// "Set in This Node" for nodes saved before the setting existed; the bundled workflows choose the shared record.
		default: 'node',
	},
	{
		displayName: 'Pipeline',
		name: 'pipeline',
		type: 'string',
		default: 'Nordic Transactions',
		displayOptions: { show: { entity: ['prospect'], settingsSource: ['node'] } },
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
			{ name: 'Apply Review Decisions', value: 'review', description: 'Sync every record whose review row has a resolution (pipedrive or propstreet), and output one summary' },
		],
		default: 'input',
		displayOptions: { hide: { entity: ['prospect'] } },
	},
	{
		displayName: 'Records',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Input Items', value: 'input', description: 'Sync the memberships of the deal or project each input item names' },
			{ name: 'Apply Review Decisions', value: 'review', description: 'Sync every deal whose participant classification has a resolution in the review queue, and output one summary' },
		],
		default: 'input',
		displayOptions: { show: { entity: ['prospect'] } },
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
			{ name: 'Detect From the Trigger Item', value: 'auto', description: 'Pipedrive Trigger ({ meta, data }), Propstreet Trigger or Poll Trigger ({ event, data }), or a bare record told by its timestamps (updatedUtc: Propstreet, update_time: Pipedrive)' },
			{ name: 'Pipedrive', value: 'pipedrive', description: 'The item is a Pipedrive record (e.g. from a list or a poll)' },
			{ name: 'Propstreet', value: 'propstreet', description: 'The item is a Propstreet record (e.g. from a list or a poll)' },
		],
		default: 'auto',
		displayOptions: { hide: { entity: ['prospect'] } },
	},
	inNodeMode(createInProperty, { entity: ['contact', 'company', 'project', 'note'] }),
	...filterProperties.map((property) => inNodeMode(property, { entity: [FILTER_ENTITY[property.name]] })),
	...conflictProperties.map((property) => inNodeMode(property)),
	...mappingProperties.map((property) => inNodeMode(property)),
	inNodeMode(stageTableProperty, { entity: ['project'] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'With Settings "From the Sync Settings Workflow", only Field Definitions is read here; the other options come from the saved settings',
		options: sortedByName([
			{
				displayName: 'Field Definitions',
				name: 'fieldDefinitions',
				type: 'json',
				default: '',
				description: 'Pipedrive field definitions of the entity (person fields for contacts, organization fields for companies, deal fields for projects) to use instead of reading them (they, and the stages and pipelines, are read once a day otherwise, earlier when a record names something they lack)',
			},
			...settingOptions,
			pipelinesProperty,
		]),
	},
];
