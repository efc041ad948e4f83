/**
 * Reads a settings record (as saved, or as the Settings node's parameters) into `SyncSettings`:
 * missing settings take the shipped defaults, and every problem is named by its setting so the
 * person editing *00 Sync Settings* knows which field to fix.
 */
import { MAPPED_FIELDS } from '../mapping/config';
import { DEFAULT_SYNC_SETTINGS, FREE_OPTIONS, OPTION_CHOICES, SETTING_CHOICES, SETTINGS_VERSION, type SettingsRecord, type SyncSettings } from './record';

/** The settings read, or every problem found (each names its setting). */
export type SettingsCheck<T> = { ok: true; value: T } | { ok: false; problems: string[] };
const refused = (...problems: string[]): { ok: false; problems: string[] } => ({ ok: false, problems });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const KNOWN_FIELDS = new Set(Object.values(MAPPED_FIELDS).flatMap((fields) => fields.map((f) => f.id)));

function listOf(value: unknown, setting: string, allowed: readonly string[], problems: string[]): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) {
		problems.push(`${setting} must be a list`);
		return [];
	}
	const bad = value.filter((v) => !allowed.includes(text(v)));
	if (bad.length) problems.push(`${setting}: ${bad.map((v) => `"${text(v)}"`).join(', ')} is not one of ${allowed.join(', ')}`);
	return value.map(text).filter((v) => allowed.includes(v));
}

function choice(value: unknown, setting: string, allowed: readonly string[], fallback: string, problems: string[]): string {
	if (value === undefined || value === null || value === '') return fallback;
	if (!allowed.includes(text(value))) problems.push(`${setting}: "${text(value)}" is not one of ${allowed.filter((a) => a !== '').join(', ')}`);
	return text(value);
}

function rowsOf(value: unknown, key: string, setting: string, problems: string[]): Json[] {
	if (value === undefined || value === null || (isObject(value) && value[key] === undefined)) return [];
	const rows = isObject(value) ? value[key] : undefined;
	if (!Array.isArray(rows) || rows.some((row) => !isObject(row))) {
		problems.push(`${setting} must be a list of rows`);
		return [];
	}
	return rows as Json[];
}

function labelMapOf(value: unknown, problems: string[]): SyncSettings['labelMap'] {
	const pairs = rowsOf(value, 'pairs', 'Label Map', problems).map((row) => ({ pipedrive: text(row.pipedrive).trim(), propstreet: text(row.propstreet).trim() }));
	const seen = new Set<string>();
	pairs.forEach((pair, n) => {
		if (!pair.pipedrive || !pair.propstreet) problems.push(`Label Map, pair ${n + 1}: both the Pipedrive label and the Propstreet tag are needed`);
		const key = pair.pipedrive.toLowerCase();
		if (pair.pipedrive && seen.has(key)) problems.push(`Label Map: the label "${pair.pipedrive}" is paired twice`);
		seen.add(key);
	});
	return { pairs };
}

function stageTableOf(value: unknown, problems: string[]): SyncSettings['stageTable'] {
	const rows = rowsOf(value, 'rows', 'Stage Table', problems).map((row, n) => {
		const where = `Stage Table, row ${n + 1}`;
		const pipedriveStage = text(row.pipedriveStage).trim();
		if (!pipedriveStage) problems.push(`${where}: Pipedrive Stage is empty`);
		const reverseMatch = text(row.reverseMatch);
		const unknown = reverseMatch.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && !SETTING_CHOICES.reverseMatch.includes(s as never));
		if (unknown.length) problems.push(`${where} ("${pipedriveStage}"): Maps Back From has ${unknown.map((s) => `"${s}"`).join(', ')}; use ${SETTING_CHOICES.reverseMatch.join(', ')}`);
		return {
			pipedriveStage,
			classification: choice(row.classification, `${where}: Classification`, SETTING_CHOICES.classification, 'draft', problems),
			teaserStage: choice(row.teaserStage, `${where}: Teaser Stage`, SETTING_CHOICES.teaserStage, '', problems),
			reverseMatch,
		};
	});
	const names = rows.map((r) => r.pipedriveStage.toLowerCase()).filter(Boolean);
	const twice = names.filter((name, n) => names.indexOf(name) !== n);
	if (twice.length) problems.push(`Stage Table: the stage "${twice[0]}" has two rows`);
	return { rows };
}

function fieldKeysOf(value: unknown, problems: string[]): SyncSettings['fieldKeys'] {
	if (value === undefined || value === null) return DEFAULT_SYNC_SETTINGS.fieldKeys;
	if (!isObject(value)) {
		problems.push('Pipedrive Field Keys must be an object of person, organization and deal fields');
		return DEFAULT_SYNC_SETTINGS.fieldKeys;
	}
	const out: SyncSettings['fieldKeys'] = {};
	for (const group of ['person', 'organization', 'deal'] as const) {
		const defaults = DEFAULT_SYNC_SETTINGS.fieldKeys[group] ?? {};
		const given = isObject(value[group]) ? (value[group] as Json) : {};
		for (const key of Object.keys(given)) if (!(key in defaults)) problems.push(`Pipedrive Field Keys: "${group}.${key}" is not a field the sync uses`);
		out[group] = Object.fromEntries(Object.keys(defaults).map((key) => [key, text(given[key]).trim() || defaults[key]]));
	}
	return out;
}

function fieldSyncOf(value: unknown, problems: string[]): SyncSettings['fieldSync'] {
	const fields = rowsOf(value, 'fields', 'Field Sync', problems).map((row, n) => {
		const field = text(row.field);
		if (!KNOWN_FIELDS.has(field)) problems.push(`Field Sync, row ${n + 1}: "${field}" is not a mapped field`);
		return { field, direction: choice(row.direction, `Field Sync, row ${n + 1} (${field}): Sync`, SETTING_CHOICES.direction, 'both', problems) };
	});
	return { fields };
}

function optionsOf(value: unknown, problems: string[]): SyncSettings['options'] {
	if (value === undefined || value === null) return { ...DEFAULT_SYNC_SETTINGS.options };
	if (!isObject(value)) {
		problems.push('Options must be an object');
		return { ...DEFAULT_SYNC_SETTINGS.options };
	}
	const out: SyncSettings['options'] = {};
	for (const [name, given] of Object.entries(value)) {
		if (given === undefined || given === null || given === '') continue;
		if (OPTION_CHOICES[name]) out[name] = choice(given, `Options → ${name}`, OPTION_CHOICES[name], '', problems);
		else if (FREE_OPTIONS[name] === 'number' && typeof given !== 'number') problems.push(`Options → ${name} must be a number`);
		else if (FREE_OPTIONS[name]) out[name] = given as string | number;
		else problems.push(`Options → "${name}" is not a sync setting`);
	}
	return out;
}

function ownedFields(value: unknown, setting: string, problems: string[]): string[] {
	return listOf(value, setting, [...KNOWN_FIELDS], problems);
}

/** The settings in `raw` (missing ones from the shipped defaults), or the problems naming each bad setting. */
export function validateSettings(raw: unknown): SettingsCheck<SyncSettings> {
	if (!isObject(raw)) return refused('the settings must be an object');
	const problems: string[] = [];
	const d = DEFAULT_SYNC_SETTINGS;
	const has = (key: keyof SyncSettings) => raw[key] !== undefined && raw[key] !== null;
	const settings: SyncSettings = {
		fieldKeys: fieldKeysOf(raw.fieldKeys, problems),
		labelMap: has('labelMap') ? labelMapOf(raw.labelMap, problems) : d.labelMap,
		stageTable: has('stageTable') ? stageTableOf(raw.stageTable, problems) : d.stageTable,
		fieldSync: has('fieldSync') ? fieldSyncOf(raw.fieldSync, problems) : d.fieldSync,
		pipelines: has('pipelines') ? text(raw.pipelines).trim() : d.pipelines,
		onlyWithLabel: has('onlyWithLabel') ? text(raw.onlyWithLabel).trim() : d.onlyWithLabel,
		onlyWithTag: has('onlyWithTag') ? text(raw.onlyWithTag).trim() : d.onlyWithTag,
		projectClassifications: listOf(raw.projectClassifications, 'Only Projects With Classification', SETTING_CHOICES.classification, problems),
		projectAssetTypes: listOf(raw.projectAssetTypes, 'Only Projects of Asset Type', SETTING_CHOICES.assetType, problems),
		propstreetCompanies: choice(raw.propstreetCompanies, 'Propstreet Companies', SETTING_CHOICES.propstreetCompanies, d.propstreetCompanies, problems) as SyncSettings['propstreetCompanies'],
		conflictPolicy: choice(raw.conflictPolicy, 'Conflict Policy', SETTING_CHOICES.conflictPolicy, d.conflictPolicy, problems),
		pipedriveOwned: ownedFields(raw.pipedriveOwned, 'Fields Owned by Pipedrive', problems),
		propstreetOwned: ownedFields(raw.propstreetOwned, 'Fields Owned by Propstreet', problems),
		createIn: has('createIn') ? listOf(raw.createIn, 'Create Missing Counterparts In', SETTING_CHOICES.side, problems) : d.createIn,
		options: optionsOf(raw.options, problems),
	};
	const both = settings.pipedriveOwned.filter((f) => settings.propstreetOwned.includes(f));
	if (both.length) problems.push(`${both.join(', ')} cannot be owned by both Pipedrive and Propstreet`);
	return problems.length ? refused(...problems) : { ok: true, value: settings };
}

function fromJson(saved: unknown): SettingsCheck<unknown> {
	if (typeof saved !== 'string') return { ok: true, value: saved };
	try {
		return { ok: true, value: JSON.parse(saved) };
	} catch {
		return refused('the saved settings are not valid JSON; run "00 Sync Settings" again to save them');
	}
}

/** A saved record (JSON text or object, its settings possibly JSON text): its version must be one this code knows. */
export function parseSettingsRecord(saved: unknown): SettingsCheck<SettingsRecord> {
	const parsed = fromJson(saved);
	if (!parsed.ok) return parsed;
	const value = parsed.value;
	if (!isObject(value)) return refused('the saved settings record is not an object');
	if (value.version !== SETTINGS_VERSION) {
		return refused(
			`the saved settings have version ${JSON.stringify(value.version ?? null)}, this node reads version ${SETTINGS_VERSION}: update the n8n-nodes-propstreet package on every n8n process (main and workers), or run "00 Sync Settings" again to save them in this version`,
		);
	}
	const settings = fromJson(value.settings);
	if (!settings.ok) return settings;
	const checked = validateSettings(settings.value);
	return checked.ok ? { ok: true, value: { version: SETTINGS_VERSION, settings: checked.value } } : checked;
}

export function settingsRecord(settings: SyncSettings): SettingsRecord {
	return { version: SETTINGS_VERSION, settings };
}
