/** Pipedrive person ⇄ Propstreet contact. */
import { customFieldText, readCustomField, type FieldCatalog } from '../customFields';
import { joinName, personNameFromPipedrive } from '../names';
import type { MapperConfig } from './config';
import {
	BodyBuilder,
	currentView,
	idOf,
	invertIdMap,
	ownValue,
	isoTime,
	isRecord,
	pickPrimary,
	pipedriveIdOf,
	pipedriveSource,
	propstreetMatch,
	refsOf,
	text,
	type Draft,
	type JsonRecord,
	type MapperContext,
	type SourceEnvelope,
} from './common';
import { sameValue } from './compare';
import { labelIdsFromTags, labelIdsOf, labelOptions, managedTags, normaliseTag, tagForLabel, tagsFromLabelIds } from './labels';
import { isEmailAddress } from '../email';

const BUILT_IN_JOB_TITLE = 'job_title';

export function personKeys(config: MapperConfig, catalog: FieldCatalog) {
	const k = config.fieldKeys.person;
	return {
		contactId: catalog.resolveKey(k.propstreetContactId),
		strategy: catalog.resolveKey(k.investorStrategy),
		classification: catalog.resolveKey(k.classification),
		jobTitle: k.jobTitle === BUILT_IN_JOB_TITLE ? BUILT_IN_JOB_TITLE : catalog.resolveKey(k.jobTitle),
	};
}

function readJobTitle(record: JsonRecord, key: string, catalog: FieldCatalog): string | null | undefined {
	if (key === BUILT_IN_JOB_TITLE) return 'job_title' in record ? text(record.job_title) : undefined;
	const value = readCustomField(record, key, catalog);
	return value === undefined ? undefined : customFieldText(value);
}

function companyConnections(current: JsonRecord | null | undefined): Array<{ company: { kind: 'existing'; id: string }; jobTitle: string | null; primary: boolean }> {
	if (!current || !Array.isArray(current.companies)) return [];
	const list = current.companies
		.filter(isRecord)
		.filter((c) => idOf(c.id))
		.map((c) => ({ company: { kind: 'existing' as const, id: idOf(c.id) as string }, jobTitle: text(c.jobTitle), primary: c.isPrimary === true }));
	return [...list.filter((c) => c.primary), ...list.filter((c) => !c.primary)];
}

/** A Propstreet contact in the shape of the body we send, for change and conflict checks. */
export function projectPropstreetContact(current: JsonRecord): JsonRecord {
	return {
		firstName: text(current.firstName),
		lastName: text(current.lastName),
		email: text(current.email),
		phone: text(current.phone),
		strategy: text(current.strategy),
		tags: Array.isArray(current.tags) ? [...new Set(current.tags.filter((t): t is string => typeof t === 'string').map(normaliseTag))].sort() : [],
		connections: companyConnections(current),
		externalRefs: refsOf(current.externalRefs),
	};
}

/** Pipedrive person (API v1/v2 or webhook data) → Propstreet contact body. */
export function personToContact(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const catalog = ctx.catalogs.person;
	const keys = personKeys(config, catalog);
	const b = new BodyBuilder(config, 'toPropstreet');
	const current = ctx.current ?? null;
	const { pipedriveId: personId, match } = pipedriveSource(record, keys.contactId, catalog, ctx.lookups.propstreetContactId, config.pipedriveNamespace);

	if (b.enabled('contact.name') && ('name' in record || 'first_name' in record || 'last_name' in record)) {
		const name = personNameFromPipedrive(record.name, record.first_name, record.last_name);
		b.set('contact.name', 'firstName', name.firstName);
		b.set('contact.name', 'lastName', name.lastName);
		if (!name.firstName && !name.lastName) b.warn('name', 'the person has no name');
	}

	const emails = pickPrimary(record.emails ?? record.email);
	if (emails.present) {
		if (emails.primary && !isEmailAddress(emails.primary)) {
			b.warn('email', `"${emails.primary}" is not a valid e-mail address; not sent`);
		} else {
			if (emails.primary) match.email = emails.primary.toLowerCase();
			if (b.enabled('contact.email')) b.set('contact.email', 'email', emails.primary);
		}
		if (emails.extra.length && b.enabled('contact.email')) {
			b.warn('email', `${emails.extra.length} more e-mail address(es) not synced (Propstreet keeps one): ${emails.extra.join(', ')}`);
		}
	}
	const phones = pickPrimary(record.phones ?? record.phone, 'phone');
	if (phones.present && b.enabled('contact.phone')) {
		if (phones.primary && phones.primary.length > 50) b.warn('phone', `"${phones.primary}" is longer than 50 characters; not sent`);
		else b.set('contact.phone', 'phone', phones.primary);
		if (phones.extra.length) b.warn('phone', `${phones.extra.length} more phone number(s) not synced (Propstreet keeps one): ${phones.extra.join(', ')}`);
	}

	if (b.enabled('contact.strategy')) {
		const strategy = readCustomField(record, keys.strategy, catalog);
		if (strategy !== undefined) b.set('contact.strategy', 'strategy', customFieldText(strategy));
	}

	if (b.enabled('contact.labels')) {
		const ids = labelIdsOf(record);
		if (ids !== undefined) {
			const options = labelOptions(catalog);
			const { tags, warnings } = tagsFromLabelIds(ids, options, config, 'labels');
			b.warnings.push(...warnings);
			if (tags !== undefined) {
				// Keep Propstreet-only tags (no Pipedrive label maps to them): PATCH replaces the list.
				const managed = managedTags(options ?? [], config);
				const keep = current && Array.isArray(current.tags) ? current.tags.filter((t): t is string => typeof t === 'string').map(normaliseTag).filter((t) => !managed.has(t)) : [];
				b.set('contact.labels', 'tags', [...new Set([...tags, ...keep])].sort());
			}
		}
	}

	const orgId = 'org_id' in record ? idOf(record.org_id) : undefined;
	if (orgId) match.pipedriveOrgId = orgId;
	const jobTitle = b.enabled('contact.jobTitle') ? readJobTitle(record, keys.jobTitle, catalog) : undefined;
	if (b.enabled('contact.organization') && orgId) {
		const companyId = ctx.lookups.propstreetCompanyId ?? ownValue(ctx.lookups.companyIdMap, orgId);
		if (companyId) {
			match.propstreetCompanyId = companyId;
			const others = companyConnections(current).filter((c) => c.company.id !== companyId).map((c) => ({ ...c, primary: false }));
			const existing = companyConnections(current).find((c) => c.company.id === companyId);
			const title = jobTitle !== undefined ? jobTitle : (existing?.jobTitle ?? null);
			b.set('contact.organization', 'connections', [{ company: { kind: 'existing', id: companyId }, jobTitle: title, primary: true }, ...others]);
		} else {
			b.warn('organization', `the Propstreet company for Pipedrive organization ${orgId} is not known; connection not sent (resolve match.pipedriveOrgId, then pass its id)`);
		}
	} else if (jobTitle && !orgId) {
		b.warn('jobTitle', 'the person has no organization; Propstreet keeps job titles on the company connection, so it is not sent');
	}

	if (personId && b.enabled('contact.pipedriveId')) b.setPipedriveRef('contact.pipedriveId', current, config.pipedriveNamespace, personId);

	return { ...b.parts(), match, sourceUpdatedAt: isoTime(record.update_time), ...currentView(current, projectPropstreetContact, 'updatedUtc') };
}

function normalisedList(list: unknown): Array<{ value: string; primary: boolean; label: string }> {
	if (!Array.isArray(list)) return [];
	const items = list
		.map((v) => (typeof v === 'string' ? { value: v, primary: false, label: 'work' } : isRecord(v) ? { value: text(v.value) ?? '', primary: v.primary === true, label: text(v.label) ?? 'work' } : null))
		.filter((v): v is { value: string; primary: boolean; label: string } => v !== null && v.value !== '');
	const primary = items.find((i) => i.primary) ?? items[0];
	if (!primary) return [];
	return [{ ...primary, primary: true }, ...items.filter((i) => i !== primary).map((i) => ({ ...i, primary: false }))];
}

/**
 * One primary value merged into the person's current list (other values stay: Pipedrive replaces
 * the whole list). An entry that is the same value in canonical form keeps its text and label, so
 * `+46701234567` from Propstreet does not rewrite Pipedrive's `+46 70 123 45 67`.
 */
function mergeList(value: string, current: unknown, defaultLabel: string, kind: 'email' | 'phone'): Array<{ value: string; primary: boolean; label: string }> {
	const existing = normalisedList(current);
	const same = existing.find((e) => sameValue(e.value, value, kind));
	return [{ value: same?.value ?? value, primary: true, label: same?.label ?? defaultLabel }, ...existing.filter((e) => e !== same).map((e) => ({ ...e, primary: false }))];
}

const numericId = (id: string): string | number => (/^\d+$/.test(id) ? Number(id) : id);

/** A Pipedrive person in the shape of the body we send. */
export function projectPipedrivePerson(current: JsonRecord, config: MapperConfig, catalog: FieldCatalog): JsonRecord {
	const keys = personKeys(config, catalog);
	const custom: JsonRecord = {};
	for (const key of [keys.contactId, keys.strategy, ...(keys.jobTitle === BUILT_IN_JOB_TITLE ? [] : [keys.jobTitle])]) {
		custom[key] = customFieldText(readCustomField(current, key, catalog));
	}
	const orgId = idOf(current.org_id);
	return {
		name: text(current.name),
		emails: normalisedList(current.emails ?? current.email),
		phones: normalisedList(current.phones ?? current.phone),
		label_ids: (labelIdsOf(current) ?? []).map(numericId).sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true })),
		org_id: orgId ? numericId(orgId) : null,
		job_title: text(current.job_title),
		custom_fields: custom,
	};
}

function primaryOf(list: unknown, valueKey: 'address' | 'number'): { primary: string | null; extra: string[] } {
	if (!Array.isArray(list)) return { primary: null, extra: [] };
	const items = list.filter(isRecord).filter((i) => text(i[valueKey]));
	const primary = items.find((i) => i.isPrimary === true) ?? items[0];
	return { primary: primary ? text(primary[valueKey]) : null, extra: items.filter((i) => i !== primary).map((i) => String(i[valueKey])) };
}

/** Propstreet contact → Pipedrive API v2 person body (POST /api/v2/persons or PATCH /api/v2/persons/{id}). */
export function contactToPerson(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const catalog = ctx.catalogs.person;
	const keys = personKeys(config, catalog);
	const b = new BodyBuilder(config, 'toPipedrive');
	const current = ctx.current ?? null;
	const contactId = idOf(record.id);
	const pipedriveId = pipedriveIdOf(record.externalRefs, config.pipedriveNamespace, ctx.lookups.pipedrivePersonId, contactId, ctx.lookups.contactIdMap);
	const match = propstreetMatch(record.externalRefs, contactId, pipedriveId);
	const isUpdate = pipedriveId !== undefined;

	if (b.enabled('contact.name') && ('firstName' in record || 'lastName' in record)) {
		const name = joinName(text(record.firstName), text(record.lastName));
		if (name) b.set('contact.name', 'name', name);
		else b.warn('name', 'the contact has no name; name not sent');
	}

	const email = text(record.email) ?? primaryOf(record.emails, 'address').primary;
	const extraEmails = primaryOf(record.emails, 'address').extra.filter((e) => !sameValue(e, email, 'email'));
	if (email) match.email = email.toLowerCase();
	if (b.enabled('contact.email') && ('email' in record || 'emails' in record)) {
		if (email) b.set('contact.email', 'emails', current ? mergeList(email, current.emails ?? current.email, 'work', 'email') : [{ value: email, primary: true, label: 'work' }]);
		if (extraEmails.length) b.warn('email', `${extraEmails.length} more e-mail address(es) not synced (only the primary is): ${extraEmails.join(', ')}`);
		if (email && !current && isUpdate) b.warn('email', 'the current Pipedrive person was not supplied; sending only the primary e-mail replaces the person\'s list');
	}
	const phone = text(record.phone) ?? primaryOf(record.phones, 'number').primary;
	if (b.enabled('contact.phone') && ('phone' in record || 'phones' in record)) {
		if (phone) b.set('contact.phone', 'phones', current ? mergeList(phone, current.phones ?? current.phone, 'work', 'phone') : [{ value: phone, primary: true, label: 'work' }]);
		const extra = primaryOf(record.phones, 'number').extra.filter((p) => !sameValue(p, phone, 'phone'));
		if (extra.length) b.warn('phone', `${extra.length} more phone number(s) not synced (only the primary is): ${extra.join(', ')}`);
	}

	if (b.enabled('contact.labels') && Array.isArray(record.tags)) {
		const options = labelOptions(catalog);
		const tags = record.tags.filter((t): t is string => typeof t === 'string');
		const { ids, warnings } = labelIdsFromTags(tags, options, config, 'labels');
		b.warnings.push(...warnings);
		if (ids !== undefined) {
			// Keep current labels that map to no tag (Pipedrive-only labels): Pipedrive replaces the list.
			const keep =
				current && options
					? (labelIdsOf(current) ?? []).filter((id) => {
							const option = options.find((o) => o.id === id);
							return option !== undefined && tagForLabel(option.label, config) === null;
						}).map(numericId)
					: [];
			b.set('contact.labels', 'label_ids', [...new Set([...ids, ...keep])].sort((a, c) => String(a).localeCompare(String(c), 'en', { numeric: true })));
		}
	}

	if (b.enabled('contact.strategy') && 'strategy' in record) b.set('contact.strategy', `custom_fields.${keys.strategy}`, text(record.strategy));

	const companies = Array.isArray(record.companies) ? record.companies.filter(isRecord) : [];
	const primaryCompany = companies.find((c) => c.isPrimary === true) ?? companies.find((c) => idOf(c.id) === idOf(record.primaryCompanyId)) ?? companies[0];
	const companyId = idOf(primaryCompany?.id) ?? idOf(record.primaryCompanyId);
	if (companyId) match.propstreetCompanyId = companyId;
	if (b.enabled('contact.organization') && companyId) {
		const orgId = ctx.lookups.pipedriveOrgId ?? invertIdMap(ctx.lookups.companyIdMap).get(companyId);
		if (orgId) {
			match.pipedriveOrgId = orgId;
			b.set('contact.organization', 'org_id', numericId(orgId));
		} else {
			b.warn('organization', `the Pipedrive organization for Propstreet company ${companyId} is not known; org_id not sent (resolve match.propstreetCompanyId, then pass its id)`);
		}
	}
	if (b.enabled('contact.jobTitle') && primaryCompany && 'jobTitle' in primaryCompany) {
		const title = text(primaryCompany.jobTitle);
		b.set('contact.jobTitle', keys.jobTitle === BUILT_IN_JOB_TITLE ? 'job_title' : `custom_fields.${keys.jobTitle}`, title);
	}
	if (b.enabled('contact.propstreetId') && contactId) b.set('contact.propstreetId', `custom_fields.${keys.contactId}`, contactId);

	return {
		...b.parts(),
		match,
		sourceUpdatedAt: isoTime(record.updatedUtc),
		...currentView(current, (c) => projectPipedrivePerson(c, config, catalog), 'update_time'),
	};
}
