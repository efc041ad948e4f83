import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** Shared by both trigger nodes: which Propstreet credential to use. */
export function authenticationProperty(): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Personal Access Token', value: 'accessToken' },
			{ name: 'OAuth2 (Client Credentials)', value: 'oAuth2' },
		],
		default: 'accessToken',
	};
}

export function credentialsFor(): INodeCredentialDescription[] {
	return [
		{ name: 'propstreetApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
		{ name: 'propstreetOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
	];
}
