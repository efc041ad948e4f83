/**
 * What a Cloud Code node knows of the sync before it plans: the saved settings row (read by the
 * Data Table node from "Propstreet sync settings"; the shipped defaults when none is saved) and
 * Pipedrive's field definitions, turned into the mapper config, conflict rules, filters and mapping
 * context by the same readers the Sync node uses.
 */
import { buildContext, type MapperConfig } from '../mapping';
import type { MapperContext } from '../mapping/common';
import { isRecord } from '../mapping/common';
import type { ConflictRules, Side } from '../merge/policy';
import { conflictRulesFrom, DEFAULT_SYNC_SETTINGS, mapperConfigFrom, parseSettingsRecord, recordReader, syncFiltersFrom, type SyncSettings } from '../settings';
import type { SyncFilters } from '../twoWay/filters';

export interface CloudRunSetup {
	config: MapperConfig;
	rules: ConflictRules;
	filters: SyncFilters;
	createOn: Record<Side, boolean>;
	ctx: MapperContext;
	/** Set when no settings row was saved and the defaults stood in. */
	settingsWarning?: string;
}

/** The settings of a Data Table row (`{ version, settings }`); an empty row or none → the defaults. */
export function settingsOfRow(row: unknown): { settings: SyncSettings; warning?: string } {
	if (!isRecord(row) || row.version === undefined || row.version === null) {
		return { settings: DEFAULT_SYNC_SETTINGS, warning: 'No sync settings are saved yet (data table "Propstreet sync settings"), so the shipped defaults were used' };
	}
	const parsed = parseSettingsRecord({ version: row.version, settings: row.settings ?? null });
	if (!parsed.ok) throw new Error(`The saved sync settings cannot be used: ${parsed.problems.join('; ')}`);
	return { settings: parsed.value.settings };
}

/** The `data` list of a GET /v1/personFields answer, or the list itself. */
function fieldList(answer: unknown): unknown {
	if (isRecord(answer) && Array.isArray(answer.data)) return answer.data;
	return Array.isArray(answer) ? answer : undefined;
}

/**
 * `fields`: the entity's field definitions answer (person fields for contacts, organization fields
 * for companies, deal fields for projects, person fields for notes); `stages`: for projects, `{ stages, pipelines }` as read
 * (GET /api/v2/stages and /api/v2/pipelines answers), for the stage table and the synced pipelines.
 */
/** Everything of a run that the settings row decides (no field definitions needed). */
export function cloudSettingsOf(settingsRow: unknown): Omit<CloudRunSetup, 'ctx'> {
	const { settings, warning } = settingsOfRow(settingsRow);
	const read = recordReader(settings);
	const createIn = read('createIn', ['pipedrive', 'propstreet']) as string[];
	return {
		config: mapperConfigFrom(read),
		rules: conflictRulesFrom(read),
		filters: syncFiltersFrom(read),
		createOn: { pipedrive: createIn.includes('pipedrive'), propstreet: createIn.includes('propstreet') },
		...(warning ? { settingsWarning: warning } : {}),
	};
}

export function cloudRunSetup(settingsRow: unknown, fields: unknown, entity: 'contact' | 'company' | 'project' | 'note', stages?: unknown): CloudRunSetup {
	const setup = cloudSettingsOf(settingsRow);
	return { ...setup, ctx: buildContext({ entity, fieldDefinitions: fieldList(fields), ...(stages === undefined ? {} : { stageDefinitions: stages }) }) };
}
