/**
 * How a Propstreet node picks its credential: an `authentication` parameter chooses between the
 * personal access token and OAuth2 client credentials. The transport reads that parameter, so the
 * parameter, the credential list and the mapping live together here.
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

export type PropstreetCredentialType = 'propstreetApi' | 'propstreetOAuth2Api';

/** The `authentication` parameter's default. */
export const DEFAULT_AUTHENTICATION = 'accessToken';

/** The credential an `authentication` value selects. */
export function credentialTypeFor(authentication: unknown): PropstreetCredentialType {
	return authentication === 'oAuth2' ? 'propstreetOAuth2Api' : 'propstreetApi';
}

/** The `authentication` parameter, shared by the action node and both triggers. */
export function authenticationProperty(): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Personal Access Token', value: 'accessToken', description: '60 requests per minute; for trying things out' },
			{ name: 'OAuth2 (Client Credentials)', value: 'oAuth2', description: 'A bot user; 600 requests per minute (production)' },
		],
		default: DEFAULT_AUTHENTICATION,
	};
}

/** The node's `credentials`, each shown for its `authentication` value. */
export function propstreetCredentials(): INodeCredentialDescription[] {
	return [
		{ name: 'propstreetApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
		{ name: 'propstreetOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
	];
}
