/**
 * Field definitions (built-in and custom) for persons, organizations and deals, and the three shapes a
 * custom value takes: API v2 (`custom_fields[key]`), API v1 (top-level hash keys, composite types split
 * into sibling keys) and Webhooks v2 (typed objects: `{ type, value }`, `{ type: 'enum', id }`, ...).
 */
import { createHash } from 'crypto';

import type { FieldDef, FieldEntity, FieldOption } from './types';
import { ApiError, badRequest, isInt, isPlainObject, rfc3339, v1Time } from './util';

/** Types a user may create (v2 list); v1 also allows `visible_to`. */
export const CREATABLE_FIELD_TYPES = [
	'varchar', 'varchar_auto', 'text', 'double', 'monetary', 'date', 'daterange', 'time', 'timerange',
	'set', 'enum', 'user', 'org', 'people', 'phone', 'address',
] as const;

/** Custom field types that the search endpoints look into. */
export const SEARCHABLE_CUSTOM_TYPES = new Set(['address', 'varchar', 'text', 'varchar_auto', 'double', 'monetary', 'phone']);

const ADDRESS_PARTS = [
	'value', 'route', 'subpremise', 'country', 'locality', 'postal_code', 'sublocality', 'street_number',
	'admin_area_level_1', 'admin_area_level_2', 'formatted_address',
] as const;

/** Deterministic 40-hex key for a seeded custom field: sha1 of its name (seeded names are unique). */
export function seededFieldKey(name: string): string {
	return createHash('sha1').update(name).digest('hex');
}

type BuiltIn = [key: string, name: string, type: string, optionsFrom?: 'labels'];

const BUILT_INS: Record<FieldEntity, BuiltIn[]> = {
	person: [
		['id', 'ID', 'int'], ['name', 'Name', 'varchar'], ['first_name', 'First name', 'varchar'],
		['last_name', 'Last name', 'varchar'], ['label', 'Label', 'enum', 'labels'], ['label_ids', 'Labels', 'set', 'labels'],
		['org_id', 'Organization', 'org'], ['owner_id', 'Owner', 'user'], ['email', 'Email', 'varchar'],
		['phone', 'Phone', 'phone'], ['visible_to', 'Visible to', 'visible_to'], ['add_time', 'Person created', 'date'],
		['update_time', 'Update time', 'date'], ['job_title', 'Job title', 'varchar'], ['birthday', 'Birthday', 'date'],
		['notes', 'Notes', 'text'], ['postal_address', 'Postal address', 'address'], ['im', 'Instant messenger', 'varchar'],
	],
	organization: [
		['id', 'ID', 'int'], ['name', 'Name', 'varchar'], ['label', 'Label', 'enum', 'labels'],
		['label_ids', 'Labels', 'set', 'labels'], ['owner_id', 'Owner', 'user'], ['address', 'Address', 'address'],
		['visible_to', 'Visible to', 'visible_to'], ['add_time', 'Organization created', 'date'],
		['update_time', 'Update time', 'date'], ['website', 'Website', 'varchar'], ['linkedin', 'LinkedIn profile', 'varchar'],
		['industry', 'Industry', 'enum'], ['annual_revenue', 'Annual revenue', 'monetary'], ['employee_count', 'Number of employees', 'int'],
	],
	deal: [
		['id', 'ID', 'int'], ['title', 'Title', 'varchar'], ['value', 'Value', 'monetary'], ['currency', 'Currency', 'varchar_options'],
		['person_id', 'Contact person', 'people'], ['org_id', 'Organization', 'org'], ['pipeline_id', 'Pipeline', 'pipeline'],
		['stage_id', 'Stage', 'stage'], ['status', 'Status', 'status'], ['owner_id', 'Owner', 'user'],
		['label_ids', 'Labels', 'set', 'labels'], ['expected_close_date', 'Expected close date', 'date'],
		['probability', 'Probability', 'double'], ['lost_reason', 'Lost reason', 'varchar_options'],
		['add_time', 'Deal created', 'date'], ['update_time', 'Update time', 'date'], ['won_time', 'Won time', 'date'],
		['lost_time', 'Lost time', 'date'], ['close_time', 'Deal closed on', 'date'], ['visible_to', 'Visible to', 'visible_to'],
	],
};

/** Default label options per entity (persons take the seed's labels when seeded). */
const DEFAULT_LABELS: Record<FieldEntity, string[]> = {
	person: ['Customer', 'Hot lead', 'Warm lead', 'Cold lead'],
	organization: ['Customer', 'Hot lead', 'Warm lead', 'Cold lead'],
	deal: ['Hot', 'Warm', 'Cold'],
};

const LABEL_COLORS = ['green', 'red', 'yellow', 'blue', 'purple', 'gray'];

export class FieldRegistry {
	private fields: FieldDef[] = [];
	private nextFieldId = 4001;
	private nextOptionId = 1;
	private runtimeFieldCounter = 0;

	constructor(private readonly now: () => number) {}

	/** Installs the built-in fields; `personLabels` replaces the default person label options. */
	reset(personLabels?: readonly string[]): void {
		this.fields = [];
		this.nextFieldId = 4001;
		this.nextOptionId = 1;
		this.runtimeFieldCounter = 0;
		const labelOptions: Record<FieldEntity, FieldOption[]> = {
			person: this.makeOptions(personLabels ?? DEFAULT_LABELS.person, true),
			organization: this.makeOptions(DEFAULT_LABELS.organization, true),
			deal: this.makeOptions(DEFAULT_LABELS.deal, true),
		};
		for (const entity of ['person', 'organization', 'deal'] as FieldEntity[]) {
			BUILT_INS[entity].forEach(([key, name, type, optionsFrom], index) => {
				this.fields.push({
					id: this.nextFieldId++,
					entity,
					key,
					name,
					field_type: type,
					options: optionsFrom === 'labels' ? labelOptions[entity] : null,
					is_custom: false,
					order_nr: index,
					add_time: this.now(),
					update_time: this.now(),
					description: null,
					active: true,
					mandatory: key === 'name' || key === 'title',
					searchable: ['name', 'email', 'phone', 'title', 'address', 'notes'].includes(key),
				});
			});
		}
	}

	private makeOptions(labels: readonly string[], colored = false): FieldOption[] {
		return labels.map((label, index) => ({
			id: this.nextOptionId++,
			label,
			color: colored ? LABEL_COLORS[index % LABEL_COLORS.length] : null,
			add_time: this.now(),
			update_time: this.now(),
		}));
	}

	list(entity: FieldEntity): FieldDef[] {
		return this.fields.filter((field) => field.entity === entity && field.active);
	}

	custom(entity: FieldEntity): FieldDef[] {
		return this.list(entity).filter((field) => field.is_custom);
	}

	byKey(entity: FieldEntity, key: string): FieldDef | undefined {
		return this.list(entity).find((field) => field.key === key);
	}

	byId(entity: FieldEntity, id: number): FieldDef | undefined {
		return this.list(entity).find((field) => field.id === id);
	}

	/** Finds a custom field by key or, for convenience in control calls, by name. */
	resolveCustom(entity: FieldEntity, keyOrName: string): FieldDef | undefined {
		const custom = this.custom(entity);
		return custom.find((field) => field.key === keyOrName) ?? custom.find((field) => field.name === keyOrName);
	}

	labelOptions(entity: FieldEntity): FieldOption[] {
		return this.byKey(entity, 'label_ids')?.options ?? [];
	}

	/** Creates a custom field. `key` is given for seeded fields; runtime fields get a fresh hash. */
	create(
		entity: FieldEntity,
		input: { name: unknown; field_type: unknown; options?: unknown; description?: unknown; key?: string },
	): FieldDef {
		if (typeof input.name !== 'string' || input.name.trim() === '') throw badRequest('Field name is required');
		if (typeof input.field_type !== 'string' || !(CREATABLE_FIELD_TYPES as readonly string[]).concat('visible_to').includes(input.field_type)) {
			throw badRequest(`Invalid field_type. Allowed: ${CREATABLE_FIELD_TYPES.join(', ')}`);
		}
		let options: FieldOption[] | null = null;
		if (input.field_type === 'enum' || input.field_type === 'set') {
			if (!Array.isArray(input.options) || input.options.length === 0) {
				throw badRequest(`Field of type ${input.field_type} requires options`);
			}
			const labels = input.options.map((option) => {
				// v1 historically also took plain strings; both forms are accepted.
				const label = typeof option === 'string' ? option : isPlainObject(option) ? option.label : undefined;
				if (typeof label !== 'string' || label.trim() === '') throw badRequest('Every option needs a label');
				return label;
			});
			if (labels.length > 10000) throw badRequest('A field can have at most 10000 options');
			options = this.makeOptions(labels);
		}
		const key = input.key ?? createHash('sha1').update(`pipedrive-sim:${entity}:${input.name}:${++this.runtimeFieldCounter}`).digest('hex');
		const field: FieldDef = {
			id: this.nextFieldId++,
			entity,
			key,
			name: input.name,
			field_type: input.field_type,
			options,
			is_custom: true,
			order_nr: this.list(entity).length,
			add_time: this.now(),
			update_time: this.now(),
			description: typeof input.description === 'string' ? input.description : null,
			active: true,
			mandatory: false,
			searchable: SEARCHABLE_CUSTOM_TYPES.has(input.field_type),
		};
		this.fields.push(field);
		return field;
	}

	/** Adds options to an enum/set field (v1 PUT with new labels, v2 options POST). */
	addOptions(field: FieldDef, labels: string[]): FieldOption[] {
		const added = this.makeOptions(labels);
		field.options = [...(field.options ?? []), ...added];
		field.update_time = this.now();
		return added;
	}

	remove(field: FieldDef): void {
		field.active = false;
	}

	snapshot(): { fields: FieldDef[]; nextFieldId: number; nextOptionId: number } {
		return { fields: this.fields, nextFieldId: this.nextFieldId, nextOptionId: this.nextOptionId };
	}
}

// ---------------------------------------------------------------------------------------------
// Values

function invalid(field: FieldDef, reason: string): ApiError {
	// Since 2026 Pipedrive's validation errors name the offending field_code.
	return badRequest(`Invalid value for custom field '${field.key}' (${field.name}): ${reason}`, { field_code: field.key });
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^\d{2}:\d{2}(:\d{2})?$/;

/** Validates a v2 custom value strictly (no coercion) and returns the stored form; null clears. */
export function validateCustomValue(field: FieldDef, value: unknown, lookups: { exists(kind: 'org' | 'people' | 'user', id: number): boolean }): unknown {
	if (value === null) return null;
	switch (field.field_type) {
		case 'varchar':
		case 'varchar_auto':
		case 'phone':
			if (typeof value !== 'string') throw invalid(field, 'expected a string');
			if (value.length > 255) throw invalid(field, 'at most 255 characters');
			return value;
		case 'text':
			if (typeof value !== 'string') throw invalid(field, 'expected a string');
			if (value.length > 65535) throw invalid(field, 'at most 65535 characters');
			return value;
		case 'double':
			if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'expected a number');
			return value;
		case 'monetary':
			if (!isPlainObject(value) || typeof value.value !== 'number' || typeof value.currency !== 'string' || !/^[A-Z]{3}$/.test(value.currency)) {
				throw invalid(field, 'expected { value: number, currency: "ABC" }');
			}
			return { value: value.value, currency: value.currency };
		case 'enum':
		case 'visible_to': {
			if (!isInt(value)) throw invalid(field, 'expected an option id (integer)');
			if (!(field.options ?? []).some((option) => option.id === value)) throw invalid(field, `option ${value} does not exist`);
			return value;
		}
		case 'set': {
			if (!Array.isArray(value)) throw invalid(field, 'expected an array of option ids');
			if (value.length === 0) throw invalid(field, 'send null, not [], to clear a set field');
			for (const id of value) {
				if (!isInt(id)) throw invalid(field, 'expected an array of option ids (integers)');
				if (!(field.options ?? []).some((option) => option.id === id)) throw invalid(field, `option ${id} does not exist`);
			}
			return [...new Set(value as number[])];
		}
		case 'user':
		case 'org':
		case 'people':
			if (!isInt(value)) throw invalid(field, 'expected an id (integer)');
			if (!lookups.exists(field.field_type, value)) throw invalid(field, `${field.field_type} ${value} does not exist`);
			return value;
		case 'date':
			if (typeof value !== 'string' || !DATE_RE.test(value)) throw invalid(field, 'expected YYYY-MM-DD');
			return value;
		case 'daterange':
			if (!isPlainObject(value) || typeof value.value !== 'string' || !DATE_RE.test(value.value) || typeof value.until !== 'string' || !DATE_RE.test(value.until)) {
				throw invalid(field, 'expected { value: "YYYY-MM-DD", until: "YYYY-MM-DD" }');
			}
			return { value: value.value, until: value.until };
		case 'time':
		case 'timerange': {
			if (!isPlainObject(value) || typeof value.value !== 'string' || !TIME_RE.test(value.value)) throw invalid(field, 'expected { value: "HH:MM:SS", timezone_name? }');
			if (field.field_type === 'timerange' && (typeof value.until !== 'string' || !TIME_RE.test(value.until))) throw invalid(field, 'expected until "HH:MM:SS"');
			const stored: Record<string, unknown> = { value: value.value };
			if (field.field_type === 'timerange') stored.until = value.until;
			stored.timezone_id = isInt(value.timezone_id) ? value.timezone_id : 310;
			stored.timezone_name = typeof value.timezone_name === 'string' ? value.timezone_name : 'Europe/Stockholm';
			return stored;
		}
		case 'address':
			return normalizeAddress(value, `custom field '${field.key}'`);
		default:
			return value;
	}
}

/** Address writes: only `value` is required; omitted parts become null. */
export function normalizeAddress(value: unknown, what: string): Record<string, string | null> {
	if (!isPlainObject(value) || typeof value.value !== 'string') throw badRequest(`Invalid ${what}: expected an object with a string 'value'`);
	const out: Record<string, string | null> = {};
	for (const part of ADDRESS_PARTS) {
		const partValue = value[part];
		if (partValue !== undefined && partValue !== null && typeof partValue !== 'string') throw badRequest(`Invalid ${what}: '${part}' must be a string`);
		out[part] = (partValue as string | undefined) ?? null;
	}
	return out;
}

/** The v2 output form, optionally with option labels (`include_option_labels=true`). */
export function v2CustomValue(field: FieldDef, stored: unknown, withOptionLabels: boolean): unknown {
	if (stored === null || stored === undefined) return null;
	if (withOptionLabels && field.field_type === 'enum') {
		const option = field.options?.find((o) => o.id === stored);
		return option ? { id: option.id, label: option.label } : stored;
	}
	if (withOptionLabels && field.field_type === 'set' && Array.isArray(stored)) {
		return stored.map((id) => ({ id, label: field.options?.find((o) => o.id === id)?.label ?? null }));
	}
	return JSON.parse(JSON.stringify(stored));
}

/** The Webhooks v2 typed form (reference §14.5). */
export function webhookCustomValue(field: FieldDef, stored: unknown): unknown {
	if (stored === null || stored === undefined) return null;
	const type = field.field_type;
	const obj = stored as Record<string, unknown>;
	switch (type) {
		case 'monetary':
			return { type, value: obj.value, currency: obj.currency };
		case 'people':
		case 'org':
		case 'user':
			return { type, id: stored };
		case 'time':
			return { type, value: obj.value, timezone_id: obj.timezone_id };
		case 'timerange':
			return { type, from: obj.value, until: obj.until, timezone_id: obj.timezone_id };
		case 'daterange':
			return { type, from: obj.value, until: obj.until };
		case 'address':
			return { type, ...obj };
		case 'enum':
			return { type, id: stored };
		case 'set':
			return { type, values: (stored as number[]).map((id) => ({ id })) };
		default:
			return { type, value: stored };
	}
}

/** The v1 form: top-level keys, composite types split into `<key>_<part>` siblings. */
export function v1CustomEntries(field: FieldDef, stored: unknown): Record<string, unknown> {
	const key = field.key;
	if (stored === null || stored === undefined) {
		return { [key]: null };
	}
	const obj = stored as Record<string, unknown>;
	switch (field.field_type) {
		case 'monetary':
			return { [key]: obj.value, [`${key}_currency`]: obj.currency };
		case 'enum':
			return { [key]: String(stored) };
		case 'set':
			return { [key]: (stored as number[]).join(',') };
		case 'daterange':
		case 'timerange':
			return { [key]: obj.value, [`${key}_until`]: obj.until };
		case 'time':
			return { [key]: obj.value, [`${key}_timezone_id`]: obj.timezone_id };
		case 'address': {
			const out: Record<string, unknown> = { [key]: obj.value };
			for (const part of ADDRESS_PARTS) if (part !== 'value') out[`${key}_${part}`] = obj[part] ?? null;
			return out;
		}
		default:
			return { [key]: stored };
	}
}

/** Text a search looks into for a searchable custom value. */
export function searchableText(field: FieldDef, stored: unknown): string | null {
	if (stored === null || stored === undefined || !SEARCHABLE_CUSTOM_TYPES.has(field.field_type)) return null;
	if (field.field_type === 'monetary' || field.field_type === 'address') return String((stored as Record<string, unknown>).value ?? '');
	return String(stored);
}

function v1Option(option: FieldOption): Record<string, unknown> {
	return { id: option.id, label: option.label, color: option.color };
}

export function v1Field(field: FieldDef): Record<string, unknown> {
	return {
		id: field.id,
		key: field.key,
		name: field.name,
		order_nr: field.order_nr,
		field_type: field.field_type,
		add_time: v1Time(field.add_time),
		update_time: v1Time(field.update_time),
		last_updated_by_user_id: 1,
		created_by_user_id: field.is_custom ? 1 : null,
		active_flag: field.active,
		edit_flag: field.is_custom,
		index_visible_flag: true,
		details_visible_flag: true,
		add_visible_flag: true,
		important_flag: false,
		bulk_edit_allowed: true,
		searchable_flag: field.searchable,
		filtering_allowed: true,
		sortable_flag: true,
		mandatory_flag: field.mandatory,
		options: field.options ? field.options.map(v1Option) : null,
		is_subfield: false,
		subfields: null,
		json_column_flag: false,
		group_id: null,
		description: field.description,
	};
}

export function v2Field(field: FieldDef): Record<string, unknown> {
	return {
		field_code: field.key,
		field_name: field.name,
		field_type: field.field_type,
		description: field.description,
		options: field.options
			? field.options.map((option) => ({ id: option.id, label: option.label, color: option.color, add_time: rfc3339(option.add_time), update_time: rfc3339(option.update_time) }))
			: null,
		subfields:
			field.field_type === 'monetary'
				? [
						{ field_code: 'value', field_name: 'Value', field_type: 'double' },
						{ field_code: 'currency', field_name: 'Currency', field_type: 'varchar' },
					]
				: null,
		is_custom_field: field.is_custom,
		is_optional_response_field: false,
	};
}
