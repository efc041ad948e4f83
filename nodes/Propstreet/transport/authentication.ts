/**
 * How a Propstreet node picks its credential. The one Propstreet API credential (`propstreetApi`)
 * holds either a personal access token or OAuth2 client credentials, so switching a whole install
 * is one edit in Credentials and nodes leave `authentication` at its default. The parameter stays
 * only for workflows from earlier versions whose nodes select the separate, legacy OAuth2
 * credential (`oAuth2` → `propstreetOAuth2Api`). The transport reads it, so the parameter, the
 * credential list and the mapping live together here.
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

export type PropstreetCredentialType = 'propstreetApi' | 'propstreetOAuth2Api';

/** The `authentication` parameter's default. */
export const DEFAULT_AUTHENTICATION = 'accessToken';

/** The credential an `authentication` value selects. */
export function credentialTypeFor(authentication: unknown): PropstreetCredentialType {
	return authentication === 'oAuth2' ? 'propstreetOAuth2Api' : 'propstreetApi';
}

/** The `authentication` parameter, shared by the action node, both triggers and the Sync node. */
export function authenticationProperty(): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			// The value keeps its old name: saved workflows store it.
			{ name: 'Propstreet API', value: 'accessToken', description: 'The Propstreet API credential: personal token or OAuth2 client credentials, chosen in the credential' },
			{ name: 'OAuth2 (Legacy Credential)', value: 'oAuth2', description: 'The separate OAuth2 credential of earlier versions; prefer Propstreet API' },
		],
		default: DEFAULT_AUTHENTICATION,
		description: 'Leave at Propstreet API: whether it uses a personal token or OAuth2 client credentials is chosen in the credential',
	};
}

/** The node's `credentials`, each shown for its `authentication` value. */
export function propstreetCredentials(): INodeCredentialDescription[] {
	return [
		{ name: 'propstreetApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
		{ name: 'propstreetOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
	];
}
