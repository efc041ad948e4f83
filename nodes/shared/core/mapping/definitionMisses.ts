/**
 * What a record or the mapping needs that the cached Pipedrive definitions do not know (issue 14).
 * The definitions (custom fields with their options, labels, stages, pipelines) are cached for a
 * long time; they are read again only when one of these misses shows up:
 * - a custom-field key on the record that no definition has (a field created, or deleted and
 *   created again under a new key);
 * - an option or label id on the record that its field does not list (an option added);
 * - a configured field name the definitions do not resolve (a field renamed or created);
 * - a stage or pipeline id on a deal that the cached stages or pipelines lack.
 * Each miss is a short text, so the cache can remember the ones a fresh read did not cure (a field
 * the account does not have) and not read again for them.
 */
import type { FieldCatalog } from '../customFields';
import { idOf, isRecord, type JsonRecord, type StageDefinition } from './common';
import type { MapperConfig } from './config';
import { buildCatalogs, buildStageDefinitions } from './index';
import { labelIdsOf, labelOptions } from './labels';

const FIELD_KEY = /^[0-9a-f]{40}$/;

/** The option ids a custom-field value carries (webhook `{ id }` / `{ values: [{ id }] }`, or plain ids). */
function optionIdsOf(value: unknown): string[] {
	if (isRecord(value)) {
		if (Array.isArray(value.values)) return value.values.map((v) => idOf(isRecord(v) ? v.id : v)).filter((v): v is string => !!v);
		const id = value.type === 'enum' ? idOf(value.id) : undefined;
		return id ? [id] : [];
	}
	return [];
}

/** Custom-field keys, option ids and label ids on a Pipedrive record that the catalog lacks. */
export function recordMisses(record: JsonRecord | null | undefined, catalog: FieldCatalog): string[] {
	if (!record) return [];
	const misses: string[] = [];
	const nested = isRecord(record.custom_fields) ? record.custom_fields : {};
	const fields: Array<[string, unknown]> = [...Object.entries(nested), ...Object.entries(record).filter(([k]) => FIELD_KEY.test(k))];
	for (const [key, value] of fields) {
		const definition = catalog.definition(key);
		if (!definition) {
			misses.push(`field ${key}`);
			continue;
		}
		for (const id of optionIdsOf(value)) if (!definition.options.some((o) => o.id === id)) misses.push(`option ${key}:${id}`);
	}
	const labels = labelOptions(catalog);
	for (const id of labelIdsOf(record) ?? []) if (labels && !labels.some((o) => o.id === id)) misses.push(`label ${id}`);
	return misses;
}

/** Configured field names (or keys) the catalog does not resolve; empty names are not configured. */
export function nameMisses(names: Array<string | undefined>, catalog: FieldCatalog): string[] {
	return names
		.map((n) => (n ?? '').trim())
		.filter((n) => n !== '' && !catalog.definition(catalog.resolveKey(n)))
		.map((n) => `name ${n}`);
}

/** A label name (a filter) that the label options do not list. */
export function labelNameMisses(label: string, catalog: FieldCatalog): string[] {
	const wanted = label.trim().toLowerCase();
	if (!wanted) return [];
	return (labelOptions(catalog) ?? []).some((o) => o.label.trim().toLowerCase() === wanted) ? [] : [`label name ${wanted}`];
}

/** A deal's stage or pipeline id that the cached stages or pipelines do not list. */
export function stageMisses(deal: JsonRecord | null | undefined, defs: { stages: StageDefinition[]; pipelines: StageDefinition[] }, which: 'stages' | 'pipelines'): string[] {
	const id = idOf(deal?.[which === 'stages' ? 'stage_id' : 'pipeline_id']);
	if (!id) return [];
	return defs[which].some((d) => d.id === id) ? [] : [`${which} ${id}`];
}

/** Stage or pipeline names (or ids) the settings use that the cached definitions do not list. */
export function stageNameMisses(names: string[], defs: StageDefinition[], which: 'stages' | 'pipelines'): string[] {
	return names
		.map((n) => n.trim())
		.filter((n) => n !== '' && !defs.some((d) => d.id === n || d.name.trim().toLowerCase() === n.toLowerCase()))
		.map((n) => `${which} name ${n}`);
}

/** Person field definitions: the payload's keys, options and labels, the mapped person fields, the label filter and the label map. */
export function personDefinitionMisses(fields: unknown, payload: JsonRecord | null, config: MapperConfig, personLabel = ''): string[] {
	const catalog = buildCatalogs(fields, 'contact').person;
	const { jobTitle, ...named } = config.fieldKeys.person;
	const labels = [personLabel, ...config.labelMap.map((p) => p.pipedrive)];
	return [...recordMisses(payload, catalog), ...nameMisses([...Object.values(named), jobTitle === 'job_title' ? '' : jobTitle], catalog), ...labels.flatMap((l) => labelNameMisses(l, catalog))];
}

export function organizationDefinitionMisses(fields: unknown, payload: JsonRecord | null, config: MapperConfig): string[] {
	const catalog = buildCatalogs(fields, 'company').organization;
	return [...recordMisses(payload, catalog), ...nameMisses(Object.values(config.fieldKeys.organization), catalog)];
}

export function dealDefinitionMisses(fields: unknown, payload: JsonRecord | null, config: MapperConfig): string[] {
	const catalog = buildCatalogs(fields, 'project').deal;
	return [...recordMisses(payload, catalog), ...nameMisses(Object.values(config.fieldKeys.deal), catalog)];
}

/** Stages: the deal's stage and the stage table's stages. Pipelines: the deal's pipeline and the synced pipelines. */
export function stageDefinitionMisses(list: unknown, payload: JsonRecord | null, config: MapperConfig, which: 'stages' | 'pipelines'): string[] {
	const defs = buildStageDefinitions({ [which]: list });
	const names = which === 'stages' ? config.stageTable.map((r) => r.pipedriveStage) : config.pipelines;
	return [...stageMisses(payload, defs, which), ...stageNameMisses(names, defs[which], which)];
}
