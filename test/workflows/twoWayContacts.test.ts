/**
 * The Pipedrive Propstreet Sync node in-process, fed by real trigger payloads (Webhooks v2 deliveries
 * from the Pipedrive simulator; signed Propstreet deliveries through the real Propstreet Trigger),
 * with the sync state in the n8n data-table simulator. Each test checks both sides.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { WorkflowJson } from '../helpers/n8nRunner';
import { pipedriveEvents, propstreetTriggerItems, startBed, type Bed } from './contactsNotesKit';

let bed: Bed;
beforeEach(async () => {
	bed = await startBed();
});
afterEach(async () => bed.close());

const ps = () => bed.ps.control as any;

function syncWorkflow(trigger: 'pipedrive' | 'propstreet', parameters: IDataObject = {}): WorkflowJson {
	const triggerNode =
		trigger === 'pipedrive'
			? { id: 't', name: 'Pipedrive Trigger', type: 'n8n-nodes-base.pipedriveTrigger', typeVersion: 1.1, position: [0, 0] as [number, number], parameters: { action: '*', entity: 'person' } }
			: { id: 't', name: 'Propstreet Trigger', type: 'n8n-nodes-propstreet.propstreetTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: { events: ['contact.created', 'contact.updated'] } };
	return {
		name: 'two-way contacts',
		nodes: [
			triggerNode,
			{ id: 's', name: 'Sync', type: 'n8n-nodes-propstreet.pipedrivePropstreetSync', typeVersion: 1, position: [200, 0], parameters: { authentication: 'accessToken', entity: 'contact', ...parameters },
				credentials: {
					propstreetApi: { id: 'PsSyncPropstree1', name: 'Propstreet account' },
					propstreetPipedriveApi: { id: 'PsSyncPdSync0001', name: 'Pipedrive for Propstreet sync' },
					propstreetSyncStateApi: { id: 'PsSyncState00001', name: 'Propstreet sync state' },
				},
			},
		],
		connections: { [triggerNode.name]: { main: [[{ node: 'Sync', type: 'main', index: 0 }]] } },
	} as WorkflowJson;
}

async function sync(trigger: 'pipedrive' | 'propstreet', items: INodeExecutionData[], parameters: IDataObject = {}) {
	const result = await bed.runJson(syncWorkflow(trigger, parameters), items);
	if (result.error) throw new Error(`sync failed: ${result.error.message} ${(result.error as any).description ?? ''}`);
	return result.outputOf('Sync', 0).map((i) => i.json);
}

async function psItems(act: () => unknown) {
	const from = bed.psHooks.received.length;
	await act();
	return propstreetTriggerItems(bed, from);
}
async function pdItems(act: () => unknown) {
	const from = bed.pdHooks.received.length;
	await act();
	return (await pipedriveEvents(bed, from)).map((json) => ({ json: json as never }));
}

describe('Pipedrive Propstreet Sync node (contacts)', () => {
	it('a new Propstreet contact becomes one linked person; the echo of that create costs no Pipedrive call', async () => {
		let contactId = '';
		const created = await psItems(() => {
			contactId = ps().createContact({ firstName: 'Anna Maria', lastName: 'Berg', email: 'anna.berg@nordic.example', phone: '+46701112233', strategy: 'Office', tags: ['investor'] }).id;
		});
		const pdFrom = bed.pdHooks.received.length;
		const [outcome] = await sync('propstreet', created.slice(-1));
		expect(outcome.action).toBe('created');
		const personId = Number(outcome.pipedriveId);
		const person = bed.pd.control.person(personId)!;
		expect(person.name).toBe('Anna Maria Berg');
		expect((person.custom_fields as IDataObject)[bed.pd.control.fieldKey('person', 'propstreet_contact_id')]).toBe(contactId);
		expect(ps().get('contact', contactId).externalRefs).toEqual([{ namespace: 'pipedrive', id: String(personId) }]);
		expect(bed.dt.rows('Propstreet sync state')).toHaveLength(1);

		// Pipedrive's create (and the custom-field write) come back as webhooks: both are echoes.
		const echoes = (await pipedriveEvents(bed, pdFrom)).map((json) => ({ json: json as never }));
		expect(echoes.length).toBeGreaterThan(0);
		bed.pd.control.resetStats();
		for (const echo of echoes) {
			const [out] = await sync('pipedrive', [echo]);
			expect(out.action).toBe('unchanged');
		}
		expect(bed.pd.control.stats().log.map((l: any) => `${l.method} ${l.path}`)).toEqual([]);
		expect(bed.pd.control.stats().total).toBe(0);
		expect(bed.pd.control.stats().tokens).toBe(0);
		expect(ps().get('contact', contactId).firstName).toBe('Anna Maria');
	});

	it('edits of different fields on both sides, each synced from its own event, both survive', async () => {
		const created = await psItems(() => ps().createContact({ firstName: 'Erik', lastName: 'Lund', email: 'erik.lund@nordic.example', strategy: 'Retail', tags: ['investor'] }));
		const [first] = await sync('propstreet', created.slice(-1));
		const personId = Number(first.pipedriveId);
		const contactId = String(first.propstreetId);
		await bed.pd.control.flushWebhooks();
		const pdEdit = await pdItems(() => bed.pd.control.updatePerson(personId, { name: 'Erik Lundqvist' }));
		const psEdit = await psItems(() => ps().updateContact(contactId, { strategy: 'Logistics' }));
		await sync('pipedrive', pdEdit.slice(-1));
		await sync('propstreet', psEdit.slice(-1));
		expect(ps().get('contact', contactId).lastName).toBe('Lundqvist');
		expect(ps().get('contact', contactId).strategy).toBe('Logistics');
		const person = bed.pd.control.person(personId)!;
		expect(person.name).toBe('Erik Lundqvist');
		expect((person.custom_fields as IDataObject)[bed.pd.control.fieldKey('person', 'investor_strategy')]).toBe('Logistics');
	});

	it('a contact with a company arrives in Pipedrive with its organization (case 14); the pair is remembered', async () => {
		const company = ps().createCompany({ name: 'Fjord Capital AB', countryCode: 'SE', domain: 'fjordcapital.example' });
		let contactId = '';
		const created = await psItems(() => {
			contactId = ps().createContact({ firstName: 'Sara', lastName: 'Holm', email: 'sara.holm@fjordcapital.example', tags: ['investor'] }).id;
			ps().createLink({ contactId, companyId: company.id, jobTitle: 'Partner', isPrimary: true });
		});
		const [outcome] = await sync('propstreet', created.slice(-1));
		const person = bed.pd.control.person(Number(outcome.pipedriveId))!;
		const orgId = (person.org_id as number) ?? null;
		expect(orgId).not.toBeNull();
		expect(bed.pd.control.organization(orgId as number)!.name).toBe('Fjord Capital AB');
		expect(ps().get('company', company.id).externalRefs).toEqual([{ namespace: 'pipedrive', id: String(orgId) }]);
		const rows = bed.dt.rows('Propstreet sync state') as Array<Record<string, unknown>>;
		expect(rows.filter((r) => r.entity === 'company' && r.pipedriveId === String(orgId) && r.propstreetId === company.id)).toHaveLength(1);
	});

	it('a person in an organization gets a contact connected to that organization\'s company, synced first', async () => {
		const org = bed.pd.control.createOrganization({ name: 'Bergen Eiendom AS' });
		const investor = bed.pd.control.optionId('person', 'label_ids', 'Investor');
		const events = await pdItems(() => bed.pd.control.createPerson({ name: 'Ole Nilsen', emails: [{ value: 'ole@bergen.example', primary: true }], org_id: org.id, label_ids: [investor] }));
		const [outcome] = await sync('pipedrive', events.filter((e) => (e.json as any).meta.entity === 'person').slice(-1), { onlyWithLabel: 'Investor' });
		expect(outcome.action).toBe('created');
		const contact = ps().get('contact', String(outcome.propstreetId));
		const company = ps().state().companies.find((c: any) => c.externalRefs.some((r: any) => r.namespace === 'pipedrive' && r.id === String(org.id)));
		expect(company?.name).toBe('Bergen Eiendom AS');
		expect(contact.companies.map((c: any) => c.id)).toEqual([company.id]);
	});

	it('a person created with an organization and a job title keeps the title on both sides, through every echo', async () => {
		const org = bed.pd.control.createOrganization({ name: 'Oslo Næring AS' });
		const investor = bed.pd.control.optionId('person', 'label_ids', 'Investor');
		const events = await pdItems(() => bed.pd.control.createPerson({ name: 'Kari Dahl', emails: [{ value: 'kari@oslo.example', primary: true }], org_id: org.id, job_title: 'Head of Acquisitions', label_ids: [investor] }));
		const [outcome] = await sync('pipedrive', events.filter((e) => (e.json as any).meta.entity === 'person'), { onlyWithLabel: 'Investor' });
		// Settle: every echo on both sides runs through the node until nothing more arrives.
		for (let round = 0; round < 4; round++) {
			const pdFrom = bed.pdHooks.received.length;
			const psFrom = bed.psHooks.received.length;
			const psEvents = await propstreetTriggerItems(bed, psFrom, { events: ['contact.created', 'contact.updated'], options: { fetchCurrentRecord: true } });
			const pdNew = (await pipedriveEvents(bed, pdFrom)).filter((e) => (e.meta as any).entity === 'person').map((json) => ({ json: json as never }));
			if (!psEvents.length && !pdNew.length) break;
			if (psEvents.length) await sync('propstreet', psEvents, { onlyWithLabel: 'Investor' });
			if (pdNew.length) await sync('pipedrive', pdNew, { onlyWithLabel: 'Investor' });
		}
		const person = bed.pd.control.person(Number(outcome.pipedriveId))!;
		const contact = ps().get('contact', String(outcome.propstreetId));
		expect(person.job_title).toBe('Head of Acquisitions');
		expect(contact.companies.map((c: any) => c.jobTitle)).toEqual(['Head of Acquisitions']);
	});

	it('persons outside the label scope are skipped without any call', async () => {
		const events = await pdItems(() => bed.pd.control.createPerson({ name: 'No Label', emails: [{ value: 'nolabel@example.com', primary: true }] }));
		await sync('pipedrive', events.slice(-1), { onlyWithLabel: 'Investor' });
		bed.pd.control.resetStats();
		const before = ps().state().contacts.length;
		const [outcome] = await sync('pipedrive', events.slice(-1), { onlyWithLabel: 'Investor' });
		expect(outcome.action).toBe('skipped');
		expect(bed.pd.control.stats().total).toBe(0);
		expect(ps().state().contacts.length).toBe(before);
	});
});
