/** Sync contact / Sync company against the simulator: matching, minimal writes, 412 races per policy, idempotent creates. */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import { NodeOperationError } from 'n8n-workflow';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { run, type ContextOptions, type ParamValue } from './context';

const TOKEN = 'sync-test-token';
let sim: PropstreetSimulator;
// The control API returns loosely typed records; tests read their fields freely.
const ctl = () => sim.control as any;

beforeAll(async () => {
	sim = await startPropstreetSimulator({ token: TOKEN, clock: { start: '2026-05-01T10:00:00Z', frozen: true }, rateLimit: { pat: 100_000 } });
});
afterAll(async () => sim.close());
beforeEach(() => ctl().reset());

type Out = { action: string; propstreetId: string | null; etag: string | null; matchedBy: string | null; changes: { field: string }[]; record: any; conflicts?: any[]; reason?: string };

async function sync(resource: 'contact' | 'company', record: object, params: Record<string, ParamValue> = {}, hooks: Partial<ContextOptions> = {}) {
	const result = await run({
		baseUrl: sim.url,
		token: TOKEN,
		params: {
			resource,
			operation: 'sync',
			record,
			sourceId: '42',
			sourceUpdatedAt: '2026-05-01T09:00:00Z',
			sourceEventId: 'evt-1',
			conflictPolicy: 'sourceWins',
			options: {},
			...params,
		},
		...hooks,
	});
	return { ...result, out: result.output[0].json as unknown as Out };
}

const anna = { firstName: 'Anna', lastName: 'Lindqvist', email: 'anna@nordvik.se', phone: '+46701234567', tags: ['investor'], strategy: 'Office, Stockholm' };

describe('Sync contact', () => {
	it('creates through the upsert-by-external-ref route, then is unchanged on a repeat, then patches only what changed', async () => {
		const first = await sync('contact', anna);
		expect(first.out).toMatchObject({ action: 'created', matchedBy: null });
		expect(first.output[0].pairedItem).toEqual({ item: 0 });
		const stored = ctl().get('contact', first.out.propstreetId!)!;
		expect(stored).toMatchObject({ email: 'anna@nordvik.se', externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
		expect(first.out.etag).toBe(stored.etag);

		ctl().clearRequests();
		const repeat = await sync('contact', anna);
		expect(repeat.out).toMatchObject({ action: 'unchanged', propstreetId: first.out.propstreetId, matchedBy: 'externalRef', changes: [] });
		expect(ctl().countWrites()).toBe(0);

		const changed = await sync('contact', { ...anna, strategy: 'Logistics, Gothenburg', email: 'ANNA@nordvik.se' });
		expect(changed.out).toMatchObject({ action: 'updated', matchedBy: 'externalRef' });
		expect(changed.out.changes.map((c) => c.field)).toEqual(['strategy']);
		const patch = changed.sent.find((s) => s.method === 'PATCH')!;
		expect(patch.body).toEqual({ strategy: 'Logistics, Gothenburg' });
		expect(patch.headers['If-Match']).toBe(stored.etag);
		expect(changed.out.etag).toBe(ctl().get('contact', first.out.propstreetId!)!.etag);
	});

	it('matches an unlinked contact by email and attaches the pipedrive ref, keeping other refs', async () => {
		const existing = ctl().createContact({ firstName: 'Anna', email: 'anna@nordvik.se', externalRefs: [{ namespace: 'hubspot', id: 'h-9' }] });
		const result = await sync('contact', anna);
		expect(result.out).toMatchObject({ action: 'updated', matchedBy: 'email', propstreetId: existing.id });
		expect(ctl().state().contacts).toHaveLength(1);
		expect(ctl().get('contact', existing.id as string)!.externalRefs).toEqual(
			expect.arrayContaining([{ namespace: 'hubspot', id: 'h-9' }, { namespace: 'pipedrive', id: '42' }]),
		);
	});

	it('is skipped when nothing matches and Create If Missing is off', async () => {
		const result = await sync('contact', anna, { options: { createIfMissing: false } });
		expect(result.out).toMatchObject({ action: 'skipped', propstreetId: null });
		expect(ctl().state().contacts).toHaveLength(0);
	});

	describe('412 race: someone edits the contact in the app between our read and our PATCH', () => {
		async function race(policy: string, extra: Record<string, ParamValue> = {}) {
			const c = ctl().createContact({ ...anna, externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
			let raced = false;
			const result = await sync('contact', { ...anna, firstName: 'Annika', strategy: 'From Pipedrive' }, { conflictPolicy: policy, ...extra }, {
				beforeSend: (req) => {
					if (!raced && req.method === 'PATCH') {
						raced = true;
						ctl().advanceClock(60_000);
						ctl().updateContact(c.id as string, { strategy: 'Edited in Propstreet' });
					}
				},
			});
			const patches = result.sent.filter((s) => s.method === 'PATCH');
			return { ...result, id: c.id as string, patches, stored: ctl().get('contact', c.id as string)! };
		}

		it('sourceWins: re-reads and overwrites', async () => {
			const r = await race('sourceWins');
			expect(r.out.action).toBe('updated');
			expect(r.stored).toMatchObject({ firstName: 'Annika', strategy: 'From Pipedrive' });
			expect(r.patches).toHaveLength(2);
			expect(ctl().countRequests({ status: 412 })).toBe(1);
			expect(r.patches[1].headers['If-Match']).not.toBe(r.patches[0].headers['If-Match']);
			expect(r.out.conflicts).toEqual([expect.objectContaining({ field: 'strategy', winner: 'source', propstreet: 'Edited in Propstreet' })]);
		});

		it('propstreetWins: keeps the app edit, still applies the rest', async () => {
			const r = await race('propstreetWins');
			expect(r.out.action).toBe('updated');
			expect(r.stored).toMatchObject({ firstName: 'Annika', strategy: 'Edited in Propstreet' });
			expect(r.patches[1].body).toEqual({ firstName: 'Annika' });
		});

		it('lastWriteWins: the app edit is newer than the Pipedrive change → Propstreet keeps it', async () => {
			const r = await race('lastWriteWins', { sourceUpdatedAt: '2026-05-01T09:30:00Z' });
			expect(r.stored.strategy).toBe('Edited in Propstreet');
		});

		it('lastWriteWins: the Pipedrive change is newer → it wins', async () => {
			const r = await race('lastWriteWins', { sourceUpdatedAt: '2026-05-01T11:00:00Z' });
			expect(r.stored.strategy).toBe('From Pipedrive');
		});

		it('perField: the field map decides', async () => {
			const r = await race('perField', { fieldOwners: '{"strategy":"source"}', defaultOwner: 'propstreet' });
			expect(r.stored.strategy).toBe('From Pipedrive');
			const r2 = await (async () => {
				ctl().reset();
				return race('perField', { fieldOwners: '{"firstName":"source"}', defaultOwner: 'propstreet' });
			})();
			expect(r2.stored.strategy).toBe('Edited in Propstreet');
		});

		it('manualReview: outputs conflict, writes nothing more', async () => {
			const r = await race('manualReview');
			expect(r.out).toMatchObject({ action: 'conflict', propstreetId: r.id, etag: r.stored.etag });
			expect(r.out.conflicts).toEqual([{ field: 'strategy', base: 'Office, Stockholm', propstreet: 'Edited in Propstreet', source: 'From Pipedrive' }]);
			expect(r.patches).toHaveLength(1);
			expect(r.stored).toMatchObject({ firstName: 'Anna', strategy: 'Edited in Propstreet' });
		});

		it('a concurrent touch that changes no field just re-applies with the new ETag', async () => {
			const c = ctl().createContact({ ...anna, externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
			ctl().injectConcurrentWrite({ routes: ['GET /api/v1/network/contacts/external'] });
			const r = await sync('contact', { ...anna, firstName: 'Annika' }, { conflictPolicy: 'manualReview' });
			expect(r.out.action).toBe('updated');
			expect(ctl().get('contact', c.id as string)!.firstName).toBe('Annika');
			expect(ctl().countRequests({ status: 412 })).toBe(1);
		});
	});

	it('rejects bad input naming the field', async () => {
		const noId = await sync('contact', anna, { sourceId: '' }).catch((e) => e);
		expect(noId).toBeInstanceOf(NodeOperationError);
		expect(noId.message).toMatch(/"Source ID" on item 0 is empty/);
		const before = ctl().countRequests({});
		const walking = await sync('contact', anna, { sourceId: '1/../../deals/9' }).catch((e) => e);
		expect(walking).toBeInstanceOf(NodeOperationError);
		expect(walking.message).toMatch(/"Source ID" on item 0 is not a valid Pipedrive ID: "1\/\.\.\/\.\.\/deals\/9"/);
		expect(ctl().countRequests({})).toBe(before);
		const badRecord = await sync('contact', '{not json' as never).catch((e) => e);
		expect(badRecord.message).toMatch(/"Record" on item 0 is not valid JSON/);
		const noTime = await sync('contact', anna, { conflictPolicy: 'lastWriteWins', sourceUpdatedAt: '' }).catch((e) => e);
		expect(noTime.message).toMatch(/"Source Updated At" on item 0 is empty/);
		const badOwners = await sync('contact', anna, { conflictPolicy: 'perField', fieldOwners: '{"strategy":"pipedrive"}' }).catch((e) => e);
		expect(badOwners.message).toMatch(/"Field Owners" on item 0: field "strategy" must map to "source" or "propstreet"/);
		expect(ctl().countRequests()).toBe(0);
	});
});

describe('Sync company', () => {
	const nordvik = { name: 'Nordvik Fastigheter AB', countryCode: 'SE', domain: 'nordvik.se', strategy: 'Office', externalRefs: [{ namespace: 'orgnr-se', id: '5561234567' }] };

	it('matches by domain (find-duplicates, method Domain) and attaches the ref with the existing ones', async () => {
		const existing = ctl().createCompany({ name: 'Nordvik Fastigheter', domain: 'nordvik.se', externalRefs: [{ namespace: 'hubspot', id: 'co-1' }] });
		ctl().createCompany({ name: 'Nordvik Fastigheter AB', domain: 'another.se' });
		const result = await sync('company', nordvik);
		expect(result.out).toMatchObject({ action: 'updated', matchedBy: 'domain', propstreetId: existing.id });
		const patch = result.sent.find((s) => s.method === 'PATCH')!;
		expect((patch.body as any).externalRefs).toEqual([
			{ namespace: 'hubspot', id: 'co-1' },
			{ namespace: 'orgnr-se', id: '5561234567' },
			{ namespace: 'pipedrive', id: '42' },
		]);
		expect(ctl().state().companies).toHaveLength(2);
	});

	it('matches by org number when no domain matches', async () => {
		const existing = ctl().createCompany({ name: 'Nordvik', externalRefs: [{ namespace: 'orgnr-se', id: '5561234567' }] });
		const result = await sync('company', { ...nordvik, domain: 'nordvik-new.se' });
		expect(result.out).toMatchObject({ action: 'updated', matchedBy: 'orgNumber', propstreetId: existing.id });
		expect(ctl().get('company', existing.id as string)!.externalRefs).toEqual(expect.arrayContaining([{ namespace: 'pipedrive', id: '42' }]));
	});

	it('creates with an Idempotency-Key derived from the event; a timed-out create is replayed, not duplicated', async () => {
		ctl().delayNext(800, { routes: ['POST /api/v1/network/companies'] });
		const result = await sync('company', nordvik, { requestOptions: { timeout: 300 } });
		expect(result.out).toMatchObject({ action: 'created', matchedBy: null });
		const creates = result.sent.filter((s) => s.method === 'POST' && s.url.endsWith('/api/v1/network/companies'));
		expect(creates).toHaveLength(2);
		expect(creates[1].headers['Idempotency-Key']).toBe(creates[0].headers['Idempotency-Key']);
		expect(ctl().state().companies).toHaveLength(1);
		// Re-delivery of the same event: found by external ref, nothing to write.
		const again = await sync('company', nordvik);
		expect(again.out).toMatchObject({ action: 'unchanged', matchedBy: 'externalRef', propstreetId: result.out.propstreetId });
		expect(ctl().state().companies).toHaveLength(1);
	});

	it('the create key is stable per event and differs per event', async () => {
		const a = await sync('company', { name: 'A AB' }, { sourceId: '1', sourceEventId: 'evt-A' });
		const b = await sync('company', { name: 'B AB' }, { sourceId: '2', sourceEventId: 'evt-B' });
		const keyOf = (r: typeof a) => r.sent.find((s) => s.method === 'POST' && s.url.endsWith('/network/companies'))!.headers['Idempotency-Key'];
		expect(keyOf(a)).not.toBe(keyOf(b));
		ctl().reset();
		const a2 = await sync('company', { name: 'A AB' }, { sourceId: '1', sourceEventId: 'evt-A' });
		expect(keyOf(a2)).toBe(keyOf(a));
	});

	it('rejects a record without a name or with a bad country code', async () => {
		const noName = await sync('company', { domain: 'x.se' }).catch((e) => e);
		expect(noName.message).toMatch(/"Record" on item 0 has no company name/);
		const badCc = await sync('company', { name: 'X', countryCode: 'SWE' }).catch((e) => e);
		expect(badCc.message).toMatch(/countryCode must be a 2-letter ISO code/);
	});

	it('many items: each paired, errors isolated with Continue On Fail', async () => {
		const records = [{ name: 'One AB' }, { domain: 'noname.se' }, { name: 'Three AB' }];
		const result = await run({
			baseUrl: sim.url,
			token: TOKEN,
			items: records.map((r) => ({ json: { body: r } })),
			continueOnFail: true,
			params: { resource: 'company', operation: 'sync', record: (i: number) => records[i], sourceId: (i: number) => `${i + 1}`, sourceUpdatedAt: '', sourceEventId: (i: number) => `e${i}`, conflictPolicy: 'sourceWins', options: {} },
		});
		expect(result.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.output.map((o) => (o.json as any).action ?? 'error')).toEqual(['created', 'error', 'created']);
		expect(ctl().state().companies).toHaveLength(2);
	});
});
