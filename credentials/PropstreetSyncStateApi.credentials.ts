import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Where the sync keeps its state: an n8n Data Table, reached through the instance's own public
 * API. The nodes cannot use n8n's in-process data-table helper (it serves only n8n's own nodes),
 * so they call the public API with an API key, which also works from every queue-mode worker.
 */
export class PropstreetSyncStateApi implements ICredentialType {
	name = 'propstreetSyncStateApi';

	displayName = 'Propstreet Sync State API';

	icon: Icon = { light: 'file:../icons/propstreet.svg', dark: 'file:../icons/propstreet.dark.svg' };

	documentationUrl = 'https://github.com/propstreet/n8n-nodes-propstreet#sync-state-store';

	properties: INodeProperties[] = [
		{
			displayName: 'n8n API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:5678/api/v1',
			required: true,
			description:
				'The public API of this n8n instance: its address followed by /api/v1 (Settings → n8n API shows it). In queue mode every worker must be able to reach this URL.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'An n8n API key (Settings → n8n API → Create an API key) with the data table scopes: dataTable:list, dataTable:create, dataTableColumn:create, and dataTableRow read, create, update and delete; linking the workflows to the Error Handler (workflow 01) also needs workflow:list, workflow:read, workflow:update and workflow:activate',
		},
		{
			displayName: 'Table Name',
			name: 'tableName',
			type: 'string',
			default: 'Propstreet sync state',
			required: true,
			description: 'The data table that holds the sync state; created on first use. Every sync workflow should use the same one.',
		},
		{
			displayName: 'Claim Re-Check Delay (Ms)',
			name: 'claimRecheckMs',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 5000 },
			default: 200,
			description:
				'Before it creates or links a counterpart, the sync claims the record in the table, then looks again after this delay, so two executions never both create it: on PostgreSQL (queue mode) a concurrent claim can take a moment to show. It costs this much once per new record, never on updates. 0 skips the second look, safe only on SQLite.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-N8N-API-KEY': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/data-tables',
			qs: { limit: 1 },
		},
	};
}
