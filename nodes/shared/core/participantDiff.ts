/**
 * Participant diff: compares one Pipedrive deal's people (its primary person plus its
 * participants) with one Propstreet project's prospects and says what to write on each side.
 *
 * Stateless: the bundled workflow 08 now uses the state-backed membership sync
 * (`core/membership`), which knows whether a one-sided membership was linked before. This Differ
 * is kept for hand-built workflows; it decides one-sided memberships with the same rule
 * (`membership/presence.ts`), its one-side policies standing in for the history it cannot know.
 *
 * Pure and stateless on purpose. Pipedrive fires no webhook for participant changes, so this runs
 * on a schedule and on Propstreet prospect events; n8n static data is not safe under concurrent
 * executions, so everything it needs comes in with the input and nothing is remembered between
 * runs. The result is deterministic (every list is sorted) and idempotent: applying the actions and
 * diffing the new state again yields no actions.
 *
 * Inputs, per deal/project pair:
 * - the deal (`id`, primary `person_id`: a number, or the v1 object `{ value }`); the spec makes the
 *   primary person a prospect too, so it counts as a participant;
 * - the items of `GET /v1/deals/{id}/participants`: `id` is the participant RECORD id (what the
 *   DELETE route takes), `person_id` is an object `{ value, name, email[] … }` in v1 (errata 4); a
 *   bare number is accepted as well. Inactive records (`active_flag: false`) count as absent;
 * - the project's prospects (Propstreet Prospect objects). Deleted ones (`deletedUtc` set) count as
 *   absent. A `teaser` marks a prospect Propstreet matched itself;
 * - the id mapping person id ⇄ contact id, from a plain map, from Propstreet contacts' external refs
 *   `{ namespace: 'pipedrive', id: <person id> }`, from the persons' `propstreet_contact_id` custom
 *   field, and, last, from the prospects' own `pipedrive` refs (ARCHITECTURE.md: participants →
 *   prospects use the person id as the ref, not the participant record id the spec's sample used).
 *
 * Classification lives on the Pipedrive PERSON as a single-option custom field (participants have
 * no custom fields; errata "where the prospect classification lives"). Its options are the labels
 * in CLASSIFICATION_LABELS. Because a person can sit on several deals while a prospect belongs to
 * one project, a person on two projects with different prospect classifications holds whichever
 * was written last; README documents this limit.
 */
import { MAX_NESTING_DEPTH, shortPath, tooDeepPath } from './depth';
import { historyOfPolicy, oneSidedAction } from './membership/presence';

import { check } from './schemas/check';
import { participantDiffInput } from './schemas/participantDiff';

export type ParticipantDiffDirection = 'both' | 'pipedriveToPropstreet' | 'propstreetToPipedrive';
/** What to do with someone present on one side only: copy them over, remove them, or leave them. */
export type OneSidePolicy = 'add' | 'remove' | 'ignore';
export type ProspectClassification = 'not_contacted' | 'contacted' | 'interested' | 'not_interested' | 'bidder';

export const PROSPECT_CLASSIFICATIONS: readonly ProspectClassification[] = [
	'not_contacted',
	'contacted',
	'interested',
	'not_interested',
	'bidder',
];

/** Option labels of the Pipedrive person field, by Propstreet code. */
export const CLASSIFICATION_LABELS: Readonly<Record<ProspectClassification, string>> = {
	not_contacted: 'Not contacted',
	contacted: 'Contacted',
	interested: 'Interested',
	not_interested: 'Not interested',
	bidder: 'Bidder',
};

/** Propstreet gives every new prospect this classification (reference §13.1). */
const DEFAULT_NEW_PROSPECT_CLASSIFICATION: ProspectClassification = 'not_contacted';

/** `prospects:batch` takes at most 100 prospects per call (spec, ARCHITECTURE.md). */
export const MAX_PROSPECT_BATCH = 100;

export interface ParticipantDiffOptions {
	direction: ParticipantDiffDirection;
	/** A person who is a participant (or the primary person) but not a prospect. */
	onlyInPipedrive: OneSidePolicy;
	/** A contact who is a prospect but not a participant. */
	onlyInPropstreet: OneSidePolicy;
	/** Which side wins when both have a classification and they differ (only used in `both`). */
	classificationSource: 'propstreet' | 'pipedrive';
	syncClassification: boolean;
	/** Copy teaser-matched prospects to Pipedrive as participants. Never removes them either way. */
	includeTeaserMatched: boolean;
	/** Count the deal's primary person as a participant (the spec does). */
	includePrimaryPerson: boolean;
	/** External-ref namespace for Pipedrive ids in Propstreet. */
	namespace: string;
	/** Pipedrive person custom-field key holding the Propstreet contact id. */
	contactIdField: string;
	/** Pipedrive person custom-field key holding the classification. */
	classificationField: string;
	/** Prospects per Add Prospects item, 1–100. */
	batchSize: number;
}

export const DEFAULT_PARTICIPANT_DIFF_OPTIONS: ParticipantDiffOptions = {
	direction: 'both',
	onlyInPipedrive: 'add',
	onlyInPropstreet: 'add',
	classificationSource: 'propstreet',
	syncClassification: true,
	includeTeaserMatched: false,
	includePrimaryPerson: true,
	namespace: 'pipedrive',
	contactIdField: 'propstreet_contact_id',
	classificationField: 'classification',
	batchSize: MAX_PROSPECT_BATCH,
};

/**
 * The one-side policies a one-way direction implies. One-way sync always copies new people to the
 * target; `mirrorRemovals` decides whether someone missing on the source side is removed from the
 * target (a mirror) or left there.
 */
export function oneWayPolicy(
	direction: Exclude<ParticipantDiffDirection, 'both'>,
	mirrorRemovals: boolean,
): Pick<ParticipantDiffOptions, 'onlyInPipedrive' | 'onlyInPropstreet'> {
	const removal: OneSidePolicy = mirrorRemovals ? 'remove' : 'ignore';
	return direction === 'pipedriveToPropstreet'
		? { onlyInPipedrive: 'add', onlyInPropstreet: removal }
		: { onlyInPipedrive: removal, onlyInPropstreet: 'add' };
}

export interface ParticipantDiffInput {
	dealId?: unknown;
	projectId?: unknown;
	/** The deal, for its primary `person_id` (and `id` when `dealId` is not given). */
	deal?: unknown;
	/** Participant items, or the whole `{ success, data: [...] }` response. */
	participants: unknown;
	/** Prospect objects, or the whole `{ data: [...] }` page. */
	prospects: unknown;
	/**
	 * `{ "<personId>": "<contactId>" }`, or an array of Propstreet contacts and/or Pipedrive persons,
	 * or `{ map?, contacts?, persons? }`.
	 */
	idMap?: unknown;
	/** `{ "<personId>": <label, code, option id or { id, label }> }`; null means "set to nothing". */
	personClassifications?: unknown;
	/** The Pipedrive field's options `[{ id, label }]`, to read option ids and to write them back. */
	classificationOptions?: unknown;
	/** Limit actions to these people (for event-driven runs about one prospect). */
	scope?: { personIds?: unknown; contactIds?: unknown };
}

export interface ExternalRef {
	namespace: string;
	id: string;
}

export interface AddProspectsBatch {
	projectId: string;
	dealId: string | number;
	/** 1-based position of this batch among `batches`. */
	batch: number;
	batches: number;
	/** Ready for the `prospects:batch` body. */
	prospects: Array<{ contactId: string; externalRefs: ExternalRef[] }>;
}

export interface RemoveProspect {
	projectId: string;
	dealId: string | number;
	prospectId: string;
	contactId: string;
	personId: string | number;
}

export interface AddParticipant {
	dealId: string | number;
	projectId: string;
	personId: string | number;
	contactId: string;
}

export interface RemoveParticipant {
	dealId: string | number;
	projectId: string;
	/** The participant record id the DELETE route takes, not the person id. */
	participantId: string | number;
	personId: string | number;
	contactId: string;
}

export interface ClassificationUpdate {
	target: 'propstreet' | 'pipedrive';
	dealId: string | number;
	projectId: string;
	/** null when the prospect is created by this run's Add Prospects: find it by contactId. */
	prospectId: string | null;
	personId: string | number;
	contactId: string;
	/** Propstreet code. */
	classification: ProspectClassification;
	/** The Pipedrive option label for the code. */
	label: string;
	/** The Pipedrive option id, when the options were given and one matches. */
	optionId?: string | number;
	/** The losing side's value before the update (code, raw text, or null). */
	previous: unknown;
}

export type UnmatchedReason =
	| 'no_propstreet_contact'
	| 'no_pipedrive_person'
	| 'company_only_prospect'
	| 'several_persons_for_contact'
	| 'primary_person_not_removable'
	| 'unknown_classification';

export interface UnmatchedPerson {
	side: 'pipedrive' | 'propstreet';
	dealId: string | number;
	projectId: string;
	reason: UnmatchedReason;
	personId?: string | number;
	contactId?: string;
	prospectId?: string;
	companyId?: string;
	participantIds?: Array<string | number>;
	candidatePersonIds?: Array<string | number>;
	name?: string;
	value?: unknown;
	message: string;
}

export interface ParticipantDiffResult {
	addProspects: AddProspectsBatch[];
	removeProspects: RemoveProspect[];
	addParticipants: AddParticipant[];
	removeParticipants: RemoveParticipant[];
	updateClassifications: ClassificationUpdate[];
	unmatched: UnmatchedPerson[];
}

/** Bad input. `field` names the field, `problem` says what is wrong with it. */
export class ParticipantDiffInputError extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
	) {
		super(`${field} ${problem}`);
		this.name = 'ParticipantDiffInputError';
	}
}

/**
 * A JSON field as n8n hands it over: an expression yields the value itself, text typed into the
 * field arrives as a string and is parsed. Empty text means "not given".
 */
export function parseJsonField(value: unknown, field: string): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (text === '') return undefined;
	let parsed: { value: unknown } | undefined;
	try {
		parsed = { value: JSON.parse(text) as unknown };
	} catch {
		parsed = undefined;
	}
	if (!parsed) throw new ParticipantDiffInputError(field, 'is not valid JSON');
	return parsed.value;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** An id as a trimmed string, or undefined when it is not a usable id. */
function idString(value: unknown): string | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	return undefined;
}

/** Pipedrive ids are integers; give them back as numbers when they are. */
function pipedriveIdOut(key: string): string | number {
	return /^\d{1,15}$/.test(key) ? Number(key) : key;
}

/** Numeric ids in numeric order, others after them in code-unit order; never locale-dependent. */
export function compareIds(a: string, b: string): number {
	const an = allDigits(a);
	const bn = allDigits(b);
	if (an && bn) {
		// Without leading zeros, a longer number is the larger one. Index arithmetic, no regex: this
		// runs for every comparison of every sort.
		const lengthOrder = a.length - leadingZeros(a) - (b.length - leadingZeros(b));
		if (lengthOrder !== 0) return lengthOrder;
	} else if (an !== bn) {
		return an ? -1 : 1;
	}
	return a < b ? -1 : a > b ? 1 : 0;
}

function allDigits(text: string): boolean {
	if (text.length === 0) return false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return true;
}

/** Leading "0"s, keeping the last digit ("000" has two). */
function leadingZeros(digits: string): number {
	let n = 0;
	while (n < digits.length - 1 && digits.charCodeAt(n) === 48) n++;
	return n;
}

function sortedKeys<T>(map: Map<string, T>): string[] {
	return [...map.keys()].sort(compareIds);
}

/** A Pipedrive `person_id`: a number/string, or the v1 object whose `value` is the id. */
function personIdOf(value: unknown): string | undefined {
	if (isObject(value)) return idString(value.value) ?? idString(value.id);
	return idString(value);
}

/** The array inside `value`: the value itself, or a response envelope's `data`. */
function listOf(value: unknown, field: string): unknown[] {
	if (Array.isArray(value)) return value;
	if (isObject(value) && Array.isArray(value.data)) return value.data;
	if (value === undefined || value === null) throw new ParticipantDiffInputError(field, 'is missing');
	throw new ParticipantDiffInputError(field, 'is not an array');
}

/** A custom field of a Pipedrive person: v2 keeps them in `custom_fields`, v1 at the top level. */
function personField(person: Json, key: string): { present: boolean; value: unknown } {
	if (isObject(person.custom_fields) && key in person.custom_fields) {
		return { present: true, value: person.custom_fields[key] };
	}
	if (key in person) return { present: true, value: person[key] };
	return { present: false, value: undefined };
}

/** Webhook v2 payloads wrap custom-field values in typed objects (`{ type, value }`). */
function unwrapFieldValue(value: unknown): unknown {
	if (isObject(value) && 'value' in value && !('label' in value)) return value.value;
	return value;
}

function refsOf(entity: Json): ExternalRef[] {
	const refs = entity.externalRefs;
	if (!Array.isArray(refs)) return [];
	const out: ExternalRef[] = [];
	for (const ref of refs) {
		if (!isObject(ref)) continue;
		const id = idString(ref.id);
		if (typeof ref.namespace === 'string' && id !== undefined) out.push({ namespace: ref.namespace, id });
	}
	return out;
}

/** The id this entity carries in `namespace` (compared case-insensitively, as Propstreet does). */
function refId(entity: Json, namespace: string): string | undefined {
	const wanted = namespace.toLowerCase();
	return refsOf(entity).find((ref) => ref.namespace.toLowerCase() === wanted)?.id;
}

// ---------------------------------------------------------------------------------------------
// Classification values

type ClassificationValue =
	| { kind: 'empty' }
	| { kind: 'code'; code: ProspectClassification }
	| { kind: 'unknown'; raw: unknown };

function codeFromText(text: string): ProspectClassification | undefined {
	const key = text
		.trim()
		.toLowerCase()
		.replace(/[\s\-_]+/g, '_');
	return (PROSPECT_CLASSIFICATIONS as readonly string[]).includes(key)
		? (key as ProspectClassification)
		: undefined;
}

/**
 * Reads a classification written either way: the Propstreet code, the Pipedrive label (any case,
 * spaces/hyphens/underscores alike), a `{ id, label }` option, or a bare option id resolved
 * through the field's options.
 */
function readClassification(raw: unknown, optionLabels: Map<string, string>): ClassificationValue {
	const value = unwrapFieldValue(raw);
	if (isBlank(value)) return { kind: 'empty' };
	if (isObject(value)) {
		if (typeof value.label === 'string') return readClassification(value.label, optionLabels);
		if (value.id !== undefined) return readClassification(value.id, optionLabels);
		return { kind: 'unknown', raw };
	}
	const text = idString(value);
	if (text === undefined) return { kind: 'unknown', raw };
	const label = optionLabels.get(text);
	const code = codeFromText(label ?? text);
	return code ? { kind: 'code', code } : { kind: 'unknown', raw };
}

function describe(value: ClassificationValue): unknown {
	if (value.kind === 'code') return value.code;
	if (value.kind === 'unknown') return value.raw;
	return null;
}

function parseOptions(raw: unknown): { labels: Map<string, string>; idsByCode: Map<string, string | number> } {
	const labels = new Map<string, string>();
	const idsByCode = new Map<string, string | number>();
	if (raw === undefined || raw === null) return { labels, idsByCode };
	const list = listOf(raw, 'classificationOptions');
	list.forEach((option, index) => {
		if (!isObject(option) || idString(option.id) === undefined || typeof option.label !== 'string') {
			throw new ParticipantDiffInputError(`classificationOptions[${index}]`, 'needs an id and a label');
		}
		const id = idString(option.id) as string;
		labels.set(id, option.label);
		const code = codeFromText(option.label);
		if (code && !idsByCode.has(code)) idsByCode.set(code, option.id as string | number);
	});
	return { labels, idsByCode };
}

// ---------------------------------------------------------------------------------------------
// Id mapping

/** Lower wins when two sources disagree about one person. */
const PRIORITY = { map: 0, contact: 1, person: 2, prospect: 3 } as const;

interface Link {
	person: string;
	contact: string;
	priority: number;
}

interface PersonFacts {
	links: Link[];
	/** Classifications found on person records, by person id (first source wins). */
	classifications: Map<string, unknown>;
	names: Map<string, string>;
}

function collectPerson(person: Json, options: ParticipantDiffOptions, facts: PersonFacts): void {
	const personKey = idString(person.id);
	if (personKey === undefined) return;
	const contact = idString(unwrapFieldValue(personField(person, options.contactIdField).value));
	if (contact !== undefined) facts.links.push({ person: personKey, contact, priority: PRIORITY.person });
	const classification = personField(person, options.classificationField);
	if (classification.present && !facts.classifications.has(personKey)) {
		facts.classifications.set(personKey, classification.value);
	}
	if (typeof person.name === 'string' && !facts.names.has(personKey)) facts.names.set(personKey, person.name);
}

function collectIdMap(raw: unknown, options: ParticipantDiffOptions, facts: PersonFacts): void {
	if (raw === undefined || raw === null) return;
	const entities = (list: unknown, field: string) => {
		listOf(list, field).forEach((entity, index) => {
			if (!isObject(entity)) throw new ParticipantDiffInputError(`${field}[${index}]`, 'is not an object');
			// A Propstreet contact carries external refs; anything else is read as a Pipedrive person.
			const person = refId(entity, options.namespace);
			const contact = idString(entity.id);
			if (Array.isArray(entity.externalRefs)) {
				if (person !== undefined && contact !== undefined) {
					facts.links.push({ person, contact, priority: PRIORITY.contact });
				}
			} else {
				collectPerson(entity, options, facts);
			}
		});
	};
	if (Array.isArray(raw)) return entities(raw, 'idMap');
	if (!isObject(raw)) throw new ParticipantDiffInputError('idMap', 'is not an object or an array');
	let map: Json = raw;
	if (['map', 'contacts', 'persons'].some((name) => name in raw)) {
		if (raw.contacts !== undefined && raw.contacts !== null) entities(raw.contacts, 'idMap.contacts');
		if (raw.persons !== undefined && raw.persons !== null) entities(raw.persons, 'idMap.persons');
		if (raw.map === undefined || raw.map === null) return;
		if (!isObject(raw.map)) throw new ParticipantDiffInputError('idMap.map', 'is not an object');
		map = raw.map;
	}
	for (const [person, value] of Object.entries(map)) {
		if (isBlank(value)) continue;
		const contact = idString(value);
		if (contact === undefined) {
			throw new ParticipantDiffInputError(`idMap["${person}"]`, 'is not a contact id');
		}
		facts.links.push({ person: person.trim(), contact, priority: PRIORITY.map });
	}
}

/** Appends in place: rebuilding the list for every entry made many persons on one contact quadratic. */
function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/** person → contact is a function (best source, then lowest contact id); contact → persons is its inverse. */
function resolveLinks(links: Link[]): { contactOf: Map<string, string>; personsOf: Map<string, string[]> } {
	const best = new Map<string, Link>();
	for (const link of links) {
		const current = best.get(link.person);
		if (
			!current ||
			link.priority < current.priority ||
			(link.priority === current.priority && compareIds(link.contact, current.contact) < 0)
		) {
			best.set(link.person, link);
		}
	}
	const contactOf = new Map<string, string>();
	const personsOf = new Map<string, string[]>();
	for (const person of sortedKeys(best)) {
		const contact = (best.get(person) as Link).contact;
		contactOf.set(person, contact);
		pushTo(personsOf, contact, person);
	}
	return { contactOf, personsOf };
}

// ---------------------------------------------------------------------------------------------
// The diff

interface PipedrivePerson {
	key: string;
	/** Active participant record ids (several when Pipedrive lists the person twice). */
	records: string[];
	isPrimary: boolean;
}

interface ProspectRecord {
	id: string;
	classification: ClassificationValue;
	teaser: boolean;
}

interface PropstreetContact {
	key: string;
	/** Active prospect records, sorted by id; the first is the canonical one. */
	prospects: ProspectRecord[];
	teaser: boolean;
}

function readScope(raw: ParticipantDiffInput['scope']): ((person?: string, contact?: string) => boolean) | undefined {
	if (!raw) return undefined;
	const ids = (value: unknown, field: string): Set<string> | undefined => {
		if (value === undefined || value === null || value === '') return undefined;
		const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
		const set = new Set<string>();
		for (const entry of list) {
			const id = idString(entry);
			if (id === undefined) throw new ParticipantDiffInputError(field, 'holds something that is not an id');
			set.add(id);
		}
		return set;
	};
	const persons = ids(raw.personIds, 'scope.personIds');
	const contacts = ids(raw.contactIds, 'scope.contactIds');
	if (!persons && !contacts) return undefined;
	return (person, contact) =>
		(person !== undefined && persons?.has(person) === true) ||
		(contact !== undefined && contacts?.has(contact) === true);
}

/** A value nested past MAX_NESTING_DEPTH is refused by name before any recursive code meets it. */
function assertShallowInput(input: ParticipantDiffInput): void {
	const path = tooDeepPath(input);
	if (path !== undefined) throw new ParticipantDiffInputError(shortPath(path) || 'input', `is nested more than ${MAX_NESTING_DEPTH} levels deep`);
}

export function diffParticipants(
	input: ParticipantDiffInput,
	partialOptions: Partial<ParticipantDiffOptions> = {},
): ParticipantDiffResult {
	const options: ParticipantDiffOptions = { ...DEFAULT_PARTICIPANT_DIFF_OPTIONS, ...partialOptions };
	assertShallowInput(input);
	if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > MAX_PROSPECT_BATCH) {
		throw new ParticipantDiffInputError('batchSize', `must be a whole number from 1 to ${MAX_PROSPECT_BATCH}`);
	}

	// Ids that end up in URLs are checked first (core/schemas), with the field path.
	const checked = check(participantDiffInput, input);
	if (!checked.ok) throw new ParticipantDiffInputError(checked.path, checked.problem);

	// --- the pair itself
	const deal = input.deal;
	if (deal !== undefined && deal !== null && !isObject(deal)) {
		throw new ParticipantDiffInputError('deal', 'is not an object');
	}
	const dealKey = idString(input.dealId) ?? (deal ? idString(deal.id) : undefined);
	if (dealKey === undefined) throw new ParticipantDiffInputError('dealId', 'is missing');
	const projectId = idString(input.projectId);
	if (projectId === undefined) throw new ParticipantDiffInputError('projectId', 'is missing');
	const dealId = pipedriveIdOut(dealKey);
	const inScope = readScope(input.scope) ?? (() => true);

	const facts: PersonFacts = { links: [], classifications: new Map(), names: new Map() };
	const { labels: optionLabels, idsByCode: optionIds } = parseOptions(input.classificationOptions);

	// --- Pipedrive side: primary person plus active participants, one entry per person
	const pipedrive = new Map<string, PipedrivePerson>();
	// Seen person/record and contact/prospect pairs, so a repeat is found without scanning a list.
	const seenPairs = new Set<string>();
	const firstTime = (a: string, b: string) => !seenPairs.has(`${a}\u0000${b}`) && !!seenPairs.add(`${a}\u0000${b}`);
	const personEntry = (key: string) => {
		let entry = pipedrive.get(key);
		if (!entry) pipedrive.set(key, (entry = { key, records: [], isPrimary: false }));
		return entry;
	};
	listOf(input.participants, 'participants').forEach((participant, index) => {
		const field = `participants[${index}]`;
		if (!isObject(participant)) throw new ParticipantDiffInputError(field, 'is not an object');
		const record = idString(participant.id);
		if (record === undefined) throw new ParticipantDiffInputError(`${field}.id`, 'is missing');
		const person = personIdOf(participant.person_id);
		if (person === undefined) throw new ParticipantDiffInputError(`${field}.person_id`, 'is missing');
		if (isObject(participant.person)) collectPerson({ ...participant.person, id: person }, options, facts);
		if (isObject(participant.person_id) && typeof participant.person_id.name === 'string') {
			if (!facts.names.has(person)) facts.names.set(person, participant.person_id.name);
		}
		if (participant.active_flag === false) return;
		const entry = personEntry(person);
		if (firstTime(`p${person}`, record)) entry.records.push(record);
	});
	if (options.includePrimaryPerson && deal) {
		const primary = personIdOf(deal.person_id);
		if (primary !== undefined) personEntry(primary).isPrimary = true;
	}
	for (const entry of pipedrive.values()) entry.records.sort(compareIds);

	// --- Propstreet side: active prospects grouped by contact
	const propstreet = new Map<string, PropstreetContact>();
	const companyOnly: Array<{ id: string; companyId?: string; name?: string }> = [];
	listOf(input.prospects, 'prospects').forEach((prospect, index) => {
		const field = `prospects[${index}]`;
		if (!isObject(prospect)) throw new ParticipantDiffInputError(field, 'is not an object');
		const id = idString(prospect.id);
		if (id === undefined) throw new ParticipantDiffInputError(`${field}.id`, 'is missing');
		if (!isBlank(prospect.deletedUtc)) return;
		const contact = idString(prospect.contactId);
		const teaser = isObject(prospect.teaser);
		if (contact === undefined) {
			if (teaser && !options.includeTeaserMatched) return;
			const name = typeof prospect.displayName === 'string' ? prospect.displayName : undefined;
			companyOnly.push({ id, companyId: idString(prospect.companyId), name });
			return;
		}
		const person = refId(prospect, options.namespace);
		if (person !== undefined) facts.links.push({ person, contact, priority: PRIORITY.prospect });
		let entry = propstreet.get(contact);
		if (!entry) propstreet.set(contact, (entry = { key: contact, prospects: [], teaser: false }));
		if (!firstTime(`c${contact}`, id)) return;
		entry.prospects.push({ id, classification: readClassification(prospect.classification, optionLabels), teaser });
		entry.teaser = entry.teaser || teaser;
	});
	for (const entry of propstreet.values()) entry.prospects.sort((a, b) => compareIds(a.id, b.id));

	// --- mapping and person classifications
	collectIdMap(input.idMap, options, facts);
	const { contactOf, personsOf } = resolveLinks(facts.links);
	const personClassification = new Map<string, ClassificationValue>();
	const explicit = input.personClassifications;
	if (explicit !== undefined && explicit !== null) {
		if (!isObject(explicit)) throw new ParticipantDiffInputError('personClassifications', 'is not an object');
		for (const [person, value] of Object.entries(explicit)) {
			personClassification.set(person.trim(), readClassification(value, optionLabels));
		}
	}
	for (const [person, value] of facts.classifications) {
		if (!personClassification.has(person)) personClassification.set(person, readClassification(value, optionLabels));
	}

	// --- what the direction allows
	const writesPropstreet = options.direction !== 'propstreetToPipedrive';
	const writesPipedrive = options.direction !== 'pipedriveToPropstreet';
	const allowed = (policy: OneSidePolicy, addWritesPropstreet: boolean): OneSidePolicy => {
		if (policy === 'add') return (addWritesPropstreet ? writesPropstreet : writesPipedrive) ? 'add' : 'ignore';
		if (policy === 'remove') return (addWritesPropstreet ? writesPipedrive : writesPropstreet) ? 'remove' : 'ignore';
		return 'ignore';
	};
	const onlyInPipedrive = allowed(options.onlyInPipedrive, true);
	const onlyInPropstreet = allowed(options.onlyInPropstreet, false);
	// One-way sync implies which side's classification wins.
	const classificationWinner =
		options.direction === 'pipedriveToPropstreet'
			? 'pipedrive'
			: options.direction === 'propstreetToPipedrive'
				? 'propstreet'
				: options.classificationSource;

	const result: ParticipantDiffResult = {
		addProspects: [],
		removeProspects: [],
		addParticipants: [],
		removeParticipants: [],
		updateClassifications: [],
		unmatched: [],
	};
	const newProspects: Array<{ contactId: string; personKey: string }> = [];
	const base = { dealId, projectId };
	const nameOf = (person: string) => facts.names.get(person);

	const classificationUpdate = (
		target: 'propstreet' | 'pipedrive',
		code: ProspectClassification,
		personKey: string,
		contactId: string,
		prospectId: string | null,
		previous: unknown,
	): ClassificationUpdate => {
		const update: ClassificationUpdate = {
			target,
			...base,
			prospectId,
			personId: pipedriveIdOut(personKey),
			contactId,
			classification: code,
			label: CLASSIFICATION_LABELS[code],
			previous,
		};
		if (target === 'pipedrive' && optionIds.has(code)) update.optionId = optionIds.get(code);
		return update;
	};
	const unknownClassification = (
		side: 'pipedrive' | 'propstreet',
		personKey: string,
		contactId: string,
		value: unknown,
		prospectId?: string,
	) => {
		result.unmatched.push({
			side,
			...base,
			reason: 'unknown_classification',
			personId: pipedriveIdOut(personKey),
			contactId,
			...(prospectId ? { prospectId } : {}),
			value,
			message: `The ${side === 'pipedrive' ? 'Pipedrive person' : 'Propstreet prospect'} has a classification that is not one of ${PROSPECT_CLASSIFICATIONS.join(', ')}`,
		});
	};

	// Compare one pair that is on both sides; the winning side must have a value.
	const compareClassification = (
		personKey: string,
		contact: PropstreetContact,
		personValue = personClassification.get(personKey),
	) => {
		if (!options.syncClassification) return;
		// Without the person's value we cannot tell whether the sides differ; doing nothing keeps reruns idempotent.
		if (!personValue) return;
		if (classificationWinner === 'propstreet') {
			const canonical = contact.prospects[0];
			const source = canonical.classification;
			if (source.kind === 'unknown') return unknownClassification('propstreet', personKey, contact.key, source.raw, canonical.id);
			if (source.kind !== 'code') return;
			if (personValue.kind === 'code' && personValue.code === source.code) return;
			result.updateClassifications.push(
				classificationUpdate('pipedrive', source.code, personKey, contact.key, canonical.id, describe(personValue)),
			);
			return;
		}
		if (personValue.kind === 'unknown') return unknownClassification('pipedrive', personKey, contact.key, personValue.raw);
		if (personValue.kind !== 'code') return;
		for (const prospect of contact.prospects) {
			const current = prospect.classification;
			if (current.kind === 'code' && current.code === personValue.code) continue;
			result.updateClassifications.push(
				classificationUpdate('propstreet', personValue.code, personKey, contact.key, prospect.id, describe(current)),
			);
		}
	};

	// --- walk the Pipedrive side, grouped by the contact each person maps to
	const presentByContact = new Map<string, string[]>();
	for (const personKey of sortedKeys(pipedrive)) {
		const contactId = contactOf.get(personKey);
		const entry = pipedrive.get(personKey) as PipedrivePerson;
		if (contactId === undefined) {
			if (onlyInPipedrive !== 'ignore' && inScope(personKey)) {
				result.unmatched.push({
					side: 'pipedrive',
					...base,
					reason: 'no_propstreet_contact',
					personId: pipedriveIdOut(personKey),
					participantIds: entry.records.map(pipedriveIdOut),
					name: nameOf(personKey),
					message: 'The person has no Propstreet contact yet; run contact sync first',
				});
			}
			continue;
		}
		pushTo(presentByContact, contactId, personKey);
	}

	for (const contactId of sortedKeys(presentByContact)) {
		const persons = presentByContact.get(contactId) as string[];
		if (!persons.some((person) => inScope(person, contactId))) continue;
		const contact = propstreet.get(contactId);
		if (persons.length > 1) {
			// Several Pipedrive persons (duplicates) point at one contact: membership is clear, but
			// whose classification counts is not, so that part waits for a merge.
			result.unmatched.push({
				side: 'pipedrive',
				...base,
				reason: 'several_persons_for_contact',
				contactId,
				candidatePersonIds: persons.map(pipedriveIdOut),
				message: 'Several Pipedrive persons on this deal map to the same Propstreet contact; classification is not synced until they are merged',
			});
		}
		if (contact) {
			if (persons.length === 1) compareClassification(persons[0], contact);
			continue;
		}
		// On Pipedrive only: the one-sided rule of core/membership, with the history the policy stands for.
		const pipedriveHistory = historyOfPolicy(onlyInPipedrive);
		if (oneSidedAction({ history: pipedriveHistory, counterpartKnown: true }) === 'add') {
			newProspects.push({ contactId, personKey: persons[0] });
			const personValue = personClassification.get(persons[0]);
			if (options.syncClassification && persons.length === 1 && personValue) {
				if (personValue.kind === 'code') {
					// The new prospect starts as not_contacted; carry the person's stage over.
					if (personValue.code !== DEFAULT_NEW_PROSPECT_CLASSIFICATION) {
						result.updateClassifications.push(
							classificationUpdate('propstreet', personValue.code, persons[0], contactId, null, null),
						);
					}
				} else if (classificationWinner === 'propstreet') {
					// The person has no usable stage, the new prospect will say not_contacted and Propstreet
					// wins: the next run would write that to the person, so write it now.
					result.updateClassifications.push(
						classificationUpdate(
							'pipedrive',
							DEFAULT_NEW_PROSPECT_CLASSIFICATION,
							persons[0],
							contactId,
							null,
							describe(personValue),
						),
					);
				} else if (personValue.kind === 'unknown') {
					unknownClassification('pipedrive', persons[0], contactId, personValue.raw);
				}
			}
		} else {
			for (const personKey of persons) {
				const entry = pipedrive.get(personKey) as PipedrivePerson;
				const action = oneSidedAction({ history: pipedriveHistory, counterpartKnown: true, primary: entry.isPrimary });
				if (action === 'leave') continue;
				if (action === 'keepPrimary') {
					// The primary person is the deal's own field, not a participant record.
					result.unmatched.push({
						side: 'pipedrive',
						...base,
						reason: 'primary_person_not_removable',
						personId: pipedriveIdOut(personKey),
						contactId,
						participantIds: entry.records.map(pipedriveIdOut),
						name: nameOf(personKey),
						message: "The deal's primary person is not a prospect, but only the deal's contact person field can remove them",
					});
					continue;
				}
				for (const record of entry.records) {
					result.removeParticipants.push({
						...base,
						participantId: pipedriveIdOut(record),
						personId: pipedriveIdOut(personKey),
						contactId,
					});
				}
			}
		}
	}

	// --- walk the Propstreet side for contacts no Pipedrive person covers
	for (const contactId of sortedKeys(propstreet)) {
		if (presentByContact.has(contactId)) continue;
		const contact = propstreet.get(contactId) as PropstreetContact;
		const candidates = personsOf.get(contactId) ?? [];
		if (!inScope(undefined, contactId) && !candidates.some((person) => inScope(person))) continue;
		// Teaser-matched prospects are Propstreet's own matches: never removed because Pipedrive
		// does not list them, and copied to Pipedrive only on request.
		const teaserLeft = contact.teaser && !(onlyInPropstreet === 'add' && options.includeTeaserMatched);
		const action = oneSidedAction({ history: teaserLeft ? 'tombstone' : historyOfPolicy(onlyInPropstreet), counterpartKnown: candidates.length > 0 });
		if (action === 'leave') continue;
		const canonical = contact.prospects[0];
		if (candidates.length === 0) {
			result.unmatched.push({
				side: 'propstreet',
				...base,
				reason: 'no_pipedrive_person',
				contactId,
				prospectId: canonical.id,
				message: 'The contact has no Pipedrive person yet; run contact sync first',
			});
			continue;
		}
		if (action === 'remove') {
			for (const prospect of contact.prospects) {
				result.removeProspects.push({
					...base,
					prospectId: prospect.id,
					contactId,
					personId: pipedriveIdOut(candidates[0]),
				});
			}
			continue;
		}
		if (candidates.length > 1) {
			result.unmatched.push({
				side: 'propstreet',
				...base,
				reason: 'several_persons_for_contact',
				contactId,
				prospectId: canonical.id,
				candidatePersonIds: candidates.map(pipedriveIdOut),
				message: 'Several Pipedrive persons map to this contact; merge them so the participant to add is clear',
			});
			continue;
		}
		const personKey = candidates[0];
		result.addParticipants.push({ ...base, personId: pipedriveIdOut(personKey), contactId });
		if (!options.syncClassification) continue;
		// The person is new on this deal: the prospect's stage is what there is to copy.
		const source = canonical.classification;
		let personValue = personClassification.get(personKey);
		if (source.kind === 'code' && !(personValue?.kind === 'code' && personValue.code === source.code)) {
			result.updateClassifications.push(
				classificationUpdate('pipedrive', source.code, personKey, contactId, canonical.id, personValue ? describe(personValue) : null),
			);
			personValue = source;
		}
		// Then settle the pair as the next run would see it (duplicate prospects, an empty or
		// unreadable prospect stage when Pipedrive wins), so that run finds nothing to do.
		compareClassification(personKey, contact, personValue);
	}

	// --- company-only prospects cannot be participants (participants are persons)
	if (onlyInPropstreet !== 'ignore') {
		for (const prospect of companyOnly.sort((a, b) => compareIds(a.id, b.id))) {
			// No person or contact id to scope by: reported only by unscoped runs.
			if (!inScope(undefined, undefined)) continue;
			result.unmatched.push({
				side: 'propstreet',
				...base,
				reason: 'company_only_prospect',
				prospectId: prospect.id,
				...(prospect.companyId ? { companyId: prospect.companyId } : {}),
				...(prospect.name ? { name: prospect.name } : {}),
				message: 'The prospect points at a company, not a contact; set its contact person to sync it',
			});
		}
	}

	// --- batches for prospects:batch, in contact order
	newProspects.sort((a, b) => compareIds(a.contactId, b.contactId));
	const batches = Math.ceil(newProspects.length / options.batchSize);
	for (let batch = 0; batch < batches; batch++) {
		result.addProspects.push({
			projectId,
			dealId,
			batch: batch + 1,
			batches,
			prospects: newProspects.slice(batch * options.batchSize, (batch + 1) * options.batchSize).map((p) => ({
				contactId: p.contactId,
				externalRefs: [{ namespace: options.namespace, id: p.personKey }],
			})),
		});
	}

	sortResult(result);
	return result;
}

function key(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

function byKeys<T>(...getters: Array<(item: T) => unknown>): (a: T, b: T) => number {
	return (a, b) => {
		for (const get of getters) {
			const order = compareIds(key(get(a)), key(get(b)));
			if (order !== 0) return order;
		}
		return 0;
	};
}

/** Stable, documented order for every list, whatever order the input came in. */
function sortResult(result: ParticipantDiffResult): void {
	result.removeProspects.sort(byKeys((r) => r.contactId, (r) => r.prospectId));
	result.addParticipants.sort(byKeys((r) => r.personId));
	result.removeParticipants.sort(byKeys((r) => r.personId, (r) => r.participantId));
	result.updateClassifications.sort(
		byKeys(
			(r) => r.target,
			(r) => r.contactId,
			(r) => r.personId,
			(r) => r.prospectId,
		),
	);
	result.unmatched.sort(
		byKeys(
			(r) => r.side,
			(r) => r.reason,
			(r) => r.personId,
			(r) => r.contactId,
			(r) => r.prospectId,
		),
	);
}
