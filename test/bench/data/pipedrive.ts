/**
 * Synthetic Pipedrive Webhooks v2 payloads (persons and organizations) at benchmark scale: Nordic
 * names with diacritics and particles, several e-mails and phones with a non-first primary now and
 * then, typed custom fields (varchar / text / enum) under the field keys the Pipedrive simulator
 * uses, and a known share of bad values (invalid org numbers, domains, e-mails, unknown countries)
 * so the mapper's validation paths run too. Every generator also returns what it expects the
 * mapper to find, so the benchmark can check the answers, not just time them.
 */
import { seededFieldKey } from '../../simulators/pipedrive/fields';
import { CLASSIFICATION_LABELS } from '../../simulators/pipedrive/seed';
import { PERSON_LABELS } from '../../simulators/seed/nordic';
import { Random } from './random';

export const FIELD_KEYS = {
	contactId: seededFieldKey('propstreet_contact_id'),
	strategy: seededFieldKey('investor_strategy'),
	classification: seededFieldKey('classification'),
	companyId: seededFieldKey('propstreet_company_id'),
	domain: seededFieldKey('domain'),
	orgNumber: seededFieldKey('org_number'),
};

const CLASSIFICATION_OPTIONS = Object.values(CLASSIFICATION_LABELS).map((label, i) => ({ id: 101 + i, label }));
const LABEL_OPTIONS = PERSON_LABELS.map((label, i) => ({ id: i + 1, label }));

/** GET /api/v2/personFields and /api/v2/organizationFields, as far as the mapper needs them. */
export const FIELD_DEFINITIONS = {
	person: [
		{ field_code: 'name', field_name: 'Name', field_type: 'varchar', is_custom_field: false, options: null },
		{ field_code: 'label_ids', field_name: 'Labels', field_type: 'set', is_custom_field: false, options: LABEL_OPTIONS },
		{ field_code: 'job_title', field_name: 'Job title', field_type: 'varchar', is_custom_field: false, options: null },
		{ field_code: FIELD_KEYS.contactId, field_name: 'propstreet_contact_id', field_type: 'varchar', is_custom_field: true, options: null },
		{ field_code: FIELD_KEYS.strategy, field_name: 'investor_strategy', field_type: 'text', is_custom_field: true, options: null },
		{ field_code: FIELD_KEYS.classification, field_name: 'classification', field_type: 'enum', is_custom_field: true, options: CLASSIFICATION_OPTIONS },
	],
	organization: [
		{ field_code: 'name', field_name: 'Name', field_type: 'varchar', is_custom_field: false, options: null },
		{ field_code: FIELD_KEYS.companyId, field_name: 'propstreet_company_id', field_type: 'varchar', is_custom_field: true, options: null },
		{ field_code: FIELD_KEYS.domain, field_name: 'domain', field_type: 'varchar', is_custom_field: true, options: null },
		{ field_code: FIELD_KEYS.orgNumber, field_name: 'org_number', field_type: 'varchar', is_custom_field: true, options: null },
	],
};

const FIRST_NAMES = ['Astrid', 'Lars-Erik', 'Ingrid', 'Bjørn', 'Mette', 'Søren', 'Aino', 'Karin', 'Per Olof', 'Sigrid', 'Anders', 'Elin', 'Juha-Pekka', 'Freja', 'Åsa', 'Øystein', 'Ærling', 'Märta', 'Jyrki', 'Päivi', 'Ólafur', 'Sölvi', 'Tiina', 'Håkan', 'Kristoffer', 'Liv', 'Maja', 'Eero', 'Birgitta', 'Torbjörn'];
const LAST_NAMES = ['Öberg', 'Åkesson', 'Sæther', 'Løvås', 'Kjærgaard', 'Ærø', 'Mäkelä', 'von Essen', 'af Klercker', 'Hågensen', 'Højbjerg', 'Grönqvist', 'Äijälä', 'Lindqvist', 'Nyström', 'Sørensen', 'Virtanen', 'Halvorsen', 'de Geer', 'Wärnström', 'Kallio', 'Bäckström', 'Østergaard', 'Jönsson', 'Heikkinen'];
const FIRM_WORDS = ['Nordhav', 'Fjord', 'Øresund', 'Saimaa', 'Mälarstaden', 'Bergen', 'Aarhus Havn', 'Göta', 'Lappi', 'Vänern', 'Skagerrak', 'Kattegat', 'Norrland', 'Trøndelag', 'Jylland', 'Pohjola', 'Siljan', 'Lofoten'];
const FIRM_SUFFIX: Record<'SE' | 'NO' | 'DK' | 'FI', string[]> = {
	SE: ['Fastigheter AB', 'Invest AB', 'Kapitalförvaltning AB'],
	NO: ['Eiendom AS', 'Kapital AS', 'Næringseiendom AS'],
	DK: ['Ejendomme A/S', 'Capital ApS', 'Invest A/S'],
	FI: ['Kiinteistöt Oy', 'Real Estate Oy', 'Sijoitus Oy'],
};
const COUNTRY_SPELLINGS: Record<'SE' | 'NO' | 'DK' | 'FI', string[]> = {
	SE: ['Sverige', 'Sweden', 'SE'],
	NO: ['Norge', 'Norway', 'NO'],
	DK: ['Danmark', 'Denmark', 'DK'],
	FI: ['Suomi', 'Finland', 'FI'],
};
const TLD: Record<'SE' | 'NO' | 'DK' | 'FI', string> = { SE: 'se', NO: 'no', DK: 'dk', FI: 'fi' };
const STRATEGIES = ['Core-plus office in Stockholm CBD, SEK 200–800M', 'Logistics along the E6 corridor', 'Residential value-add, Greater Copenhagen', 'Hotels in Finnish Lapland', 'Retail parks in Western Norway', 'Schools and elderly care, 15+ year leases'];
const JOB_TITLES = ['Head of Transactions', 'CIO', 'Investment Director', 'Partner', 'Adm. direktør', 'Toimitusjohtaja', 'VD', 'CFO', 'Daglig leder', 'Analyst'];

const ascii = (s: string) =>
	s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ø/gi, 'o')
		.replace(/æ/gi, 'ae')
		.replace(/ð/gi, 'd')
		.replace(/[^a-z0-9]+/gi, '.')
		.replace(/^\.|\.$/g, '')
		.toLowerCase();

const weightedSum = (digits: string, weights: number[]) => weights.reduce((sum, w, i) => sum + w * Number(digits[i]), 0);

function luhnCheckDigit(body: string): number {
	// The check digit makes the Luhn sum of body+digit divisible by 10.
	let sum = 0;
	for (let i = 0; i < body.length; i++) {
		let d = Number(body[body.length - 1 - i]);
		if (i % 2 === 0) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return (10 - (sum % 10)) % 10;
}

/** A valid org number for the country, in one of the ways people type it. */
function orgNumber(rng: Random, country: 'SE' | 'NO' | 'DK' | 'FI'): { raw: string; digits: string } {
	for (;;) {
		if (country === 'SE') {
			const body = `55${rng.digits(7)}`;
			const digits = body + String(luhnCheckDigit(body));
			const raw = rng.chance(0.2) ? `SE${digits}01` : `${digits.slice(0, 6)}-${digits.slice(6)}`;
			return { raw, digits };
		}
		if (country === 'NO') {
			const body = `9${rng.digits(7)}`;
			const r = weightedSum(body, [3, 2, 7, 6, 5, 4, 3, 2]) % 11;
			const check = r === 0 ? 0 : 11 - r;
			if (check === 10) continue;
			const digits = body + String(check);
			const raw = rng.chance(0.2) ? `NO ${digits} MVA` : rng.chance(0.5) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;
			return { raw, digits };
		}
		if (country === 'DK') {
			const body = `${rng.int(1, 9)}${rng.digits(6)}`;
			const d = (11 - (weightedSum(body, [2, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
			if (d === 10) continue;
			const digits = body + String(d);
			return { raw: rng.chance(0.2) ? `DK${digits}` : digits, digits };
		}
		const body = rng.digits(7);
		const r = weightedSum(body, [7, 9, 10, 5, 8, 4, 2]) % 11;
		if (r === 1) continue;
		const digits = body + String(r === 0 ? 0 : 11 - r);
		return { raw: `${digits.slice(0, 7)}-${digits.slice(7)}`, digits };
	}
}

/** The same number with its last digit changed, so the check digit fails. */
function breakCheckDigit(raw: string): string {
	const lastDigit = raw.search(/\d(?=\D*$)/);
	const d = Number(raw[lastDigit]);
	return raw.slice(0, lastDigit) + String((d + 1) % 10) + raw.slice(lastDigit + 1);
}

function meta(entity: string, id: number, index: number, action: 'create' | 'change') {
	return {
		action,
		entity,
		entity_id: String(id),
		id: `0b6f3c2e-${String(index).padStart(4, '0')}-4f5a-9c1d-${String(id).padStart(12, '0')}`,
		correlation_id: `c-${index}`,
		company_id: '7001234',
		user_id: '1',
		type: 'general',
		version: '2.0',
		change_source: 'app',
		is_bulk_edit: false,
		attempt: 1,
		host: 'nordic.pipedrive.com',
		timestamp: new Date(Date.UTC(2026, 2, 4, 10, 0, 0) + index * 1000).toISOString(),
	};
}

export interface PersonBatch {
	events: Array<Record<string, unknown>>;
	/** Pipedrive org id → Propstreet company id, as a workflow would pass in `companyIdMap`. */
	companyIdMap: Record<string, string>;
	expected: { validPrimaryEmails: number; withConnection: number };
}

export function generatePersons(count: number, seed = 42): PersonBatch {
	const rng = new Random(seed);
	const events: Array<Record<string, unknown>> = [];
	const companyIdMap: Record<string, string> = {};
	let validPrimaryEmails = 0;
	let withConnection = 0;
	for (let i = 0; i < count; i++) {
		const id = 100_000 + i;
		const first = rng.pick(FIRST_NAMES);
		const last = rng.pick(LAST_NAMES);
		const local = `${ascii(first)}.${ascii(last)}${i}`;
		const emailCount = rng.int(1, 3);
		const primaryIndex = rng.int(0, emailCount - 1);
		const badPrimary = rng.chance(0.02);
		const emails = Array.from({ length: emailCount }, (_, j) => ({
			label: j === 0 ? 'work' : rng.pick(['home', 'other']),
			value: j === primaryIndex && badPrimary ? `${local} at firm` : j === 0 ? `${local}@firm${i % 500}.example.se` : `${local}.${j}@mail.example.com`,
			primary: j === primaryIndex,
		}));
		if (!badPrimary) validPrimaryEmails++;
		const phoneCount = rng.int(0, 3);
		const phones = Array.from({ length: phoneCount }, (_, j) => ({
			label: j === 0 ? 'mobile' : 'work',
			value: rng.pick(['+46 70 ', '+47 9', '+45 20 ', '+358 40 ']) + `${rng.digits(3)} ${rng.digits(2)} ${rng.digits(2)}`,
			primary: j === 0,
		}));
		const orgId = rng.chance(0.8) ? 500_000 + rng.int(0, 1999) : null;
		if (orgId !== null && rng.chance(0.75)) companyIdMap[String(orgId)] ??= `co-${orgId}`;
		const linked = rng.chance(0.5);
		const labelIds = LABEL_OPTIONS.filter(() => rng.chance(0.3)).map((o) => o.id);
		const data = {
			add_time: '2025-11-01T09:00:00Z',
			custom_fields: {
				[FIELD_KEYS.contactId]: linked ? { type: 'varchar', value: String(9_000_000 + i) } : null,
				[FIELD_KEYS.strategy]: rng.chance(0.6) ? { type: 'text', value: rng.pick(STRATEGIES) } : null,
				[FIELD_KEYS.classification]: rng.chance(0.5) ? { type: 'enum', id: rng.pick(CLASSIFICATION_OPTIONS).id } : null,
			},
			emails,
			first_name: first,
			id,
			label: labelIds[0] ?? null,
			label_ids: labelIds,
			last_name: last,
			name: rng.chance(0.1) ? `  ${first}   ${last} ` : `${first} ${last}`,
			org_id: orgId,
			owner_id: 1,
			phones,
			job_title: orgId !== null ? rng.pick(JOB_TITLES) : null,
			update_time: new Date(Date.UTC(2026, 2, 4, 10, 0, 0) + i * 1000).toISOString(),
			visible_to: '3',
		};
		events.push({ meta: meta('person', id, i, linked ? 'change' : 'create'), data, previous: linked ? { name: `${first} ${last}-old` } : null });
	}
	for (const event of events) {
		const orgId = (event.data as { org_id: number | null }).org_id;
		if (orgId !== null && companyIdMap[String(orgId)]) withConnection++;
	}
	return { events, companyIdMap, expected: { validPrimaryEmails, withConnection } };
}

export interface OrganizationBatch {
	events: Array<Record<string, unknown>>;
	expected: { validOrgNumbers: number; validDomains: number; recognisedCountries: number };
}

export function generateOrganizations(count: number, seed = 7): OrganizationBatch {
	const rng = new Random(seed);
	const events: Array<Record<string, unknown>> = [];
	let validOrgNumbers = 0;
	let validDomains = 0;
	let recognisedCountries = 0;
	const countries = ['SE', 'NO', 'DK', 'FI'] as const;
	for (let i = 0; i < count; i++) {
		const id = 500_000 + i;
		const country = rng.pick(countries);
		const word = rng.pick(FIRM_WORDS);
		const name = `${word} ${rng.pick(FIRM_SUFFIX[country])} ${i}`;
		const unknownCountry = rng.chance(0.02);
		const countryText = unknownCountry ? 'Atlantis' : rng.pick(COUNTRY_SPELLINGS[country]);
		if (!unknownCountry) recognisedCountries++;
		// With an unknown address country the number's own shape decides its country, so a
		// well-formed number is still valid there.
		const org = orgNumber(rng, country);
		const badOrg = rng.chance(0.05);
		const hasOrg = rng.chance(0.9);
		if (hasOrg && !badOrg) validOrgNumbers++;
		const badDomain = rng.chance(0.03);
		const hasDomain = rng.chance(0.85);
		const slug = ascii(word).replace(/\./g, '-');
		const domainRaw = badDomain ? rng.pick(['n/a', '10.0.0.1', 'intranet']) : rng.pick([`https://www.${slug}${i}.${TLD[country]}/`, `${slug}${i}.${TLD[country]}`, `http://${slug}${i}.${TLD[country]}/om-oss?ref=crm`]);
		if (hasDomain && !badDomain) validDomains++;
		const data = {
			add_time: '2025-11-01T09:00:00Z',
			address: { value: `Storgatan ${rng.int(1, 99)}, ${countryText}`, country: countryText, locality: 'Stockholm', route: 'Storgatan', street_number: String(rng.int(1, 99)), postal_code: rng.digits(5) },
			country_code: unknownCountry ? null : country,
			custom_fields: {
				[FIELD_KEYS.companyId]: rng.chance(0.5) ? { type: 'varchar', value: `co-${id}` } : null,
				[FIELD_KEYS.domain]: hasDomain ? { type: 'varchar', value: domainRaw } : null,
				[FIELD_KEYS.orgNumber]: hasOrg ? { type: 'varchar', value: badOrg ? breakCheckDigit(org.raw) : org.raw } : null,
			},
			id,
			label: null,
			label_ids: [],
			name,
			owner_id: 1,
			picture_id: null,
			update_time: new Date(Date.UTC(2026, 2, 4, 10, 0, 0) + i * 1000).toISOString(),
			visible_to: '3',
		};
		events.push({ meta: meta('organization', id, i, 'change'), data, previous: { name: `${name} (old)` } });
	}
	return { events, expected: { validOrgNumbers, validDomains, recognisedCountries } };
}
