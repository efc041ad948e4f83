import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

// Foundation skeleton: the full resource/operation tree lands with the Propstreet node issue.
export class Propstreet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Propstreet',
		name: 'propstreet',
		icon: { light: 'file:propstreet.svg', dark: 'file:propstreet.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read and write Propstreet contacts, companies, projects and prospects',
		defaults: { name: 'Propstreet' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'propstreetApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Contact', value: 'contact' }],
				default: 'contact',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Get', value: 'get', action: 'Get a contact' }],
				default: 'get',
			},
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				required: true,
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		const credentials = await this.getCredentials('propstreetApi');
		const baseUrl = String(credentials.baseUrl || 'https://app.propstreet.com').replace(/\/+$/, '');
		for (let i = 0; i < items.length; i++) {
			try {
				const id = this.getNodeParameter('contactId', i) as string;
				if (!id) throw new NodeOperationError(this.getNode(), 'Contact ID is empty', { itemIndex: i });
				const contact = await this.helpers.httpRequestWithAuthentication.call(this, 'propstreetApi', {
					method: 'GET',
					url: `${baseUrl}/api/v1/network/contacts/${encodeURIComponent(id)}`,
					json: true,
				});
				out.push({ json: contact, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				if (error instanceof NodeOperationError) {
					throw new NodeOperationError(this.getNode(), error, { itemIndex: i });
				}
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
			}
		}
		return [out];
	}
}
