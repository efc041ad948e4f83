import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { call } from './testkit';

describe('Propstreet simulator: lists, keyset pagination and delta sync', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator({ clock: { start: '2026-03-01T08:00:00.000Z', frozen: true } });
		for (let i = 0; i < 5; i++) {
			sim.control.createContact({ firstName: `Person ${i}`, email: `p${i}@example.se` });
			sim.control.advanceClock(1000);
		}
	});
	afterEach(() => sim.close());

	async function all(path: string): Promise<any[]> {
		const out: any[] = [];
		let cursor: string | null = null;
		do {
			const sep = path.includes('?') ? '&' : '?';
			const page: any = await call(sim, 'GET', `${path}${sep}page_size=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			expect(page.status).toBe(200);
			expect(page.body.page.pageSize).toBe(2);
			out.push(...page.body.data);
			cursor = page.body.page.nextCursor;
			expect(page.body.page.hasMore).toBe(cursor !== null);
		} while (cursor);
		return out;
	}

	it('pages through every row once, ordered by (updatedUtc, id), with the page envelope', async () => {
		const first = await call(sim, 'GET', '/api/v1/network/contacts?page_size=2');
		expect(Object.keys(first.body).sort()).toEqual(['data', 'page']);
		expect(first.body.page).toEqual({ nextCursor: expect.any(String), pageSize: 2, hasMore: true });
		const rows = await all('/api/v1/network/contacts');
		expect(rows.map((r) => r.firstName)).toEqual(['Person 0', 'Person 1', 'Person 2', 'Person 3', 'Person 4']);
	});

	it('keyset cursors survive concurrent updates: an updated row moves to the end, nothing is skipped', async () => {
		const first = await call(sim, 'GET', '/api/v1/network/contacts?page_size=2');
		const ids = first.body.data.map((r: any) => r.id);
		// Person 0 (already read) and Person 3 (not yet read) change between pages.
		sim.control.updateContact(ids[0], { strategy: 'changed' });
		const p3 = sim.control.state().contacts.find((c) => c.firstName === 'Person 3')!;
		sim.control.updateContact(String(p3.id), { strategy: 'changed' });
		let cursor = first.body.page.nextCursor;
		const rest: string[] = [];
		while (cursor) {
			const page = await call(sim, 'GET', `/api/v1/network/contacts?page_size=2&cursor=${encodeURIComponent(cursor)}`);
			rest.push(...page.body.data.map((r: any) => r.firstName));
			cursor = page.body.page.nextCursor;
		}
		expect(rest).toEqual(['Person 2', 'Person 4', 'Person 0', 'Person 3']);
	});

	it('treats updated_since as inclusive and hides deleted rows unless include_deleted=true', async () => {
		const rows = sim.control.state().contacts;
		const third = rows.find((c) => c.firstName === 'Person 2')!;
		const since = String(third.updatedUtc);
		const delta = await call(sim, 'GET', `/api/v1/network/contacts?updated_since=${encodeURIComponent(since)}`);
		expect(delta.body.data.map((r: any) => r.firstName)).toEqual(['Person 2', 'Person 3', 'Person 4']);

		sim.control.advanceClock(1000);
		const del = await call(sim, 'DELETE', `/api/v1/network/contacts/${third.id}`);
		expect(del.status).toBe(204);
		const withoutDeleted = await call(sim, 'GET', '/api/v1/network/contacts');
		expect(withoutDeleted.body.data.map((r: any) => r.id)).not.toContain(third.id);
		const withDeleted = await call(sim, 'GET', `/api/v1/network/contacts?include_deleted=true&updated_since=${encodeURIComponent(sim.control.now())}`);
		expect(withDeleted.body.data).toHaveLength(1);
		expect(withDeleted.body.data[0]).toMatchObject({ id: third.id, deletedUtc: sim.control.now() });
		expect((await call(sim, 'GET', `/api/v1/network/contacts/${third.id}`)).status).toBe(404);
	});

	it('rejects bad page_size, updated_since and cursor values with field errors', async () => {
		const big = await call(sim, 'GET', '/api/v1/network/contacts?page_size=501');
		expect(big.status).toBe(400);
		expect(big.body.errors.page_size).toBeDefined();
		const badDate = await call(sim, 'GET', '/api/v1/network/contacts?updated_since=yesterday');
		expect(badDate.status).toBe(400);
		expect(badDate.body.errors.updated_since).toBeDefined();
		const badCursor = await call(sim, 'GET', '/api/v1/network/contacts?cursor=%%%');
		expect(badCursor.status).toBe(400);
	});

	it('serves the flat envelope when the §22 switch asks for it', async () => {
		const flat = await startPropstreetSimulator({ listEnvelope: 'flat' });
		try {
			flat.control.createContact({ firstName: 'Flat' });
			const res = await call(flat, 'GET', '/api/v1/network/contacts?page_size=1');
			expect(res.body).toEqual({ data: [expect.objectContaining({ firstName: 'Flat' })], nextCursor: null, hasMore: false, pageSize: 1 });
		} finally {
			await flat.close();
		}
	});
});
