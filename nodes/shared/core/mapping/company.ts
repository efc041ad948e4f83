/** Pipedrive organization ⇄ Propstreet company. */
import { countryName, toCountryCode } from '../country';
import { customFieldText, customFieldWriteValue, readCustomField, type FieldCatalog } from '../customFields';
import { normaliseDomain } from '../domain';
import { orgNumberExternalRef, orgNumberFromExternalRefs, parseOrgNumber, type ExternalRef } from '../orgNumber';
import type { MapperConfig } from './config';
import {
	BodyBuilder,
	currentView,
	idOf,
	isoTime,
	isRecord,
	mergeExternalRefs,
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

/** The organization custom-field keys (found by name through the field definitions). */
export function orgKeys(config: MapperConfig, catalog: FieldCatalog) {
	const k = config.fieldKeys.organization;
	return { companyId: catalog.resolveKey(k.propstreetCompanyId), domain: catalog.resolveKey(k.domain), orgNumber: catalog.resolveKey(k.orgNumber) };
}

/** Country text of a Pipedrive organization: v2 `address.country`, webhook `country_code`, v1 `address_country`. */
export function addressCountry(record: JsonRecord): { present: boolean; raw: string | null } {
	if (isRecord(record.address)) {
		const raw = text(record.address.country) ?? text(record.address.value);
		if (raw) return { present: true, raw };
	}
	if ('country_code' in record && text(record.country_code)) return { present: true, raw: text(record.country_code) };
	if ('address_country' in record) return { present: true, raw: text(record.address_country) };
	if (typeof record.address === 'string') return { present: true, raw: text(record.address) };
	return { present: 'address' in record || 'country_code' in record, raw: null };
}

function projectPropstreetCompany(current: JsonRecord): JsonRecord {
	return {
		name: text(current.name),
		countryCode: text(current.countryCode)?.toUpperCase() ?? null,
		domain: text(current.domain),
		externalRefs: refsOf(current.externalRefs),
	};
}

/** Pipedrive organization (API v1/v2 or webhook data) → Propstreet company body. */
export function organizationToCompany(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const catalog = ctx.catalogs.organization;
	const keys = orgKeys(config, catalog);
	const b = new BodyBuilder(config, 'toPropstreet');
	const current = ctx.current ?? null;
	const { pipedriveId: orgId, match } = pipedriveSource(record, keys.companyId, catalog, ctx.lookups.propstreetCompanyId, config.pipedriveNamespace);
	const refs: ExternalRef[] = [];
	if (orgId && b.enabled('company.pipedriveId')) refs.push({ namespace: config.pipedriveNamespace, id: orgId });

	if (b.enabled('company.name') && 'name' in record) {
		const name = text(record.name);
		if (name) b.set('company.name', 'name', name.length > 255 ? name.slice(0, 255) : name);
		else b.warn('name', 'the organization has no name; name not sent');
		if (name && name.length > 255) b.warn('name', 'name longer than 255 characters; cut to 255');
	}

	const country = addressCountry(record);
	const countryCode = country.raw ? toCountryCode(country.raw) : null;
	if (b.enabled('company.country') && country.present) {
		if (country.raw && !countryCode) b.warn('country', `"${country.raw}" is not a recognised country; countryCode not sent`);
		else b.set('company.country', 'countryCode', countryCode);
	}

	const domainField = readCustomField(record, keys.domain, catalog);
	const domainRaw = customFieldText(domainField) ?? text(record.website);
	if (domainRaw) {
		const domain = normaliseDomain(domainRaw);
		if (domain.valid) {
			match.domain = domain.domain;
			if (b.enabled('company.domain')) b.set('company.domain', 'domain', domain.domain);
		} else if (b.enabled('company.domain')) {
			b.warn('domain', `${domain.reason}; domain not sent`);
		}
	} else if (domainField !== undefined && b.enabled('company.domain')) {
		b.set('company.domain', 'domain', null);
	}

	const orgNumberRaw = customFieldText(readCustomField(record, keys.orgNumber, catalog));
	if (orgNumberRaw) {
		const parsed = parseOrgNumber(orgNumberRaw, countryCode);
		if (parsed.valid) {
			const ref = orgNumberExternalRef(parsed.country, parsed.digits, config.orgNumberPrefix);
			match.orgNumber = { country: parsed.country, digits: parsed.digits, formatted: parsed.formatted, namespace: ref.namespace };
			match.externalIds.push(ref);
			if (b.enabled('company.orgNumber')) refs.push(ref);
		} else if (b.enabled('company.orgNumber')) {
			b.warn('orgNumber', `${parsed.reason}; org number not sent`);
		}
	}
	if (refs.length) b.set(refs.some((r) => r.namespace === config.pipedriveNamespace) ? 'company.pipedriveId' : 'company.orgNumber', 'externalRefs', mergeExternalRefs(current?.externalRefs, refs));

	return { ...b.parts(), match, sourceUpdatedAt: isoTime(record.update_time), ...currentView(current, projectPropstreetCompany, 'updatedUtc') };
}

function projectPipedriveOrganization(current: JsonRecord, config: MapperConfig, catalog: FieldCatalog): JsonRecord {
	const keys = orgKeys(config, catalog);
	const custom: JsonRecord = {};
	for (const key of [keys.companyId, keys.domain, keys.orgNumber]) custom[key] = customFieldText(readCustomField(current, key, catalog));
	const address = isRecord(current.address) ? current.address : null;
	return {
		name: text(current.name),
		address: address ? { ...address } : null,
		custom_fields: custom,
	};
}

/** Propstreet company → Pipedrive API v2 organization body. */
export function companyToOrganization(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const catalog = ctx.catalogs.organization;
	const keys = orgKeys(config, catalog);
	const b = new BodyBuilder(config, 'toPipedrive');
	const current = ctx.current ?? null;
	const companyId = idOf(record.id);
	const pipedriveId = pipedriveIdOf(record.externalRefs, config.pipedriveNamespace, ctx.lookups.pipedriveOrgId, companyId, ctx.lookups.companyIdMap);
	const match = propstreetMatch(record.externalRefs, companyId, pipedriveId);

	if (b.enabled('company.name') && 'name' in record) {
		const name = text(record.name);
		if (name) b.set('company.name', 'name', name);
		else b.warn('name', 'the company has no name; name not sent');
	}

	if (b.enabled('company.country') && 'countryCode' in record) {
		const code = text(record.countryCode);
		const name = code ? countryName(code) : null;
		if (code && !name) b.warn('country', `country code "${code}" is not known; address not sent`);
		else if (name) {
			const currentAddress = current && isRecord(current.address) ? current.address : null;
			const currentCode = currentAddress ? toCountryCode(text(currentAddress.country) ?? '') : null;
			if (currentAddress && text(currentAddress.value)) {
				// Pipedrive replaces the whole address: keep the street and change only the country.
				b.set('company.country', 'address', currentCode === (code ?? '').toUpperCase() ? { ...currentAddress } : { ...currentAddress, country: name });
			} else if (!current && pipedriveId) {
				b.warn('country', 'the current Pipedrive organization was not supplied; the address is not sent because Pipedrive would replace the whole address');
			} else {
				b.set('company.country', 'address', { value: name, country: name });
			}
		}
	}

	if (b.enabled('company.domain') && 'domain' in record) {
		const raw = text(record.domain);
		const domain = raw ? normaliseDomain(raw) : null;
		if (domain && !domain.valid) b.warn('domain', `${domain.reason}; domain not sent`);
		else {
			if (domain) match.domain = domain.domain;
			const write = customFieldWriteValue(keys.domain, domain ? domain.domain : null, catalog);
			if (write.ok) b.set('company.domain', `custom_fields.${keys.domain}`, write.value, 'domain');
		}
	}

	if (b.enabled('company.orgNumber') && 'externalRefs' in record) {
		const org = orgNumberFromExternalRefs(record.externalRefs, config.orgNumberPrefix);
		if (org) {
			match.orgNumber = { ...org, namespace: `${config.orgNumberPrefix}${org.country.toLowerCase()}` };
			b.set('company.orgNumber', `custom_fields.${keys.orgNumber}`, org.formatted);
		}
	}
	if (b.enabled('company.propstreetId') && companyId) b.set('company.propstreetId', `custom_fields.${keys.companyId}`, companyId);

	return {
		...b.parts(),
		match,
		sourceUpdatedAt: isoTime(record.updatedUtc),
		...currentView(current, (c) => projectPipedriveOrganization(c, config, catalog), 'update_time'),
	};
}
