/**
 * A node-parameter view of the settings: the Sync node reads each setting by its parameter name
 * ("labelMap.pairs", "options"), from its own parameters or from the shared record alike.
 */
import type { SyncSettings } from './record';

export type ParameterReader = (name: string, fallback: unknown) => unknown;

/** Reads a setting from the record by its (dotted) parameter name; `fallback` when absent. */
export function settingsReader(settings: SyncSettings): ParameterReader {
	return (name, fallback) => {
		let value: unknown = settings;
		for (const part of name.split('.')) {
			if (typeof value !== 'object' || value === null) return fallback;
			value = (value as Record<string, unknown>)[part];
		}
		return value === undefined ? fallback : value;
	};
}

/** The synced pipelines, in order (the first is where new deals and the prospect sweep go). */
export function pipelinesOf(settings: Pick<SyncSettings, 'pipelines'>): string[] {
	return settings.pipelines.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** The shared record as a Sync node reads it: `options` also carries the pipelines (and `extraOptions`, e.g. the node's Field Definitions). */
export function recordReader(settings: SyncSettings, extraOptions: Record<string, unknown> = {}): ParameterReader {
	const fromRecord = settingsReader(settings);
	return (name, fallback) => (name === 'options' ? { ...settings.options, pipelines: settings.pipelines, ...extraOptions } : fromRecord(name, fallback));
}
