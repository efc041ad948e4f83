/**
 * The Pipedrive transport against the Pipedrive simulator, through n8n-core's real
 * httpRequestWithAuthentication and this package's credential. `sleep` is replaced by a function
 * that records the wait and moves the simulator's (frozen) clock forward by it, so rate-limit
 * windows really pass without the test waiting or reading the wall clock.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import { startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';
import {
	createNote,
	createPerson,
	getDeal,
	getDealFields,
	getNote,
	getOrganization,
	getPerson,
	getPersonFields,
	getPipelines,
	getStages,
	lastRateLimit,
	listDealParticipants,
	pipedriveList,
	pipedriveRequest,
	updateDeal,
	updateNote,
	updatePerson,
	PIPEDRIVE_CREDENTIAL,
} from '../../../nodes/shared/pipedrive';
import { makePipedriveContext } from './context';

const sleepMock = sleep as unknown as jest.Mock;

describe('Pipedrive transport against the simulator', () => {
	let sim: PipedriveSimulator;
	const context = () => makePipedriveContext({ baseUrl: `${sim.url}/`, token: sim.token });
	const requestsTo = (route: string) => sim.control.stats().byRoute[route]?.requests ?? 0;
	const dealIds = () => sim.control.deals().map((d) => Number(d.id));

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true, clock: { start: '2026-03-02T10:00:00Z', frozen: true } });
		sim.control.resetStats();
		sleepMock.mockReset();
		sleepMock.mockImplementation(async (ms: number) => sim.control.advanceClock(ms));
	});
	afterEach(() => sim.close());

	it('authenticates with the credential (x-api-token) and reads a v2 person', async () => {
		const { ctx, sent } = context();
		const person = await getPerson(ctx, 1001);
		expect(person).toMatchObject({ id: 1001, name: expect.any(String), custom_fields: expect.any(Object) });
		expect(sent).toEqual([expect.objectContaining({ credentialType: PIPEDRIVE_CREDENTIAL, method: 'GET', url: `${sim.url}/api/v2/persons/1001` })]);
		// The token travelled as the header, not in the query string.
		expect(sent[0].qs).toBeUndefined();
		expect(sim.control.stats().byClient[`api_token:${sim.token}`]).toMatchObject({ requests: 1 });
	});

	it('a wrong token is a NodeApiError that points at the credential', async () => {
		const { ctx } = makePipedriveContext({ baseUrl: sim.url, token: 'not-the-token' });
		const error = await getPerson(ctx, 1001).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Reading Pipedrive person 1001: Pipedrive did not accept the API token: check the credential (401)');
		expect(sim.control.stats().total).toBe(1);
	});

	it('creates, patches and re-reads a person (v2 round trip)', async () => {
		const { ctx } = context();
		const created = await createPerson(ctx, { name: 'Transport Test', emails: [{ value: 'transport@example.org', primary: true, label: 'work' }] });
		expect(created).toMatchObject({ id: expect.any(Number), name: 'Transport Test' });
		const updated = await updatePerson(ctx, created.id, { name: 'Transport Tested' });
		expect(updated).toMatchObject({ id: created.id, name: 'Transport Tested' });
		expect(await getPerson(ctx, String(created.id))).toMatchObject({ name: 'Transport Tested', emails: [expect.objectContaining({ value: 'transport@example.org' })] });
		expect(sim.control.person(created.id)).toMatchObject({ name: 'Transport Tested' });
	});

	it('reads organizations and deals, and patches a deal', async () => {
		const { ctx } = context();
		const deal = sim.control.deals()[0];
		expect(await getDeal(ctx, deal.id)).toMatchObject({ id: deal.id });
		const org = sim.control.organizations()[0];
		expect(await getOrganization(ctx, org.id)).toMatchObject({ id: org.id, name: org.name });
		expect(await updateDeal(ctx, deal.id, { title: 'Renamed by transport' })).toMatchObject({ id: deal.id, title: 'Renamed by transport' });
	});

	it('answers null for a 404 on a get', async () => {
		const { ctx } = context();
		expect(await getPerson(ctx, 999_999)).toBeNull();
		expect(await getOrganization(ctx, 999_999)).toBeNull();
		expect(await getNote(ctx, 999_999)).toBeNull();
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('a rejected write is a NodeApiError naming the operation, with Pipedrive’s message', async () => {
		const { ctx } = context();
		const error = await updatePerson(ctx, 1001, { custom_fields: { ['0'.repeat(40)]: 'x' } }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Updating Pipedrive person 1001: .+ \(400\)$/);
		expect(error.httpCode).toBe('400');
		expect(requestsTo('PATCH /api/v2/persons/{id}')).toBe(1);
	});

	it('follows v2 cursors across pages (field definitions, persons)', async () => {
		const { ctx } = context();
		const all = await getPersonFields(ctx);
		expect(all.length).toBeGreaterThan(3);
		expect(requestsTo('GET /api/v2/personFields')).toBe(1);
		sim.control.resetStats();
		const paged = await getPersonFields(ctx, { qs: { limit: 2 } });
		expect(paged.map((f) => f.field_code)).toEqual(all.map((f) => f.field_code));
		expect(requestsTo('GET /api/v2/personFields')).toBe(Math.ceil(all.length / 2));
		const firstFive = await pipedriveList(ctx, '/api/v2/persons', { limit: 2 }, { limit: 5 });
		expect(firstFive).toHaveLength(5);
		expect(await getDealFields(ctx)).toEqual(expect.arrayContaining([expect.objectContaining({ field_code: expect.any(String) })]));
	});

	it('a list longer than maxPages is an error, not a partial answer', async () => {
		const { ctx } = context();
		const error = await pipedriveList(ctx, '/api/v2/persons', { limit: 1 }, { maxPages: 2, operation: 'Listing persons' }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Listing persons: more than 2 pages/);
	});

	it('follows v1 offsets (deal participants) and reads pipelines and stages', async () => {
		const { ctx } = context();
		const dealId = dealIds().find((id) => sim.control.participants(id).length >= 2)!;
		expect(dealId).toBeDefined();
		const expected = sim.control.participants(dealId).length;
		const rows = await listDealParticipants(ctx, dealId, { qs: { limit: 1 } });
		expect(rows).toHaveLength(expected);
		expect(requestsTo('GET /v1/deals/{id}/participants')).toBe(expected);
		expect(rows[0]).toMatchObject({ id: expect.any(Number), person_id: expect.objectContaining({ value: expect.any(Number) }) });
		const pipelines = await getPipelines(ctx);
		const stages = await getStages(ctx, { qs: { limit: 2 } });
		expect(pipelines.length).toBeGreaterThan(0);
		expect(stages.length).toBeGreaterThanOrEqual(6);
	});

	it('creates, updates and reads a note (v1)', async () => {
		const { ctx } = context();
		const dealId = dealIds()[0];
		const note = await createNote(ctx, { content: '<p>Hello</p>', deal_id: dealId });
		expect(note).toMatchObject({ id: expect.any(Number), deal_id: dealId });
		await updateNote(ctx, note.id, { content: '<p>Changed</p>' });
		expect(await getNote(ctx, note.id)).toMatchObject({ id: note.id, content: '<p>Changed</p>' });
	});

	it('rejects an invalid id before any request, naming the field', async () => {
		const { ctx, sent } = context();
		for (const bad of ['12abc', '-1', 0, '1/../users', '', 1.5]) {
			const error = await updatePerson(ctx, bad, { name: 'x' }).catch((e) => e);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(/^person id must be a Pipedrive id/);
		}
		await expect(listDealParticipants(ctx, 'abc')).rejects.toThrow(/^deal id must be a Pipedrive id/);
		await expect(getNote(ctx, null)).rejects.toThrow(/^note id must be a Pipedrive id/);
		await expect(pipedriveRequest(ctx, { method: 'GET', path: '/api/v2/../v1/users' })).rejects.toThrow(/not a Pipedrive API path/);
		expect(sent).toHaveLength(0);
		expect(sim.control.stats().total).toBe(0);
	});

	it('records the rate-limit headers it saw', async () => {
		const { ctx } = context();
		expect(lastRateLimit(ctx)).toBeUndefined();
		await getPerson(ctx, 1001);
		expect(lastRateLimit(ctx)).toMatchObject({
			burstLimit: 120,
			burstRemaining: 119,
			burstResetMs: 2000,
			dailyTokenLimit: sim.control.dailyBudget(),
			dailyTokensRemaining: sim.control.tokensRemaining(),
			dailyWritesLeft: 10_000,
		});
		await createPerson(ctx, { name: 'Counted' });
		expect(lastRateLimit(ctx)).toMatchObject({ dailyWritesLeft: 9_999, dailyTokensRemaining: sim.control.tokensRemaining() });
	});

	it('retries a 429 after the announced reset, then succeeds', async () => {
		const { ctx } = context();
		sim.control.failNext({ status: 429, route: 'GET /api/v2/persons/{id}' });
		expect(await getPerson(ctx, 1001)).toMatchObject({ id: 1001 });
		expect(requestsTo('GET /api/v2/persons/{id}')).toBe(2);
		expect(sleepMock).toHaveBeenCalledTimes(1);
		// x-ratelimit-reset: 2 (seconds), plus at most the jitter.
		expect(sleepMock.mock.calls[0][0]).toBeGreaterThanOrEqual(2000);
		expect(sleepMock.mock.calls[0][0]).toBeLessThanOrEqual(2500);
	});

	it('a real burst limit: one context fills the window, another gets a 429, waits it out and succeeds', async () => {
		const limited = await startPipedriveSimulator({ seed: true, switches: { enforceBurst: true }, rateLimit: { burstLimit: 2 }, clock: { start: '2026-03-02T10:00:00Z', frozen: true } });
		try {
			sleepMock.mockImplementation(async (ms: number) => limited.control.advanceClock(ms));
			const a = makePipedriveContext({ baseUrl: limited.url, token: limited.token }).ctx;
			const b = makePipedriveContext({ baseUrl: limited.url, token: limited.token }).ctx;
			await getPerson(a, 1001);
			await getPerson(a, 1002);
			expect(lastRateLimit(a)).toMatchObject({ burstRemaining: 0 });
			expect(await getPerson(b, 1003)).toMatchObject({ id: 1003 });
			expect(limited.control.stats().byRoute['GET /api/v2/persons/{id}'].statuses).toEqual({ 200: 3, 429: 1 });
			// Context a knows its window is used up: it pauses before calling, and gets no 429.
			sleepMock.mockClear();
			expect(await getPerson(a, 1004)).toMatchObject({ id: 1004 });
			expect(sleepMock).toHaveBeenCalledTimes(1);
			expect(limited.control.stats().byRoute['GET /api/v2/persons/{id}'].statuses).toEqual({ 200: 4, 429: 1 });
		} finally {
			await limited.close();
		}
	});

	it('does not retry when the daily token budget is spent', async () => {
		const { ctx } = context();
		sim.control.setTokenBudget(12, 0);
		await pipedriveList(ctx, '/api/v2/persons', { limit: 1 }, { limit: 1 }); // 10 tokens
		const error = await pipedriveList(ctx, '/api/v2/persons', { limit: 1 }, { limit: 1 }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/budget exhausted \(429\)/i);
		expect(sleepMock).not.toHaveBeenCalled();
		expect(lastRateLimit(ctx)).toMatchObject({ dailyTokensRemaining: 2 });
	});

	it('never replays a POST after a 5xx (it may have landed); a PATCH is retried', async () => {
		const { ctx } = context();
		const before = sim.control.persons().length;
		sim.control.failNext({ status: 500, method: 'POST', route: 'POST /api/v2/persons' });
		const error = await createPerson(ctx, { name: 'Only Once' }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Creating Pipedrive person: Internal server error (500)');
		expect(requestsTo('POST /api/v2/persons')).toBe(1);
		expect(sim.control.persons()).toHaveLength(before);
		expect(sleepMock).not.toHaveBeenCalled();

		sim.control.failNext({ status: 503, method: 'PATCH', route: 'PATCH /api/v2/persons/{id}' });
		expect(await updatePerson(ctx, 1001, { name: 'Patched After 503' })).toMatchObject({ name: 'Patched After 503' });
		expect(requestsTo('PATCH /api/v2/persons/{id}')).toBe(2);
	});

	it('never replays a POST whose connection dropped; a GET is retried', async () => {
		const { ctx } = context();
		sim.control.hangUpNext({ method: 'POST', route: 'POST /v1/notes' });
		await expect(createNote(ctx, { content: 'x', deal_id: dealIds()[0] })).rejects.toThrow(/^Creating Pipedrive note: the request failed in transit/);
		expect(sim.control.notes().filter((n) => n.content === 'x')).toHaveLength(0);
		expect(sleepMock).not.toHaveBeenCalled();
		sim.control.hangUpNext({ route: 'GET /api/v2/persons/{id}' });
		expect(await getPerson(ctx, 1001)).toMatchObject({ id: 1001 });
		expect(sleepMock).toHaveBeenCalledTimes(1);
	});

	it('recognises the 403 HTML block page and does not retry it', async () => {
		const { ctx } = context();
		sim.control.failNext({ status: 403 });
		const error = await getPerson(ctx, 1001).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Reading Pipedrive person 1001: Pipedrive blocked this API token for a while (403) after repeated rate-limit errors');
		expect(sleepMock).not.toHaveBeenCalled();
	});
});
