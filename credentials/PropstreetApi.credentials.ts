import {
	UserError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type Icon,
	type INodeProperties,
} from 'n8n-workflow';

/**
 * The one Propstreet credential. Its Type field picks how requests are authenticated:
 * - a personal access token (30 days, 60 requests a minute): for trying things out;
 * - OAuth2 client credentials of a bot user (600 requests a minute): for production. n8n's
 *   `preAuthentication` hook fetches an access token from Propstreet's token endpoint when none is
 *   stored, keeps it in the hidden `clientAccessToken` field (so every execution reuses it), and
 *   fetches a new one when an API call answers 401 (expired or revoked token).
 * The type name stays `propstreetApi`, so every existing personal-token credential and every workflow
 * that references one keeps working: a stored credential without a Type reads as a personal token.
 */
export class PropstreetApi implements ICredentialType {
	name = 'propstreetApi';

	displayName = 'Propstreet API';

	icon: Icon = { light: 'file:../icons/propstreet.svg', dark: 'file:../icons/propstreet.dark.svg' };

	documentationUrl = 'https://github.com/propstreet/n8n-nodes-propstreet#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Type',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'Personal Access Token', value: 'accessToken', description: 'Expires after 30 days; 60 requests per minute. For trying things out.' },
				{ name: 'OAuth2 Client Credentials', value: 'clientCredentials', description: 'A bot user’s client; 600 requests per minute. For production.' },
			],
			default: 'accessToken',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authType: ['accessToken'] } },
			description: 'A personal access token from Propstreet: Settings → Personal Settings → Personal Access Tokens',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authType: ['clientCredentials'] } },
			description: 'From Propstreet: Settings → Company Settings → Client Registrations, a machine-to-machine client associated with a bot user',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authType: ['clientCredentials'] } },
			description: 'Shown once when the client is created',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.propstreet.com',
			description: 'Change only for a staging environment or a local simulator',
		},
		{
			// Filled and renewed by preAuthentication; n8n calls it again when this is empty or a call answers 401.
			displayName: 'Client Access Token',
			name: 'clientAccessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// Which Base URL and client the stored token was issued for (see tokenFor).
			displayName: 'Issued For Client',
			name: 'issuedForClient',
			type: 'hidden',
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		// A personal token needs no exchange: no expirable value in the answer means nothing is stored.
		if (!usesClientCredentials(credentials)) return {};
		return await fetchClientToken(this, credentials);
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const token = usesClientCredentials(credentials) ? tokenFor(credentials) : String(credentials.accessToken ?? '');
		// Without a usable token no Authorization is sent: Propstreet answers 401 and n8n fetches a new one.
		if (!token) return requestOptions;
		return { ...requestOptions, headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` } };
	}

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

/** The only scope Propstreet documents for its public API. */
const SCOPE = 'api:public';

function usesClientCredentials(credentials: ICredentialDataDecryptedObject): boolean {
	return credentials.authType === 'clientCredentials';
}

function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	return String(credentials.baseUrl || 'https://app.propstreet.com').trim().replace(/\/+$/, '');
}

/** Binds a token to the host and client that issued it, so an edited credential never sends an old token elsewhere. */
function issuedFor(credentials: ICredentialDataDecryptedObject): string {
	return `${baseUrlOf(credentials)} ${String(credentials.clientId ?? '').trim()}`;
}

/** The stored client token, if it was issued for this credential's current Base URL and client. */
function tokenFor(credentials: ICredentialDataDecryptedObject): string {
	const token = String(credentials.clientAccessToken ?? '');
	return token && credentials.issuedForClient === issuedFor(credentials) ? token : '';
}

/**
 * POST /openid/token with the client id and secret in the form body (client_secret_post, the only
 * form Propstreet documents). Redirects are not followed, so the secret only goes to the Base URL.
 */
async function fetchClientToken(http: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
	const clientId = String(credentials.clientId ?? '').trim();
	if (!clientId || !credentials.clientSecret) {
		throw new UserError('The Propstreet credential uses OAuth2 client credentials but its Client ID or Client Secret is empty.');
	}
	const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: String(credentials.clientSecret), scope: SCOPE });
	const response = (await http.helpers.httpRequest({
		method: 'POST',
		url: `${baseUrlOf(credentials)}/openid/token`,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		body: form.toString(),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
	})) as { statusCode: number; body: unknown };
	const body = parseTokenBody(response.body);
	const token = typeof body.access_token === 'string' ? body.access_token : '';
	if (response.statusCode < 200 || response.statusCode >= 300 || !token) {
		throw new UserError(tokenErrorMessage(response.statusCode, body));
	}
	return { clientAccessToken: token, issuedForClient: issuedFor(credentials) };
}

function parseTokenBody(body: unknown): IDataObject {
	if (body && typeof body === 'object') return body as IDataObject;
	if (typeof body !== 'string') return {};
	try {
		const parsed: unknown = JSON.parse(body);
		return parsed && typeof parsed === 'object' ? (parsed as IDataObject) : {};
	} catch {
		return {};
	}
}

/** Names the status and the OAuth error Propstreet gave; never the secret. */
function tokenErrorMessage(status: number, body: IDataObject): string {
	const reason = [body.error, body.error_description].filter((part) => typeof part === 'string' && part).join(': ');
	if (status >= 200 && status < 300) return 'Propstreet’s token endpoint answered without an access_token.';
	return `Propstreet refused the client credentials (HTTP ${status}${reason ? `, ${reason}` : ''}). Check the Client ID, Client Secret and Base URL in the Propstreet credential.`;
}
