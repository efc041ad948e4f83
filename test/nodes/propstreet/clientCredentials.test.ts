/**
 * The one Propstreet credential (`propstreetApi`) run through n8n-core's real request path
 * (httpRequestWithAuthentication → preAuthentication → authenticate) against the Propstreet
 * simulator: a personal token, and OAuth2 client credentials whose token is fetched once, reused
 * across calls and executions, and renewed when it expires or is revoked (the API's 401).
 */
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { Propstreet } from '../../../nodes/Propstreet/Propstreet.node';
import { runWorkflow, type WorkflowJson } from '../../helpers/n8nRunner';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';

const CLIENT = { clientId: 'n8n-bot-client', clientSecret: 'n8n-bot-secret' };
const OTHER_CLIENT = { clientId: 'n8n-other-client', clientSecret: 'n8n-other-secret' };
const TOKEN_ROUTE = 'POST /openid/token';
const LIFETIME_SEC = 600;

let sim: PropstreetSimulator;
beforeEach(async () => {
	sim = await startPropstreetSimulator({ seed: true, tokenExpiresInSec: LIFETIME_SEC, oauthClients: [CLIENT, OTHER_CLIENT], clock: { frozen: true } });
});
afterEach(async () => sim.close());

/** Start → one Propstreet node listing contacts (no Authentication parameter: the default). */
function listContacts(parameters: Record<string, unknown> = {}): WorkflowJson {
	const start: INode = { id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const list: INode = {
		id: 'p',
		name: 'List Contacts',
		type: 'n8n-nodes-propstreet.propstreet',
		typeVersion: 1,
		position: [200, 0],
		parameters: { resource: 'contact', operation: 'getAll', returnAll: false, limit: 2, filters: {}, ...parameters },
		credentials: { propstreetApi: { id: 'PsSyncPropstree1', name: 'Propstreet account' } },
	};
	return { nodes: [start, list], connections: { Start: { main: [[{ node: 'List Contacts', type: 'main', index: 0 }]] } } };
}

/** One execution; the credential object is shared across executions as n8n's stored credential is. */
async function run(credential: ICredentialDataDecryptedObject, workflow = listContacts()) {
	const result = await runWorkflow({ workflow, nodeTypes: { propstreet: Propstreet }, credentials: { propstreetApi: credential } });
	return { error: result.error, rows: result.outputOf('List Contacts').length };
}

const clientCredential = (): ICredentialDataDecryptedObject => ({ authType: 'clientCredentials', ...CLIENT, baseUrl: sim.url, clientAccessToken: '' });
const contactCalls = (client?: string) => sim.control.countRequests({ route: 'GET /api/v1/network/contacts', client });
const tokenCalls = () => sim.control.countRequests({ route: TOKEN_ROUTE });

describe('Propstreet API credential: personal access token', () => {
	it('authenticates with the token, also when the stored credential predates the Type field', async () => {
		const credentials: ICredentialDataDecryptedObject[] = [{ authType: 'accessToken', accessToken: sim.config.token, baseUrl: sim.url }, { accessToken: sim.config.token, baseUrl: sim.url }];
		for (const credential of credentials) {
			const { error, rows } = await run(credential);
			expect(error).toBeUndefined();
			expect(rows).toBe(2);
		}
		expect(contactCalls('pat')).toBe(2);
		expect(tokenCalls()).toBe(0);
	});

	it('a wrong personal token fails with the API’s 401, sent once (no token renewal for a personal token)', async () => {
		const { error } = await run({ authType: 'accessToken', accessToken: 'not-a-token', baseUrl: sim.url });
		expect(error?.message).toMatch(/401|Unauthorized/);
		expect(sim.control.countRequests({ route: 'GET /api/v1/network/contacts', status: 401 })).toBe(1);
		expect(tokenCalls()).toBe(0);
	});
});

describe('Propstreet API credential: OAuth2 client credentials', () => {
	it('fetches a token once and reuses it for every call of the execution and of later executions', async () => {
		const credential = clientCredential();
		const first = await run(credential, listContacts({ returnAll: true }));
		expect(first.error).toBeUndefined();
		expect(first.rows).toBeGreaterThan(2);
		await run(credential);
		await run(credential);
		expect(tokenCalls()).toBe(1);
		expect(contactCalls(CLIENT.clientId)).toBeGreaterThanOrEqual(3);
		expect(contactCalls('pat')).toBe(0);
		expect(String(credential.clientAccessToken)).toMatch(/^pst_oat_/);
		// The token form: client_secret_post with the one documented scope; nothing else was sent there.
		expect(sim.control.requests({ route: TOKEN_ROUTE })[0]).toMatchObject({ status: 200 });
	});

	it('renews the token when it has expired: one 401, one new token, and the call succeeds', async () => {
		const credential = clientCredential();
		await run(credential);
		const firstToken = credential.clientAccessToken;
		sim.control.advanceClock((LIFETIME_SEC + 1) * 1000);
		const { error, rows } = await run(credential);
		expect(error).toBeUndefined();
		expect(rows).toBe(2);
		expect(tokenCalls()).toBe(2);
		expect(credential.clientAccessToken).not.toBe(firstToken);
		expect(sim.control.countRequests({ route: 'GET /api/v1/network/contacts', status: 401 })).toBe(2); // the call and n8n's own try with the old token
		// The renewed token is reused afterwards.
		await run(credential);
		expect(tokenCalls()).toBe(2);
	});

	it('renews the token when Propstreet revoked it (401) mid-way', async () => {
		const credential = clientCredential();
		await run(credential);
		sim.control.revokeTokens();
		const { error, rows } = await run(credential);
		expect(error).toBeUndefined();
		expect(rows).toBe(2);
		expect(tokenCalls()).toBe(2);
	});

	it('does not send a stored token after the client was changed: it fetches one for the new client', async () => {
		const credential = clientCredential();
		await run(credential);
		// As if the user edited the credential to another client; the hidden token stayed.
		const edited = { ...credential, ...OTHER_CLIENT };
		const { error, rows } = await run(edited);
		expect(error).toBeUndefined();
		expect(rows).toBe(2);
		expect(contactCalls(CLIENT.clientId)).toBe(1); // only the first run used the old client's token
		expect(contactCalls(OTHER_CLIENT.clientId)).toBe(1);
		expect(tokenCalls()).toBe(2);
	});

	it('a wrong client secret fails with a message naming the cause, never the secret', async () => {
		const { error } = await run({ ...clientCredential(), clientSecret: 'wrong-secret-value' });
		const text = `${error?.message} ${(error as { description?: string } | undefined)?.description ?? ''}`;
		expect(text).toMatch(/invalid_client|client credentials/i);
		expect(text).not.toContain('wrong-secret-value');
		expect(contactCalls(CLIENT.clientId)).toBe(0);
	});
});

describe('legacy OAuth2 credential (propstreetOAuth2Api), still accepted by the nodes', () => {
	const legacy = () => ({
		...CLIENT,
		baseUrl: sim.url,
		grantType: 'clientCredentials',
		accessTokenUrl: `${sim.url}/openid/token`,
		authUrl: '',
		scope: 'api:public',
		authQueryParameters: '',
		authentication: 'body',
	});
	const legacyWorkflow = (): WorkflowJson => {
		const workflow = listContacts({ authentication: 'oAuth2' });
		workflow.nodes[1].credentials = { propstreetOAuth2Api: { id: '1', name: 'Propstreet bot' } };
		return workflow;
	};

	it('runs with Authentication = OAuth2 (Legacy Credential), and renews a revoked token on 401', async () => {
		const credential: ICredentialDataDecryptedObject = legacy();
		const runLegacy = () => runWorkflow({ workflow: legacyWorkflow(), nodeTypes: { propstreet: Propstreet }, credentials: { propstreetOAuth2Api: credential } });
		expect((await runLegacy()).error).toBeUndefined();
		sim.control.revokeTokens();
		const again = await runLegacy();
		expect(again.error).toBeUndefined();
		expect(again.outputOf('List Contacts')).toHaveLength(2);
		expect(tokenCalls()).toBe(2);
	});
});
