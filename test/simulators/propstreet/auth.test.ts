import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call } from './testkit';

async function oauthToken(sim: PropstreetSimulator, form: Record<string, string>) {
	const res = await fetch(`${sim.url}/openid/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form).toString(),
	});
	return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers };
}

const client = { grant_type: 'client_credentials', client_id: 'propstreet-sim-client', client_secret: 'propstreet-sim-secret', scope: 'api:public' };

describe('Propstreet simulator: authentication', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator({ tokenExpiresInSec: 120 });
	});
	afterEach(() => sim.close());

	it('answers 401 problem+json without a token or with an unknown one', async () => {
		const missing = await call(sim, 'GET', '/api/v1/network/contacts', { token: null });
		expect(missing.status).toBe(401);
		expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
		expect(missing.body).toMatchObject({ status: 401, title: 'Unauthorized' });
		expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
		const wrong = await call(sim, 'GET', '/api/v1/network/contacts', { token: 'not-a-token' });
		expect(wrong.status).toBe(401);
		const right = await call(sim, 'GET', '/api/v1/network/contacts');
		expect(right.status).toBe(200);
	});

	it('issues client-credentials tokens at POST /openid/token that expire', async () => {
		const t = await oauthToken(sim, client);
		expect(t.status).toBe(200);
		expect(t.body).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: 'api:public' });
		expect(typeof t.body.access_token).toBe('string');
		expect((await call(sim, 'GET', '/api/v1/projects', { token: t.body.access_token })).status).toBe(200);
		sim.control.advanceClock(121_000);
		const expired = await call(sim, 'GET', '/api/v1/projects', { token: t.body.access_token });
		expect(expired.status).toBe(401);
		expect(expired.body.detail).toMatch(/expired/);
	});

	it('refuses bad client credentials, grants and scopes with OAuth errors', async () => {
		expect((await oauthToken(sim, { ...client, client_secret: 'nope' })).body.error).toBe('invalid_client');
		expect((await oauthToken(sim, { ...client, grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
		expect((await oauthToken(sim, { ...client, scope: 'admin' })).body.error).toBe('invalid_scope');
	});

	it('logs OAuth calls under the client id and PAT calls as pat', async () => {
		const t = await oauthToken(sim, client);
		await call(sim, 'GET', '/api/v1/projects', { token: t.body.access_token });
		await call(sim, 'GET', '/api/v1/projects');
		expect(sim.control.countRequests({ route: 'GET /api/v1/projects', client: 'propstreet-sim-client' })).toBe(1);
		expect(sim.control.countRequests({ route: 'GET /api/v1/projects', client: 'pat' })).toBe(1);
		expect(sim.control.requestsByClient()).toEqual({ 'propstreet-sim-client': 2, pat: 1 });
	});
});

describe('Propstreet simulator: rate limits', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator({ clock: { frozen: true } });
	});
	afterEach(() => sim.close());

	it('allows 60/min for the personal token and 600/min for OAuth tokens, with headers on every response', async () => {
		const pat = await call(sim, 'GET', '/api/v1/network/contacts');
		expect(pat.headers.get('ratelimit-limit')).toBe('60');
		expect(pat.headers.get('ratelimit-remaining')).toBe('59');
		expect(Number(pat.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
		const token = sim.control.issueToken();
		const oauth = await call(sim, 'GET', '/api/v1/network/contacts', { token });
		expect(oauth.headers.get('ratelimit-limit')).toBe('600');
		expect(oauth.headers.get('ratelimit-remaining')).toBe('599');
		// Even errors carry the headers.
		const notFound = await call(sim, 'GET', '/api/v1/network/contacts/999999');
		expect(notFound.status).toBe(404);
		expect(notFound.headers.get('ratelimit-remaining')).toBe('58');
		const unauth = await call(sim, 'GET', '/api/v1/network/contacts', { token: null });
		expect(unauth.headers.get('ratelimit-limit')).toBe('60');
	});

	it('answers 429 with Retry-After once the fixed window is used up, and resets with the window', async () => {
		for (let i = 0; i < 60; i++) expect((await call(sim, 'GET', '/api/v1/network/contacts')).status).toBe(200);
		sim.control.advanceClock(15_000);
		const limited = await call(sim, 'GET', '/api/v1/network/contacts');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('45');
		expect(limited.headers.get('ratelimit-remaining')).toBe('0');
		expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
		expect(limited.body.detail).toMatch(/retry after 45 seconds/);
		// Another token has its own bucket.
		expect((await call(sim, 'GET', '/api/v1/network/contacts', { token: sim.control.issueToken() })).status).toBe(200);
		sim.control.advanceClock(45_000);
		const again = await call(sim, 'GET', '/api/v1/network/contacts');
		expect(again.status).toBe(200);
		expect(again.headers.get('ratelimit-remaining')).toBe('59');
	});
});

describe('Propstreet simulator: token endpoint as documented', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
	});
	afterEach(() => sim.close());

	it('takes the client id and secret only from a form body unless Basic is switched on', async () => {
		const basic = `Basic ${Buffer.from('propstreet-sim-client:propstreet-sim-secret').toString('base64')}`;
		const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:public' }).toString();
		const post = (url: string, init: RequestInit) => fetch(`${url}/openid/token`, { method: 'POST', ...init });
		const basicRes = await post(sim.url, { headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic }, body: form });
		expect(basicRes.status).toBe(401);
		const jsonRes = await post(sim.url, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(client) });
		expect(((await jsonRes.json()) as Record<string, unknown>).error).toBe('invalid_request');
		const lenient = await startPropstreetSimulator({ acceptBasicClientAuth: true });
		try {
			const ok = await post(lenient.url, { headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic }, body: form });
			expect(ok.status).toBe(200);
		} finally {
			await lenient.close();
		}
	});

	it('revokeTokens invalidates issued client tokens (401) and leaves personal tokens alone', async () => {
		const t = await oauthToken(sim, client);
		expect((await call(sim, 'GET', '/api/v1/projects', { token: t.body.access_token })).status).toBe(200);
		sim.control.revokeTokens();
		expect((await call(sim, 'GET', '/api/v1/projects', { token: t.body.access_token })).status).toBe(401);
		expect((await call(sim, 'GET', '/api/v1/projects')).status).toBe(200);
	});
});
