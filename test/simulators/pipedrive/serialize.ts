/**
 * Output shapes: API v2 objects, legacy API v1 objects (participants, notes, search and the v1 reads
 * still embed them), search items, and the Webhooks v2 `data` form (reference §14.3: crucial fields
 * only, `visible_to` as a string, `label` next to `label_ids`, typed custom values).
 */
import { v1CustomEntries, v2CustomValue, webhookCustomValue } from './fields';
import type { Store } from './store';
import type { DealRecord, FieldEntity, NoteRecord, OrganizationRecord, ParticipantRecord, PersonRecord, PipelineRecord, StageRecord, UserRecord } from './types';
import { rfc3339, v1Time } from './util';

export interface V2Options {
	/** `custom_fields` query: only these keys (default all, unset ones as null). */
	customFieldKeys?: string[];
	includeOptionLabels?: boolean;
	includeLabels?: boolean;
	includeFields?: string[];
}

function v2Custom(store: Store, entity: FieldEntity, custom: Record<string, unknown>, options: V2Options): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const field of store.fields.custom(entity)) {
		if (options.customFieldKeys && !options.customFieldKeys.includes(field.key)) continue;
		out[field.key] = v2CustomValue(field, custom[field.key], options.includeOptionLabels === true);
	}
	return out;
}

function labelObjects(store: Store, entity: FieldEntity, ids: number[]): { id: number; label: string }[] {
	const options = store.fields.labelOptions(entity);
	return ids.map((id) => ({ id, label: options.find((o) => o.id === id)?.label ?? '' }));
}

const contactCopy = (items: { value: string; primary: boolean; label: string }[]) => items.map((i) => ({ value: i.value, primary: i.primary, label: i.label }));

export function v2Person(store: Store, p: PersonRecord, options: V2Options = {}): Record<string, unknown> {
	const out: Record<string, unknown> = {
		id: p.id,
		name: p.name,
		first_name: p.first_name,
		last_name: p.last_name,
		add_time: rfc3339(p.add_time),
		update_time: rfc3339(p.update_time),
		visible_to: p.visible_to,
		custom_fields: v2Custom(store, 'person', p.custom, options),
		owner_id: p.owner_id,
		label_ids: [...p.label_ids],
		org_id: p.org_id,
		is_deleted: p.is_deleted,
		picture_id: p.picture_id,
		phones: contactCopy(p.phones),
		emails: contactCopy(p.emails),
	};
	if (store.switches.contactSync) {
		Object.assign(out, { im: contactCopy(p.im), birthday: p.birthday, job_title: p.job_title, notes: p.notes, postal_address: p.postal_address ? { ...p.postal_address } : null });
	}
	if (options.includeLabels) out.labels = labelObjects(store, 'person', p.label_ids);
	for (const field of options.includeFields ?? []) out[field] = store.personCounter(p, field);
	return out;
}

export function v2Organization(store: Store, o: OrganizationRecord, options: V2Options = {}): Record<string, unknown> {
	const out: Record<string, unknown> = {
		id: o.id,
		name: o.name,
		owner_id: o.owner_id,
		add_time: rfc3339(o.add_time),
		update_time: rfc3339(o.update_time),
		is_deleted: o.is_deleted,
		visible_to: o.visible_to,
		label_ids: [...o.label_ids],
		address: o.address ? { ...o.address } : null,
		website: o.website,
		linkedin: o.linkedin,
		industry: o.industry,
		annual_revenue: o.annual_revenue,
		employee_count: o.employee_count,
		picture_id: o.picture_id,
		custom_fields: v2Custom(store, 'organization', o.custom, options),
	};
	if (options.includeLabels) out.labels = labelObjects(store, 'organization', o.label_ids);
	for (const field of options.includeFields ?? []) out[field] = store.organizationCounter(o, field);
	return out;
}

export function v2Deal(store: Store, d: DealRecord, options: V2Options = {}): Record<string, unknown> {
	const out: Record<string, unknown> = {
		id: d.id,
		title: d.title,
		creator_user_id: d.creator_user_id,
		owner_id: d.owner_id,
		value: d.value,
		person_id: d.person_id,
		org_id: d.org_id,
		stage_id: d.stage_id,
		pipeline_id: d.pipeline_id,
		currency: d.currency,
		archive_time: rfc3339(d.archive_time),
		add_time: rfc3339(d.add_time),
		update_time: rfc3339(d.update_time),
		stage_change_time: rfc3339(d.stage_change_time),
		status: d.status,
		is_archived: d.is_archived,
		is_deleted: d.is_deleted,
		probability: d.probability,
		lost_reason: d.lost_reason,
		visible_to: d.visible_to,
		close_time: rfc3339(d.close_time),
		won_time: rfc3339(d.won_time),
		lost_time: rfc3339(d.lost_time),
		local_won_date: d.won_time ? new Date(d.won_time).toISOString().slice(0, 10) : null,
		local_lost_date: d.lost_time ? new Date(d.lost_time).toISOString().slice(0, 10) : null,
		local_close_date: d.close_time ? new Date(d.close_time).toISOString().slice(0, 10) : null,
		expected_close_date: d.expected_close_date,
		label_ids: [...d.label_ids],
		origin: d.origin,
		origin_id: d.origin_id,
		channel: d.channel,
		channel_id: d.channel_id,
		acv: null,
		arr: null,
		mrr: null,
		custom_fields: v2Custom(store, 'deal', d.custom, options),
	};
	if (options.includeLabels) out.labels = labelObjects(store, 'deal', d.label_ids);
	for (const field of options.includeFields ?? []) out[field] = field === 'first_won_time' ? rfc3339(d.first_won_time) : store.dealCounter(d, field);
	return out;
}

export function v2Pipeline(p: PipelineRecord): Record<string, unknown> {
	return { id: p.id, name: p.name, order_nr: p.order_nr, is_deleted: p.is_deleted, is_deal_probability_enabled: p.is_deal_probability_enabled, add_time: rfc3339(p.add_time), update_time: rfc3339(p.update_time) };
}

export function v2Stage(s: StageRecord): Record<string, unknown> {
	return {
		id: s.id, order_nr: s.order_nr, name: s.name, is_deleted: s.is_deleted, deal_probability: s.deal_probability, pipeline_id: s.pipeline_id,
		is_deal_rot_enabled: s.is_deal_rot_enabled, days_to_rotten: s.days_to_rotten, add_time: rfc3339(s.add_time), update_time: rfc3339(s.update_time),
	};
}

// ---------------------------------------------------------------------------------------------
// v1

export function v1User(store: Store, u: UserRecord, isYou = false): Record<string, unknown> {
	return {
		id: u.id, name: u.name, email: u.email, lang: u.lang, locale: u.locale, timezone_name: u.timezone_name,
		timezone_offset: '+01:00', default_currency: store.company.currency, icon_url: null, active_flag: u.active_flag,
		is_admin: u.is_admin ? 1 : 0, role_id: u.role_id, created: v1Time(u.created), has_created_company: u.id === 1,
		is_you: isYou, phone: null, last_login: v1Time(store.now()), modified: v1Time(u.created), access: [{ app: 'sales', admin: u.is_admin, permission_set_id: 'sim' }],
		company_id: store.company.id, company_name: store.company.name, company_domain: store.company.domain, company_country: 'SE',
		company_industry: 'Real estate',
	};
}

function ownerObject(store: Store, ownerId: number): Record<string, unknown> {
	const user = store.users.get(ownerId);
	return { id: ownerId, name: user?.name ?? '', email: user?.email ?? '', has_pic: 0, pic_hash: null, active_flag: true, value: ownerId };
}

export function v1Person(store: Store, p: PersonRecord): Record<string, unknown> {
	const org = p.org_id !== null ? store.organizations.get(p.org_id) : undefined;
	const out: Record<string, unknown> = {
		id: p.id,
		company_id: store.company.id,
		owner_id: ownerObject(store, p.owner_id),
		org_id: org ? { name: org.name, people_count: store.peopleCount(org.id), owner_id: org.owner_id, address: org.address?.value ?? null, active_flag: !org.is_deleted, cc_email: null, value: org.id } : null,
		name: p.name,
		first_name: p.first_name,
		last_name: p.last_name,
		first_char: p.name.charAt(0).toLowerCase(),
		open_deals_count: store.personCounter(p, 'open_deals_count'),
		closed_deals_count: store.personCounter(p, 'closed_deals_count'),
		participant_open_deals_count: store.personCounter(p, 'participant_open_deals_count'),
		notes_count: store.personCounter(p, 'notes_count'),
		active_flag: !p.is_deleted,
		phone: p.phones.length ? contactCopy(p.phones) : [{ value: '', primary: true }],
		email: p.emails.length ? contactCopy(p.emails) : [{ value: '', primary: true }],
		primary_email: p.emails.find((e) => e.primary)?.value ?? null,
		add_time: v1Time(p.add_time),
		update_time: v1Time(p.update_time),
		visible_to: String(p.visible_to),
		picture_id: null,
		label: p.label_ids[0] ?? null,
		label_ids: [...p.label_ids],
		org_name: org?.name ?? null,
		owner_name: store.users.get(p.owner_id)?.name ?? '',
		cc_email: `${store.company.domain}@pipedrivemail.com`,
	};
	if (store.switches.contactSync) Object.assign(out, { job_title: p.job_title, birthday: p.birthday, notes: p.notes, im: contactCopy(p.im) });
	for (const field of store.fields.custom('person')) Object.assign(out, v1CustomEntries(field, p.custom[field.key]));
	return out;
}

export function v1Organization(store: Store, o: OrganizationRecord): Record<string, unknown> {
	const a = o.address;
	const out: Record<string, unknown> = {
		id: o.id,
		company_id: store.company.id,
		owner_id: ownerObject(store, o.owner_id),
		name: o.name,
		first_char: o.name.charAt(0).toLowerCase(),
		people_count: store.peopleCount(o.id),
		open_deals_count: store.organizationCounter(o, 'open_deals_count'),
		active_flag: !o.is_deleted,
		visible_to: String(o.visible_to),
		add_time: v1Time(o.add_time),
		update_time: v1Time(o.update_time),
		label: o.label_ids[0] ?? null,
		label_ids: [...o.label_ids],
		owner_name: store.users.get(o.owner_id)?.name ?? '',
		cc_email: `${store.company.domain}@pipedrivemail.com`,
		country_code: store.countryCode(o),
		address: a?.value ?? null,
		address_subpremise: a?.subpremise ?? null,
		address_street_number: a?.street_number ?? null,
		address_route: a?.route ?? null,
		address_sublocality: a?.sublocality ?? null,
		address_locality: a?.locality ?? null,
		address_admin_area_level_1: a?.admin_area_level_1 ?? null,
		address_admin_area_level_2: a?.admin_area_level_2 ?? null,
		address_country: a?.country ?? null,
		address_postal_code: a?.postal_code ?? null,
		address_formatted_address: a?.formatted_address ?? null,
	};
	for (const field of store.fields.custom('organization')) Object.assign(out, v1CustomEntries(field, o.custom[field.key]));
	return out;
}

export function v1Deal(store: Store, d: DealRecord): Record<string, unknown> {
	const person = d.person_id !== null ? store.persons.get(d.person_id) : undefined;
	const org = d.org_id !== null ? store.organizations.get(d.org_id) : undefined;
	const stage = store.stages.get(d.stage_id);
	const out: Record<string, unknown> = {
		id: d.id,
		creator_user_id: ownerObject(store, d.creator_user_id),
		user_id: ownerObject(store, d.owner_id),
		person_id: person ? { active_flag: !person.is_deleted, name: person.name, email: contactCopy(person.emails), phone: contactCopy(person.phones), owner_id: person.owner_id, value: person.id } : null,
		org_id: org ? { name: org.name, people_count: store.peopleCount(org.id), owner_id: org.owner_id, address: org.address?.value ?? null, active_flag: !org.is_deleted, cc_email: null, value: org.id } : null,
		stage_id: d.stage_id,
		title: d.title,
		value: d.value,
		currency: d.currency,
		add_time: v1Time(d.add_time),
		update_time: v1Time(d.update_time),
		stage_change_time: v1Time(d.stage_change_time),
		active: d.status === 'open',
		deleted: d.is_deleted,
		status: d.is_deleted ? 'deleted' : d.status,
		probability: d.probability,
		lost_reason: d.lost_reason,
		visible_to: String(d.visible_to),
		close_time: v1Time(d.close_time),
		pipeline_id: d.pipeline_id,
		won_time: v1Time(d.won_time),
		first_won_time: v1Time(d.first_won_time),
		lost_time: v1Time(d.lost_time),
		expected_close_date: d.expected_close_date,
		label: d.label_ids.join(',') || null,
		stage_order_nr: stage?.order_nr ?? null,
		person_name: person?.name ?? null,
		org_name: org?.name ?? null,
		owner_name: store.users.get(d.owner_id)?.name ?? '',
		participants_count: store.dealCounter(d, 'participants_count'),
		notes_count: store.dealCounter(d, 'notes_count'),
		weighted_value: d.value,
		formatted_value: `${d.value} ${d.currency}`,
		origin: d.origin,
		origin_id: d.origin_id,
	};
	for (const field of store.fields.custom('deal')) Object.assign(out, v1CustomEntries(field, d.custom[field.key]));
	return out;
}

/** Deal participant item (Node SDK 31.4.0 schema). */
export function v1Participant(store: Store, part: ParticipantRecord): Record<string, unknown> {
	const person = store.persons.get(part.person_id)!;
	const deal = store.deals.get(part.deal_id)!;
	return {
		id: part.id,
		person_id: {
			value: person.id,
			name: person.name,
			active_flag: !person.is_deleted,
			owner_id: person.owner_id,
			company_id: store.company.id,
			email: contactCopy(person.emails),
			phone: contactCopy(person.phones),
		},
		add_time: v1Time(part.add_time),
		active_flag: part.active,
		related_item_data: { deal_id: deal.id, title: deal.title },
		person: v1Person(store, person),
		added_by_user_id: v1UserBrief(store, part.added_by_user_id),
		related_item_type: 'deal',
		related_item_id: deal.id,
	};
}

function v1UserBrief(store: Store, id: number): Record<string, unknown> {
	const user = store.users.get(id);
	return { id, name: user?.name ?? '', email: user?.email ?? '', has_pic: 0, pic_hash: null, active_flag: true };
}

export function v1Note(store: Store, n: NoteRecord): Record<string, unknown> {
	const deal = n.deal_id !== null ? store.deals.get(n.deal_id) : undefined;
	const person = n.person_id !== null ? store.persons.get(n.person_id) : undefined;
	const org = n.org_id !== null ? store.organizations.get(n.org_id) : undefined;
	const user = store.users.get(n.user_id);
	return {
		id: n.id,
		user_id: n.user_id,
		deal_id: n.deal_id,
		person_id: n.person_id,
		org_id: n.org_id,
		lead_id: n.lead_id,
		project_id: n.project_id,
		content: n.content,
		add_time: v1Time(n.add_time),
		update_time: v1Time(n.update_time),
		active_flag: n.active_flag,
		last_update_user_id: n.last_update_user_id,
		pinned_to_deal_flag: n.pinned_to_deal_flag,
		pinned_to_person_flag: n.pinned_to_person_flag,
		pinned_to_organization_flag: n.pinned_to_organization_flag,
		pinned_to_lead_flag: n.pinned_to_lead_flag,
		pinned_to_project_flag: n.pinned_to_project_flag,
		deal: deal ? { title: deal.title } : null,
		person: person ? { name: person.name } : null,
		organization: org ? { name: org.name } : null,
		project: null,
		user: { email: user?.email ?? '', name: user?.name ?? '', icon_url: null, is_you: n.user_id === 1 },
	};
}

export function v1Pipeline(p: PipelineRecord): Record<string, unknown> {
	return { id: p.id, name: p.name, url_title: p.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), order_nr: p.order_nr, active: !p.is_deleted, deal_probability: p.is_deal_probability_enabled, add_time: v1Time(p.add_time), update_time: v1Time(p.update_time), selected: p.order_nr === 0 };
}

export function v1Stage(store: Store, s: StageRecord): Record<string, unknown> {
	const pipeline = store.pipelines.get(s.pipeline_id);
	return {
		id: s.id, order_nr: s.order_nr, name: s.name, active_flag: !s.is_deleted, deal_probability: s.deal_probability, pipeline_id: s.pipeline_id,
		pipeline_name: pipeline?.name ?? null, pipeline_deal_probability: pipeline?.is_deal_probability_enabled ?? false, rotten_flag: s.is_deal_rot_enabled,
		rotten_days: s.days_to_rotten, add_time: v1Time(s.add_time), update_time: v1Time(s.update_time),
	};
}

// ---------------------------------------------------------------------------------------------
// Webhooks v2 `data`

function webhookCustom(store: Store, entity: FieldEntity, custom: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const field of store.fields.custom(entity)) out[field.key] = webhookCustomValue(field, custom[field.key]);
	return out;
}

export function webhookPerson(store: Store, p: PersonRecord): Record<string, unknown> {
	return {
		add_time: rfc3339(p.add_time),
		custom_fields: webhookCustom(store, 'person', p.custom),
		emails: contactCopy(p.emails),
		first_name: p.first_name,
		id: p.id,
		// Official examples (2022–2024) show the legacy single `label`; newer payloads may carry
		// `label_ids` (not confirmed), so both are sent.
		label: p.label_ids[0] ?? null,
		label_ids: [...p.label_ids],
		last_name: p.last_name,
		name: p.name,
		org_id: p.org_id,
		owner_id: p.owner_id,
		phones: contactCopy(p.phones),
		update_time: rfc3339(p.update_time),
		visible_to: String(p.visible_to),
	};
}

export function webhookOrganization(store: Store, o: OrganizationRecord): Record<string, unknown> {
	return {
		add_time: rfc3339(o.add_time),
		address: o.address ? { ...o.address } : null,
		country_code: store.countryCode(o),
		custom_fields: webhookCustom(store, 'organization', o.custom),
		id: o.id,
		label: o.label_ids[0] ?? null,
		label_ids: [...o.label_ids],
		name: o.name,
		owner_id: o.owner_id,
		picture_id: o.picture_id,
		update_time: rfc3339(o.update_time),
		visible_to: String(o.visible_to),
	};
}

export function webhookDeal(store: Store, d: DealRecord): Record<string, unknown> {
	return {
		add_time: rfc3339(d.add_time),
		channel: d.channel,
		channel_id: d.channel_id,
		close_time: rfc3339(d.close_time),
		creator_user_id: d.creator_user_id,
		currency: d.currency,
		custom_fields: webhookCustom(store, 'deal', d.custom),
		expected_close_date: d.expected_close_date,
		first_won_time: rfc3339(d.first_won_time),
		id: d.id,
		is_archived: d.is_archived,
		label_ids: [...d.label_ids],
		lost_reason: d.lost_reason,
		lost_time: rfc3339(d.lost_time),
		org_id: d.org_id,
		origin: d.origin,
		origin_id: d.origin_id,
		owner_id: d.owner_id,
		person_id: d.person_id,
		pipeline_id: d.pipeline_id,
		probability: d.probability,
		stage_change_time: rfc3339(d.stage_change_time),
		stage_id: d.stage_id,
		status: d.status,
		title: d.title,
		update_time: rfc3339(d.update_time),
		value: d.value,
		visible_to: String(d.visible_to),
		won_time: rfc3339(d.won_time),
	};
}

export function webhookNote(n: NoteRecord): Record<string, unknown> {
	return {
		id: n.id, user_id: n.user_id, deal_id: n.deal_id, person_id: n.person_id, org_id: n.org_id, lead_id: n.lead_id, project_id: n.project_id,
		active_flag: n.active_flag, content: n.content, add_time: rfc3339(n.add_time), update_time: rfc3339(n.update_time),
		pinned_to_deal_flag: n.pinned_to_deal_flag, pinned_to_person_flag: n.pinned_to_person_flag, pinned_to_organization_flag: n.pinned_to_organization_flag,
	};
}

/**
 * `previous` on a change: the fields whose values changed, with the old values; custom fields nested
 * under `custom_fields` with only the changed keys. `update_time` is left out (the documented example
 * shows only the edited field).
 */
export function changedPrevious(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> | null {
	const previous: Record<string, unknown> = {};
	for (const key of Object.keys(after)) {
		if (key === 'update_time') continue;
		if (key === 'custom_fields') {
			const b = (before.custom_fields ?? {}) as Record<string, unknown>;
			const a = (after.custom_fields ?? {}) as Record<string, unknown>;
			const changed: Record<string, unknown> = {};
			for (const k of Object.keys(a)) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) changed[k] = b[k] ?? null;
			if (Object.keys(changed).length) previous.custom_fields = changed;
			continue;
		}
		if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key] ?? null;
	}
	return Object.keys(previous).length ? previous : null;
}
