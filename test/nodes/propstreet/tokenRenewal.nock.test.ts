/**
 * The transport's one resend after a 401 (resendForNewToken), pinned with exact responses: only for
 * credentials whose tokens expire, at most once per call, and whatever the resend ends with is handled
 * as any response (returned when accepted, an error otherwise).
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import nock from 'nock';
import { propstreetRequest } from '../../../nodes/Propstreet/transport';
import { makeContext } from './context';

const BASE = 'http://propstreet.test';
const PATH = '/api/v1/network/contacts/7';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

function contextFor(authType: 'accessToken' | 'clientCredentials') {
	const test = makeContext({ baseUrl: BASE, token: 'tok', params: {} });
	test.ctx.getCredentials = jest.fn(async () => ({ authType, baseUrl: BASE })) as never;
	return test;
}
const statusesThrown = (sent: ReturnType<typeof contextFor>['ctx']) =>
	((sent.helpers.httpRequestWithAuthentication as jest.Mock).mock.calls as Array<[string, { ignoreHttpStatusErrors?: boolean }]>).map(([, o]) => !o.ignoreHttpStatusErrors);

describe('propstreetRequest after a 401', () => {
	it('client credentials: sends the call once more with statuses thrown (so n8n renews the token), and returns its answer', async () => {
		nock(BASE).get(PATH).reply(401, { title: 'Unauthorized', status: 401 });
		nock(BASE).get(PATH).reply(200, { id: '7' });
		const { ctx } = contextFor('clientCredentials');
		const res = await propstreetRequest(ctx, { method: 'GET', path: PATH });
		expect(res).toMatchObject({ statusCode: 200, body: { id: '7' } });
		expect(statusesThrown(ctx)).toEqual([false, true]);
	});

	it('a resend that ends in an accepted status comes back as a response; an unaccepted one as the usual error', async () => {
		nock(BASE).get(PATH).reply(401, {});
		nock(BASE).get(PATH).reply(404, { title: 'Not Found', status: 404 });
		const accepted = await propstreetRequest(contextFor('clientCredentials').ctx, { method: 'GET', path: PATH, acceptStatuses: [404] });
		expect(accepted).toMatchObject({ statusCode: 404, body: { title: 'Not Found' } });

		nock(BASE).get(PATH).reply(401, {});
		nock(BASE).get(PATH).reply(401, { title: 'Unauthorized', status: 401, detail: 'The access token is not valid.' });
		const { ctx } = contextFor('clientCredentials');
		await expect(propstreetRequest(ctx, { method: 'GET', path: PATH, operation: 'Reading contact 7' })).rejects.toThrow(/Reading contact 7: .*401|Unauthorized/);
		expect(statusesThrown(ctx)).toEqual([false, true]); // one resend per call, never a loop
	});

	it('a personal token is not resent: its 401 is final', async () => {
		nock(BASE).get(PATH).reply(401, { title: 'Unauthorized', status: 401 });
		const { ctx } = contextFor('accessToken');
		await expect(propstreetRequest(ctx, { method: 'GET', path: PATH })).rejects.toThrow();
		expect(statusesThrown(ctx)).toEqual([false]);
	});
});
