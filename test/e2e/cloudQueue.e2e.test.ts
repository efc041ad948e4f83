/**
 * The n8n Cloud edition (#17) in n8n queue mode, with Propstreet reached through n8n's generic
 * OAuth2 credential (client-credentials grant) instead of Header Auth. Opt-in, not in CI (one more
 * stack boot): `npm run test:e2e:cloud-queue` (sets N8N_E2E_CLOUD_QUEUE=1; skipped otherwise).
 *
 * The stack: Postgres + Redis, a main, one webhook processor and two workers; n8n set up as Cloud
 * is (package not installed, community packages off, no Code-node module allowances), only the
 * Cloud workflows, each Propstreet HTTP Request node switched to the OAuth2 credential by
 * `useOAuth2ForPropstreet` (node type + auth parameters, as README tells a user). It asserts:
 *   - setup `create` subscribes and keeps the secret in the data table "Propstreet webhook
 *     secret", not in 01's static data (a worker starts runs with empty static data);
 *   - a signed contact delivery syncs on a worker (03, and 01's signature check inside it), every
 *     Propstreet call with a client-credentials token, none with a personal token;
 *   - the secret is in no saved execution: 01 saves none, 03's saved run does not hold it;
 *   - a badly signed delivery is answered 401 and starts no sync.
 */
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT } from '../harness/pack';
import { STACK_OAUTH_CLIENT, startStack, type Stack } from '../harness/stack';
import { cloudDeliveryUrl, cloudSetup, forgedContactDelivery } from './cloud/setup';
import { contactRecords, type Rec } from './contactRecords';
import { staticDataOf } from './queuePolls';

const enabled = process.env.N8N_E2E_CLOUD_QUEUE === '1';
const describeCloudQueue = enabled ? describe : describe.skip;

const CLOUD_DIR = path.join(REPO_ROOT, 'workflows/cloud');
const importFiles = () => [
	path.join(REPO_ROOT, 'workflows/00-error-handler.json'),
	...fs.readdirSync(CLOUD_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(CLOUD_DIR, f)),
];
const SECRET_TABLE = 'Propstreet webhook secret';

let stack: Stack;
const { ps, pd, refOf, personOf } = contactRecords(() => stack);
/** Deliveries go to the webhook processor (the main registers no production webhooks in queue mode). */
const deliveryUrl = () => cloudDeliveryUrl(stack);
const setup = (action: 'create' | 'check') => cloudSetup(stack, action);

/** The subscription's secret as Propstreet holds it (the simulator's state), to look for in stored data. */
const subscriptionSecret = (): string => String((ps().state().webhooks as Rec[]).find((s) => s.url === deliveryUrl())?.secret ?? '');

/** Propstreet calls n8n made since `from` (the log index), without the suite's own observer calls. */
const n8nPropstreetCalls = (from: number) => (ps().requests() as Rec[]).slice(from).filter((e) => !String(e.path).startsWith('/__control') && e.client !== 'propstreet-sim-client');

describeCloudQueue('n8n Cloud edition in queue mode, Propstreet on OAuth2 client credentials', () => {
	beforeAll(async () => {
		stack = await startStack({ edition: 'cloud', mode: 'queue', cloudPropstreetAuth: 'oauth2', seed: true, workflowFiles: importFiles(), label: 'n8n-e2e-cloud-queue' });
	}, 900000);
	afterAll(async () => stack?.stop(), 120000);

	test('setup create subscribes and keeps the secret in its data table, not in static data', async () => {
		expect(stack.activationErrors).toEqual({});
		const from = ps().requests().length;
		const created = await setup('create');
		expect(created.status).toBe(200);
		expect(JSON.stringify(created.body)).toContain('"ready":true');
		const secret = subscriptionSecret();
		expect(secret).toMatch(/^whsec_/);
		expect(JSON.stringify(created.body)).not.toContain(secret.slice(6));
		// The setup ran on a worker: only a row every process reads can hold the secret.
		const rows = await stack.n8n.dataTableRows(SECRET_TABLE);
		expect(rows.map((r) => ({ name: r.name, secret: r.secret }))).toEqual([{ name: 'propstreet-webhook', secret }]);
		expect(JSON.stringify(await staticDataOf(stack, stack.workflow('01').id))).not.toContain(secret.slice(6));
		expect((await setup('check')).body).toEqual(expect.arrayContaining([expect.objectContaining({ ready: true })]));
		// The subscription calls went out with a client-credentials token.
		const calls = n8nPropstreetCalls(from);
		expect(calls.some((e) => e.route === 'POST /openid/token')).toBe(true);
		expect(calls.filter((e) => e.route !== 'POST /openid/token').map((e) => e.client)).toEqual(expect.arrayContaining([STACK_OAUTH_CLIENT.clientId]));
		expect(calls.filter((e) => e.client === 'pat')).toEqual([]);
	}, 180000);

	test('a signed contact delivery syncs on a worker, with OAuth2 tokens only; the secret is in no saved execution', async () => {
		const since = Date.now();
		const from = ps().requests().length;
		const workersBefore = stack.queue!.executionsByWorker();
		const contact = ps().createContact({ firstName: 'Maja', lastName: 'Queue', email: 'maja.queue@e2e.example', tags: ['investor'] }) as Rec;
		const person = await stack.waitFor(() => personOf(contact.id), { what: 'the Pipedrive person of the new contact', timeoutMs: 120000 });
		expect(person.name).toBe('Maja Queue');
		await stack.waitFor(() => refOf(ps().get('contact', contact.id)) === String(person.id), { what: 'the pipedrive ref on the contact', timeoutMs: 90000 });
		await stack.settle({ quietMs: 3000, timeoutMs: 90000 });
		expect(pd().persons().filter((p) => ((p.emails as Rec[]) ?? []).some((e) => e.value === 'maja.queue@e2e.example'))).toHaveLength(1);
		const rows = (await stack.syncStateRows()).filter((r) => r.entity === 'contact' && r.propstreetId === contact.id);
		expect(rows.map((r) => ({ pipedriveId: r.pipedriveId, status: r.status }))).toEqual([{ pipedriveId: String(person.id), status: 'linked' }]);

		// 03's run (01's check runs inside it) was started by a worker.
		const runs = (await stack.executionsOf('03', since)).filter((e) => e.status === 'success');
		expect(runs.length).toBeGreaterThanOrEqual(1);
		const started = Object.entries(stack.queue!.executionsByWorker()).flatMap(([worker, ids]) => ids.filter((id) => !workersBefore[worker].includes(id)));
		expect(runs.filter((e) => started.includes(String(e.id)))).toHaveLength(runs.length);

		// Every Propstreet call of the sync (the contact read, the ref written back) used the OAuth client's token.
		const calls = n8nPropstreetCalls(from).filter((e) => e.route !== 'POST /openid/token');
		expect(calls.length).toBeGreaterThan(0);
		expect([...new Set(calls.map((e) => e.client))]).toEqual([STACK_OAUTH_CLIENT.clientId]);

		// 01 saves no execution; 03's saved runs do not hold the secret.
		expect(await stack.executionsOf('01')).toEqual([]);
		const secret = subscriptionSecret().slice(6);
		for (const run of runs) expect(JSON.stringify(await stack.n8n.execution(String(run.id)))).not.toContain(secret);
	}, 300000);

	test('a badly signed delivery is answered 401 and starts no sync', async () => {
		const before = stack.mark();
		const { send, wrongSignature } = forgedContactDelivery(stack, { id: 'forgedq', firstName: 'Eve', lastName: 'Queue', email: 'eve.queue@e2e.example' });
		const ts = String(Math.floor(Date.now() / 1000));
		expect((await send(ts, wrongSignature(ts))).status).toBe(401);
		await stack.settle({ quietMs: 2000 });
		const report = stack.apiCallReport(before);
		expect(report.pipedrive.total).toBe(0);
		expect(report.propstreet.writes).toBe(0);
		expect(pd().persons().filter((p) => ((p.emails as Rec[]) ?? []).some((e) => e.value === 'eve.queue@e2e.example'))).toHaveLength(0);
	}, 120000);
});
