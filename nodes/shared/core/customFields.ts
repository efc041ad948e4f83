/**
 * Pipedrive custom fields in their three shapes, read into one form:
 * - API v2 objects: `custom_fields: { <key>: raw }` (enum → option id, set → id array,
 *   monetary → `{ value, currency }`, address → `{ value, … }`; with include_option_labels enum →
 *   `{ id, label }`);
 * - Webhooks v2: `custom_fields: { <key>: { type, value | id | values: [{ id }] … } }`;
 * - API v1 / participants' embedded persons: the value under the 40-character key at the top
 *   level (enum → "12", set → "12,13").
 * Field definitions (`/v1/personFields` with `key`/`name`, or `/api/v2/personFields` with
 * `field_code`/`field_name`) turn field names into keys and option ids into labels and back.
 */

export interface FieldOption {
	id: string;
	label: string;
}

export interface FieldDefinition {
	key: string;
	name: string;
	type: string;
	options: FieldOption[];
	isCustom: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Accepts one definition list, an API response `{ data: [...] }`, or several of those. */
export function normaliseFieldDefinitions(input: unknown): FieldDefinition[] {
	const out: FieldDefinition[] = [];
	const visit = (value: unknown): void => {
		if (Array.isArray(value)) {
			for (const v of value) visit(v);
			return;
		}
		if (!isRecord(value)) return;
		const key = value.field_code ?? value.key;
		if (typeof key === 'string' && key !== '') {
			const name = value.field_name ?? value.name;
			const options = Array.isArray(value.options)
				? value.options
						.filter(isRecord)
						.filter((o) => o.id !== undefined && o.id !== null)
						.map((o) => ({ id: String(o.id), label: String(o.label ?? o.name ?? '') }))
				: [];
			out.push({
				key,
				name: typeof name === 'string' ? name : key,
				type: typeof value.field_type === 'string' ? value.field_type : 'varchar',
				options,
				isCustom: value.is_custom_field === true || value.edit_flag === true || /^[0-9a-f]{40}$/.test(key),
			});
			return;
		}
		if ('data' in value) visit(value.data);
		else for (const nested of Object.values(value)) if (Array.isArray(nested)) visit(nested);
	};
	visit(input);
	return out;
}

/** A lookup over one entity's field definitions. Works (with less help) when empty. */
export class FieldCatalog {
	private readonly byKey = new Map<string, FieldDefinition>();
	private readonly byName = new Map<string, FieldDefinition>();

	constructor(definitions: FieldDefinition[] = []) {
		for (const def of definitions) {
			this.byKey.set(def.key, def);
			const name = def.name.trim().toLowerCase();
			if (!this.byName.has(name)) this.byName.set(name, def);
		}
	}

	get size(): number {
		return this.byKey.size;
	}

	/** A configured key-or-name → the field key. Unknown names are returned as given (maybe a key). */
	resolveKey(keyOrName: string): string {
		const text = keyOrName.trim();
		if (this.byKey.has(text)) return text;
		return this.byName.get(text.toLowerCase())?.key ?? text;
	}

	definition(key: string): FieldDefinition | undefined {
		return this.byKey.get(key);
	}

	optionLabel(key: string, id: string | number): string | undefined {
		return this.byKey.get(key)?.options.find((o) => o.id === String(id))?.label;
	}

	/** Option label → id (case-insensitive). Returns a number when the id is numeric. */
	optionId(key: string, label: string): string | number | undefined {
		const wanted = label.trim().toLowerCase();
		const option = this.byKey.get(key)?.options.find((o) => o.label.trim().toLowerCase() === wanted);
		if (!option) return undefined;
		return /^\d+$/.test(option.id) ? Number(option.id) : option.id;
	}
}

export interface CustomFieldValue {
	/** Text or number value; for enum/set the option labels joined with ", " when known. */
	value: string | number | null;
	/** Option ids (enum/set), as strings. */
	optionIds: string[];
	/** Option labels, resolved through the catalog or taken from the payload. */
	optionLabels: string[];
}

const EMPTY: CustomFieldValue = { value: null, optionIds: [], optionLabels: [] };

function isOptionField(def: FieldDefinition | undefined): boolean {
	return def !== undefined && (def.type === 'enum' || def.type === 'set' || def.options.length > 0);
}

function options(ids: Array<string | number>, inlineLabels: Array<string | undefined>, key: string, catalog: FieldCatalog): CustomFieldValue {
	const optionIds = ids.map(String);
	const optionLabels: string[] = [];
	optionIds.forEach((id, i) => {
		const label = inlineLabels[i] ?? catalog.optionLabel(key, id);
		if (label !== undefined) optionLabels.push(label);
	});
	const value = optionLabels.length === optionIds.length && optionIds.length > 0 ? optionLabels.join(', ') : optionIds.length ? optionIds.join(',') : null;
	return { value, optionIds, optionLabels };
}

function fromRaw(raw: unknown, key: string, catalog: FieldCatalog): CustomFieldValue {
	const def = catalog.definition(key);
	if (raw === null || raw === undefined || raw === '') return EMPTY;
	if (Array.isArray(raw)) {
		if (raw.length === 0) return EMPTY;
		const ids = raw.map((v) => (isRecord(v) ? (v.id as string | number) : (v as string | number)));
		const labels = raw.map((v) => (isRecord(v) && typeof v.label === 'string' ? v.label : undefined));
		return options(ids, labels, key, catalog);
	}
	if (isRecord(raw)) {
		// Webhooks v2 typed value.
		if (raw.type === 'set') return fromRaw(Array.isArray(raw.values) ? raw.values : [], key, catalog);
		if (raw.type === 'enum' || ('id' in raw && !('value' in raw))) {
			if (raw.id === null || raw.id === undefined) return EMPTY;
			if (raw.type === 'enum' || isOptionField(def) || typeof raw.label === 'string') {
				return options([raw.id as string | number], [typeof raw.label === 'string' ? raw.label : undefined], key, catalog);
			}
			// people / org / user reference.
			return { value: raw.id as string | number, optionIds: [], optionLabels: [] };
		}
		if ('value' in raw) return fromRaw(raw.value, key, catalog);
		if ('from' in raw) return fromRaw(raw.from, key, catalog);
		return EMPTY;
	}
	if (typeof raw === 'boolean') return { value: raw ? 'true' : 'false', optionIds: [], optionLabels: [] };
	if (typeof raw === 'number') {
		if (isOptionField(def)) return options([raw], [undefined], key, catalog);
		return { value: raw, optionIds: [], optionLabels: [] };
	}
	if (typeof raw === 'string') {
		if (isOptionField(def)) {
			const parts = raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
			// A label where an id was expected (a workflow that already resolved labels) is accepted.
			const ids = parts.map((p) => (catalog.optionLabel(key, p) !== undefined ? p : String(catalog.optionId(key, p) ?? p)));
			return options(ids, [], key, catalog);
		}
		return { value: raw, optionIds: [], optionLabels: [] };
	}
	return EMPTY;
}

/**
 * Read one custom field from a Pipedrive record in any of the three shapes. Returns undefined when
 * the record does not carry the field at all (webhook data holds only some fields), so callers can
 * tell "not sent" from "cleared".
 */
export function readCustomField(record: Record<string, unknown>, key: string, catalog: FieldCatalog = new FieldCatalog()): CustomFieldValue | undefined {
	if (!key) return undefined;
	const nested = record.custom_fields;
	if (isRecord(nested) && key in nested) return fromRaw(nested[key], key, catalog);
	if (key in record) return fromRaw(record[key], key, catalog);
	return undefined;
}

/** A value's text: the label(s) for option fields, else the value as text; null when empty. */
export function customFieldText(value: CustomFieldValue | undefined): string | null {
	if (!value || value.value === null) return null;
	const text = String(value.value).trim();
	return text === '' ? null : text;
}

export type WriteResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * A value to write into `custom_fields[key]` of an API v2 body. Option fields take labels and
 * need the catalog to find the ids; sets are written as id arrays, and an empty set as null
 * (Pipedrive rejects []).
 */
export function customFieldWriteValue(key: string, value: string | number | boolean | string[] | null, catalog: FieldCatalog): WriteResult {
	const def = catalog.definition(key);
	if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return { ok: true, value: null };
	if (def && isOptionField(def)) {
		const labels = (Array.isArray(value) ? value : [value]).map((v) => String(v));
		const ids: Array<string | number> = [];
		for (const label of labels) {
			const id = catalog.optionId(key, label);
			if (id === undefined) return { ok: false, reason: `"${label}" is not an option of the Pipedrive field "${def.name}"` };
			ids.push(id);
		}
		return { ok: true, value: def.type === 'set' ? ids : ids[0] };
	}
	if (def && (def.type === 'double' || def.type === 'int' || def.type === 'monetary')) {
		const n = typeof value === 'number' ? value : Number(value);
		if (!Number.isFinite(n)) return { ok: false, reason: `"${String(value)}" is not a number for the field "${def.name}"` };
		return { ok: true, value: n };
	}
	if (Array.isArray(value)) return { ok: true, value: value.join(', ') };
	return { ok: true, value: typeof value === 'boolean' ? String(value) : value };
}
