/**
 * Loads the shared Nordic dataset (test/simulators/seed/nordic.ts) into the Pipedrive side: the people,
 * firms and deals that exist in Pipedrive (`linked`, `match`, `conflict`, `pipedriveOnly`) under the
 * ids from seed/ids.ts, the custom fields the integration uses (40-hex keys = sha1 of the field name),
 * the person labels, the "Nordic Transactions" pipeline and the deal participants. Linked and conflict
 * records carry their Propstreet id in a custom field; match and pipedriveOnly ones do not.
 */
import { pipedriveIdFor, propstreetIdFor } from '../seed/ids';
import { deals, firms, persons, PERSON_LABELS, PIPELINE_NAME, PROPERTY_TYPES, STAGES, type ProspectClassification } from '../seed/nordic';
import { seededFieldKey } from './fields';
import type { Store, WriteContext } from './store';
import type { FieldDef, FieldEntity } from './types';

export const CLASSIFICATION_LABELS: Record<ProspectClassification, string> = {
	not_contacted: 'Not contacted',
	contacted: 'Contacted',
	interested: 'Interested',
	not_interested: 'Not interested',
	bidder: 'Bidder',
};

/** The custom fields the integration uses, by entity: name → type (and options). */
export const SEEDED_CUSTOM_FIELDS: { entity: FieldEntity; name: string; type: string; options?: readonly string[] }[] = [
	{ entity: 'person', name: 'propstreet_contact_id', type: 'varchar' },
	{ entity: 'person', name: 'investor_strategy', type: 'text' },
	{ entity: 'person', name: 'classification', type: 'enum', options: Object.values(CLASSIFICATION_LABELS) },
	{ entity: 'organization', name: 'propstreet_company_id', type: 'varchar' },
	{ entity: 'organization', name: 'domain', type: 'varchar' },
	{ entity: 'organization', name: 'org_number', type: 'varchar' },
	{ entity: 'deal', name: 'propstreet_project_id', type: 'varchar' },
	{ entity: 'deal', name: 'is_portfolio', type: 'enum', options: ['Yes', 'No'] },
	{ entity: 'deal', name: 'property_count', type: 'double' },
	{ entity: 'deal', name: 'property_type', type: 'set', options: PROPERTY_TYPES },
];

const DAY = 86_400_000;

export function seedNordic(store: Store): void {
	store.muted = true;
	try {
		store.reset({ personLabels: PERSON_LABELS, defaultPipeline: false });
		const ctx: WriteContext = { source: 'app', userId: 1 };
		const pipeline = store.createPipeline({ name: PIPELINE_NAME, is_deal_probability_enabled: true });
		const stageIds = new Map<string, number>();
		STAGES.forEach((name, index) => {
			const stage = store.createStage({ name, pipeline_id: pipeline.id, deal_probability: Math.round(((index + 1) / STAGES.length) * 100) });
			stageIds.set(name, stage.id);
		});
		const fields = new Map<string, FieldDef>();
		for (const def of SEEDED_CUSTOM_FIELDS) {
			fields.set(def.name, store.fields.create(def.entity, { name: def.name, field_type: def.type, options: def.options?.map((label) => ({ label })), key: seededFieldKey(def.name) }));
		}
		const option = (field: string, label: string): number => {
			const found = fields.get(field)!.options!.find((o) => o.label === label);
			if (!found) throw new Error(`Seed: no option "${label}" on ${field}`);
			return found.id;
		};
		const key = (field: string) => fields.get(field)!.key;
		const personLabelIds = new Map(store.fields.labelOptions('person').map((o) => [o.label, o.id]));
		const start = store.now() - 60 * DAY;
		const inPipedrive = (presence: string) => presence !== 'propstreetOnly';
		const linked = (presence: string) => presence === 'linked' || presence === 'conflict';

		firms.forEach((firm, index) => {
			if (!inPipedrive(firm.presence)) return;
			const custom: Record<string, unknown> = {};
			if (linked(firm.presence)) custom[key('propstreet_company_id')] = propstreetIdFor('company', firm.key);
			if (firm.domain) custom[key('domain')] = firm.domain;
			if (firm.orgNumber) custom[key('org_number')] = firm.orgNumber;
			const value = `${firm.addressLocality}, ${firm.addressCountry}`;
			const org = store.createOrganization(
				{
					name: firm.name,
					address: { value, locality: firm.addressLocality, country: firm.addressCountry, formatted_address: value },
					custom_fields: custom,
				},
				ctx,
				{ id: pipedriveIdFor('organization', firm.key) },
			);
			org.add_time = start + index * 3_600_000;
			org.update_time = firm.presence === 'conflict' ? store.now() - 3_600_000 : org.add_time + DAY;
		});

		const firstClassification = new Map<string, ProspectClassification>();
		for (const deal of deals) for (const prospect of deal.prospects) if (!firstClassification.has(prospect.personKey)) firstClassification.set(prospect.personKey, prospect.classification);

		persons.forEach((person, index) => {
			if (!inPipedrive(person.presence)) return;
			const firm = person.firmKey ? firms.find((f) => f.key === person.firmKey) : undefined;
			const custom: Record<string, unknown> = {};
			if (linked(person.presence)) custom[key('propstreet_contact_id')] = propstreetIdFor('contact', person.key);
			if (person.strategy) custom[key('investor_strategy')] = person.strategy;
			const classification = firstClassification.get(person.key);
			if (classification && linked(person.presence)) custom[key('classification')] = option('classification', CLASSIFICATION_LABELS[classification]);
			const record = store.createPerson(
				{
					name: person.name,
					first_name: person.firstName,
					last_name: person.lastName,
					emails: person.emails.map((e) => ({ ...e })),
					phones: person.phones.map((p) => ({ ...p })),
					org_id: firm && inPipedrive(firm.presence) ? pipedriveIdFor('organization', firm.key) : null,
					label_ids: person.labels.map((label) => personLabelIds.get(label)!),
					job_title: person.jobTitle,
					custom_fields: custom,
				},
				ctx,
				{ id: pipedriveIdFor('person', person.key) },
			);
			record.add_time = start + index * 3_600_000;
			record.update_time = person.presence === 'conflict' ? store.now() - 3_600_000 : record.add_time + DAY;
		});

		deals.forEach((deal, index) => {
			if (!inPipedrive(deal.presence)) return;
			const personExists = (k: string | null) => !!k && inPipedrive(persons.find((p) => p.key === k)!.presence);
			const firm = deal.firmKey ? firms.find((f) => f.key === deal.firmKey) : undefined;
			const custom: Record<string, unknown> = {
				[key('is_portfolio')]: option('is_portfolio', deal.isPortfolio ? 'Yes' : 'No'),
				[key('property_count')]: deal.propertyCount,
				[key('property_type')]: deal.propertyTypes.length ? deal.propertyTypes.map((t) => option('property_type', t)) : null,
			};
			if (linked(deal.presence)) custom[key('propstreet_project_id')] = propstreetIdFor('project', deal.key);
			const record = store.createDeal(
				{
					title: deal.title,
					stage_id: stageIds.get(deal.stage)!,
					status: deal.status,
					value: deal.value,
					currency: deal.currency,
					person_id: personExists(deal.personKey) ? pipedriveIdFor('person', deal.personKey!) : null,
					org_id: firm && inPipedrive(firm.presence) ? pipedriveIdFor('organization', firm.key) : null,
					custom_fields: custom,
				},
				ctx,
				{ id: pipedriveIdFor('deal', deal.key) },
			);
			for (const participantKey of deal.participantKeys) {
				if (personExists(participantKey)) store.addParticipant(record.id, pipedriveIdFor('person', participantKey), ctx);
			}
			record.add_time = start + index * 7_200_000;
			record.update_time = record.add_time + 2 * DAY;
			record.stage_change_time = record.update_time;
			for (const part of store.activeParticipants(record.id)) part.add_time = record.add_time;
		});
		for (const entry of store.participantChangelog) entry.time = store.deals.get(entry.deal_id)?.add_time ?? entry.time;

		store.createNote(
			{ content: '<p>Teaser sent to Nordhav; site visit planned for the Kista portfolio.</p>', deal_id: pipedriveIdFor('deal', 'kista'), person_id: pipedriveIdFor('person', 'astrid') },
			ctx,
		);
	} finally {
		store.muted = false;
	}
}
