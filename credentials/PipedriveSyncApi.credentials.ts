import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * A Pipedrive API token for this package's own nodes. n8n's built-in Pipedrive credential cannot be
 * used by a community node (its strict lint forbids reusing another package's credentials), so the
 * sync nodes bring their own. The token goes in the `x-api-token` header, the method Pipedrive's
 * current docs and both OpenAPI specs declare, rather than the legacy `api_token` query parameter,
 * which would also end up in URLs and logs.
 */
export class PipedriveSyncApi implements ICredentialType {
	name = 'propstreetPipedriveApi';

	// n8n's lint wants credential display names to end in "API".
	displayName = 'Propstreet Sync Pipedrive API';

	icon: Icon = { light: 'file:../icons/pipedrive-sync.svg', dark: 'file:../icons/pipedrive-sync.dark.svg' };

	documentationUrl = 'https://github.com/propstreet/n8n-nodes-propstreet#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your personal API token: in Pipedrive, Settings → Personal preferences → API. It acts with your user’s permissions.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.pipedrive.com',
			description:
				'Leave as is, or use your company domain (https://yourcompany.pipedrive.com), which Pipedrive recommends for routing to your data centre. Change it otherwise only for a sandbox or a local simulator.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-token': '={{$credentials.apiToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/users/me',
		},
	};
}
