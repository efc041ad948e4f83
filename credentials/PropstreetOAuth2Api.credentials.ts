import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Legacy: the separate OAuth2 client-credentials credential of earlier versions, kept registered so
 * workflows whose nodes still select it (Authentication = "OAuth2 (Legacy Credential)") keep running.
 * New setups use the one Propstreet API credential (`propstreetApi`) with Type = OAuth2 Client
 * Credentials. n8n's OAuth2 machinery fetches the token from /openid/token; the nodes' transport
 * asks it for a new one when the API answers 401.
 */
export class PropstreetOAuth2Api implements ICredentialType {
	name = 'propstreetOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Propstreet (Legacy) OAuth2 API';

	icon: Icon = { light: 'file:../icons/propstreet.svg', dark: 'file:../icons/propstreet.dark.svg' };

	documentationUrl = 'https://github.com/propstreet/n8n-nodes-propstreet#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.propstreet.com',
			description: 'Change only for a staging environment or a local simulator',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '={{$self["baseUrl"].replace(/\\/+$/, "")}}/openid/token',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'api:public',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// Propstreet documents client_secret_post (credentials in the form body). n8n-core makes the
			// token request itself and follows a 307/308 from the token URL to any host with this body;
			// nothing in a credential type can turn that off. "header" (HTTP Basic) would be dropped on
			// such a hop, but Propstreet does not document it.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

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
