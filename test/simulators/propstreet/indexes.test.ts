/**
 * The store's lookup indexes (external ref → ids, contact e-mail → ids, company domain → ids) and the
 * cached keyset order must answer exactly what a full scan and a fresh sort would. Two layers:
 * - a randomised run over the store itself, comparing every answer with a scan after every write
 *   (create, ref change, e-mail change, soft delete, revive, rolled-back edit, hard delete, reset);
 * - contract checks over HTTP for the writes that move a ref or an e-mail between records.
 */
import { SimClock } from './clock';
import { startPropstreetSimulator, type PropstreetSimulator } from './index';
import { compareIds, findByRef, keysetPage, Store, type ListQuery } from './store';
import { call } from './testkit';
import type { ContactRecord, ExternalRef } from './types';

const C = '/api/v1/network/contacts';

/** A tiny deterministic PRNG (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The page a fresh filter-and-sort gives (the simulator's behaviour before the order cache). */
function referencePage(records: ContactRecord[], q: ListQuery) {
	const rows = records
		.filter((r) => q.includeDeleted || !r.deletedUtc)
		.filter((r) => !q.updatedSince || r.updatedUtc >= q.updatedSince)
		.sort((a, b) => (a.updatedUtc < b.updatedUtc ? -1 : a.updatedUtc > b.updatedUtc ? 1 : compareIds(a.id, b.id)));
	const after = q.cursor ? rows.filter((r) => r.updatedUtc > q.cursor!.u || (r.updatedUtc === q.cursor!.u && compareIds(r.id, q.cursor!.i) > 0)) : rows;
	const items = after.slice(0, q.pageSize);
	return { ids: items.map((r) => r.id), hasMore: after.length > items.length };
}

describe('Propstreet simulator store: indexes agree with full scans', () => {
	it.each([1, 2, 3])('random writes (seed %i): ref, e-mail and keyset answers match a scan after every step', (seed) => {
		const random = rng(seed);
		const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
		const clock = new SimClock({ start: '2025-03-01T08:00:00.000Z', frozen: true });
		const store = new Store(clock);
		const table = store.contacts;
		const namespaces = ['pipedrive', 'PipeDrive', 'hubspot'];
		const refIds = ['1', '2', '3', '4', '5', '6'];
		const emails = ['ann@x.se', 'ANN@x.se', 'bo@y.no', 'cia@z.fi', null];
		const randomRefs = (): ExternalRef[] => (random() < 0.3 ? [] : [{ namespace: pick(namespaces), id: pick(refIds) }, ...(random() < 0.3 ? [{ namespace: pick(namespaces), id: pick(refIds) }] : [])]);
		const newContact = (): ContactRecord => ({
			...store.newVersioned('api'),
			externalRefs: randomRefs(),
			firstName: 'N',
			lastName: null,
			email: pick(emails),
			phone: null,
			linkedInUrl: null,
			emails: [],
			phones: [],
			primaryLanguage: null,
			tags: [],
			strategy: null,
			profilePictureUrl: null,
			blocked: false,
		});

		/** `editing`: a record changed in place but not yet re-versioned; lookups then skip it, as the write paths do. */
		const check = (step: number, editing?: ContactRecord) => {
			const scope = editing ? (r: ContactRecord) => r !== editing : undefined;
			const all = [...table.values()];
			for (const ns of namespaces) {
				for (const id of refIds) {
					for (const includeDeleted of [false, true]) {
						const fast = findByRef(table, ns, id, { includeDeleted, scope });
						const scan = findByRef(all, ns, id, { includeDeleted, scope });
						if (fast !== scan) throw new Error(`step ${step}: findByRef(${ns}/${id}, includeDeleted=${includeDeleted}) gave ${fast?.id} but a scan gives ${scan?.id}`);
					}
				}
			}
			for (const email of ['ann@x.se', 'bo@y.no', 'cia@z.fi']) {
				const fast = table.idsWithKey(email).map((id) => table.get(id)!).filter((c) => c !== editing && c.email?.toLowerCase() === email);
				const scan = all.filter((c) => c !== editing && c.email?.toLowerCase() === email);
				expect(fast.map((c) => c.id)).toEqual(scan.map((c) => c.id));
			}
			const pageSize = 1 + Math.floor(random() * 4);
			const includeDeleted = random() < 0.5;
			const sortedAll = referencePage(all, { pageSize: all.length + 1, cursor: null, updatedSince: null, includeDeleted: true }).ids.map((id) => table.get(id)!);
			const anchor = sortedAll.length ? pick(sortedAll) : undefined;
			const q: ListQuery = {
				pageSize,
				includeDeleted,
				updatedSince: anchor && random() < 0.4 ? anchor.updatedUtc : null,
				cursor: anchor && random() < 0.6 ? { u: anchor.updatedUtc, i: anchor.id } : null,
			};
			const page = keysetPage(table, q);
			const want = referencePage(all, q);
			expect({ step, ids: page.items.map((r) => r.id), hasMore: page.hasMore }).toEqual({ step, ...want });
		};

		for (let step = 0; step < 400; step++) {
			if (random() < 0.5) clock.advance(pick([0, 0, 1000]));
			const live = [...table.values()];
			const target = live.length ? pick(live) : undefined;
			const op = random();
			if (!target || op < 0.25) {
				const c = newContact();
				table.set(c.id, c);
			} else if (op < 0.4) {
				target.externalRefs = randomRefs();
				store.touch(target, 'update', 'api');
			} else if (op < 0.55) {
				target.email = pick(emails);
				store.touch(target, 'update', 'api');
			} else if (op < 0.65) {
				target.deletedUtc = clock.iso();
				store.touch(target, 'delete', 'api');
			} else if (op < 0.75) {
				target.deletedUtc = null;
				store.touch(target, 'update', 'api');
			} else if (op < 0.85) {
				// An edit that is checked against the indexes and rolled back, as updateContact does on a conflict.
				const backup = JSON.parse(JSON.stringify(target)) as ContactRecord;
				target.externalRefs = randomRefs();
				target.email = pick(emails);
				check(step, target);
				Object.assign(target, backup);
			} else if (op < 0.9) {
				// A ref dropped without a new version (upsert with revive=false does this to a deleted contact).
				target.externalRefs = target.externalRefs.slice(1);
				table.reindex(target);
			} else if (op < 0.97) {
				table.delete(target.id);
			} else {
				store.touch(target, 'update', 'ui');
			}
			check(step);
		}
		table.clear();
		expect(table.idsWithRef('pipedrive', '1')).toEqual([]);
		expect(keysetPage(table, { pageSize: 5, cursor: null, updatedSince: null, includeDeleted: true }).items).toEqual([]);
	});

	it('returns the first live owner in table order when two live records share a ref (seeded data can)', () => {
		const store = new Store(new SimClock({ frozen: true }));
		const make = (id: string, refs: ExternalRef[]) => {
			const c = { ...store.newVersioned('api', id), externalRefs: refs } as ContactRecord;
			store.contacts.set(id, c);
			return c;
		};
		make('9', [{ namespace: 'pipedrive', id: '7' }]);
		const b = make('10', [{ namespace: 'pipedrive', id: '7' }]);
		expect(findByRef(store.contacts, 'PIPEDRIVE', '7')!.id).toBe('9');
		store.contacts.get('9')!.externalRefs = [];
		store.touch(store.contacts.get('9')!, 'update', 'api');
		expect(findByRef(store.contacts, 'pipedrive', '7')).toBe(b);
	});
});

describe('Propstreet simulator: writes that move refs and e-mails between contacts', () => {
	let sim: PropstreetSimulator;
	beforeEach(async () => {
		sim = await startPropstreetSimulator();
	});
	afterEach(() => sim.close());

	it('a ref given up by one contact can be taken by another; the old holder is no longer found by it', async () => {
		const { body: a } = await call(sim, 'POST', C, { body: { firstName: 'Aino', externalRefs: [{ namespace: 'pipedrive', id: '11' }] } });
		expect((await call(sim, 'POST', C, { body: { firstName: 'Bo', externalRefs: [{ namespace: 'Pipedrive', id: '11' }] } })).status).toBe(409);
		expect((await call(sim, 'PATCH', `${C}/${a.id}`, { body: { externalRefs: [{ namespace: 'pipedrive', id: '12' }] } })).status).toBe(200);
		expect((await call(sim, 'GET', `${C}/external/pipedrive/11`)).status).toBe(404);
		expect((await call(sim, 'GET', `${C}/external/PIPEDRIVE/12`)).body.id).toBe(a.id);
		const b = await call(sim, 'POST', C, { body: { firstName: 'Bo', externalRefs: [{ namespace: 'pipedrive', id: '11' }] } });
		expect(b.status).toBe(201);
		expect((await call(sim, 'GET', `${C}/external/pipedrive/11`)).body.id).toBe(b.body.id);
	});

	it('soft delete hides a ref from live lookups; the upsert revives the most recently deleted holder', async () => {
		const { body: a } = await call(sim, 'POST', C, { body: { firstName: 'Aino', externalRefs: [{ namespace: 'pipedrive', id: '21' }] } });
		expect((await call(sim, 'DELETE', `${C}/${a.id}`)).status).toBe(204);
		expect((await call(sim, 'GET', `${C}/external/pipedrive/21`)).status).toBe(404);
		// A deleted holder does not block a new contact taking the ref on create.
		const b = await call(sim, 'POST', C, { body: { firstName: 'Bo', externalRefs: [{ namespace: 'pipedrive', id: '21' }] } });
		expect(b.status).toBe(201);
		sim.control.advanceClock(1000);
		expect((await call(sim, 'DELETE', `${C}/${b.body.id}`)).status).toBe(204);
		const revived = await call(sim, 'PATCH', `${C}/external/pipedrive/21`, { body: { strategy: 'Hotels' } });
		expect(revived.status).toBe(200);
		expect(revived.headers.get('x-propstreet-upsert-action')).toBe('revived');
		expect(revived.body.id).toBe(b.body.id);
		expect((await call(sim, 'GET', `${C}/external/pipedrive/21`)).body.id).toBe(b.body.id);
		// Deleting again and upserting with revive=false creates a new contact; the deleted one gives the ref up.
		expect((await call(sim, 'DELETE', `${C}/${b.body.id}`)).status).toBe(204);
		const fresh = await call(sim, 'PATCH', `${C}/external/pipedrive/21?revive=false`, { body: { firstName: 'Cia' } });
		expect(fresh.status).toBe(201);
		expect(fresh.body.id).not.toBe(b.body.id);
		expect(sim.control.get('contact', b.body.id)!.externalRefs).toEqual([]);
		expect((await call(sim, 'GET', `${C}/external/pipedrive/21`)).body.id).toBe(fresh.body.id);
	});

	it('e-mail uniqueness is case-insensitive, ignores deleted contacts and follows e-mail changes', async () => {
		const { body: a } = await call(sim, 'POST', C, { body: { firstName: 'Aino', email: 'aino@kapital.example.fi' } });
		const clash = await call(sim, 'POST', C, { body: { firstName: 'Bo', email: 'AINO@kapital.example.fi' } });
		expect(clash.status).toBe(409);
		expect(clash.body.detail ?? clash.text).toContain(a.id);
		const { body: b } = await call(sim, 'POST', C, { body: { firstName: 'Bo', email: 'bo@kapital.example.fi' } });
		// A rejected edit leaves both contacts (and the index) as they were.
		expect((await call(sim, 'PATCH', `${C}/${b.id}`, { body: { email: 'Aino@Kapital.example.fi' } })).status).toBe(409);
		expect(sim.control.get('contact', b.id)!.email).toBe('bo@kapital.example.fi');
		expect((await call(sim, 'POST', C, { body: { firstName: 'X', email: 'bo@kapital.example.fi' } })).status).toBe(409);
		// Aino moves to a new address: the old one is free, the new one is taken.
		expect((await call(sim, 'PATCH', `${C}/${a.id}`, { body: { email: 'aino@uusi.example.fi' } })).status).toBe(200);
		expect((await call(sim, 'POST', C, { body: { firstName: 'Cia', email: 'aino@kapital.example.fi' } })).status).toBe(201);
		expect((await call(sim, 'POST', C, { body: { firstName: 'Dan', email: 'AINO@uusi.example.fi' } })).status).toBe(409);
		// A deleted contact's address is free again; reviving it back into a clash is refused.
		expect((await call(sim, 'DELETE', `${C}/${a.id}`)).status).toBe(204);
		const { body: d } = await call(sim, 'POST', C, { body: { firstName: 'Dan', email: 'aino@uusi.example.fi', externalRefs: [{ namespace: 'other', id: 'd' }] } });
		expect(d.id).toBeDefined();
		expect((await call(sim, 'PATCH', `${C}/${a.id}`, { body: { strategy: 'x' } })).status).toBe(404);
	});

	it('upsert match=email finds the live contact whatever the case, and not a deleted one', async () => {
		const { body: gone } = await call(sim, 'POST', C, { body: { firstName: 'Old', email: 'eero@talo.example.fi' } });
		await call(sim, 'DELETE', `${C}/${gone.id}`);
		const { body: live } = await call(sim, 'POST', C, { body: { firstName: 'Eero', email: 'eero@talo.example.fi' } });
		const up = await call(sim, 'PATCH', `${C}/external/pipedrive/31?match=email`, { body: { email: 'EERO@talo.example.fi', strategy: 'Logistics' } });
		expect(up.status).toBe(200);
		expect(up.headers.get('x-propstreet-upsert-action')).toBe('updated');
		expect(up.body.id).toBe(live.id);
		expect((await call(sim, 'GET', `${C}/external/pipedrive/31`)).body.id).toBe(live.id);
	});

	it('list pages follow writes: an edited contact moves to the end, deleted ones show only with include_deleted', async () => {
		const ids: string[] = [];
		for (const name of ['A', 'B', 'C', 'D']) {
			ids.push((await call(sim, 'POST', C, { body: { firstName: name } })).body.id);
			sim.control.advanceClock(1000);
		}
		const list = async (query: string) => (await call(sim, 'GET', `${C}?${query}`)).body;
		expect((await list('page_size=10')).data.map((c: { id: string }) => c.id)).toEqual(ids);
		await call(sim, 'PATCH', `${C}/${ids[0]}`, { body: { strategy: 'Office' } });
		sim.control.advanceClock(1000);
		await call(sim, 'DELETE', `${C}/${ids[2]}`);
		const first = await list('page_size=2');
		expect(first.data.map((c: { id: string }) => c.id)).toEqual([ids[1], ids[3]]);
		expect(first.page.hasMore).toBe(true);
		const second = await list(`page_size=2&cursor=${encodeURIComponent(first.page.nextCursor)}`);
		expect(second.data.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
		expect(second.page).toMatchObject({ hasMore: false, nextCursor: null });
		expect((await list('page_size=10&include_deleted=true')).data.map((c: { id: string }) => c.id)).toEqual([ids[1], ids[3], ids[0], ids[2]]);
		const since = sim.control.get('contact', ids[0])!.updatedUtc as string;
		expect((await list(`page_size=10&include_deleted=true&updated_since=${encodeURIComponent(since)}`)).data.map((c: { id: string }) => c.id)).toEqual([ids[0], ids[2]]);
	});
});
