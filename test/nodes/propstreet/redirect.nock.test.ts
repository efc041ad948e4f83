/**
 * A redirect from the Propstreet base URL to another host must never carry the token: the
 * transport does not follow redirects at all and reports where one pointed. Checked with n8n's own
 * HTTP client for the personal token, and through n8n-core's real OAuth2 client-credentials path
 * (token request, then the signed API call) for OAuth2.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import nock from 'nock';
import { NodeApiError, type INode } from 'n8n-workflow';
import { propstreetRequest } from '../../../nodes/Propstreet/transport';
import { Propstreet } from '../../../nodes/Propstreet/Propstreet.node';
import { runWorkflow, type WorkflowJson } from '../../helpers/n8nRunner';
import { makeContext } from './context';

const BASE = 'http://propstreet.test';
const ELSEWHERE = 'http://elsewhere.test';
const CONTACTS = '/api/v1/network/contacts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

/** Interceptors on the other host that record what reached them (nothing should). */
function elsewhere() {
	const seen: Array<Record<string, unknown>> = [];
	const scope = nock(ELSEWHERE).persist();
	for (const method of ['GET', 'POST', 'PUT', 'PATCH']) {
		scope.intercept(/.*/, method).reply(function () {
			seen.push({ method, ...this.req.headers });
			return [200, { stolen: true }];
		});
	}
	return { seen, scope };
}

describe('personal access token: redirects to another host', () => {
	it.each([
		[302, 'GET'],
		[307, 'GET'],
		[308, 'GET'],
		[302, 'POST'],
		[307, 'POST'],
		[308, 'POST'],
	] as const)('%i on %s: not followed, the token stays home, the error names the target', async (status, method) => {
		const other = elsewhere();
		let tokenAtHome: unknown;
		nock(BASE)
			.intercept(CONTACTS, method)
			.reply(function () {
				tokenAtHome = this.req.headers.authorization;
				return [status, '', { Location: `${ELSEWHERE}/steal?x=1` }];
			});
		const { ctx } = makeContext({ baseUrl: BASE, token: 'pat-secret', params: {} });
		const error = await propstreetRequest(ctx, { method, path: CONTACTS, body: method === 'POST' ? { firstName: 'A' } : undefined, itemIndex: 2 }).catch((e: unknown) => e);
		expect(tokenAtHome).toBe('Bearer pat-secret');
		expect(other.seen).toEqual([]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe(`Propstreet answered ${method} ${CONTACTS} with a redirect (${status}) to ${ELSEWHERE}`);
		expect((error as NodeApiError).description).toContain('Base URL');
		expect((error as NodeApiError).context.itemIndex).toBe(2);
	});

	it('a redirect to the same host is not followed either (one rule, no token on any hop)', async () => {
		nock(BASE).get(CONTACTS).reply(301, '', { Location: `${BASE}/moved` });
		const moved = nock(BASE).get('/moved').reply(200, {});
		const { ctx } = makeContext({ baseUrl: BASE, token: 'pat-secret', params: {} });
		await expect(propstreetRequest(ctx, { method: 'GET', path: CONTACTS })).rejects.toThrow(`with a redirect (301) to ${BASE}`);
		expect(moved.isDone()).toBe(false);
	});
});

const OAUTH_CREDENTIALS = {
	clientId: 'bot-client',
	clientSecret: 'bot-secret',
	baseUrl: BASE,
	grantType: 'clientCredentials',
	accessTokenUrl: `${BASE}/openid/token`,
	authUrl: '',
	scope: 'api:public',
	authQueryParameters: '',
	authentication: 'body',
};

function listContactsWorkflow(): WorkflowJson {
	const trigger: INode = { id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const list: INode = {
		id: 'p',
		name: 'List Contacts',
		type: 'n8n-nodes-propstreet.propstreet',
		typeVersion: 1,
		position: [200, 0],
		parameters: { authentication: 'oAuth2', resource: 'contact', operation: 'getAll', returnAll: false, limit: 1, filters: {} },
		credentials: { propstreetOAuth2Api: { id: '1', name: 'Propstreet bot' } },
	};
	return { nodes: [trigger, list], connections: { Start: { main: [[{ node: 'List Contacts', type: 'main', index: 0 }]] } } };
}

describe('OAuth2 client credentials: redirects to another host', () => {
	it.each([302, 307, 308])('%i from the API after a token was issued: the bearer token never leaves', async (status) => {
		const other = elsewhere();
		const token = nock(BASE).post('/openid/token').reply(200, { access_token: 'oauth-secret', token_type: 'Bearer', expires_in: 3600 });
		let tokenAtHome: unknown;
		nock(BASE)
			.get(CONTACTS)
			.query(true)
			.reply(function () {
				tokenAtHome = this.req.headers.authorization;
				return [status, '', { Location: `${ELSEWHERE}${CONTACTS}` }];
			});
		const result = await runWorkflow({ workflow: listContactsWorkflow(), nodeTypes: { propstreet: Propstreet }, credentials: { propstreetOAuth2Api: { ...OAUTH_CREDENTIALS } } });
		expect(token.isDone()).toBe(true);
		expect(tokenAtHome).toBe('Bearer oauth-secret');
		expect(other.seen).toEqual([]);
		expect(result.error?.message).toContain(`with a redirect (${status}) to ${ELSEWHERE}`);
	});
});
