/**
 * One place for every setting: the settings are changed once, by running *00 Sync Settings* with
 * an edited *Save Settings*, and the contact (02), deal (06) and backfill (10) workflows, unchanged,
 * all follow them. Both simulators are checked for the end state.
 */
import type { IDataObject } from 'n8n-workflow';
import { forgetSavedSettings } from '../../nodes/shared/syncStore';
import { expectRunOk, loadWorkflow, outputOf, startSyncBed, type SyncBed } from './support/syncBed';
import { settingsWorkflow, SAVE_NODE } from './support/settings';

jest.setTimeout(180_000);

const FIELD = 'Propstreet contact';
const TAG = 'key-investor';

let bed: SyncBed;
beforeAll(async () => {
	bed = await startSyncBed({ propstreet: { rateLimit: { pat: 100_000 } } });
});
afterAll(async () => bed.close());

async function pipedrive(method: string, path: string, body?: IDataObject): Promise<any> {
	const res = await fetch(`${bed.pd.url}${path}?api_token=pipedrive-dev-token`, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
	if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { data: unknown }).data;
}

/** The shipped Save Settings parameters with the three changes a person makes in the editor. */
function editedSettings(): IDataObject {
	const shipped = settingsWorkflow().nodes.find((n) => n.name === SAVE_NODE)!.parameters as IDataObject;
	const fieldKeys = shipped.fieldKeys as { person: IDataObject };
	const rows = (shipped.stageTable as { rows: IDataObject[] }).rows.map((row) => (row.pipedriveStage === 'Lead In' ? { ...row, classification: 'active' } : row));
	return {
		fieldKeys: { ...fieldKeys, person: { ...fieldKeys.person, propstreetContactId: FIELD } },
		labelMap: { pairs: [{ pipedrive: 'Investor', propstreet: TAG }] },
		stageTable: { rows },
	};
}

const contactFieldOf = (personId: number) => (bed.pd.control.person(personId)!.custom_fields as IDataObject)[bed.pd.control.fieldKey('person', FIELD)];
const liveContacts = () => (bed.ps.control.state().contacts as IDataObject[]).filter((c) => !c.deletedUtc);

describe('settings in one place: 02, 06 and 10 follow one change in 00 Sync Settings', () => {
	beforeAll(async () => {
		// The person field is renamed in Pipedrive, then its new name is set once in the settings.
		const fields = (await pipedrive('GET', '/v1/personFields')) as IDataObject[];
		const field = fields.find((f) => f.name === 'propstreet_contact_id')!;
		await pipedrive('PUT', `/v1/personFields/${field.id}`, { name: FIELD });
		const saved = await bed.saveSettings(editedSettings());
		expect(outputOf(saved, SAVE_NODE)[0]).toMatchObject({ saved: true, effective: { contactsWithTag: TAG } });
		// Another process would see the record within its minute; this one reads it now.
		forgetSavedSettings();
	});

	it('02: a new investor in Pipedrive gets a contact tagged by the new label map, its id in the renamed field', async () => {
		await bed.skipPendingEvents();
		const investor = bed.pd.control.optionId('person', 'label_ids', 'Investor');
		const person = bed.pd.control.createPerson({ name: 'Signe Holm', emails: [{ value: 'signe.holm@settings.example', primary: true }], label_ids: [investor] });
		const result = await bed.run('02-contacts-pipedrive-to-propstreet.json', await bed.nextPipedriveEvent({ entity: 'person', action: 'create', entityId: Number(person.id) }));
		expectRunOk(result);
		const contact = liveContacts().find((c) => c.email === 'signe.holm@settings.example')!;
		expect(contact.tags).toEqual([TAG]);
		expect(contactFieldOf(Number(person.id))).toBe(contact.id);
		expect(outputOf(result, 'Sync Contact')[0]).toMatchObject({ action: 'created' });
		expect(outputOf(result, 'Sync Contact')[0].settingsWarning).toBeUndefined();
	});

	it('06: a new deal in Lead In gets a project classified by the new stage table', async () => {
		await bed.skipPendingEvents();
		const nordic = bed.pd.control.pipelines().find((p) => p.name === 'Nordic Transactions')!;
		const deal = await pipedrive('POST', '/api/v2/deals', { title: 'Settings Test Logistics', pipeline_id: nordic.id, stage_id: bed.pd.control.stageId('Lead In') });
		const result = await bed.run('06-deals-pipedrive-to-propstreet.json', await bed.nextPipedriveEvent({ entity: 'deal', action: 'create', entityId: Number(deal.id) }));
		expectRunOk(result);
		const project = (bed.ps.control.state().projects as IDataObject[]).find((p) => p.name === 'Settings Test Logistics')!;
		expect(project).toMatchObject({ classification: 'active' });
		expect(bed.pd.control.deal(Number(deal.id))!.stage_id).toBe(bed.pd.control.stageId('Lead In'));
	});

	it('10: the backfill brings a Propstreet contact with the new tag into Pipedrive (label Investor, id in the renamed field) and leaves one with only the old tag out', async () => {
		const mapped = bed.ps.control.createContact({ firstName: 'Tove', lastName: 'Backfill', email: 'tove.backfill@settings.example', tags: [TAG] });
		const oldTag = bed.ps.control.createContact({ firstName: 'Olle', lastName: 'Oldtag', email: 'olle.oldtag@settings.example', tags: ['investor'] });
		const result = await bed.runWorkflow(loadWorkflow('10-backfill-reconcile.json'), {});
		expectRunOk(result);
		const persons = bed.pd.control.persons() as IDataObject[];
		const created = persons.filter((p) => JSON.stringify(p.emails ?? p.email).includes('tove.backfill@settings.example'));
		expect(created).toHaveLength(1);
		expect(created[0].label_ids).toEqual([bed.pd.control.optionId('person', 'label_ids', 'Investor')]);
		expect(contactFieldOf(Number(created[0].id))).toBe(mapped.id);
		expect(persons.filter((p) => JSON.stringify(p.emails ?? p.email).includes('olle.oldtag@settings.example'))).toEqual([]);
		expect(bed.ps.control.get('contact', String(oldTag.id))).toMatchObject({ tags: ['investor'] });
	});
});
