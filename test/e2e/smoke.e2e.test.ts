/**
 * Proves the real-n8n harness end to end: the packed package loads in n8n 2.x from the community
 * nodes folder, imported credentials and workflows work, a production webhook runs our node against
 * the Propstreet simulator, the built-in HTTP Request and Pipedrive nodes' calls to api.pipedrive.com
 * are routed to a local stub through the intercepting proxy, and the Code node's task runner works.
 */
import * as http from 'http';
import * as path from 'path';

import { startN8n, type ExecutionSummary, type N8nInstance } from '../harness/n8n';
import { packedPackage, REPO_ROOT } from '../harness/pack';
import { startPropstreetSimulator, type PropstreetSimulator } from '../simulators/propstreet';

interface SeenRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
}

interface Stub {
	url: string;
	seen: SeenRequest[];
	close(): Promise<void>;
}

async function startStub(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Stub> {
	const seen: SeenRequest[] = [];
	const server = http.createServer((req, res) => {
		seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
		handle(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function json(res: http.ServerResponse, status: number, body: unknown, type = 'application/json') {
	res.writeHead(status, { 'content-type': type });
	res.end(JSON.stringify(body));
}

const PROPSTREET_TOKEN = 'e2e-propstreet-token';
/** The client of the OAuth2 variant of the one Propstreet credential. */
const PROPSTREET_CLIENT = { clientId: 'e2e-propstreet-bot', clientSecret: 'e2e-propstreet-bot-secret' };
const PIPEDRIVE_TOKEN = 'e2e-pipedrive-token';
const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

/** Output items of one node in a finished execution. */
function nodeOutput(execution: ExecutionSummary, node: string): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData?.runData?.[node] ?? [];
	return runs.flatMap((run) => (run.data?.main?.[0] ?? []).map((item) => item.json));
}

/** `n8n-nodes-propstreet.<name>` of every node package.json declares, read from the built classes. */
function declaredNodeTypes(): string[] {
	const pkg = require(path.join(REPO_ROOT, 'package.json')) as { name: string; n8n: { nodes: string[] } };
	return pkg.n8n.nodes.map((file) => {
		const exported = require(path.join(REPO_ROOT, file)) as Record<string, new () => { description: { name: string } }>;
		const NodeClass = Object.values(exported).find((v) => typeof v === 'function');
		if (!NodeClass) throw new Error(`${file} exports no node class`);
		return `${pkg.name}.${new NodeClass().description.name}`;
	});
}

function describeFailure(execution: ExecutionSummary): string {
	const err = execution.data?.resultData?.error;
	return `execution ${execution.id} ${execution.status}: ${err?.message ?? ''} ${err?.description ?? ''}`;
}

describe('real n8n 2.x with the packed package', () => {
	let n8n: N8nInstance;
	let propstreet: PropstreetSimulator;
	let pipedrive: Stub;
	let contactId: string;

	beforeAll(async () => {
		propstreet = await startPropstreetSimulator({ token: PROPSTREET_TOKEN, oauthClients: [PROPSTREET_CLIENT] });
		contactId = String(
			propstreet.control.createContact({ firstName: 'Astrid', lastName: 'Lindqvist', email: 'astrid@example.se' }).id,
		);
		pipedrive = await startStub((req, res) => {
			const url = new URL(req.url ?? '/', 'http://stub');
			if (url.searchParams.get('api_token') !== PIPEDRIVE_TOKEN) {
				return json(res, 401, { success: false, error: 'unauthorized' });
			}
			if (url.pathname === '/v1/users/me') {
				return json(res, 200, { success: true, data: { id: 4242, name: 'E2E Pipedrive User', company_domain: 'e2e' } });
			}
			if (url.pathname === '/api/v2/persons/7') {
				return json(res, 200, { success: true, data: { id: 7, name: 'Sven Berg', emails: [{ value: 'sven@example.se', primary: true }] } });
			}
			json(res, 404, { success: false, error: 'not found' });
		});

		n8n = await startN8n({
			label: 'n8n-e2e-smoke',
			packageTarball: await packedPackage(),
			credentials: [
				{
					// Stored as credentials from before the Type field were: it must read as a personal token.
					id: 'e2ePropstreetCr1',
					name: 'Propstreet (e2e)',
					type: 'propstreetApi',
					data: { accessToken: PROPSTREET_TOKEN, baseUrl: propstreet.url },
				},
				{
					id: 'e2ePropstreetOA1',
					name: 'Propstreet (e2e, OAuth2)',
					type: 'propstreetApi',
					data: { authType: 'clientCredentials', ...PROPSTREET_CLIENT, baseUrl: propstreet.url },
				},
				{
					id: 'e2ePipedriveCrd1',
					name: 'Pipedrive (e2e)',
					type: 'pipedriveApi',
					data: { apiToken: PIPEDRIVE_TOKEN },
				},
			],
			workflowFiles: [
				fixture('smoke-propstreet-contact.json'),
				fixture('smoke-propstreet-contact-oauth.json'),
				fixture('smoke-pipedrive-proxy.json'),
				fixture('smoke-pipedrive-node.json'),
				fixture('smoke-code-node.json'),
			],
			activate: 'all',
			pipedriveTarget: pipedrive.url,
		});
		process.stdout.write(`n8n timings (s): ${JSON.stringify(n8n.timings)}\n`);
	});

	afterAll(async () => {
		await n8n?.stop();
		await propstreet?.close();
		await pipedrive?.close();
	});

	test('loads our nodes from the community-nodes folder, with the package prefix', async () => {
		const types = await n8n.nodeTypeNames();
		expect(types).toContain('n8n-nodes-base.httpRequest');
		expect(types).toContain('n8n-nodes-propstreet.propstreet');
		const declared = declaredNodeTypes();
		expect(declared.filter((t) => !types.includes(t))).toEqual([]);
		expect(types.filter((t) => t.startsWith('CUSTOM.'))).toEqual([]);
		const workflows = await n8n.workflows();
		expect(workflows.filter((w) => w.active).map((w) => w.name).sort((a, b) => a.localeCompare(b))).toEqual([
			'E2E smoke: built-in Pipedrive node',
			'E2E smoke: Code node (task runner)',
			'E2E smoke: Pipedrive through the proxy',
			'E2E smoke: Propstreet contact get',
			'E2E smoke: Propstreet contact get (OAuth2 client credentials)',
		]);
	});

	test('a production webhook runs the Propstreet node against the Propstreet simulator with the imported credential', async () => {
		const since = Date.now();
		const res = await fetch(`${n8n.webhookUrl('e2e-smoke-propstreet')}?contactId=${encodeURIComponent(contactId)}`);
		const body = await res.text();
		expect({ status: res.status, body }).toEqual({ status: 200, body: expect.any(String) });
		expect(JSON.parse(body)).toMatchObject({ firstName: 'Astrid', email: 'astrid@example.se' });
		expect(String((JSON.parse(body) as { id: unknown }).id)).toBe(contactId);

		const [execution] = await n8n.waitForExecutions('E2E smoke: Propstreet contact get', 1, { since: since - 1000 });
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Get contact')).toEqual([expect.objectContaining({ email: 'astrid@example.se' })]);

		// The simulator saw exactly one authenticated read (client `pat` = the personal access token).
		const calls = propstreet.control.requests({ route: 'GET /api/v1/network/contacts/{id}' });
		expect(calls.map((c) => ({ path: c.path, status: c.status, client: c.client }))).toEqual([
			{ path: `/api/v1/network/contacts/${contactId}`, status: 200, client: 'pat' },
		]);
	});

	test('the same node on the OAuth2 variant of the Propstreet credential: n8n fetches the token once, stores it, and renews it after a 401', async () => {
		const getContact = async () => {
			const res = await fetch(`${n8n.webhookUrl('e2e-smoke-propstreet-oauth')}?contactId=${encodeURIComponent(contactId)}`);
			const body = await res.text();
			expect({ status: res.status, body }).toEqual({ status: 200, body: expect.any(String) });
			expect(JSON.parse(body)).toMatchObject({ firstName: 'Astrid', email: 'astrid@example.se' });
		};
		const tokenCalls = () => propstreet.control.countRequests({ route: 'POST /openid/token' });
		const reads = () => propstreet.control.requests({ route: 'GET /api/v1/network/contacts/{id}', client: PROPSTREET_CLIENT.clientId });
		await getContact();
		await getContact();
		// One token for both executions: n8n stored it in the credential after the first.
		expect(tokenCalls()).toBe(1);
		expect(reads().map((c) => c.status)).toEqual([200, 200]);

		propstreet.control.revokeTokens();
		await getContact();
		expect(tokenCalls()).toBe(2);
		expect(reads().map((c) => c.status)).toEqual([200, 200, 200]);
		// The revoked token was refused twice (the node's call, then n8n's own try before it renewed the token); the simulator logs a refused call under no client.
		expect(propstreet.control.countRequests({ route: 'GET /api/v1/network/contacts/{id}', status: 401 })).toBe(2);
		const executions = await n8n.waitForExecutions('E2E smoke: Propstreet contact get (OAuth2 client credentials)', 3);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success', 'success']);
	});

	test('the HTTP Request node reaches api.pipedrive.com on the local stub through the proxy', async () => {
		const before = pipedrive.seen.length;
		const res = await fetch(n8n.webhookUrl('e2e-smoke-pipedrive'));
		const body = await res.text();
		expect({ status: res.status, body }).toEqual({ status: 200, body: expect.any(String) });
		expect(JSON.parse(body)).toMatchObject({ success: true, data: { id: 4242 } });

		const [execution] = await n8n.waitForExecutions('E2E smoke: Pipedrive through the proxy', 1);
		expect(execution.status).toBe('success');

		const calls = pipedrive.seen.slice(before);
		expect(calls.map((c) => `${c.method} ${new URL(c.url, 'http://x').pathname}`)).toEqual(['GET /v1/users/me']);
		expect(new URL(calls[0].url, 'http://x').searchParams.get('api_token')).toBe(PIPEDRIVE_TOKEN);
		expect(n8n.proxy?.forwarded).toEqual([
			expect.objectContaining({ method: 'GET', url: expect.stringMatching(/^https:\/\/api\.pipedrive\.com\/v1\/users\/me\?/) }),
		]);
	});

	test('the built-in Pipedrive node (v2 API) reaches the local stub through the proxy', async () => {
		const before = pipedrive.seen.length;
		const forwardedBefore = n8n.proxy?.forwarded.length ?? 0;
		const res = await fetch(`${n8n.webhookUrl('e2e-smoke-pipedrive-node')}?personId=7`);
		const body = await res.text();
		expect({ status: res.status, body }).toEqual({ status: 200, body: expect.any(String) });
		expect(JSON.parse(body)).toMatchObject({ id: 7, name: 'Sven Berg' });

		const calls = pipedrive.seen.slice(before).map((c) => new URL(c.url, 'http://x'));
		expect(calls.map((u) => u.pathname)).toEqual(['/api/v2/persons/7']);
		expect(calls[0].searchParams.get('api_token')).toBe(PIPEDRIVE_TOKEN);
		expect(n8n.proxy?.forwarded.slice(forwardedBefore).map((f) => f.url.split('?')[0])).toEqual([
			'https://api.pipedrive.com/api/v2/persons/7',
		]);
	});

	test('a failing Propstreet call marks the execution as failed (the harness sees errors)', async () => {
		const since = Date.now();
		const res = await fetch(`${n8n.webhookUrl('e2e-smoke-propstreet')}?contactId=`);
		expect(res.status).toBeGreaterThanOrEqual(400);
		const executions = await n8n.waitForExecutions('E2E smoke: Propstreet contact get', 1, { since });
		expect(executions.map((e) => e.status)).toEqual(['error']);
		expect(describeFailure(executions[0])).toMatch(/Contact/);
	});

	test('the Code node runs in the internal task runner', async () => {
		const res = await fetch(`${n8n.webhookUrl('e2e-smoke-code')}?n=21`);
		const body = await res.text();
		expect({ status: res.status, body }).toEqual({ status: 200, body: expect.any(String) });
		expect(JSON.parse(body)).toMatchObject({ doubled: 42 });
	});
});
