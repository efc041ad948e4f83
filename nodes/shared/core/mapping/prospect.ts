/**
 * Pipedrive deal participants ⇄ Propstreet prospects. A prospect's `externalRefs` carry the
 * Pipedrive *person* id (namespace `pipedrive`, ARCHITECTURE.md). Pipedrive participants have no
 * custom fields, so the prospect classification lives in a person custom field (`classification`
 * by default): it holds the person's classification on the deal being synced.
 */
import { customFieldText, readCustomField, type FieldCatalog } from '../customFields';
import { PROSPECT_CLASSIFICATIONS, type MapperConfig } from './config';
import {
	BodyBuilder,
	idOf,
	isoTime,
	isRecord,
	ownValue,
	pipedriveIdOf,
	propstreetMatch,
	text,
	type Draft,
	type JsonRecord,
	type Lifecycle,
	type MapperContext,
	type MatchKeys,
	type SourceEnvelope,
} from './common';

/** "Not contacted", "not-contacted", "NOT_CONTACTED" → "not_contacted"; undefined when not one of the five. */
export function normaliseClassification(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const key = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
	const aliases: Record<string, string> = { uncontacted: 'not_contacted', new: 'not_contacted', bid: 'bidder', bidding: 'bidder', declined: 'not_interested' };
	const out = aliases[key] ?? key;
	return (PROSPECT_CLASSIFICATIONS as readonly string[]).includes(out) ? out : undefined;
}

function classificationKey(config: MapperConfig, catalog: FieldCatalog): string {
	return catalog.resolveKey(config.fieldKeys.person.classification);
}

/** What kind of Pipedrive record was given: a participant row, a deal (its primary person) or a person. */
function readParticipant(record: JsonRecord, ctx: MapperContext) {
	if ('title' in record || 'stage_id' in record) {
		return { personId: idOf(record.person_id), person: isRecord(record.person_id) ? record.person_id : null, dealId: idOf(record.id), orgId: idOf(record.org_id) };
	}
	if ('person_id' in record) {
		const dealId = idOf(record.related_item_id) ?? (isRecord(record.related_item_data) ? idOf(record.related_item_data.deal_id) : undefined) ?? idOf(record.deal_id);
		return { personId: idOf(record.person_id), person: isRecord(record.person) ? record.person : isRecord(record.person_id) ? record.person_id : null, dealId: dealId ?? ctx.lookups.pipedriveDealId, orgId: idOf(record.org_id) };
	}
	return { personId: idOf(record.id), person: record, dealId: ctx.lookups.pipedriveDealId, orgId: idOf(record.org_id) };
}

/** Pipedrive participant / deal primary person / person → Propstreet prospect body. */
export function participantToProspect(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const catalog = ctx.catalogs.person;
	const b = new BodyBuilder(config, 'toPropstreet');
	const p = readParticipant(record, ctx);
	const match: MatchKeys = { externalIds: [] };
	const projectId = ctx.lookups.propstreetProjectId;
	if (p.dealId) match.pipedriveDealId = p.dealId;
	if (projectId) match.propstreetProjectId = projectId;

	if (p.personId) {
		match.pipedriveId = p.personId;
		match.pipedrivePersonId = p.personId;
		match.externalIds.push({ namespace: config.pipedriveNamespace, id: p.personId });
		const fromField = p.person ? customFieldText(readCustomField(p.person, catalog.resolveKey(config.fieldKeys.person.propstreetContactId), catalog)) : null;
		const contactId = ctx.lookups.propstreetContactId ?? ownValue(ctx.lookups.contactIdMap, p.personId) ?? fromField ?? undefined;
		if (b.enabled('prospect.contact')) {
			if (contactId) {
				match.propstreetContactId = contactId;
				b.set('prospect.contact', 'contactId', contactId);
			} else {
				b.warn('contact', `the Propstreet contact for Pipedrive person ${p.personId} is not known; sync the person first or pass its contact id`);
			}
		}
		if (b.enabled('prospect.pipedriveId')) b.set('prospect.pipedriveId', 'externalRefs', [{ namespace: config.pipedriveNamespace, id: p.personId }]);
		if (b.enabled('prospect.classification') && p.person) {
			const value = readCustomField(p.person, classificationKey(config, catalog), catalog);
			if (value !== undefined) {
				const raw = customFieldText(value);
				const classification = normaliseClassification(value.optionLabels[0] ?? raw);
				if (raw === null) b.set('prospect.classification', 'classification', null);
				else if (classification) b.set('prospect.classification', 'classification', classification);
				else b.warn('classification', `"${raw}" is not a Propstreet prospect classification (${PROSPECT_CLASSIFICATIONS.join(', ')}); not sent`);
			}
		}
	} else if (p.orgId && b.enabled('prospect.contact')) {
		// No person: a company-level prospect (the spec's org_id → companyId alternative).
		match.pipedriveOrgId = p.orgId;
		const companyId = ctx.lookups.propstreetCompanyId ?? ownValue(ctx.lookups.companyIdMap, p.orgId);
		if (companyId) {
			match.propstreetCompanyId = companyId;
			b.set('prospect.contact', 'companyId', companyId);
		} else b.warn('contact', `the deal has no person and the Propstreet company for organization ${p.orgId} is not known`);
	} else {
		b.warn('contact', 'the record names no person and no organization; nothing to add as a prospect');
	}

	let lifecycle: Lifecycle | undefined;
	if (source.action === 'delete') lifecycle = { event: 'removed', action: 'removeProspect' };
	return {
		body: b.body,
		fieldPaths: b.fieldPaths,
		match,
		warnings: b.warnings,
		sourceUpdatedAt: isoTime(record.update_time ?? record.add_time),
		lifecycle,
		target: { projectId: projectId ?? null, path: `/api/v1/projects/${projectId ?? '{projectId}'}/prospects` },
	};
}

/** Propstreet prospect → Pipedrive participant body (POST /v1/deals/{id}/participants) plus the person's classification field. */
export function prospectToParticipant(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const catalog = ctx.catalogs.person;
	const b = new BodyBuilder(config, 'toPipedrive');
	const contactId = idOf(record.contactId);
	const personId = pipedriveIdOf(record.externalRefs, config.pipedriveNamespace, ctx.lookups.pipedrivePersonId, contactId, ctx.lookups.contactIdMap);
	const dealId = ctx.lookups.pipedriveDealId;
	const match = propstreetMatch(record.externalRefs, idOf(record.id), undefined);
	if (idOf(record.projectId)) match.propstreetProjectId = idOf(record.projectId);
	if (contactId) match.propstreetContactId = contactId;
	if (dealId) match.pipedriveDealId = dealId;
	let personBody: JsonRecord | undefined;
	let skip = false;

	if (!contactId) {
		skip = true;
		b.warn('contact', 'company-level prospect: Pipedrive participants are persons, so it is not synced');
	} else if (!personId) {
		b.warn('contact', `the Pipedrive person for Propstreet contact ${contactId} is not known; resolve match.propstreetContactId, then pass its id`);
	} else {
		match.pipedriveId = personId;
		match.pipedrivePersonId = personId;
		if (b.enabled('prospect.contact')) b.set('prospect.contact', 'person_id', /^\d+$/.test(personId) ? Number(personId) : personId);
	}

	if (b.enabled('prospect.classification') && 'classification' in record && !skip) {
		const classification = text(record.classification);
		const key = classificationKey(config, catalog);
		const def = catalog.definition(key);
		let value: unknown = classification;
		if (classification && def?.options.length) {
			const option = def.options.find((o) => normaliseClassification(o.label) === classification);
			if (!option) b.warn('classification', `"${classification}" is not an option of the Pipedrive field "${def.name}"; not sent`);
			value = option ? (/^\d+$/.test(option.id) ? Number(option.id) : option.id) : undefined;
		} else if (classification && !def) {
			b.warn('classification', 'person field definitions not supplied; classification written as text (an option field needs the definitions)');
		}
		if (value !== undefined) personBody = { custom_fields: { [key]: value } };
	}

	const lifecycle: Lifecycle | undefined =
		source.removed || source.action === 'delete' || record.deletedUtc ? { event: 'removed', action: 'removeParticipant' } : undefined;
	return {
		body: b.body,
		fieldPaths: b.fieldPaths,
		match,
		warnings: b.warnings,
		sourceUpdatedAt: isoTime(record.updatedUtc),
		lifecycle,
		personBody,
		skip: skip || undefined,
		target: { dealId: dealId ?? null, path: `/v1/deals/${dealId ?? '{dealId}'}/participants`, personId: personId ?? null },
	};
}
