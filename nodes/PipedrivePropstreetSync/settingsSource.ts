/**
 * Where a Sync node's settings come from: its own parameters ("Set in This Node") or the shared
 * record that *00 Sync Settings* saves ("From the Sync Settings Workflow"). Either way the rest of
 * the node reads them through one `ParameterReader`, by parameter name.
 */
import { type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { DEFAULT_SYNC_SETTINGS, pipelinesOf, recordReader, syncFiltersFrom, type ParameterReader, type SyncSettings } from '../shared/core/settings';
import { nodeParameters } from '../shared/mapperSettings';
import { readSavedSettings } from '../shared/syncStore';

export interface RunSettingsSource {
	/** The shared settings; null when the node uses its own parameters. */
	shared: SyncSettings | null;
	/** Set when no record was saved yet and the shipped defaults stand in. */
	warning?: string;
}

/** Reads the shared record once per execution (cached per process), when the node uses it. */
export async function loadSettings(ctx: IExecuteFunctions): Promise<RunSettingsSource> {
	if (ctx.getNodeParameter('settingsSource', 0, 'node') !== 'shared') return { shared: null };
	const saved = await readSavedSettings(ctx, Date.now(), 0);
	if (saved.record) return { shared: saved.record.settings };
	const warning = `No sync settings are saved yet (data table "${saved.table}"), so the shipped defaults were used: run the workflow "00 Sync Settings" once to save yours`;
	ctx.logger?.warn?.(warning);
	return { shared: DEFAULT_SYNC_SETTINGS, warning };
}

/** The record's settings by parameter name; `options` also carries the pipelines and this node's Field Definitions. */
function sharedReader(settings: SyncSettings, nodeOptions: IDataObject): ParameterReader {
	return recordReader(settings, { fieldDefinitions: nodeOptions.fieldDefinitions });
}

/** The reader of item `i`'s settings, and the pipeline the prospect sweep covers. */
export function settingsOf(ctx: IExecuteFunctions, i: number, source: RunSettingsSource): { read: ParameterReader; prospectPipeline: string } {
	if (!source.shared) return { read: nodeParameters(ctx, i), prospectPipeline: String(ctx.getNodeParameter('pipeline', i, '') ?? '') };
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	return { read: sharedReader(source.shared, options), prospectPipeline: pipelinesOf(source.shared)[0] ?? '' };
}

/** The record filters, read by parameter name (the core's reading, shared with the Cloud edition). */
export const filtersOf = syncFiltersFrom;

/** Every output item says that the shipped defaults stood in for unsaved settings. */
export function withSettingsWarning(outputs: INodeExecutionData[][], source: RunSettingsSource): INodeExecutionData[][] {
	if (!source.warning) return outputs;
	for (const output of outputs) for (const item of output) item.json.settingsWarning = source.warning;
	return outputs;
}
