/**
 * Both sides' records read as memberships. Pipedrive: the deal's participant records (v1; each
 * carries the whole person, custom fields at the top level) plus the deal's primary person.
 * Propstreet: the project's prospects; removed (deleted) and company-only ones are not members.
 * The classification is read from the person field the mapping names, as a Propstreet code.
 */
import { customFieldText, readCustomField, type FieldCatalog } from '../customFields';
import { idOf, isoTime, isRecord, refId, type JsonRecord } from '../mapping/common';
import { normaliseClassification } from '../mapping/prospect';
import type { DealMember, ProjectProspect } from './model';

/**
 * The cached field definitions name a key the records do not carry (the field was deleted and
 * created again, so it has a new key): read the definitions again before using anything.
 */
export class StaleFieldKeysError extends Error {
	constructor(what: string, key: string) {
		super(`The ${what} field key ${key} is not on the records Pipedrive returns; the field definitions are read again`);
		this.name = 'StaleFieldKeysError';
	}
}

/** Pipedrive returns every custom field of a record (null when empty), in `custom_fields` (v2) or at the top level (v1). */
export function requireFieldKey(record: JsonRecord, key: string, what: string): void {
	const nested = isRecord(record.custom_fields) ? record.custom_fields : null;
	if (/^[0-9a-f]{40}$/.test(key) && !(nested && key in nested) && !(key in record)) throw new StaleFieldKeysError(what, key);
}

export interface PersonFieldKeys {
	contactId: string;
	classification: string;
	/** The keys come from cached definitions: a key the records lack means they are stale. */
	checkCached?: boolean;
}

/** The person's classification as a Propstreet code; null when empty or not one of the five. */
export function personClassification(person: JsonRecord, key: string, catalog: FieldCatalog): string | null {
	const value = readCustomField(person, key, catalog);
	if (!value) return null;
	return normaliseClassification(value.optionLabels[0] ?? customFieldText(value)) ?? null;
}

/** The value to write into the person field for a code: the option id when the field has options. */
export function classificationWriteValue(code: string, key: string, catalog: FieldCatalog): string | number | undefined {
	const def = catalog.definition(key);
	if (!def?.options.length) return code;
	const option = def.options.find((o) => normaliseClassification(o.label) === code);
	if (!option) return undefined;
	return /^\d+$/.test(option.id) ? Number(option.id) : option.id;
}

function memberFromPerson(person: JsonRecord | null, personId: string, participantId: string | null, primary: boolean, keys: PersonFieldKeys, catalog: FieldCatalog): DealMember {
	if (!person) return { personId, participantId, primary, contactId: null };
	if (keys.checkCached) {
		requireFieldKey(person, keys.classification, 'person classification');
		requireFieldKey(person, keys.contactId, 'person Propstreet contact id');
	}
	return {
		personId,
		participantId,
		primary,
		contactId: customFieldText(readCustomField(person, keys.contactId, catalog)),
		classification: personClassification(person, keys.classification, catalog),
		updatedAt: isoTime(person.update_time),
	};
}

/** The deal's members: active participants, and the primary person even when Pipedrive does not list it. */
export function membersOf(deal: JsonRecord, participants: JsonRecord[], keys: PersonFieldKeys, catalog: FieldCatalog): DealMember[] {
	const primary = idOf(isRecord(deal.person_id) ? deal.person_id.value : deal.person_id);
	const members: DealMember[] = [];
	for (const p of participants) {
		if (p.active_flag === false) continue;
		const personId = idOf(isRecord(p.person_id) ? p.person_id.value : p.person_id);
		if (!personId || members.some((m) => m.personId === personId)) continue;
		const person = isRecord(p.person) ? p.person : null;
		members.push(memberFromPerson(person, personId, idOf(p.id) ?? null, personId === primary, keys, catalog));
	}
	if (primary && !members.some((m) => m.personId === primary)) members.unshift({ personId: primary, participantId: null, primary: true, contactId: null });
	return members;
}

/** The project's live contact prospects, with the Pipedrive person their `pipedrive` ref names. */
export function prospectsOf(records: JsonRecord[], namespace: string): ProjectProspect[] {
	const out: ProjectProspect[] = [];
	for (const r of records) {
		const prospectId = idOf(r.id);
		const contactId = idOf(r.contactId);
		if (!prospectId || !contactId || r.deletedUtc) continue;
		out.push({
			prospectId,
			contactId,
			personId: refId(r.externalRefs, namespace) ?? null,
			classification: normaliseClassification(r.classification) ?? null,
			teaser: isRecord(r.teaser),
			etag: typeof r.etag === 'string' ? r.etag : undefined,
			updatedAt: isoTime(r.updatedUtc),
		});
	}
	return out;
}
