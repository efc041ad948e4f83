/** The Propstreet API credential's own hooks, without n8n around them. */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';
import { PropstreetApi } from '../../../credentials/PropstreetApi.credentials';

const credentialType = new PropstreetApi();
const CLIENT: ICredentialDataDecryptedObject = { authType: 'clientCredentials', clientId: 'bot', clientSecret: 's3cret', baseUrl: 'https://ps.example/' };

function helpersAnswering(statusCode: number, body: unknown) {
	const sent: IHttpRequestOptions[] = [];
	const helper = { helpers: { httpRequest: jest.fn(async (options: IHttpRequestOptions) => (sent.push(options), { statusCode, body, headers: {} })) } } as unknown as IHttpRequestHelper;
	return { helper, sent };
}

describe('PropstreetApi credential', () => {
	it('a personal token needs no token request and is sent as Bearer', async () => {
		const { helper, sent } = helpersAnswering(200, {});
		expect(await credentialType.preAuthentication.call(helper, { authType: 'accessToken', accessToken: 'pat' })).toEqual({});
		expect(sent).toHaveLength(0);
		const signed = await credentialType.authenticate({ accessToken: 'pat' }, { url: '/x', headers: { Accept: 'a' } });
		expect(signed.headers).toEqual({ Accept: 'a', Authorization: 'Bearer pat' });
	});

	it('client credentials: one form post to <Base URL>/openid/token (client_secret_post, scope api:public), no redirects followed', async () => {
		const { helper, sent } = helpersAnswering(200, JSON.stringify({ access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 }));
		const out = (await credentialType.preAuthentication.call(helper, CLIENT)) as ICredentialDataDecryptedObject;
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ method: 'POST', url: 'https://ps.example/openid/token', disableFollowRedirect: true });
		expect(sent[0].headers).toMatchObject({ 'Content-Type': 'application/x-www-form-urlencoded' });
		expect(Object.fromEntries(new URLSearchParams(String(sent[0].body)))).toEqual({ grant_type: 'client_credentials', client_id: 'bot', client_secret: 's3cret', scope: 'api:public' });
		expect(out).toEqual({ clientAccessToken: 'tok-1', issuedForClient: 'https://ps.example bot' });
		const signed = await credentialType.authenticate({ ...CLIENT, ...out }, { url: '/x' });
		expect(signed.headers).toEqual({ Authorization: 'Bearer tok-1' });
	});

	it('a stored token issued for another Base URL or client is not sent (the API then answers 401 and a new one is fetched)', async () => {
		const stored = { ...CLIENT, clientAccessToken: 'tok-1', issuedForClient: 'https://ps.example bot' };
		expect((await credentialType.authenticate({ ...stored, baseUrl: 'https://elsewhere.example' }, { url: '/x' })).headers).toBeUndefined();
		expect((await credentialType.authenticate({ ...stored, clientId: 'bot2' }, { url: '/x' })).headers).toBeUndefined();
		expect((await credentialType.authenticate(stored, { url: '/x' })).headers).toEqual({ Authorization: 'Bearer tok-1' });
	});

	it('refusals and odd answers become errors naming the status and the OAuth error, never the secret', async () => {
		const refused = helpersAnswering(401, { error: 'invalid_client', error_description: 'Unknown client or wrong secret.' });
		await expect(credentialType.preAuthentication.call(refused.helper, CLIENT)).rejects.toThrow(/HTTP 401, invalid_client: Unknown client/);
		await expect(credentialType.preAuthentication.call(helpersAnswering(200, 'not json').helper, CLIENT)).rejects.toThrow(/without an access_token/);
		await expect(credentialType.preAuthentication.call(helpersAnswering(302, '').helper, CLIENT)).rejects.toThrow(/HTTP 302/);
		await expect(credentialType.preAuthentication.call(refused.helper, { ...CLIENT, clientSecret: '' })).rejects.toThrow(/Client Secret is empty/);
		try {
			await credentialType.preAuthentication.call(refused.helper, CLIENT);
		} catch (error) {
			expect((error as Error).message).not.toContain('s3cret');
		}
	});
});
