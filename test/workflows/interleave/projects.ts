/**
 * Deals ⇄ projects in the interleaving, with the settings of the bundled workflow 06 (stage table,
 * synced pipeline, won/lost rules): creates on both sides, renames (often on both sides in the same
 * batch), stage moves in Pipedrive, classification changes in Propstreet, deletes and deal merges.
 */
import { bundledSettingsAsNodeParameters } from '../support/settings';
import type { IDataObject } from 'n8n-workflow';
import { buildContext, resolveConfig, type MapperConfig, type ProjectClassification } from '../../../nodes/shared/core/mapping';
import { PROJECT_SPEC } from '../../../nodes/shared/core/twoWay/projectSpec';
import { planTwoWay } from '../../../nodes/shared/core/twoWay/plan';
import { STAGES } from '../../simulators/seed/nordic';
import { duplicateClaims, editingSides, judgeField, pointsBack, type EntityModule, type SideName, type World } from './world';

export interface Pair {
	dealId: number;
	projectId: string;
}

/** The shipped settings (00 Sync Settings) as a Sync node in "Set in This Node" mode carries them. */
const BUNDLED = bundledSettingsAsNodeParameters();

/** The same settings as the node reads them (see nodes/shared/mapperSettings.ts). */
function bundledConfig(): MapperConfig {
	const options = (BUNDLED.options ?? {}) as IDataObject;
	const rows = ((BUNDLED.stageTable as IDataObject | undefined)?.rows ?? []) as IDataObject[];
	return resolveConfig({
		stageTable: rows.map((row) => ({
			pipedriveStage: String(row.pipedriveStage),
			classification: String(row.classification) as ProjectClassification,
			teaserStage: String(row.teaserStage ?? ''),
			reverseMatch: String(row.reverseMatch ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
		})),
		pipelines: String(options.pipelines ?? '').split(',').map((s) => s.trim()).filter(Boolean),
		onWon: options.onWon as MapperConfig['onWon'],
		onLost: options.onLost as MapperConfig['onLost'],
		onProjectClosed: options.onProjectClosed as MapperConfig['onProjectClosed'],
		onProjectDeleted: options.onProjectDeleted as MapperConfig['onProjectDeleted'],
	});
}

const projectIdKey = (w: World) => w.pd.fieldKey('deal', 'propstreet_project_id');
const pipelineId = (w: World) => w.pd.pipelines().find((p) => p.name === 'Nordic Transactions')!.id;
const liveProject = (w: World, id: string): IDataObject | undefined => {
	const project = id ? (w.ps.get('project', id) as IDataObject | undefined) : undefined;
	return project && !project.deletedUtc && project.status === 'open' ? project : undefined;
};

function linkedPairs(w: World): Pair[] {
	return w.pd
		.deals()
		.filter((d) => d.status === 'open' && d.pipeline_id === pipelineId(w))
		.map((d) => ({ dealId: d.id as number, projectId: String((d.custom_fields as IDataObject)[projectIdKey(w)] ?? '') }))
		.filter((p) => liveProject(w, p.projectId));
}

/** Open deals of the synced pipeline linked to a live, open project (other modules act on them too). */
export const linkedDeals = (w: World): Pair[] => linkedPairs(w);

function create(w: World): void {
	const name = `Kontor ${w.unique('deal')}`;
	if (w.rng.chance(0.5)) w.ps.createProject({ name });
	else w.pd.createDeal({ title: name, pipeline_id: pipelineId(w), stage_id: w.pd.stageId('Lead In') });
}

function rename(w: World, pair: Pair, side: SideName): void {
	const value = `Kontor ${w.unique('name')}`;
	w.note(`deal:${pair.dealId}:name`, side, value);
	w.trace(`EDIT ${side} name=${value} (deal ${pair.dealId}, project ${pair.projectId})`, pair.dealId, pair.projectId);
	if (side === 'propstreet') w.ps.updateProject(pair.projectId, { name: value });
	else w.pd.updateDeal(pair.dealId, { title: value });
}

function lifecycle(w: World, pair: Pair, pairs: Pair[]): void {
	const r = w.rng;
	const roll = r.next();
	if (roll < 0.4 && pairs.length > 3) {
		const other = r.pick(pairs.filter((p) => p.dealId !== pair.dealId));
		w.merged.add(`deal:${pair.dealId}`).add(`deal:${other.dealId}`);
		w.pd.merge('deal', pair.dealId, other.dealId);
	} else if (roll < 0.7) w.pd.deleteDeal(pair.dealId);
	else w.ps.deleteProject(pair.projectId);
	w.forget(`deal:${pair.dealId}:`);
}

function act(w: World): void {
	const r = w.rng;
	const pairs = linkedPairs(w);
	const roll = r.next();
	if (roll < 0.1 || pairs.length < 3) return create(w);
	const pair = r.pick(pairs);
	if (roll < 0.13) return lifecycle(w, pair, pairs);
	if (roll < 0.35) {
		w.trace(`STAGE deal ${pair.dealId}`, pair.dealId, pair.projectId);
		w.pd.moveDealToStage(pair.dealId, r.pick(STAGES));
		return;
	}
	if (roll < 0.45) {
		w.ps.updateProject(pair.projectId, { classification: r.pick(['draft', 'active']) });
		return;
	}
	const sides = editingSides(w);
	for (const side of sides) rename(w, pair, side);
}

function checkDeal(w: World, deal: IDataObject, config: MapperConfig, ctx: ReturnType<typeof buildContext>): string[] {
	const projectId = String((deal.custom_fields as IDataObject)[projectIdKey(w)] ?? '');
	if (!projectId) return [`deal ${deal.id} has no project`];
	const project = liveProject(w, projectId);
	if (!project) return [];
	const problems: string[] = [];
	if (!pointsBack(project, deal.id)) problems.push(`project ${projectId} does not point back to deal ${deal.id}`);
	const plan = planTwoWay({ spec: PROJECT_SPEC, pipedrive: deal, propstreet: project, baseline: null, rules: { policy: 'lastWriteWins' }, eventSide: 'pipedrive', config, ctx });
	const diff = { ...plan.pipedrivePatch, ...plan.propstreetPatch };
	if (Object.keys(diff).length) problems.push(`deal ${deal.id} ⇄ project ${projectId} differ: ${JSON.stringify(diff)}`);
	const problem = judgeField(w, 'project', `deal ${deal.id} / project ${projectId} name`, project.name, w.log.get(`deal:${deal.id}:name`));
	if (problem) problems.push(problem);
	return problems;
}

function check(w: World): string[] {
	const problems: string[] = [];
	const projects = (w.ps.state().projects as IDataObject[]).filter((p) => !p.deletedUtc && p.status === 'open');
	problems.push(...duplicateClaims(projects, 'deal', 'projects'));
	const config = bundledConfig();
	const ctx = buildContext({ entity: 'project', fieldDefinitions: w.pd.fields('deal'), stageDefinitions: { stages: w.pd.stages(), pipelines: w.pd.pipelines() } });
	for (const deal of w.pd.deals().filter((d) => d.status === 'open' && d.pipeline_id === pipelineId(w))) problems.push(...checkDeal(w, deal as IDataObject, config, ctx));
	for (const p of projects) if (!(p.externalRefs as IDataObject[]).some((r) => r.namespace === 'pipedrive')) problems.push(`project ${p.id} has no deal`);
	return problems;
}

export const projects: EntityModule = {
	entity: 'project',
	pipedriveObject: 'deal',
	propstreetEvents: ['project.created', 'project.updated', 'project.deleted'],
	syncParameters: BUNDLED,
	weight: 1,
	act,
	backfillItems: (w) => [
		...w.pd.deals().map((json) => ({ side: 'pipedrive' as const, item: { json: json as IDataObject } })),
		...(w.ps.state().projects as IDataObject[]).filter((p) => !p.deletedUtc).map((json) => ({ side: 'propstreet' as const, item: { json } })),
	],
	check,
};
