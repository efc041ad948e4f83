/** Pipedrive labels (option ids of the built-in `label_ids` field) ⇄ Propstreet tags. */
import type { FieldCatalog, FieldOption } from '../customFields';
import type { MapperConfig } from './config';
import { isRecord, type MappingWarning } from './common';

/** The label options of the entity's built-in label field, from the field definitions. */
export function labelOptions(catalog: FieldCatalog): FieldOption[] | undefined {
	return (catalog.definition('label_ids') ?? catalog.definition('label'))?.options;
}

/** Label ids on a record: `label_ids` (v2, webhook deals), or the single `label` (v1, person webhooks). */
export function labelIdsOf(record: Record<string, unknown>): string[] | undefined {
	const raw = record.label_ids !== undefined ? record.label_ids : record.label;
	if (raw === undefined) return undefined;
	if (raw === null || raw === '') return [];
	const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
	return list
		.map((v) => (isRecord(v) ? v.id : v))
		.filter((v) => v !== null && v !== undefined && String(v).trim() !== '')
		.map((v) => String(v).trim());
}

export function normaliseTag(tag: string): string {
	return tag.replace(/\s+/g, ' ').trim().toLowerCase();
}

export function tagForLabel(label: string, config: MapperConfig): string | null {
	const pair = config.labelMap.find((p) => p.pipedrive.trim().toLowerCase() === label.trim().toLowerCase());
	// An explicit pair keeps the tag as written (case included); tags still compare case-insensitively.
	if (pair) return pair.propstreet.trim() === '' ? null : pair.propstreet.replace(/\s+/g, ' ').trim();
	return config.unmappedLabels === 'lowercase' ? normaliseTag(label) : null;
}

export function labelForTag(tag: string, options: FieldOption[], config: MapperConfig): FieldOption | null {
	const wanted = normaliseTag(tag);
	const pair = config.labelMap.find((p) => normaliseTag(p.propstreet) === wanted);
	const name = pair ? pair.pipedrive : config.unmappedLabels === 'lowercase' ? tag : null;
	if (!name) return null;
	return options.find((o) => o.label.trim().toLowerCase() === name.trim().toLowerCase()) ?? null;
}

/** Tags that some Pipedrive label maps to; other tags are Propstreet-only and are left alone. */
export function managedTags(options: FieldOption[], config: MapperConfig): Set<string> {
	const out = new Set<string>();
	for (const o of options) {
		const tag = tagForLabel(o.label, config);
		if (tag) out.add(tag);
	}
	for (const p of config.labelMap) if (p.propstreet.trim() !== '') out.add(normaliseTag(p.propstreet));
	return out;
}

export function tagsFromLabelIds(
	ids: string[],
	options: FieldOption[] | undefined,
	config: MapperConfig,
	field: string,
): { tags: string[] | undefined; warnings: MappingWarning[] } {
	const warnings: MappingWarning[] = [];
	if (ids.length === 0) return { tags: [], warnings };
	if (!options) {
		warnings.push({ field, message: `label ids ${ids.join(', ')} cannot be named without the person field definitions (Field Definitions); tags not sent` });
		return { tags: undefined, warnings };
	}
	const tags: string[] = [];
	for (const id of ids) {
		const option = options.find((o) => o.id === id);
		if (!option) {
			warnings.push({ field, message: `label id ${id} is not among the label options; dropped` });
			continue;
		}
		const tag = tagForLabel(option.label, config);
		if (tag) tags.push(tag);
		else warnings.push({ field, message: `label "${option.label}" has no tag in the label map; dropped` });
	}
	return { tags: [...new Set(tags)].sort(), warnings };
}

export function labelIdsFromTags(
	tags: string[],
	options: FieldOption[] | undefined,
	config: MapperConfig,
	field: string,
): { ids: Array<string | number> | undefined; warnings: MappingWarning[] } {
	const warnings: MappingWarning[] = [];
	if (!options) {
		if (tags.length) warnings.push({ field, message: `tags ${tags.join(', ')} cannot become label ids without the person field definitions (Field Definitions); labels not sent` });
		return { ids: undefined, warnings };
	}
	const ids: Array<string | number> = [];
	for (const tag of tags) {
		const option = labelForTag(tag, options, config);
		if (!option) {
			warnings.push({ field, message: `tag "${tag}" has no matching Pipedrive label; dropped` });
			continue;
		}
		ids.push(/^\d+$/.test(option.id) ? Number(option.id) : option.id);
	}
	return { ids: [...new Set(ids)].sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true })), warnings };
}
