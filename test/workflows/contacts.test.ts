/**
 * Contacts workflows in-process with both simulators: 02 (Pipedrive → Propstreet), 03 (Propstreet →
 * Pipedrive, webhook) and 03b (the same by polling). Trigger input is real: Webhooks v2 deliveries
 * the Pipedrive simulator sent, signed Propstreet deliveries run through the real Propstreet Trigger,
 * and the real Poll Trigger's output. Every test checks both sides and counts writes.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { PropstreetPollTrigger } from '../../nodes/PropstreetPollTrigger/PropstreetPollTrigger.node';
import { pollContext } from '../nodes/trigger/context';
import { pdWrites, pipedriveEvents, propstreetTriggerItems, psWrites, PS_TOKEN, startBed, type Bed } from './contactsNotesKit';

const P2S = '02-contacts-pipedrive-to-propstreet.json';
const S2P = '03-contacts-propstreet-to-pipedrive.json';
const S2P_POLL = '03b-contacts-propstreet-to-pipedrive-polling.json';

let bed: Bed;
beforeEach(async () => {
	bed = await startBed();
});
afterEach(async () => bed.close());

const ps = () => bed.ps.control as any;
const items = (events: object[]): INodeExecutionData[] => events.map((json) => ({ json: json as never }));
const contactByRef = (id: number | string) => ps().state().contacts.find((c: any) => !c.deletedUtc && c.externalRefs.some((r: any) => r.namespace === 'pipedrive' && r.id === String(id)));
const customField = (personId: number, name: string) => (bed.pd.control.person(personId)!.custom_fields as Record<string, unknown>)[bed.pd.control.fieldKey('person', name)];

/** Runs a workflow and fails loudly with the node that broke. */
async function run(file: string, pinned: INodeExecutionData[], mode?: 'webhook' | 'trigger') {
	const result = await bed.run(file, pinned, { mode });
	if (result.error) throw new Error(`${file} failed at ${result.run.data.resultData.lastNodeExecuted}: ${result.error.message} ${(result.error as any).description ?? ''}`);
	return result;
}

/** Pipedrive events caused by `act`, as the Pipedrive Trigger emits them. */
async function pdEventsOf(act: () => void | Promise<void>) {
	const from = bed.pdHooks.received.length;
	await act();
	return pipedriveEvents(bed, from);
}
async function psItemsOf(act: () => void | Promise<void>) {
	const from = bed.psHooks.received.length;
	await act();
	return propstreetTriggerItems(bed, from);
}

describe('02 contacts Pipedrive → Propstreet', () => {
	it('creates the contact once (with its company synced first), writes the id back, and a re-delivery or the echo writes nothing', async () => {
		const investor = bed.pd.control.optionId('person', 'label_ids', 'Investor');
		const created = await pdEventsOf(() => {
			bed.pd.control.createPerson({ name: 'Hanna Virtanen', emails: [{ value: 'hanna.virtanen@saimaa.example.fi', primary: true, label: 'work' }], label_ids: [investor], org_id: 2004, custom_fields: { investor_strategy: 'Hotels in Lapland' } });
		});
		expect(created).toHaveLength(1);
		const personId = Number((created[0].meta as any).entity_id);
		bed.pd.control.resetStats();
		ps().clearRequests();

		const first = await pdEventsOf(async () => {
			const result = await run(P2S, items(created));
			expect(result.executionOrder).toEqual(expect.arrayContaining(['Sync Company First', 'Sync Contact', 'Write Contact ID to Person']));
		});
		const contact = contactByRef(personId);
		expect(contact).toMatchObject({ firstName: 'Hanna', lastName: 'Virtanen', email: 'hanna.virtanen@saimaa.example.fi', strategy: 'Hotels in Lapland', tags: ['investor'] });
		// Saimaa (Pipedrive only) was synced first, so the connection is not lost.
		const company = ps().state().companies.find((c: any) => c.externalRefs.some((r: any) => r.namespace === 'pipedrive' && r.id === '2004'));
		expect(company).toMatchObject({ name: 'Saimaa Kiinteistöt Oy' });
		expect(contact.companies.map((c: any) => c.id)).toEqual([company.id]);
		expect(psWrites(bed, 'POST /api/v1/network/contacts')).toBe(0);
		expect(psWrites(bed, 'PATCH /api/v1/network/contacts/external/{namespace}/{id}')).toBe(1);
		expect(customField(personId, 'propstreet_contact_id')).toBe(contact.id);
		expect(pdWrites(bed)).toEqual({ 'PATCH /api/v2/persons/{id}': 1 });
		// The write-back is itself a Pipedrive change: it comes back once.
		expect(first).toHaveLength(1);

		const writesBefore = psWrites(bed);
		const echo = await pdEventsOf(async () => {
			const result = await run(P2S, items(first));
			expect(result.outputOf('Sync Contact')[0].json.action).toBe('unchanged');
			expect(result.executionOrder).toContain('Contact ID Already Stored');
			const redelivered = await run(P2S, items(created));
			expect(redelivered.outputOf('Sync Contact')[0].json.action).toBe('unchanged');
		});
		expect(echo).toHaveLength(0);
		expect(psWrites(bed)).toBe(writesBefore);
		expect(pdWrites(bed)).toEqual({ 'PATCH /api/v2/persons/{id}': 1 });
		expect(ps().state().contacts.filter((c: any) => c.email === 'hanna.virtanen@saimaa.example.fi')).toHaveLength(1);
	});

	it('links an existing contact by e-mail instead of creating one, and uses the already-synced company', async () => {
		// Ingrid (1003) exists in Propstreet (5003) with the same e-mail but no reference.
		const events = await pdEventsOf(() => void bed.pd.control.updatePerson(1003, { phones: [{ value: '+47 912 00 000', primary: true, label: 'mobile' }] }));
		ps().clearRequests();
		await run(P2S, items(events));
		const contact = ps().get('contact', '5003');
		expect(contact.externalRefs).toEqual(expect.arrayContaining([{ namespace: 'pipedrive', id: '1003' }]));
		expect(contact.phone).toBe('+4791200000');
		expect(ps().state().contacts.filter((c: any) => c.email === 'ingrid.saether@fjordkapital.example.no')).toHaveLength(1);
		expect(customField(1003, 'propstreet_contact_id')).toBe('5003');
	});

	it('keeps persons without the Investor label out, and never propagates deletes', async () => {
		const broker = await pdEventsOf(() => void bed.pd.control.updatePerson(1014, { name: 'Nils Broker' }));
		const deleted = await pdEventsOf(() => void bed.pd.control.deletePerson(1002));
		bed.pd.control.resetStats();
		ps().clearRequests();
		const r1 = await run(P2S, items(broker));
		expect(r1.executionOrder).not.toContain('Sync Contact');
		const r2 = await run(P2S, items(deleted));
		expect(r2.executionOrder).toContain('Deleted in Pipedrive (not propagated)');
		expect(psWrites(bed)).toBe(0);
		expect(pdWrites(bed)).toEqual({});
		expect(ps().get('contact', '5002').deletedUtc).toBeNull();
	});

	it('after a merge moves the removed person\'s reference to the survivor (only if the survivor has no contact)', async () => {
		// Astrid (1001 ↔ 5001, also known to another system) is merged into Bjørn (1004, no contact).
		ps().updateContact('5001', { externalRefs: [{ namespace: 'pipedrive', id: '1001' }, { namespace: 'hubspot', id: 'hs-77' }] });
		const events = await pdEventsOf(() => void bed.pd.control.merge('person', 1001, 1004));
		const deleteEvent = events.find((e: any) => e.meta.action === 'delete');
		expect((deleteEvent as any).meta.merged_to_id).toBe('1004');
		ps().clearRequests();
		const result = await run(P2S, items([deleteEvent!]));
		expect(result.executionOrder).toContain('Move Pipedrive Ref to Survivor');
		expect(ps().get('contact', '5001').externalRefs).toEqual(expect.arrayContaining([{ namespace: 'pipedrive', id: '1004' }, { namespace: 'hubspot', id: 'hs-77' }]));
		expect(ps().get('contact', '5001').externalRefs).toHaveLength(2);
		expect(psWrites(bed)).toBe(1);

		// Again: the survivor now has a contact, so nothing moves.
		const again = await run(P2S, items([deleteEvent!]));
		expect(again.executionOrder).toContain('Survivor Already Has a Contact');
		expect(psWrites(bed)).toBe(1);
	});
});

describe('03 contacts Propstreet → Pipedrive (webhook)', () => {
	it('an edit in Propstreet reaches the linked person once; the echo on either side writes nothing', async () => {
		const delivered = await psItemsOf(() => void ps().updateContact('5001', { strategy: 'Office, Stockholm CBD, SEK 500M+' }));
		expect(delivered).toHaveLength(1);
		expect(delivered[0].json).toMatchObject({ event: 'contact.updated', fetched: true });
		bed.pd.control.resetStats();
		ps().clearRequests();

		const pdEcho = await pdEventsOf(async () => {
			const result = await run(S2P, delivered);
			expect(result.executionOrder).toContain('Update Person');
		});
		expect(customField(1001, 'investor_strategy')).toBe('Office, Stockholm CBD, SEK 500M+');
		expect(pdWrites(bed)).toEqual({ 'PATCH /api/v2/persons/{id}': 1 });
		expect(psWrites(bed)).toBe(0);

		// Pipedrive's webhook for our PATCH reaches workflow 02: compared, nothing to write.
		expect(pdEcho).toHaveLength(1);
		const back = await run(P2S, items(pdEcho));
		expect(back.outputOf('Sync Contact')[0].json.action).toBe('unchanged');
		// The same Propstreet delivery again: the person is already up to date.
		const twice = await run(S2P, delivered);
		expect(twice.executionOrder).toContain('Person Already Up to Date');
		expect(pdWrites(bed)).toEqual({ 'PATCH /api/v2/persons/{id}': 1 });
		expect(psWrites(bed)).toBe(0);
	});

	it('creates a person for an unlinked contact, stores both ids, and the follow-up events are no-ops', async () => {
		// Anders (5011) exists only in Propstreet.
		const delivered = await psItemsOf(() => void ps().updateContact('5011', { strategy: 'Harbour-front mixed use, Aarhus and Aalborg' }));
		bed.pd.control.resetStats();
		ps().clearRequests();
		const pdEvents = await pdEventsOf(async () => {
			const result = await run(S2P, delivered);
			expect(result.executionOrder).toEqual(expect.arrayContaining(['Search Person by Email', 'Create Person', 'Link Contact to New Person']));
		});
		const person = bed.pd.control.persons().find((p) => (p.emails as any[]).some((e) => e.value === 'anders@aarhushavn.example.dk'))!;
		expect(person).toMatchObject({ name: 'Anders Højbjerg' });
		expect(customField(person.id as number, 'propstreet_contact_id')).toBe('5011');
		expect(customField(person.id as number, 'investor_strategy')).toBe('Harbour-front mixed use, Aarhus and Aalborg');
		expect(ps().get('contact', '5011').externalRefs).toEqual(expect.arrayContaining([{ namespace: 'pipedrive', id: String(person.id) }]));
		expect(pdWrites(bed)).toEqual({ 'POST /api/v2/persons': 1 });
		expect(psWrites(bed)).toBe(1);

		// Echoes: Pipedrive's create webhook → 02, Propstreet's ref change → 03. Neither writes.
		const psBack = await psItemsOf(async () => {
			const r = await run(P2S, items(pdEvents));
			expect(r.outputOf('Sync Contact')[0].json.action).toBe('unchanged');
		});
		for (const item of [...(await propstreetTriggerItems(bed, 0)).slice(-1), ...psBack]) {
			const r = await run(S2P, [item]);
			expect(r.executionOrder).toContain('Person Already Up to Date');
		}
		expect(pdWrites(bed)).toEqual({ 'POST /api/v2/persons': 1 });
		expect(psWrites(bed)).toBe(1);
		expect(bed.pd.control.persons().filter((p) => p.name === 'Anders Højbjerg')).toHaveLength(1);
	});

	it('links an unlinked contact to the person with the same e-mail instead of creating one', async () => {
		// Mette: Pipedrive 1005 and Propstreet 5005 share the e-mail, unlinked.
		const delivered = await psItemsOf(() => void ps().updateContact('5005', { strategy: 'Residential, Copenhagen and Malmö' }));
		bed.pd.control.resetStats();
		ps().clearRequests();
		const result = await run(S2P, delivered);
		expect(result.executionOrder).toEqual(expect.arrayContaining(['Person Found by Email', 'Update Person', 'Link Contact to Found Person']));
		expect(result.executionOrder).not.toContain('Create Person');
		expect(customField(1005, 'propstreet_contact_id')).toBe('5005');
		expect(customField(1005, 'investor_strategy')).toBe('Residential, Copenhagen and Malmö');
		expect(ps().get('contact', '5005').externalRefs).toEqual(expect.arrayContaining([{ namespace: 'pipedrive', id: '1005' }]));
		expect(pdWrites(bed)).toEqual({ 'PATCH /api/v2/persons/{id}': 1 });
		expect(psWrites(bed)).toBe(1);
	});
});

describe('03b contacts Propstreet → Pipedrive (polling)', () => {
	it('the real Poll Trigger output for two changed contacts updates both persons, once', async () => {
		const since = new Date(Date.parse(ps().now()) - 1000).toISOString();
		ps().updateContact('5001', { strategy: 'Polled strategy A' });
		ps().updateContact('5013', { strategy: 'Polled strategy B' });
		const poll = pollContext({ baseUrl: bed.ps.url, token: PS_TOKEN, parameters: { resource: 'contacts', changeKinds: ['created', 'updated'], options: { startFrom: since } } });
		const polled = ((await new PropstreetPollTrigger().poll.call(poll)) ?? [[]])[0];
		expect(polled.map((i) => (i.json as any).entityId).sort()).toEqual(['5001', '5013']);
		bed.pd.control.resetStats();
		const result = await run(S2P_POLL, polled.map((i) => ({ json: i.json })), 'trigger');
		expect(result.outputOf('Update Person')).toHaveLength(2);
		expect(customField(1001, 'investor_strategy')).toBe('Polled strategy A');
		expect(customField(1013, 'investor_strategy')).toBe('Polled strategy B');
		expect(pdWrites(bed)).toEqual({ 'PATCH /api/v2/persons/{id}': 2 });
		// Field definitions are read once per poll, not once per contact.
		expect(bed.pd.control.requestsByRoute()['GET /api/v2/personFields']).toBe(1);
		const again = await run(S2P_POLL, polled.map((i) => ({ json: i.json })), 'trigger');
		expect(again.outputOf('Person Already Up to Date')).toHaveLength(2);
		expect(pdWrites(bed)).toEqual({ 'PATCH /api/v2/persons/{id}': 2 });
	});
});
