/**
 * Persons ⇄ contacts for the two-way sync. Job title rides in the organization group: Propstreet
 * keeps it on the company connection, so the two can only change together there.
 */
import { readCustomField, customFieldText } from '../customFields';
import type { Side } from '../merge/policy';
import { isoTime, isRecord, pickPrimary, refId, unwrapSource, type JsonRecord, type MapperContext } from '../mapping/common';
import { canonicalValue } from '../mapping/compare';
import type { MapperConfig } from '../mapping/config';
import { contactToPerson, personKeys, personToContact, projectPipedrivePerson, projectPropstreetContact } from '../mapping/contact';
import { labelIdsOf, labelOptions, normaliseTag, tagForLabel } from '../mapping/labels';
import type { EntitySpec } from './spec';

/** A group whose source field the record does not carry (a webhook body may omit some) is unknown. */
function pipedriveValues(person: JsonRecord, config: MapperConfig, ctx: MapperContext): Record<string, unknown> {
	const p = projectPipedrivePerson(person, config, ctx.catalogs.person);
	const keys = personKeys(config, ctx.catalogs.person);
	const custom = (p.custom_fields ?? {}) as JsonRecord;
	const builtInTitle = keys.jobTitle === 'job_title';
	const jobTitle = builtInTitle ? p.job_title : customFieldText(readCustomField(person, keys.jobTitle, ctx.catalogs.person));
	const has = (key: string) => key in person;
	return {
		'contact.name': has('name') ? canonicalValue(p.name) : undefined,
		'contact.email': has('emails') || has('email') ? canonicalValue(pickPrimary(person.emails ?? person.email).primary, 'email') : undefined,
		'contact.phone': has('phones') || has('phone') ? canonicalValue(pickPrimary(person.phones ?? person.phone, 'phone').primary, 'phone') : undefined,
		'contact.strategy': has('custom_fields') ? canonicalValue(custom[keys.strategy]) : undefined,
		'contact.labels': has('label_ids') || has('label') ? canonicalValue(p.label_ids, 'idSet') : undefined,
		'contact.organization': has('org_id') && (!builtInTitle || has('job_title')) ? canonicalValue({ org: p.org_id, jobTitle }) : undefined,
	};
}

function propstreetValues(contact: JsonRecord): Record<string, unknown> {
	const p = projectPropstreetContact(contact);
	const connections = Array.isArray(p.connections) ? p.connections.filter(isRecord) : [];
	const primary = connections.find((c) => c.primary === true) ?? connections[0];
	const company = primary && isRecord(primary.company) ? primary.company.id : null;
	return {
		'contact.name': canonicalValue({ first: p.firstName, last: p.lastName }),
		'contact.email': canonicalValue(p.email, 'email'),
		'contact.phone': canonicalValue(p.phone, 'phone'),
		'contact.strategy': canonicalValue(p.strategy),
		'contact.labels': canonicalValue(p.tags, 'tags'),
		'contact.organization': canonicalValue({ company, jobTitle: primary ? primary.jobTitle : null }),
	};
}

export const CONTACT_SPEC: EntitySpec = {
	entity: 'contact',
	groups: ['contact.name', 'contact.email', 'contact.phone', 'contact.strategy', 'contact.labels', 'contact.organization'],
	linkFields: ['contact.pipedriveId', 'contact.propstreetId'],
	groupOf: (field) => (field === 'contact.jobTitle' ? 'contact.organization' : field),
	values: (side: Side, record, config, ctx) => (side === 'pipedrive' ? pipedriveValues(record, config, ctx) : propstreetValues(record)),
	toPropstreet: (pipedrive, propstreet, config, ctx) => personToContact(unwrapSource(pipedrive, 'Pipedrive person'), config, { ...ctx, current: propstreet }),
	toPipedrive: (propstreet, pipedrive, config, ctx) => contactToPerson(unwrapSource(propstreet, 'Propstreet contact'), config, { ...ctx, current: pipedrive }),
	counterpartId: (side, record, config, ctx) =>
		side === 'pipedrive'
			? (customFieldText(readCustomField(record, personKeys(config, ctx.catalogs.person).contactId, ctx.catalogs.person)) ?? undefined)
			: refId(record.externalRefs, config.pipedriveNamespace),
	updatedAt: (side, record) => isoTime(side === 'pipedrive' ? record.update_time : record.updatedUtc),
	isDeleted: (side, record) => (side === 'pipedrive' ? record.is_deleted === true || record.active_flag === false : !!record.deletedUtc),
};

/**
 * Only contacts with one label: a Pipedrive person carrying the label (by name, through the field
 * definitions), a Propstreet contact carrying the tag the label maps to.
 */
export function contactLabelScope(label: string, config: MapperConfig, ctx: MapperContext): (side: Side, record: JsonRecord) => boolean {
	const wanted = label.trim().toLowerCase();
	const tag = normaliseTag(tagForLabel(label, config) ?? label);
	const option = (labelOptions(ctx.catalogs.person) ?? []).find((o) => o.label.trim().toLowerCase() === wanted);
	return (side, record) => {
		if (side === 'propstreet') return Array.isArray(record.tags) && record.tags.some((t) => typeof t === 'string' && normaliseTag(t) === tag);
		return option !== undefined && (labelIdsOf(record) ?? []).includes(String(option.id));
	};
}
