/**
 * The day's sanity checks (a failure fails the bench): both sides in step for every linked record
 * of the bench's own data, and as many records created as the event list has new synced records.
 */
import type { World } from './world';

type Rec = Record<string, any>;

export interface Counts {
	pdPersons: number;
	pdOrganizations: number;
	pdDeals: number;
	psContacts: number;
	psCompanies: number;
	psProjects: number;
}

export function countRecords(world: World): Counts {
	const pd = world.bed.pd.control;
	const ps = (world.bed.ps.control as any).state();
	const live = (list: Rec[]) => list.filter((r) => !r.deletedUtc && !r.is_deleted && r.active_flag !== false).length;
	return {
		pdPersons: live(pd.persons() as Rec[]),
		pdOrganizations: live(pd.organizations() as Rec[]),
		pdDeals: live(pd.deals() as Rec[]),
		psContacts: live(ps.contacts),
		psCompanies: live(ps.companies),
		psProjects: live(ps.projects),
	};
}

/** Records the sync created: growth on each side less what the users created there. */
export function createdBySync(before: Counts, after: Counts, userCreated: { pipedrivePersons: number; propstreetContacts: number }): number {
	return (
		after.pdPersons - before.pdPersons - userCreated.pipedrivePersons +
		(after.psContacts - before.psContacts - userCreated.propstreetContacts) +
		(after.pdOrganizations - before.pdOrganizations) +
		(after.psCompanies - before.psCompanies) +
		(after.pdDeals - before.pdDeals) +
		(after.psProjects - before.psProjects)
	);
}

const norm = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

/** Every disagreement on the synced fields the day touches, for the bench's linked records. */
export function outOfStep(world: World): string[] {
	const pd = world.bed.pd.control;
	const ps = (world.bed.ps.control as any).state();
	const key = (entity: 'person' | 'organization' | 'deal', name: string) => pd.fieldKey(entity, name);
	const contacts = new Map<string, Rec>((ps.contacts as Rec[]).filter((c) => !c.deletedUtc).map((c) => [c.id, c]));
	const companies = new Map<string, Rec>((ps.companies as Rec[]).filter((c) => !c.deletedUtc).map((c) => [c.id, c]));
	const projects = new Map<string, Rec>((ps.projects as Rec[]).filter((c) => !c.deletedUtc).map((c) => [c.id, c]));
	const problems: string[] = [];
	const investorLabel = (pd.fields('person').find((f) => f.field_code === 'label_ids') as unknown as { options: Rec[] }).options.find((o) => o.label === 'Investor')!.id;
	const contactOf = new Map<number, string>();
	for (const person of pd.persons() as Rec[]) {
		const id = norm(person.custom_fields?.[key('person', 'propstreet_contact_id')]);
		const investor = ((person.label_ids ?? []) as number[]).includes(investorLabel);
		if (!investor) continue;
		const contact = contacts.get(id);
		if (!contact) {
			problems.push(`investor person ${person.id} has no live Propstreet contact (${id || 'no id'})`);
			continue;
		}
		contactOf.set(Number(person.id), id);
		if (norm(person.custom_fields?.[key('person', 'investor_strategy')]) !== norm(contact.strategy)) problems.push(`person ${person.id} strategy "${person.custom_fields?.[key('person', 'investor_strategy')]}" ≠ contact ${id} "${contact.strategy}"`);
	}
	for (const org of pd.organizations() as Rec[]) {
		if (!world.organizations.includes(Number(org.id))) continue;
		const id = norm(org.custom_fields?.[key('organization', 'propstreet_company_id')]);
		const company = companies.get(id);
		if (!company) problems.push(`organization ${org.id} has no live Propstreet company (${id || 'no id'})`);
		else if (norm(org.name) !== norm(company.name)) problems.push(`organization ${org.id} "${org.name}" ≠ company ${id} "${company.name}"`);
	}
	for (const dealId of world.deals) {
		const deal = (pd.deals() as Rec[]).find((d) => Number(d.id) === dealId)!;
		const id = norm(deal.custom_fields?.[key('deal', 'propstreet_project_id')]);
		if (!projects.has(id)) {
			problems.push(`deal ${dealId} has no live Propstreet project (${id || 'no id'})`);
			continue;
		}
		const participants = pd.participants(dealId).map((p) => contactOf.get(Number(p.person_id)) ?? `person ${p.person_id}`).sort();
		const prospects = (ps.prospects as Rec[]).filter((p) => p.projectId === id && !p.deletedUtc).map((p) => String(p.contactId)).sort();
		if (JSON.stringify(participants) !== JSON.stringify(prospects)) problems.push(`deal ${dealId} participants [${participants.join(', ')}] ≠ project ${id} prospects [${prospects.join(', ')}]`);
	}
	return problems;
}
