/**
 * Ids in and out of the Mapper. In: the source record against its boundary schema
 * (core/schemas), so a mistyped or nested id is refused with its field path. Out: the ids a mapped
 * item hands to the workflow, checked before any workflow puts them into a URL
 * (`…/persons/{{ $json.match.pipedriveId }}`). They come from the record, its external refs and the
 * lookups, so a bad one anywhere is caught here, once, with the output field that would carry it.
 */
import { isValidId, type IdKind } from '../ids';
import { check } from '../schemas/check';
import { pipedriveRecord } from '../schemas/pipedrive';
import { propstreetSourceRecord } from '../schemas/propstreet';
import { isRecord, MappingError, type JsonRecord, type Lifecycle, type MatchKeys } from './common';
import type { Direction } from './config';

/** Throws MappingError with the field path when the source record does not fit its schema. */
export function checkSourceRecord(record: JsonRecord, direction: Direction, label: string): void {
	const checked = check(direction === 'toPropstreet' ? pipedriveRecord : propstreetSourceRecord, record, label);
	if (!checked.ok) throw new MappingError(checked.path, checked.problem, label);
}

const MATCH_ID_KINDS: Record<string, IdKind> = {
	pipedriveId: 'pipedrive',
	pipedrivePersonId: 'pipedrive',
	pipedriveOrgId: 'pipedrive',
	pipedriveDealId: 'pipedrive',
	propstreetId: 'propstreet',
	propstreetContactId: 'propstreet',
	propstreetCompanyId: 'propstreet',
	propstreetProjectId: 'propstreet',
};

const TARGET_ID_KINDS: Record<string, IdKind> = {
	pipedriveId: 'pipedrive',
	dealId: 'pipedrive',
	personId: 'pipedrive',
	propstreetId: 'propstreet',
	projectId: 'propstreet',
};

const RULE: Record<IdKind, string> = {
	pipedrive: 'is not a Pipedrive id (a positive whole number, digits only)',
	propstreet: 'is not a Propstreet id (letters, digits, "_" and "-", 1 to 64 characters)',
	externalRef: 'is not a usable external id',
};

function checkFields(values: JsonRecord, kinds: Record<string, IdKind>, prefix: string, record: string): void {
	for (const [key, kind] of Object.entries(kinds)) {
		const value = values[key];
		if (value === undefined || value === null) continue;
		if (!isValidId(value, kind)) {
			throw new MappingError(`${prefix}.${key}`, `${JSON.stringify(String(value)).slice(0, 80)} ${RULE[kind]}`, record);
		}
	}
}

/** Throws MappingError naming the output field and the record when an id is not valid for its system. */
export function checkOutputIds(item: { match: MatchKeys; target?: JsonRecord; lifecycle?: Lifecycle }, record: string): void {
	checkFields(item.match as unknown as JsonRecord, MATCH_ID_KINDS, 'match', record);
	if (isRecord(item.target)) checkFields(item.target, TARGET_ID_KINDS, 'target', record);
	if (item.lifecycle?.mergedToId !== undefined) checkFields(item.lifecycle as unknown as JsonRecord, { mergedToId: 'pipedrive' }, 'lifecycle', record);
}
