/** Parameters of the Propstreet Sync Settings node: every shared sync setting, defaults = the shipped settings. */
import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_SYNC_SETTINGS as D } from '../shared/core/settings';
import { conflictProperties, createInProperty, filterProperties, mappingProperties, pipelinesProperty, settingOptions, stageTableProperty } from '../PipedrivePropstreetSync/settingsProperties';

const withDefault = (property: INodeProperties, value: INodeProperties['default']): INodeProperties => ({ ...property, default: value });
const filterDefaults: Record<string, INodeProperties['default']> = { onlyWithLabel: D.onlyWithLabel, onlyWithTag: D.onlyWithTag };
const optionDefaults = D.options as Record<string, string | number>;

/** The settings themselves (shown for Save Settings). */
const settingProperties: INodeProperties[] = [
	{
		displayName: 'Running this node checks the settings and saves them for every bundled workflow (their Sync nodes read them within a minute)',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	...mappingProperties,
	withDefault(stageTableProperty, D.stageTable as never),
	{ ...withDefault(pipelinesProperty, D.pipelines), description: pipelinesProperty.description?.replace('Projects only. ', 'Deals, projects and prospects. ') },
	...filterProperties.map((property) => (property.name in filterDefaults ? withDefault(property, filterDefaults[property.name]) : property)),
	createInProperty,
	...conflictProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: settingOptions.map((option) => (option.name in optionDefaults ? withDefault(option, optionDefaults[option.name]) : option)),
	},
];

const forSave = (property: INodeProperties): INodeProperties => ({ ...property, displayOptions: { show: { ...(property.displayOptions?.show ?? {}), operation: ['save'] } } });

export const settingsNodeProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Save Settings', value: 'save', action: 'Save the shared sync settings', description: 'Check the settings and save them for every bundled workflow' },
			{
				name: 'Link Workflows to the Error Handler',
				value: 'linkErrorWorkflow',
				action: 'Link the bundled workflows to the error handler',
				description: 'Find the workflow "Propstreet Sync: Error Handler" by name, publish it, and make it the error workflow of every "Propstreet Sync: …" workflow (an import through the editor drops that link). Needs the API key scopes workflow:list, workflow:read, workflow:update and workflow:activate.',
			},
		],
		default: 'save',
	},
	...settingProperties.map(forSave),
];
