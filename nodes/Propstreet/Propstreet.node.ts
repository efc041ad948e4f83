import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as company from './actions/company';
import * as contact from './actions/contact';
import * as link from './actions/link';
import * as project from './actions/project';
import * as property from './actions/property';
import * as prospect from './actions/prospect';
import * as webhook from './actions/webhook';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';
import { authenticationProperty, propstreetCredentials } from './transport/authentication';

export class Propstreet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Propstreet',
		name: 'propstreet',
		icon: { light: 'file:propstreet.svg', dark: 'file:propstreet.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read and write Propstreet contacts, companies, projects, prospects, properties and webhooks, and sync records safely',
		defaults: { name: 'Propstreet' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: propstreetCredentials(),
		properties: [
			authenticationProperty(),
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Company', value: 'company' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Link', value: 'link', description: 'A contact ↔ company connection with job title' },
					{ name: 'Project', value: 'project' },
					{ name: 'Property', value: 'property' },
					{ name: 'Prospect', value: 'prospect' },
					{ name: 'Webhook', value: 'webhook' },
				],
				default: 'contact',
			},
			...company.description,
			...contact.description,
			...link.description,
			...project.description,
			...property.description,
			...prospect.description,
			...webhook.description,
			{
				displayName: 'Request Options',
				name: 'requestOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Max Attempts',
						name: 'maxAttempts',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 12 },
						default: 6,
						description: 'Tries per request when Propstreet answers 429 or 5xx or the request times out. 1–12; a value from an expression is held to that range.',
					},
					{
						displayName: 'Timeout (Ms)',
						name: 'timeout',
						type: 'number',
						typeOptions: { minValue: 100 },
						default: 30000,
						description: 'Time to wait for one response before it counts as a timeout and is retried',
					},
				],
			},
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
