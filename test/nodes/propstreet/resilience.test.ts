/**
 * The transport under stress, against the simulator: 429 storms, 5xx, timeouts on POST (no duplicate
 * thanks to the reused Idempotency-Key), problem+json errors, bad input, continueOnFail, no token leaks.
 * `sleep` is mocked: it advances the simulator's frozen clock instead of waiting.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { byId, run, type ParamValue } from './context';

const TOKEN = 'resilience-secret-token';
const sleepMock = sleep as unknown as jest.Mock;
let sim: PropstreetSimulator;
// The control API returns loosely typed records; tests read their fields freely.
const ctl = () => sim.control as any;

beforeAll(async () => {
	sim = await startPropstreetSimulator({ token: TOKEN, clock: { frozen: true }, rateLimit: { pat: 10, windowMs: 60_000 } });
});
afterAll(async () => sim.close());
beforeEach(() => {
	ctl().reset();
	sleepMock.mockReset();
	sleepMock.mockImplementation(async (ms: number) => ctl().advanceClock(ms));
});

const exec = (params: Record<string, ParamValue>, extra: { items?: { json: object }[]; continueOnFail?: boolean } = {}) =>
	run({ baseUrl: sim.url, token: TOKEN, params, items: extra.items as never, continueOnFail: extra.continueOnFail });

const createContacts = (n: number, requestOptions: object = {}) =>
	exec(
		{ resource: 'contact', operation: 'create', firstName: (i: number) => `Investor ${i}`, lastName: '', email: (i: number) => `inv${i}@nordic.example`, additionalFields: {}, options: {}, requestOptions },
		{ items: Array.from({ length: n }, (_, i) => ({ json: { i } })) },
	);

describe('429 handling', () => {
	it('rides out the real rate limit (10/min): every item is created exactly once, waits come from the server', async () => {
		const result = await createContacts(25);
		expect(result.output).toHaveLength(25);
		expect(ctl().state().contacts).toHaveLength(25);
		expect(new Set(ctl().state().contacts.map((c: any) => c.email)).size).toBe(25);
		// 25 requests at 10 per minute need at least two waits of about a window each
		const waited = sleepMock.mock.calls.reduce((sum, [ms]) => sum + ms, 0);
		expect(sleepMock.mock.calls.length).toBeGreaterThanOrEqual(2);
		expect(waited).toBeGreaterThanOrEqual(2 * 50_000);
	});

	it('honours Retry-After on an injected 429 storm and loses nothing', async () => {
		ctl().injectFaults({ status: 429, count: 4, retryAfterSec: 7, routes: ['POST /api/v1/network/contacts'] });
		const result = await createContacts(3);
		expect(result.output).toHaveLength(3);
		expect(ctl().state().contacts).toHaveLength(3);
		const delays = sleepMock.mock.calls.map(([ms]) => ms);
		const stormWaits = delays.filter((ms) => ms >= 7_000 && ms <= 8_000);
		expect(stormWaits).toHaveLength(4);
		expect(ctl().countRequests({ status: 429 })).toBe(4);
	});

	it('gives up after Max Attempts with the 429 as NodeApiError', async () => {
		ctl().injectFaults({ status: 429, count: 10, retryAfterSec: 1 });
		const error = await createContacts(1, { maxAttempts: 3 }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('429');
		expect(ctl().countRequests()).toBe(3);
		expect(ctl().state().contacts).toHaveLength(0);
	});
});

describe('5xx and timeouts', () => {
	it('retries 500/502/503/504 with growing backoff, then succeeds', async () => {
		for (const status of [500, 502, 503, 504]) ctl().injectFaults({ status, count: 1, retryAfterSec: 0 });
		const result = await exec({ resource: 'contact', operation: 'getAll', returnAll: true, filters: {} });
		expect(result.output).toEqual([]);
		expect(result.sent).toHaveLength(5);
		expect(sleepMock).toHaveBeenCalledTimes(4);
	});

	it('does not retry a 400 and puts the problem+json field errors in the description', async () => {
		const error = await exec({ resource: 'contact', operation: 'create', firstName: 'A', lastName: '', email: '', additionalFields: { linkedInUrl: 'not-a-linkedin-url' }, options: {} }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('400');
		expect(error.description).toMatch(/linkedInUrl: /);
		expect(error.context.itemIndex).toBe(0);
		expect(ctl().countRequests()).toBe(1);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('a POST that times out is retried with the same Idempotency-Key and creates one record', async () => {
		ctl().delayNext(800, { routes: ['POST /api/v1/network/contacts'] });
		const result = await createContacts(1, { timeout: 300 });
		expect(result.output).toHaveLength(1);
		const posts = result.sent.filter((s) => s.method === 'POST');
		expect(posts).toHaveLength(2);
		expect(posts[0].headers['Idempotency-Key']).toBeTruthy();
		expect(posts[1].headers['Idempotency-Key']).toBe(posts[0].headers['Idempotency-Key']);
		expect(ctl().state().contacts).toHaveLength(1);
		expect(ctl().requests({ method: 'POST' }).map((r: any) => r.replayed)).toEqual([false, true]);
		expect((result.output[0].json as { id: string }).id).toBe(ctl().state().contacts[0].id);
	});

	it('a dropped connection after the write is retried without a duplicate', async () => {
		ctl().injectFaults({ status: 'reset', when: 'after', routes: ['POST /api/v1/projects'] });
		const result = await exec({ resource: 'project', operation: 'create', name: 'Kista', additionalFields: {}, options: { idempotencyKey: 'deal-7-create' } });
		expect(result.output).toHaveLength(1);
		expect(ctl().state().projects).toHaveLength(1);
		expect(result.sent.map((s) => s.headers['Idempotency-Key'])).toEqual(['deal-7-create', 'deal-7-create']);
	});
});

describe('bad input', () => {
	const cases: Array<[string, Record<string, ParamValue>, RegExp]> = [
		['empty contact id', { resource: 'contact', operation: 'get', contactId: byId('') }, /"Contact" on item 0 is empty/],
		['contact without identifier', { resource: 'contact', operation: 'create', firstName: '', lastName: '', email: '', additionalFields: {}, options: {} }, /no identifier.*"First Name"/],
		['bad email', { resource: 'contact', operation: 'create', firstName: 'A', lastName: '', email: 'nope', additionalFields: {}, options: {} }, /"Email" on item 0 is not a valid email/],
		['bad connections JSON', { resource: 'contact', operation: 'create', firstName: 'A', lastName: '', email: '', additionalFields: { connections: '[{' }, options: {} }, /"Company Connections \(JSON\)" on item 0 is not valid JSON/],
		['empty update', { resource: 'contact', operation: 'update', contactId: byId('1'), updateFields: {}, options: {} }, /"Update Fields" on item 0 is empty/],
		['portfolio mismatch', { resource: 'project', operation: 'update', projectId: byId('1'), updateFields: { isPortfolio: false, propertyCount: 4 }, options: {} }, /"Property Count" on item 0 is 4 but "Is Portfolio" is off/],
		['bad country', { resource: 'company', operation: 'create', name: 'X', additionalFields: { countryCode: 'Sweden' }, options: {} }, /"Country Code" on item 0 must be a 2-letter/],
		['http webhook', { resource: 'webhook', operation: 'create', url: 'http://example.com/x', events: ['contact.created'], options: {} }, /"URL" on item 0 must be an https/],
		['unknown event', { resource: 'webhook', operation: 'create', url: 'https://example.com/x', events: ['contact.merged'], options: {} }, /unknown event types: contact\.merged/],
		['bad classification', { resource: 'prospect', operation: 'updateClassification', projectId: byId('1'), prospectId: '2', classification: 'hot', options: {} }, /"Classification" on item 0 must be one of/],
		['note too long', { resource: 'contact', operation: 'addNote', contactId: byId('1'), note: 'x'.repeat(10_001), options: {} }, /is 10001 characters; Propstreet accepts at most 10,000/],
		['bad date', { resource: 'contact', operation: 'getAll', returnAll: true, filters: { updatedSince: 'yesterday-ish' } }, /"Updated Since" on item 0 is not a date/],
	];
	it.each(cases)('%s → NodeOperationError naming the field, nothing sent', async (_name, params, message) => {
		const error = await exec(params).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect(error.context.itemIndex).toBe(0);
		expect(ctl().countRequests()).toBe(0);
	});

	it('with Continue On Fail, a bad item becomes an error item and the others still run', async () => {
		const emails = ['ok1@x.se', 'broken', 'ok2@x.se'];
		const result = await exec(
			{ resource: 'contact', operation: 'create', firstName: 'A', lastName: '', email: (i: number) => emails[i], additionalFields: {}, options: {} },
			{ items: emails.map(() => ({ json: {} })), continueOnFail: true },
		);
		expect(result.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect((result.output[1].json as { error: string }).error).toMatch(/"Email" on item 1/);
		expect(ctl().state().contacts.map((c: any) => c.email).sort()).toEqual(['ok1@x.se', 'ok2@x.se']);
	});

	it('an API error on one item names the item (itemIndex) when Continue On Fail is off', async () => {
		const ids = [ctl().createContact({ firstName: 'A' }).id as string, 'missing'];
		const error = await exec({ resource: 'contact', operation: 'get', contactId: (i: number) => byId(ids[i]) }, { items: [{ json: {} }, { json: {} }] }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(1);
	});
});

describe('credentials and secrets', () => {
	it('uses the OAuth2 credential type when chosen', async () => {
		const result = await exec({ authentication: 'oAuth2', resource: 'contact', operation: 'getAll', returnAll: true, filters: {} });
		expect(result.sent[0].credentialType).toBe('propstreetOAuth2Api');
		const pat = await exec({ resource: 'contact', operation: 'getAll', returnAll: true, filters: {} });
		expect(pat.sent[0].credentialType).toBe('propstreetApi');
	});

	it('never logs the token, even while retrying, and keeps it out of errors', async () => {
		ctl().injectFaults({ status: 503, count: 2, retryAfterSec: 0 });
		const result = await createContacts(1);
		expect(result.logs.length).toBeGreaterThan(0);
		expect(JSON.stringify(result.logs)).not.toContain(TOKEN);
		ctl().injectFaults({ status: 500, count: 20 });
		const error = await createContacts(1, { maxAttempts: 2 }).catch((e) => e);
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(TOKEN);
	});
});
