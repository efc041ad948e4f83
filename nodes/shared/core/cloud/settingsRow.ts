/**
 * Cloud 00s (*Sync Settings* without the package): the settings a person edits as JSON in the
 * workflow, checked by the same rules as the Settings node (`validateSettings`: missing settings take
 * the shipped defaults, every bad one is named), and turned into the row both editions read from
 * the data table "Propstreet sync settings".
 */
import { settingsRecord, SETTINGS_ROW_NAME, validateSettings } from '../settings';

export interface SettingsRowOut {
	name: string;
	version: number;
	/** The settings as JSON text (the table's `settings` column is a string). */
	settings: string;
}

/** The row to save; a setting that cannot be used stops the run with every problem named. */
export function settingsRowOf(edited: unknown): SettingsRowOut {
	const checked = validateSettings(edited);
	if (!checked.ok) throw new Error(`The sync settings in "Sync Settings" cannot be saved: ${checked.problems.join('; ')}`);
	const record = settingsRecord(checked.value);
	return { name: SETTINGS_ROW_NAME, version: record.version, settings: JSON.stringify(record.settings) };
}
