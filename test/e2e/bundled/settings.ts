/**
 * Settings in one place, in a real n8n 2.x with the packed package: the settings are edited once in
 * the bundled workflow *00 Sync Settings* (saved through n8n's REST API, as the editor saves) and run
 * once; then the contact workflows 02 and 03 and the deal workflow 06, unchanged, follow the new
 * label map, the new stage table and a renamed Pipedrive field whose new name is set only there.
 * Both simulators are checked for the end state.
 */
import type { Stack } from '../../harness/stack';
import { saveSettings } from '../saveSettings';

type Rec = Record<string, any>;
const TAG = 'e2e-key-investor';
/** The new name of the person field that holds the Propstreet contact id (renamed in Pipedrive, then in the settings). */
const FIELD = 'Propstreet contact (e2e)';
let stack: Stack;
const ps = () => stack.propstreet.control;
const pd = () => stack.pipedrive.control;

/** The bundled Save Settings with the label map and the stage table changed, saved in n8n and run once. */
async function editAndRunSettings(): Promise<void> {
	await saveSettings(stack, (parameters) => {
		parameters.fieldKeys.person = { ...parameters.fieldKeys.person, propstreetContactId: FIELD };
		parameters.labelMap = { pairs: [{ pipedrive: 'Investor', propstreet: TAG }, { pipedrive: 'VIP', propstreet: 'VIP' }] };
		parameters.stageTable.rows = parameters.stageTable.rows.map((row: Rec) => (row.pipedriveStage === 'Lead In' ? { ...row, classification: 'active' } : row));
	});
}

/** Registered by bundled.e2e.test.ts on its running stack, last: it renames a Pipedrive field and saves its own settings. */
export function registerSettings(getStack: () => Stack): void {
	describe('settings in one place (real n8n)', () => {
		beforeAll(async () => {
			stack = getStack();
			// A person renames the custom field in Pipedrive; only the settings learn the new name.
			const fields = await stack.observe.pipedrive<{ data: Rec[] }>('GET', '/v1/personFields');
			const field = fields.body.data.find((f) => f.name === 'propstreet_contact_id')!;
			const renamed = await stack.observe.pipedrive('PUT', `/v1/personFields/${String(field.id)}`, { name: FIELD });
			if (renamed.status !== 200) throw new Error(`renaming the person field answered ${renamed.status}`);
		}, 60000);

		test('case 11: a label map pair keeps the label\'s case: a new Pipedrive investor labelled VIP becomes a contact tagged "VIP", not "vip"', async () => {
			await stack.settle();
			await editAndRunSettings();
			const email = 'vera.vip@e2e.example';
			pd().createPerson({
				name: 'Vera Viksten',
				emails: [{ value: email, primary: true, label: 'work' }],
				label_ids: [pd().optionId('person', 'label_ids', 'Investor'), pd().optionId('person', 'label_ids', 'VIP')],
			});
			const contact = await stack.waitFor(() => (ps().state().contacts as Rec[]).find((c) => JSON.stringify(c.emails ?? c.email ?? '').includes(email)), {
				what: 'the contact 02 creates for Vera',
				timeoutMs: 60000,
			});
			await stack.settle();
			expect([...(ps().get('contact', String(contact.id)) as Rec).tags].sort()).toEqual(['VIP', TAG].sort());
			// 02 wrote the contact id back into the renamed field, found by the name the settings give.
			const person = pd().persons().find((p: Rec) => JSON.stringify(p.emails ?? []).includes(email))!;
			expect((person.custom_fields as Rec)[pd().fieldKey('person', FIELD)]).toBe(contact.id);
		});

		test('one edit in 00 Sync Settings: 03 labels by the new label map and writes the renamed field, 06 classifies by the new stage table', async () => {
			await stack.settle();
			await editAndRunSettings();

			// 03: a Propstreet contact with the new tag becomes a Pipedrive person with the Investor label.
			const contact = ps().createContact({ firstName: 'Sigrid', lastName: 'Settings', email: 'sigrid.settings@e2e.example', tags: [TAG] }) as Rec;
			const person = await stack.waitFor(() => pd().persons().find((p: Rec) => JSON.stringify(p.emails ?? []).includes('sigrid.settings@e2e.example')), {
				what: 'the person 03 creates',
				timeoutMs: 60000,
			});
			expect(person.label_ids).toEqual([pd().optionId('person', 'label_ids', 'Investor')]);
			await stack.settle();
			expect((pd().person(Number(person.id)) as Rec).custom_fields[pd().fieldKey('person', FIELD)]).toBe(contact.id);
			expect(ps().get('contact', String(contact.id))).toMatchObject({ tags: [TAG] });

			// 06: a new deal in Lead In gets a project classified by the edited stage table.
			const nordic = pd().pipelines().find((p: Rec) => p.name === 'Nordic Transactions')!;
			const deal = pd().createDeal({ title: 'E2E Settings Logistics', pipeline_id: nordic.id, stage_id: pd().stageId('Lead In') }) as Rec;
			const project = await stack.waitFor(() => (ps().state().projects as Rec[]).find((p) => p.name === 'E2E Settings Logistics' && p.classification === 'active'), {
				what: 'the active project 06 creates',
				timeoutMs: 60000,
			});
			await stack.settle();
			expect((ps().state().projects as Rec[]).filter((p) => p.name === 'E2E Settings Logistics')).toHaveLength(1);
			expect(project).toMatchObject({ classification: 'active' });
			expect(pd().deal(Number(deal.id))).toMatchObject({ stage_id: pd().stageId('Lead In'), status: 'open' });
		});
	});
}
