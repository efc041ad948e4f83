import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Personal access token (Bearer). Good for trying things out; Propstreet limits these tokens
 * to 60 requests a minute, so production syncs should use the OAuth2 client-credentials type.
 */
export class PropstreetApi implements ICredentialType {
	name = 'propstreetApi';

	displayName = 'Propstreet Personal Access Token API';

	icon: Icon = { light: 'file:../icons/propstreet.svg', dark: 'file:../icons/propstreet.dark.svg' };

	documentationUrl = 'https://github.com/propstreet/n8n-nodes-propstreet#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A personal access token from Propstreet: Settings → Personal Settings → Personal Access Tokens',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.propstreet.com',
			description: 'Change only for a staging environment or a local simulator',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/network/contacts',
			qs: { page_size: 1 },
			// As in the nodes' transport: the credential never follows a redirect to another host.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		},
	};
}
