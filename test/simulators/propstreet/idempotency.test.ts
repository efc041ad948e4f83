import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call } from './testkit';

const C = '/api/v1/network/contacts';

describe('Propstreet simulator: Idempotency-Key', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
	});
	afterEach(() => sim.close());

	it('replays the first response (status, headers, body) and never creates twice', async () => {
		const headers = { 'Idempotency-Key': '550e8400-e29b-41d4-a716-446655440000' };
		const body = { firstName: 'Aino', lastName: 'Mäkelä', email: 'aino@saimaa.example.fi' };
		const first = await call(sim, 'POST', C, { body, headers });
		const second = await call(sim, 'POST', C, { body, headers });
		expect(first.status).toBe(201);
		expect(second.status).toBe(201);
		expect(second.text).toBe(first.text);
		expect(second.headers.get('location')).toBe(first.headers.get('location'));
		expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
		expect(second.headers.get('idempotent-replayed')).toBe('true');
		expect(sim.control.state().contacts).toHaveLength(1);
		expect(sim.control.countWrites({ route: `POST ${C}` })).toBe(1);
		// Without the key the same body is a new request (and here collides on the unique email).
		expect((await call(sim, 'POST', C, { body })).status).toBe(409);
		// A different key is a different request.
		expect((await call(sim, 'POST', C, { body: { firstName: 'Aino 2' }, headers: { 'Idempotency-Key': 'other' } })).status).toBe(201);
	});

	it('refuses the same key with a different body (422 problem+json)', async () => {
		const headers = { 'Idempotency-Key': 'k-1' };
		await call(sim, 'POST', C, { body: { firstName: 'Elin' }, headers });
		const clash = await call(sim, 'POST', C, { body: { firstName: 'Someone else' }, headers });
		expect(clash.status).toBe(422);
		expect(clash.headers.get('content-type')).toMatch(/problem\+json/);
		expect(sim.control.state().contacts).toHaveLength(1);
	});

	it('keys are per credential and path, and expire after 24 h of simulated time', async () => {
		const headers = { 'Idempotency-Key': 'shared' };
		const project = sim.control.createProject({ name: 'Levi Ski Hotel' });
		await call(sim, 'POST', C, { body: { firstName: 'Per' }, headers });
		// Same key on another path is independent.
		expect((await call(sim, 'POST', '/api/v1/projects', { body: { name: 'X' }, headers })).status).toBe(201);
		// Same key from another credential is independent.
		const other = await call(sim, 'POST', C, { body: { firstName: 'Per' }, headers, token: sim.control.issueToken() });
		expect(other.headers.get('idempotent-replayed')).toBeNull();
		expect(sim.control.state().contacts).toHaveLength(2);
		sim.control.advanceClock(24 * 60 * 60 * 1000 + 1);
		const after = await call(sim, 'POST', C, { body: { firstName: 'Per' }, headers });
		expect(after.headers.get('idempotent-replayed')).toBeNull();
		expect(sim.control.state().contacts).toHaveLength(3);
		void project;
	});

	it('a response delayed past the client timeout still wrote once; the retry with the same key is a replay', async () => {
		sim.control.delayNext(400, { routes: [`POST ${C}`] });
		const headers = { 'Idempotency-Key': 'slow-1' };
		const body = { firstName: 'Nils' };
		await expect(call(sim, 'POST', C, { body, headers, signal: AbortSignal.timeout(100) })).rejects.toThrow();
		// The write already happened even though the client gave up.
		expect(sim.control.state().contacts).toHaveLength(1);
		const retry = await call(sim, 'POST', C, { body, headers });
		expect(retry.status).toBe(201);
		expect(retry.headers.get('idempotent-replayed')).toBe('true');
		expect(sim.control.state().contacts).toHaveLength(1);
	});

	it('a 500 after the write is not cached as the answer: the retry replays the real success', async () => {
		sim.control.injectFaults({ status: 500, when: 'after', routes: [`POST ${C}`] });
		const headers = { 'Idempotency-Key': 'after-500' };
		const failed = await call(sim, 'POST', C, { body: { firstName: 'Bjørn' }, headers });
		expect(failed.status).toBe(500);
		const retry = await call(sim, 'POST', C, { body: { firstName: 'Bjørn' }, headers });
		expect(retry.status).toBe(201);
		expect(retry.body.firstName).toBe('Bjørn');
		expect(sim.control.state().contacts).toHaveLength(1);
		// A 500 before the handler leaves nothing cached: the retry runs for real.
		sim.control.injectFaults({ status: 503, routes: [`POST ${C}`] });
		const h2 = { 'Idempotency-Key': 'before-503' };
		expect((await call(sim, 'POST', C, { body: { firstName: 'Søren' }, headers: h2 })).status).toBe(503);
		const real = await call(sim, 'POST', C, { body: { firstName: 'Søren' }, headers: h2 });
		expect(real.status).toBe(201);
		expect(real.headers.get('idempotent-replayed')).toBeNull();
	});

	it('replays error answers too (a retried 409 stays a 409 and creates nothing)', async () => {
		await call(sim, 'POST', C, { body: { firstName: 'A', externalRefs: [{ namespace: 'pipedrive', id: '7' }] } });
		const headers = { 'Idempotency-Key': 'dup' };
		const body = { firstName: 'B', externalRefs: [{ namespace: 'pipedrive', id: '7' }] };
		expect((await call(sim, 'POST', C, { body, headers })).status).toBe(409);
		const again = await call(sim, 'POST', C, { body, headers });
		expect(again.status).toBe(409);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
	});
});
