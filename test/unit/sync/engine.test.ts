/**
 * The sync engine against an in-memory Propstreet: matching order, minimal writes, 412 handling and
 * idempotent creates, without HTTP.
 */
import {
	syncCompany,
	syncContact,
	type CompanySyncPorts,
	type ContactSyncPorts,
	type JsonRecord,
	type SyncInput,
} from '../../../nodes/shared/core/sync';

class FakeStore {
	records = new Map<string, JsonRecord>();
	version = 0;
	nextId = 100;
	calls: string[] = [];
	/** Runs once just before the next PATCH is applied (simulates a concurrent edit). */
	beforeNextPatch?: (id: string) => void;
	createdKeys = new Map<string, string>();

	put(record: JsonRecord): JsonRecord {
		const stored = { ...record, etag: `W/"${++this.version}"`, updatedUtc: record.updatedUtc ?? '2026-05-01T10:00:00Z' };
		this.records.set(String(record.id), stored);
		return stored;
	}

	edit(id: string, patch: JsonRecord, updatedUtc = '2026-05-01T12:00:00Z') {
		this.put({ ...this.records.get(id)!, ...patch, updatedUtc });
	}

	byRef(ns: string, id: string) {
		return [...this.records.values()].find((r) =>
			((r.externalRefs as Array<{ namespace: string; id: string }>) ?? []).some((x) => x.namespace.toLowerCase() === ns.toLowerCase() && x.id === id),
		);
	}

	read(r: JsonRecord | undefined) {
		return r ? { record: { ...r }, etag: String(r.etag) } : null;
	}

	ports(): ContactSyncPorts & CompanySyncPorts {
		return {
			getById: async (id) => {
				this.calls.push(`GET ${id}`);
				return this.read(this.records.get(id));
			},
			getByExternalRef: async (ns, id) => {
				this.calls.push(`GET ext ${ns}/${id}`);
				return this.read(this.byRef(ns, id));
			},
			patchById: async (id, body, etag) => {
				this.calls.push(`PATCH ${id} ${JSON.stringify(body)}`);
				if (this.beforeNextPatch) {
					const f = this.beforeNextPatch;
					this.beforeNextPatch = undefined;
					f(id);
				}
				const r = this.records.get(id)!;
				if (etag && r.etag !== etag) return { ok: false, reason: 'preconditionFailed' };
				const stored = this.put({ ...r, ...body, updatedUtc: '2026-05-01T13:00:00Z' });
				return { ok: true, record: stored, etag: String(stored.etag) };
			},
			upsertByExternalRef: async (ns, id, body) => {
				this.calls.push(`UPSERT ${ns}/${id}`);
				const byRef = this.byRef(ns, id);
				const byEmail = [...this.records.values()].find((r) => body.email && String(r.email).toLowerCase() === String(body.email).toLowerCase());
				const target = byRef ?? byEmail;
				if (target) {
					const refs = [...((target.externalRefs as object[]) ?? [])];
					if (!byRef) refs.push({ namespace: ns, id });
					const stored = this.put({ ...target, ...body, externalRefs: refs, deletedUtc: null });
					return { record: stored, etag: String(stored.etag), upsertAction: target.deletedUtc ? 'revived' : 'updated', status: 200 };
				}
				const stored = this.put({ id: String(this.nextId++), ...body, externalRefs: [{ namespace: ns, id }] });
				return { record: stored, etag: String(stored.etag), upsertAction: 'created', status: 201 };
			},
			findDuplicates: async (query) => {
				this.calls.push(`FIND ${JSON.stringify(query)}`);
				return [...this.records.values()]
					.filter((r) => r.domain === query.domain)
					.map((r) => ({ id: String(r.id), method: 'Domain', score: 1 }))
					.concat([...this.records.values()].filter((r) => r.name === query.name && r.domain !== query.domain).map((r) => ({ id: String(r.id), method: 'NormalizedName', score: 0.9 })));
			},
			create: async (body, key) => {
				this.calls.push(`CREATE key=${key}`);
				if (key && this.createdKeys.has(key)) return this.read(this.records.get(this.createdKeys.get(key)!))!;
				const ref = (body.externalRefs as Array<{ namespace: string; id: string }>).find((r) => r.namespace === 'pipedrive')!;
				if (this.byRef(ref.namespace, ref.id)) return { duplicate: true };
				const stored = this.put({ id: String(this.nextId++), ...body });
				if (key) this.createdKeys.set(key, String(stored.id));
				return { record: stored, etag: String(stored.etag) };
			},
		};
	}
}

const input = (desired: JsonRecord, extra: Partial<SyncInput> = {}): SyncInput => ({
	desired,
	sourceNamespace: 'pipedrive',
	sourceId: '42',
	sourceEventId: 'evt-1',
	conflict: { policy: 'sourceWins' },
	createIfMissing: true,
	...extra,
});

describe('syncContact', () => {
	it('updates a contact found by external ref with a minimal PATCH and its etag', async () => {
		const s = new FakeStore();
		s.put({ id: '1', firstName: 'Anna', lastName: 'L', email: 'anna@x.se', externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
		const out = await syncContact(s.ports(), input({ firstName: 'Anna', lastName: 'Lind', email: 'ANNA@x.se' }));
		expect(out).toMatchObject({ action: 'updated', propstreetId: '1', matchedBy: 'externalRef', etag: 'W/"2"' });
		expect(out.changes).toEqual([{ field: 'lastName', from: 'L', to: 'Lind' }]);
		expect(s.calls).toEqual(['GET ext pipedrive/42', 'PATCH 1 {"lastName":"Lind"}']);
	});

	it('skips the write when nothing would change', async () => {
		const s = new FakeStore();
		s.put({ id: '1', firstName: 'Anna', tags: ['a', 'b'], externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
		const out = await syncContact(s.ports(), input({ firstName: 'Anna', tags: ['b', 'a'] }));
		expect(out).toMatchObject({ action: 'unchanged', propstreetId: '1', etag: 'W/"1"', changes: [] });
		expect(s.calls).toEqual(['GET ext pipedrive/42']);
	});

	it('falls back to the server-side upsert matching by email, without sending externalRefs', async () => {
		const s = new FakeStore();
		s.put({ id: '1', firstName: 'Anna', email: 'anna@x.se', externalRefs: [{ namespace: 'salesforce', id: 'sf1' }] });
		const out = await syncContact(s.ports(), input({ firstName: 'Anna', email: 'anna@x.se' }));
		expect(out).toMatchObject({ action: 'updated', matchedBy: 'email', propstreetId: '1', upsertAction: 'updated' });
		expect(s.records.get('1')!.externalRefs).toEqual([
			{ namespace: 'salesforce', id: 'sf1' },
			{ namespace: 'pipedrive', id: '42' },
		]);
	});

	it('creates through the upsert when nothing matches, and skips instead when creating is off', async () => {
		const s = new FakeStore();
		const skipped = await syncContact(s.ports(), input({ firstName: 'New', email: 'new@x.se' }, { createIfMissing: false }));
		expect(skipped).toMatchObject({ action: 'skipped', propstreetId: null });
		expect(s.records.size).toBe(0);
		const out = await syncContact(s.ports(), input({ firstName: 'New', email: 'new@x.se' }));
		expect(out).toMatchObject({ action: 'created', matchedBy: null, propstreetId: '100' });
	});

	it('on 412 re-reads and re-applies under the policy (propstreetWins keeps the concurrent edit)', async () => {
		const s = new FakeStore();
		s.put({ id: '1', firstName: 'Anna', strategy: 'Office', externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
		s.beforeNextPatch = (id) => s.edit(id, { strategy: 'Edited in Propstreet' });
		const out = await syncContact(s.ports(), input({ firstName: 'Annika', strategy: 'From Pipedrive' }, { conflict: { policy: 'propstreetWins' } }));
		expect(out.action).toBe('updated');
		expect(s.records.get('1')).toMatchObject({ firstName: 'Annika', strategy: 'Edited in Propstreet' });
		expect(out.conflicts).toEqual([expect.objectContaining({ field: 'strategy', winner: 'propstreet' })]);
		expect(s.calls.filter((c) => c.startsWith('PATCH'))).toEqual(['PATCH 1 {"firstName":"Annika","strategy":"From Pipedrive"}', 'PATCH 1 {"firstName":"Annika"}']);
	});

	it('on 412 under manualReview outputs conflict and writes nothing', async () => {
		const s = new FakeStore();
		s.put({ id: '1', firstName: 'Anna', strategy: 'Office', externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
		s.beforeNextPatch = (id) => s.edit(id, { strategy: 'Edited in Propstreet' });
		const out = await syncContact(s.ports(), input({ strategy: 'From Pipedrive' }, { conflict: { policy: 'manualReview' } }));
		expect(out).toMatchObject({ action: 'conflict', propstreetId: '1', etag: 'W/"2"' });
		expect(out.conflicts![0]).toMatchObject({ field: 'strategy', base: 'Office', propstreet: 'Edited in Propstreet', source: 'From Pipedrive' });
		expect(s.records.get('1')!.strategy).toBe('Edited in Propstreet');
	});

	it('gives up as conflict after the retry budget when the record keeps changing', async () => {
		const s = new FakeStore();
		s.put({ id: '1', firstName: 'Anna', externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
		const ports = s.ports();
		const patch = ports.patchById;
		ports.patchById = async (id, body, etag) => {
			s.edit(id, { tags: [String(Math.random())] });
			return patch(id, body, etag);
		};
		const out = await syncContact(ports, input({ firstName: 'Annika' }, { maxConflictRetries: 2 }));
		expect(out.action).toBe('conflict');
		expect(out.reason).toMatch(/3 writes were refused/);
	});

	it('refuses an empty source id', async () => {
		await expect(syncContact(new FakeStore().ports(), input({ firstName: 'A' }, { sourceId: ' ' }))).rejects.toThrow('Source ID is empty');
	});
});

describe('syncCompany', () => {
	const desired = { name: 'Nordvik Fastigheter AB', domain: 'nordvik.se', countryCode: 'SE', externalRefs: [{ namespace: 'orgnr-se', id: '5561234567' }] };

	it('matches by domain (method Domain only) and attaches the pipedrive ref to the existing refs', async () => {
		const s = new FakeStore();
		s.put({ id: '7', name: 'Nordvik Fastigheter AB', domain: 'nordvik.se', countryCode: 'SE', externalRefs: [{ namespace: 'hubspot', id: 'h1' }] });
		s.put({ id: '8', name: 'Nordvik Fastigheter AB', domain: 'other.se', externalRefs: [] });
		const out = await syncCompany(s.ports(), input(desired));
		expect(out).toMatchObject({ action: 'updated', matchedBy: 'domain', propstreetId: '7' });
		expect(s.records.get('7')!.externalRefs).toEqual([
			{ namespace: 'hubspot', id: 'h1' },
			{ namespace: 'orgnr-se', id: '5561234567' },
			{ namespace: 'pipedrive', id: '42' },
		]);
		expect(s.records.get('8')!.externalRefs).toEqual([]);
	});

	it('does not take a domain match that already belongs to another pipedrive org', async () => {
		const s = new FakeStore();
		s.put({ id: '7', name: 'X', domain: 'nordvik.se', externalRefs: [{ namespace: 'pipedrive', id: '99' }] });
		const out = await syncCompany(s.ports(), input(desired));
		expect(out.action).toBe('created');
		expect(out.propstreetId).toBe('100');
	});

	it('matches by org number when no domain matches', async () => {
		const s = new FakeStore();
		s.put({ id: '9', name: 'Nordvik', domain: null, externalRefs: [{ namespace: 'orgnr-se', id: '5561234567' }] });
		const out = await syncCompany(s.ports(), input(desired));
		expect(out).toMatchObject({ action: 'updated', matchedBy: 'orgNumber', propstreetId: '9' });
		expect(s.byRef('pipedrive', '42')!.id).toBe('9');
	});

	it('creates with an Idempotency-Key derived from the event, so a replay does not duplicate', async () => {
		const s = new FakeStore();
		const first = await syncCompany(s.ports(), input({ name: 'Solo AB' }));
		expect(first).toMatchObject({ action: 'created', propstreetId: '100' });
		const key = s.calls.find((c) => c.startsWith('CREATE'))!;
		expect(key).toMatch(/key=[0-9a-f-]{36}/);
		expect(s.records.get('100')!.externalRefs).toEqual([{ namespace: 'pipedrive', id: '42' }]);
		// Re-delivery of the same event is found by external ref and comes out unchanged.
		const again = await syncCompany(s.ports(), input({ name: 'Solo AB' }));
		expect(again).toMatchObject({ action: 'unchanged', propstreetId: '100', matchedBy: 'externalRef' });
		expect(s.records.size).toBe(1);
	});

	it('after losing a create race (409) updates the record the other execution created', async () => {
		const s = new FakeStore();
		const ports = s.ports();
		const lookups = ports.getByExternalRef;
		let first = true;
		ports.getByExternalRef = async (ns, id) => {
			if (first && ns === 'pipedrive') {
				first = false;
				s.put({ id: '50', name: 'Solo', externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
				return null;
			}
			return lookups(ns, id);
		};
		const out = await syncCompany(ports, input({ name: 'Solo AB' }));
		expect(out).toMatchObject({ action: 'updated', propstreetId: '50', matchedBy: 'externalRef' });
		expect(s.records.size).toBe(1);
	});
});
