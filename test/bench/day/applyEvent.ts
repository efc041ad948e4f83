/**
 * Makes one event of the day happen the way a user would: through the simulators' "app" paths
 * (Pipedrive `change_source: app`, Propstreet UI edits), so each sends its real webhook delivery
 * (participant changes send none, as in Pipedrive). Returns what the event expects to see as a
 * user delivery (entity/type and id), so the driver can tell it from the echoes of our writes.
 */
import type { IDataObject } from 'n8n-workflow';
import type { DayEvent } from './events';
import type { World } from './world';

type Rec = Record<string, any>;
const STAGES = ['Property Added', 'Teaser Drafting', 'Investor Outreach', 'Due Diligence'];
const CLASSES = ['not_contacted', 'contacted', 'interested', 'not_interested', 'bidder'];

export function propstreetIdOf(world: World, entity: 'person' | 'organization' | 'deal', id: number): string | undefined {
	const pd = world.bed.pd.control;
	const field = { person: 'propstreet_contact_id', organization: 'propstreet_company_id', deal: 'propstreet_project_id' }[entity];
	const record = (entity === 'person' ? pd.person(id) : entity === 'organization' ? pd.organizations().find((o: Rec) => Number(o.id) === id) : pd.deals().find((d: Rec) => Number(d.id) === id)) as Rec | undefined;
	const value = (record?.custom_fields as IDataObject | undefined)?.[pd.fieldKey(entity, field)];
	return value ? String(value) : undefined;
}

/** The user delivery an event causes: `pipedrive:<entity>` or `propstreet:<type prefix>`, or null (no webhook). */
export function applyEvent(world: World, event: DayEvent): string | null {
	const pd = world.bed.pd.control;
	const ps = world.bed.ps.control as any;
	const tag = `${event.n}`;
	switch (event.kind) {
		case 'pd-person-edit':
		case 'pd-person-edit-filtered':
			pd.updatePerson(event.id, { investor_strategy: `Value-add, edit ${tag} in Pipedrive` });
			return 'pipedrive:person';
		case 'pd-org-edit': {
			const org = pd.organizations().find((o: Rec) => Number(o.id) === event.id) as Rec;
			pd.updateOrganization(event.id, { name: `${String(org.name).replace(/ \(e\d+\)$/, '')} (e${tag})` });
			return 'pipedrive:organization';
		}
		case 'ps-contact-edit':
			ps.updateContact(need(propstreetIdOf(world, 'person', event.id), event), { strategy: `Opportunistic, edit ${tag} in Propstreet` });
			return 'propstreet:contact';
		case 'ps-company-edit': {
			const id = need(propstreetIdOf(world, 'organization', event.id), event);
			const company = (ps.state().companies as Rec[]).find((c) => c.id === id)!;
			ps.updateCompany(id, { name: `${String(company.name).replace(/ \(p\d+\)$/, '')} (p${tag})` });
			return 'propstreet:company';
		}
		case 'pd-new-investor':
		case 'pd-new-filtered': {
			const label = event.kind === 'pd-new-investor' ? 'Investor' : 'Broker';
			const labels = (pd.fields('person').find((f: Rec) => f.field_code === 'label_ids') as Rec).options as Rec[];
			pd.createPerson({ name: `Ny Person ${tag}`, emails: [{ value: `ny.${tag}@nyfirma.example.se`, primary: true, label: 'work' }], label_ids: [labels.find((o) => o.label === label)!.id] });
			return 'pipedrive:person';
		}
		case 'ps-new-contact':
			ps.createContact({ firstName: 'Ny', lastName: `Kontakt ${tag}`, email: `kontakt.${tag}@propstreet-only.example.no`, tags: ['investor'] });
			return 'propstreet:contact';
		case 'stage-change': {
			const deal = pd.deals().find((d: Rec) => Number(d.id) === event.id) as Rec;
			const current = (pd.stages() as Rec[]).find((s) => s.id === deal.stage_id)?.name;
			pd.moveDealToStage(event.id, STAGES[(STAGES.indexOf(current) + 1) % STAGES.length]);
			return 'pipedrive:deal';
		}
		case 'participant-add': {
			const on = new Set(pd.participants(event.id).map((p: Rec) => Number(p.person_id)));
			const person = world.investors.find((p, i) => i % 5 === event.n % 5 && !on.has(p))!;
			pd.addParticipant(event.id, person);
			event.personId = person;
			return null;
		}
		case 'participant-remove': {
			const person = Number(pd.participants(event.id)[0].person_id);
			pd.removeParticipant(event.id, person);
			event.personId = person;
			return null;
		}
		case 'prospect-change': {
			const project = need(propstreetIdOf(world, 'deal', event.id), event);
			const prospect = (ps.state().prospects as Rec[]).find((p) => p.projectId === project && !p.deletedUtc)!;
			const next = CLASSES[(CLASSES.indexOf(prospect.classification) + 2) % CLASSES.length];
			ps.updateProspect(project, prospect.id, { classification: next });
			return 'propstreet:prospect';
		}
		case 'note':
			pd.addNote({ content: `<p>Visning bokad (${tag})</p>`, deal_id: event.id });
			return 'pipedrive:note';
	}
}

function need(value: string | undefined, event: DayEvent): string {
	if (!value) throw new Error(`day event ${event.n} (${event.kind}): record ${event.id} has no Propstreet counterpart after the setup`);
	return value;
}
