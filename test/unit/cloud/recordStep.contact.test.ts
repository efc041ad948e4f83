/**
 * Cloud 02/03: contact events through `recordStep` (the engine's `syncEvent` over answered lookups),
 * answered by both simulators and in-test Data Tables. Final state is asserted on both sides.
 */
import { pipedriveIdFor } from '../../simulators/seed/ids';
import { apiWrites, pdEvent, pdGet, psCreate, psEvent, psGet, psList, psPatch, runRecord, startCloudBed, type CloudBed } from './replayDriver';

type Rec = Record<string, any>;
const refOf = (c: Rec) => (c.externalRefs ?? []).find((r: Rec) => r.namespace === 'pipedrive')?.id;

let bed: CloudBed;
beforeEach(async () => {
	bed = await startCloudBed();
});
afterEach(async () => bed.close());

describe('Cloud record step: contacts', () => {
	it('creates the contact of a new Investor person, links it, and an echo writes nothing', async () => {
		const bjorn = pipedriveIdFor('person', 'bjorn');
		const first = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', bjorn, 'create'));
		expect(first.error).toBeUndefined();
		expect(first.outcome).toMatchObject({ action: 'created', pipedriveId: String(bjorn) });
		const contactId = first.outcome!.propstreetId!;
		expect(refOf(await psGet(bed, 'contact', contactId))).toBe(String(bjorn));
		expect(bed.state.rows.filter((r) => r.entity === 'contact').map((r) => ({ pd: r.pipedriveId, ps: r.propstreetId, status: r.status, owner: r.owner }))).toEqual([{ pd: String(bjorn), ps: contactId, status: 'linked', owner: '' }]);
		expect(JSON.stringify((await pdGet(bed, 'contact', bjorn)).custom_fields)).toContain(contactId);

		bed.calls = [];
		const echo = await runRecord(bed, 'contact', await psEvent(bed, 'contact', contactId, 'updated'));
		expect(echo.outcome).toMatchObject({ action: 'unchanged' });
		expect(apiWrites(bed.calls)).toEqual([]);
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
});
