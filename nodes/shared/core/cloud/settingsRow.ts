/**
 * Cloud 00s (*Sync Settings* without the package): the settings a person edits as JSON in the
 * workflow, checked by the same rules as the Settings node (`validateSettings`: missing settings take
 * the shipped defaults, every bad one is named), and turned into the row both editions read from
 * the data table "Propstreet sync settings" (`settingsTableRow`, the one the Settings node saves).
 */
import { settingsRecord, settingsTableRow, validateSettings, type SettingsTableRow } from '../settings';

/** The row to save; a setting that cannot be used stops the run with every problem named. */
export function settingsRowOf(edited: unknown): SettingsTableRow {
	const checked = validateSettings(edited);
	if (!checked.ok) throw new Error(`The sync settings in "Sync Settings" cannot be saved: ${checked.problems.join('; ')}`);
	return settingsTableRow(settingsRecord(checked.value));
}
