import { syncEvent } from '../../../nodes/shared/core/twoWay/event';
import { contactRun, FakePipedrive, FakePropstreet, KEYS } from './fakes';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';

function newContact(ps: FakePropstreet, over: Record<string, unknown> = {}) {
	return ps.put({ id: 'c-9', firstName: 'Anna Maria', lastName: 'Berg', email: 'anna@nordic.example', phone: '+46701234567', strategy: 'Office', tags: ['investor'], companies: [], externalRefs: [], ...over }).record;
}

describe('two-way sync from events', () => {
	it('a new Propstreet contact creates one Pipedrive person, links both ways, and its echo costs no call', async () => {
		const { run, pd, ps, store } = contactRun();
		const contact = newContact(ps);
		const out = await syncEvent(run, { side: 'propstreet', record: contact, action: 'create' });
		expect(out.action).toBe('created');
		expect(pd.records.size).toBe(1);
		const person = [...pd.records.values()][0];
		expect(person.name).toBe('Anna Maria Berg');
		expect((person.custom_fields as Record<string, unknown>)[KEYS.contactId]).toBe('c-9');
		expect(ps.records.get('c-9')?.externalRefs).toEqual([{ namespace: 'pipedrive', id: String(person.id) }]);
		expect(store.all()).toHaveLength(1);

		// Pipedrive re-splits the name; the person webhook that follows is our own echo.
		const echoed = pd.put({ ...person, first_name: 'Anna', last_name: 'Maria Berg' });
		const calls = { ...pd.calls, ...ps.calls };
		const echo = await syncEvent(run, { side: 'pipedrive', record: echoed, action: 'create' });
		expect(echo.action).toBe('unchanged');
		expect({ ...pd.calls, ...ps.calls }).toEqual(calls);
		expect(ps.records.get('c-9')?.firstName).toBe('Anna Maria');
	});

	it('a linked contact that lost its pipedrive reference gets it back from its own (otherwise unchanged) event, late or not', async () => {
		const { run, pd, ps } = contactRun();
		await syncEvent(run, { side: 'propstreet', record: newContact(ps), action: 'create' });
		const personId = String([...pd.records.values()][0].id);
		// Someone removes the reference (or the write that set it never landed); nothing the sync merges changed.
		const bare = ps.put({ ...ps.records.get('c-9')!, externalRefs: [] }).record;
		const late = { ...bare, updatedUtc: '2000-01-01T00:00:00Z' };
		const out = await syncEvent(run, { side: 'propstreet', record: late, action: 'change' });
		expect(out.action).not.toBe('skipped');
		expect(ps.records.get('c-9')?.externalRefs).toEqual([{ namespace: 'pipedrive', id: personId }]);
		// Once it names its counterpart again, the same event is a plain echo: no call.
		const calls = { ...pd.calls, ...ps.calls };
		const again = await syncEvent(run, { side: 'propstreet', record: ps.records.get('c-9')!, action: 'change' });
		expect(again.action).toBe('unchanged');
		expect({ ...pd.calls, ...ps.calls }).toEqual(calls);
	});

	it('two executions for the same new contact at once create exactly one person', async () => {
		const store = new MemoryStateStore();
		const pd = new FakePipedrive();
		const ps = new FakePropstreet();
		const contact = newContact(ps);
		const a = contactRun({ store, pd, ps, owner: 'a' });
		const b = contactRun({ store, pd, ps, owner: 'b' });
		const results = await Promise.all([
			syncEvent(a.run, { side: 'propstreet', record: contact, action: 'create' }),
			syncEvent(b.run, { side: 'propstreet', record: { ...contact }, action: 'change' }),
		]);
		expect(pd.records.size).toBe(1);
		expect(results.map((r) => r.action).sort()).toEqual(['created', 'unchanged']);
		expect(store.all().filter((r) => r.status === 'linked')).toHaveLength(1);
	});

	it('a Pipedrive person whose contact was deleted unlinks with a warning instead of failing', async () => {
		const { run, pd, ps, store } = contactRun();
		const contact = newContact(ps);
		await syncEvent(run, { side: 'propstreet', record: contact, action: 'create' });
		const person = [...pd.records.values()][0];
		ps.records.get('c-9')!.deletedUtc = '2026-05-01T11:00:00Z';
		const out = await syncEvent(run, { side: 'pipedrive', record: pd.put({ ...person, name: 'Anna Lind' }), action: 'change' });
		expect(out.action).toBe('unlinked');
		expect(out.warnings[0]).toMatch(/no longer exists/);
		expect(store.all()[0].status).toBe('unlinked');
	});

	it('edits on both sides of different fields before either event runs both survive', async () => {
		const { run, pd, ps } = contactRun();
		await syncEvent(run, { side: 'propstreet', record: newContact(ps), action: 'create' });
		const person = [...pd.records.values()][0];
		const pdEdit = pd.put({ ...person, custom_fields: { ...(person.custom_fields as object), [KEYS.strategy]: 'Logistics' } });
		const psEdit = ps.put({ ...ps.records.get('c-9')!, phone: '+46709999999' }, ps.records.get('c-9')!._v).record;
		await syncEvent(run, { side: 'pipedrive', record: pdEdit, action: 'change' });
		await syncEvent(run, { side: 'propstreet', record: psEdit, action: 'change' });
		expect(ps.records.get('c-9')?.strategy).toBe('Logistics');
		expect(ps.records.get('c-9')?.phone).toBe('+46709999999');
		const now = pd.records.get(String(person.id))!;
		expect((now.phones as Array<{ value: string }>)[0].value).toBe('+46709999999');
		expect((now.custom_fields as Record<string, unknown>)[KEYS.strategy]).toBe('Logistics');
	});

	it('a Pipedrive merge moves the link to the survivor when the survivor has no contact', async () => {
		const { run, pd, ps, store } = contactRun();
		await syncEvent(run, { side: 'propstreet', record: newContact(ps), action: 'create' });
		const loser = [...pd.records.values()][0];
		const survivor = pd.put({ id: 555, name: 'Anna M. Berg', emails: [], phones: [], custom_fields: {} });
		pd.records.delete(String(loser.id));
		const out = await syncEvent(run, { side: 'pipedrive', record: loser, action: 'delete', mergedToId: '555' });
		expect(out.action).toBe('relinked');
		expect(store.all()[0].pipedriveId).toBe('555');
		expect(ps.records.get('c-9')?.externalRefs).toEqual([{ namespace: 'pipedrive', id: '555' }]);
		expect((pd.records.get('555')!.custom_fields as Record<string, unknown>)[KEYS.contactId]).toBe('c-9');
		expect(survivor.id).toBe(555);
	});

	it('a merge into a survivor that has its own contact (by its stored id, no state row) leaves the duplicate unlinked, and it is not re-linked later', async () => {
		const { run, pd, ps, store } = contactRun();
		await syncEvent(run, { side: 'propstreet', record: newContact(ps), action: 'create' });
		const loser = [...pd.records.values()][0];
		ps.put({ id: 'c-1', firstName: 'Anna', lastName: 'Berg', email: 'anna@nordic.example', tags: ['investor'], companies: [], externalRefs: [{ namespace: 'pipedrive', id: '555' }] });
		pd.put({ id: 555, name: 'Anna Berg', emails: [{ value: 'anna@nordic.example', primary: true }], phones: [], custom_fields: { [KEYS.contactId]: 'c-1' } });
		pd.records.delete(String(loser.id));
		const out = await syncEvent(run, { side: 'pipedrive', record: loser, action: 'delete', mergedToId: '555' });
		expect(out.action).toBe('unlinked');
		expect(out.warnings[0]).toMatch(/already has Propstreet contact c-1/);
		// The duplicate's next event (its ref still names the merged-away person) links it nowhere.
		pd.findCounterpart = async () => ({ record: pd.records.get('555')! });
		const again = await syncEvent(run, { side: 'propstreet', record: ps.records.get('c-9')!, action: 'change' });
		expect(again.action).toBe('skipped');
		expect(ps.records.get('c-1')?.externalRefs).toEqual([{ namespace: 'pipedrive', id: '555' }]);
		expect(ps.records.get('c-9')?.externalRefs).toEqual([{ namespace: 'pipedrive', id: String(loser.id) }]);
		expect(store.all().filter((r) => r.status === 'linked')).toHaveLength(0);
	});

	it('a record matched by e-mail that names another living counterpart is not linked twice', async () => {
		const { run, pd, ps, store } = contactRun();
		pd.put({ id: 555, name: 'Anna Berg', emails: [{ value: 'anna@nordic.example', primary: true }], phones: [], custom_fields: { [KEYS.contactId]: 'c-1' } });
		ps.put({ id: 'c-1', firstName: 'Anna', lastName: 'Berg', email: 'other@nordic.example', tags: ['investor'], companies: [], externalRefs: [{ namespace: 'pipedrive', id: '555' }] });
		pd.findCounterpart = async () => ({ record: pd.records.get('555')! });
		const out = await syncEvent(run, { side: 'propstreet', record: newContact(ps), action: 'create' });
		expect(out.action).toBe('skipped');
		expect(out.warnings[0]).toMatch(/already linked to propstreet contact c-1/);
		expect((pd.records.get('555')!.custom_fields as Record<string, unknown>)[KEYS.contactId]).toBe('c-1');
		expect(store.all().filter((r) => r.status === 'linked')).toHaveLength(0);

		// Once c-1 is gone, the stale name no longer blocks the link.
		ps.records.delete('c-1');
		const later = await syncEvent(run, { side: 'propstreet', record: ps.records.get('c-9')!, action: 'change' });
		expect(later.pipedriveId).toBe('555');
		expect((pd.records.get('555')!.custom_fields as Record<string, unknown>)[KEYS.contactId]).toBe('c-9');
	});

	it('a concurrent Propstreet edit refuses our If-Match; the pass is redone and keeps both edits', async () => {
		const { run, pd, ps } = contactRun();
		await syncEvent(run, { side: 'propstreet', record: newContact(ps), action: 'create' });
		const person = [...pd.records.values()][0];
		const original = ps.update.bind(ps);
		let raced = false;
		ps.update = async (id, patch, etag) => {
			if (!raced) {
				raced = true;
				const r = ps.records.get(id)!;
				ps.put({ ...r, phone: '+46700000042' }, r._v);
			}
			return original(id, patch, etag);
		};
		await syncEvent(run, { side: 'pipedrive', record: pd.put({ ...person, name: 'Anna Lind' }), action: 'change' });
		expect(ps.records.get('c-9')?.lastName).toBe('Lind');
		expect(ps.records.get('c-9')?.phone).toBe('+46700000042');
	});

	it('a pair found at once from both sides (linked before the state existed) gets one link', async () => {
		const store = new MemoryStateStore();
		const pd = new FakePipedrive();
		const ps = new FakePropstreet();
		const person = pd.put({ id: 77, name: 'Old Pair', emails: [], phones: [], custom_fields: { [KEYS.contactId]: 'c-77' } });
		const contact = ps.put({ id: 'c-77', firstName: 'Old', lastName: 'Pair', tags: [], companies: [], externalRefs: [{ namespace: 'pipedrive', id: '77' }] }).record;
		const a = contactRun({ store, pd, ps, owner: 'a' });
		const b = contactRun({ store, pd, ps, owner: 'b' });
		await Promise.all([syncEvent(a.run, { side: 'pipedrive', record: person, action: 'change' }), syncEvent(b.run, { side: 'propstreet', record: contact, action: 'change' })]);
		expect(store.all().filter((r) => r.status === 'linked')).toHaveLength(1);
		expect(store.all()).toHaveLength(1);
	});
});
