/**
 * Cloud 02/03: contact events through `recordStep` (the engine's `syncEvent` over answered lookups),
 * answered by both simulators and in-test Data Tables. Final state is asserted on both sides.
 */
import { pipedriveIdFor } from '../../simulators/seed/ids';
import { apiWrites, execution, interleave, refOf, rowsOf, pdEvent, pdGet, psCreate, psEvent, psGet, psList, psPatch, runRecord, settingsRow, startCloudBed, type CloudBed } from './replayDriver';

type Rec = Record<string, any>;

let bed: CloudBed;
beforeEach(async () => {
	bed = await startCloudBed();
});
afterEach(async () => bed.close());

/** Bjørn (Investor, Pipedrive only) synced once: his new contact's id. */
async function linkedBjorn(): Promise<{ personId: number; contactId: string }> {
	const personId = pipedriveIdFor('person', 'bjorn');
	const done = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', personId, 'create'));
	expect(done.error).toBeUndefined();
	return { personId, contactId: done.outcome!.propstreetId! };
}

describe('Cloud record step: contacts', () => {
	it('creates the contact of a new Investor person, links it, and an echo writes nothing', async () => {
		const bjorn = pipedriveIdFor('person', 'bjorn');
		const first = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', bjorn, 'create'));
		expect(first.error).toBeUndefined();
		expect(first.outcome).toMatchObject({ action: 'created', pipedriveId: String(bjorn) });
		const contactId = first.outcome!.propstreetId!;
		expect(refOf(await psGet(bed, 'contact', contactId))).toBe(String(bjorn));
		expect(rowsOf(bed, 'contact').map((r) => ({ pd: r.pipedriveId, ps: r.propstreetId, status: r.status, owner: r.owner }))).toEqual([{ pd: String(bjorn), ps: contactId, status: 'linked', owner: '' }]);
		expect(JSON.stringify((await pdGet(bed, 'contact', bjorn)).custom_fields)).toContain(contactId);

		bed.calls = [];
		const echo = await runRecord(bed, 'contact', await psEvent(bed, 'contact', contactId, 'updated'));
		expect(echo.outcome).toMatchObject({ action: 'unchanged' });
		expect(apiWrites(bed.calls)).toEqual([]);
		expect(bed.calls.filter((c) => c.api === 'state' && c.method !== 'GET')).toEqual([]);
	}, 60000);

	it('creates the person of a new tagged Propstreet contact', async () => {
		const contact = await psCreate(bed, 'contact', { firstName: 'Tove', lastName: 'Ek', email: 'tove.ek@example.se', tags: ['investor'] });
		const done = await runRecord(bed, 'contact', await psEvent(bed, 'contact', contact.id, 'created'));
		expect(done.error).toBeUndefined();
		expect(done.outcome).toMatchObject({ action: 'created', propstreetId: contact.id });
		const person = await pdGet(bed, 'contact', done.outcome!.pipedriveId!);
		expect(person.name).toBe('Tove Ek');
		expect(refOf(await psGet(bed, 'contact', contact.id))).toBe(String(person.id));
		expect((await psList(bed, 'contact')).filter((c) => c.email === 'tove.ek@example.se')).toHaveLength(1);
	}, 60000);

	it('merges edits of two fields made on both sides (three-way)', async () => {
		const { personId, contactId } = await linkedBjorn();
		bed.pd.control.updatePerson(personId, { phones: [{ value: '+47 900 11 222', primary: true, label: 'work' }] });
		await psPatch(bed, 'contact', contactId, { lastName: 'Løvås-Berg' });
		const done = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', personId));
		expect(done.outcome).toMatchObject({ action: 'updated' });
		expect((await pdGet(bed, 'contact', personId)).name).toBe('Bjørn Løvås-Berg');
		const contact = await psGet(bed, 'contact', contactId);
		expect(contact.lastName).toBe('Løvås-Berg');
		expect(contact.phone).toBe('+4790011222');
	}, 60000);

	it('a delete unlinks the pair and keeps the counterpart; a Pipedrive merge moves the link', async () => {
		const { personId, contactId } = await linkedBjorn();
		const survivor = pipedriveIdFor('person', 'nils');
		const before = await pdEvent(bed, 'contact', personId, 'delete', { merged_to_id: String(survivor) });
		bed.pd.control.merge('person', personId, survivor);
		const merged = await runRecord(bed, 'contact', before);
		expect(merged.error).toBeUndefined();
		expect(rowsOf(bed, 'contact').filter((r) => r.status === 'linked').map((r) => [r.pipedriveId, r.propstreetId])).toEqual([[String(survivor), contactId]]);

		const deleted = await pdEvent(bed, 'contact', survivor, 'delete');
		bed.pd.control.deletePerson(survivor);
		const done = await runRecord(bed, 'contact', deleted);
		expect(done.outcome).toMatchObject({ action: 'unlinked' });
		expect(rowsOf(bed, 'contact').filter((r) => r.status === 'linked')).toEqual([]);
		expect((await psGet(bed, 'contact', contactId)).id).toBe(contactId);
	}, 60000);

	it('a contact whose person has an organization links its company, created once', async () => {
		const ingrid = pipedriveIdFor('person', 'ingrid');
		const org = pipedriveIdFor('organization', 'fjordkapital');
		const { contactId } = await linkedBjorn();
		const second = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', ingrid, 'create'));
		expect(second.error).toBeUndefined();
		const companies = (await psList(bed, 'company')).filter((c) => refOf(c) === String(org));
		expect(companies).toHaveLength(1);
		expect(rowsOf(bed, 'company').map((r) => [r.pipedriveId, r.propstreetId, r.status])).toEqual([[String(org), companies[0].id, 'linked']]);
		expect(JSON.stringify(await psGet(bed, 'contact', contactId))).toContain(companies[0].id);
	}, 60000);

	it('a late delivery (an older snapshot after a newer one was synced) writes nothing', async () => {
		const { contactId } = await linkedBjorn();
		await psPatch(bed, 'contact', contactId, { lastName: 'Første' });
		const older = await psEvent(bed, 'contact', contactId, 'updated');
		bed.ps.control.advanceClock(1000);
		await psPatch(bed, 'contact', contactId, { lastName: 'Andre' });
		expect((await runRecord(bed, 'contact', await psEvent(bed, 'contact', contactId))).outcome).toMatchObject({ action: 'updated' });
		bed.calls = [];
		const late = await runRecord(bed, 'contact', older);
		expect(late.outcome?.reason).toMatch(/late delivery/);
		expect(apiWrites(bed.calls)).toEqual([]);
		expect((await pdGet(bed, 'contact', late.outcome!.pipedriveId!)).name).toBe('Bjørn Andre');
	}, 60000);

	it('raises review rows under Manual Review and writes neither side', async () => {
		const { personId, contactId } = await linkedBjorn();
		bed.pd.control.updatePerson(personId, { name: 'Bjørn Pipedrive' });
		await psPatch(bed, 'contact', contactId, { lastName: 'Propstreet' });
		const settings = settingsRow({ conflictPolicy: 'manualReview' });
		const done = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', personId), { settings });
		expect(done.outcome?.review.map((r) => r.field)).toContain('contact.name');
		expect(bed.review.rows.map((r) => ({ entity: r.entity, pd: r.pipedriveId, ps: r.propstreetId, field: r.field, status: r.status }))).toEqual([{ entity: 'contact', pd: String(personId), ps: contactId, field: 'contact.name', status: 'open' }]);
		expect((await pdGet(bed, 'contact', personId)).name).toBe('Bjørn Pipedrive');
		expect((await psGet(bed, 'contact', contactId)).lastName).toBe('Propstreet');
		// A second run refreshes the open row instead of adding one.
		await runRecord(bed, 'contact', await psEvent(bed, 'contact', contactId), { settings });
		expect(bed.review.rows).toHaveLength(1);
	}, 60000);

	it('a state row changed between read and update is read again, and no write is lost (compare-and-set)', async () => {
		const { personId, contactId } = await linkedBjorn();
		let bumped = 0;
		bed.onLookup = (lookup) => {
			const op = lookup.table as Record<string, any> | undefined;
			if (lookup.api !== 'state' || op?.op !== 'update' || bumped++) return;
			// Another execution wrote the row (a lease taken and given back) just before this update.
			const row = bed.state.rows.find((r) => r.id === op.rowId)!;
			row.version += 1;
		};
		bed.pd.control.updatePerson(personId, { name: 'Bjørn Retry' });
		const done = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', personId));
		expect(done.error).toBeUndefined();
		expect(done.outcome).toMatchObject({ action: 'updated' });
		const updates = bed.calls.filter((c) => c.api === 'state' && (c.table as any)?.op === 'update');
		expect(updates.length).toBeGreaterThanOrEqual(3);
		expect((await psGet(bed, 'contact', contactId)).lastName).toBe('Retry');
		const [row] = rowsOf(bed, 'contact');
		expect(row).toMatchObject({ status: 'linked', owner: '' });
		expect(row.baseline).toContain('contact.name');
	}, 60000);

	it('two interleaved executions of one create make one counterpart (claims)', async () => {
		const contact = await psCreate(bed, 'contact', { firstName: 'Siri', lastName: 'Holm', email: 'siri.holm@example.no', tags: ['investor'] });
		const event = await psEvent(bed, 'contact', contact.id, 'created');
		const a = execution(bed, 'contact', event, { owner: 'cloud-a' });
		const b = execution(bed, 'contact', event, { owner: 'cloud-b' });
		await interleave(a, b);
		const outcomes = [a.result, b.result].map((r) => (r?.action === 'finished' ? (r.outcome?.action ?? r.error) : 'running'));
		expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
		expect(outcomes).not.toContain('running');
		// Both executions claimed (one creating row each); only the winner created the person.
		expect(bed.calls.filter((c) => (c.table as any)?.op === 'insert' && (c.table as any).row.status === 'creating')).toHaveLength(2);
		expect(bed.calls.filter((c) => c.api === 'pipedrive' && c.method === 'POST' && c.path === '/api/v2/persons')).toHaveLength(1);
		const persons = bed.pd.control.persons().filter((p: Rec) => p.name === 'Siri Holm');
		expect(persons).toHaveLength(1);
		expect(rowsOf(bed, 'contact').map((r) => [r.pipedriveId, r.propstreetId, r.status])).toEqual([[String(persons[0].id), contact.id, 'linked']]);
	}, 60000);

	it('reads the person field definitions once, then answers them from the workflow cache', async () => {
		await linkedBjorn();
		expect(bed.calls.filter((c) => c.path.startsWith('/api/v2/personFields'))).toHaveLength(1);
		expect(Object.keys(bed.cache.propstreetFieldDefinitions)).toEqual(expect.arrayContaining(['personFields']));
		bed.calls = [];
		await runRecord(bed, 'contact', await pdEvent(bed, 'contact', pipedriveIdFor('person', 'ingrid')));
		expect(bed.calls.filter((c) => c.path.includes('Fields'))).toEqual([]);
	}, 60000);
});
