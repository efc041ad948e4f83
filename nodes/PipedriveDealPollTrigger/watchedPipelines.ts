/**
 * Which pipelines the Deal Poll Trigger watches: the synced pipelines of the shared settings (the
 * record *00 Sync Settings* saves, the one every Sync node reads), or the node's own Pipeline
 * parameter for a user without the settings workflow. Names are turned into ids once and kept in
 * the trigger's static data; another set of pipelines starts a new snapshot.
 */
import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';
import { DEFAULT_SYNC_SETTINGS, pipelinesOf } from '../shared/core/settings';
import { findPipelineByName } from '../shared/core/pipedrive/pipelineByName';
import { getPipelines } from '../shared/pipedrive';
import { readSavedSettings } from '../shared/syncStore';

export interface PipelineState extends IDataObject {
	/** Before the shared settings: the one pipeline by name (kept so an upgrade keeps its snapshot). */
	pipeline?: { name: string; id: number };
	/** The watched pipelines: their names (lower case, joined) and ids. */
	pipelines?: { key: string; ids: number[] };
	snapshot?: IDataObject;
}

/** The pipeline names to watch; [] = every pipeline (shared settings with no synced pipeline). */
export async function watchedPipelineNames(ctx: IPollFunctions): Promise<{ names: string[]; from: string }> {
	if (ctx.getNodeParameter('pipelineSource', 'node') === 'shared') {
		const saved = await readSavedSettings(ctx, Date.now());
		if (!saved.record) ctx.logger.warn(`Pipedrive Deal Poll Trigger: no sync settings are saved yet (data table "${saved.table}"), so the shipped pipelines are watched: run "00 Sync Settings" once`);
		return { names: pipelinesOf(saved.record?.settings ?? DEFAULT_SYNC_SETTINGS), from: 'Synced Pipelines in "00 Sync Settings"' };
	}
	const name = String(ctx.getNodeParameter('pipeline', '') ?? '').trim();
	if (!name) throw new NodeOperationError(ctx.getNode(), 'The Pipeline parameter is empty');
	return { names: [name], from: 'the Pipeline parameter' };
}

/** The ids of the named pipelines (null = every pipeline), looked up when the names changed. */
export async function watchedPipelineIds(ctx: IPollFunctions, state: PipelineState, names: string[], from: string): Promise<number[] | null> {
	if (!names.length) return null;
	const key = names.map((n) => n.toLowerCase()).join('\n');
	if (state.pipelines?.key === key) return state.pipelines.ids;
	if (!state.pipelines && state.pipeline && state.pipeline.name.trim().toLowerCase() === key) {
		state.pipelines = { key, ids: [state.pipeline.id] };
		delete state.pipeline;
		return state.pipelines.ids;
	}
	const all = await getPipelines(ctx);
	const ids = names.map((name) => {
		const found = findPipelineByName(all, name);
		if (!found) throw new NodeOperationError(ctx.getNode(), `No Pipedrive pipeline is named "${name}"`, { description: `Check ${from}` });
		return Number(found.id);
	});
	state.pipelines = { key, ids };
	delete state.pipeline;
	// Another set of pipelines: the old snapshot says nothing about it.
	delete state.snapshot;
	return ids;
}
