/**
 * Deals ⇄ projects for the two-way sync, over the existing project mapper and stage table.
 *
 * Merge groups (each read in its own side's shape, so a value one side stores differently is never
 * mistaken for an edit):
 * - `project.name`: the deal title ⇄ the project name;
 * - `project.stage`: the deal's pipeline, stage and status ⇄ the project's status and classification
 *   (won/lost set the classification, so stage and status move together);
 * - `project.isPortfolio`: the deal's is_portfolio and property_count ⇄ the project's asset.
 *
 * Stage rules on top of the mapper: a deal in a pipeline the sync does not cover, or in a stage the
 * stage table has no row for, keeps its stage whatever the project says (the group is left alone
 * with a warning); a single-asset project never clears the deal's property count.
 */
import { customFieldText, readCustomField } from '../customFields';
import type { Side } from '../merge/policy';
import { idOf, isoTime, isRecord, refId, text, unwrapSource, type Draft, type JsonRecord, type MapperContext } from '../mapping/common';
import { canonicalValue } from '../mapping/compare';
import type { MapperConfig } from '../mapping/config';
import { dealToProject, findStageRow, projectToDeal, stageNameOf } from '../mapping/project';
import type { EntitySpec } from './spec';

const GROUP_OF: Record<string, string> = { 'project.status': 'project.stage', 'project.propertyCount': 'project.isPortfolio' };

export function dealFieldKeys(config: MapperConfig, ctx: MapperContext) {
	const keys = config.fieldKeys.deal;
	const catalog = ctx.catalogs.deal;
	return { projectId: catalog.resolveKey(keys.propstreetProjectId), isPortfolio: catalog.resolveKey(keys.isPortfolio), propertyCount: catalog.resolveKey(keys.propertyCount) };
}

/** The pipeline the deal is in is one the sync covers (every pipeline when none is named). */
export function inSyncedPipeline(deal: JsonRecord, config: MapperConfig, ctx: MapperContext): boolean {
	if (!config.pipelines.length) return true;
	const id = idOf(deal.pipeline_id);
	if (!id) return false;
	const name = ctx.pipelines.find((p) => p.id === id)?.name.trim().toLowerCase();
	const wanted = config.pipelines.map((p) => p.trim().toLowerCase());
	return wanted.includes(id) || (name !== undefined && wanted.includes(name));
}

/** The first synced pipeline's id, where new deals go; undefined when it is not known. */
export function syncedPipelineId(config: MapperConfig, ctx: MapperContext): string | undefined {
	const first = config.pipelines[0]?.trim().toLowerCase();
	if (!first) return undefined;
	return ctx.pipelines.find((p) => p.id === first || p.name.trim().toLowerCase() === first)?.id ?? (/^\d+$/.test(first) ? first : undefined);
}

/** Why the deal's stage must not be moved by the sync; null when it may. */
export function stageHold(deal: JsonRecord, config: MapperConfig, ctx: MapperContext): string | null {
	if (!inSyncedPipeline(deal, config, ctx)) return `the deal is in pipeline ${idOf(deal.pipeline_id) ?? '?'}, which the sync does not cover; its stage and the project's classification are left alone`;
	const stageId = idOf(deal.stage_id);
	if (stageId && !findStageRow(config.stageTable, stageId, stageNameOf(deal, ctx.stages))) {
		return `the deal's stage ${stageNameOf(deal, ctx.stages) ?? stageId} has no row in the stage table; its stage and the project's classification are left alone`;
	}
	return null;
}

function customRaw(deal: JsonRecord, key: string, ctx: MapperContext): unknown {
	const value = readCustomField(deal, key, ctx.catalogs.deal);
	if (!value) return null;
	return value.optionIds.length ? value.optionIds : customFieldText(value);
}

function pipedriveValues(deal: JsonRecord, config: MapperConfig, ctx: MapperContext): Record<string, unknown> {
	const keys = dealFieldKeys(config, ctx);
	const has = (key: string) => key in deal;
	return {
		'project.name': has('title') ? canonicalValue(text(deal.title)) : undefined,
		'project.stage': has('stage_id') && has('status') ? canonicalValue({ pipeline: idOf(deal.pipeline_id) ?? null, stage: idOf(deal.stage_id) ?? null, status: text(deal.status) }) : undefined,
		'project.isPortfolio': has('custom_fields') ? canonicalValue({ portfolio: customRaw(deal, keys.isPortfolio, ctx), count: customRaw(deal, keys.propertyCount, ctx) }) : undefined,
	};
}

function propstreetValues(project: JsonRecord, config: MapperConfig): Record<string, unknown> {
	const asset = isRecord(project.asset) ? project.asset : {};
	const teaser = isRecord(project.teaser) ? text(project.teaser.stage) : null;
	return {
		'project.name': canonicalValue(text(project.name)),
		// The teaser stage only counts where it can move the deal (Deal Stage From Project: teaser stage).
		'project.stage': canonicalValue({ status: text(project.status), classification: text(project.classification) ?? 'draft', teaser: config.reverseStage === 'teaserStage' ? teaser : null }),
		'project.isPortfolio': canonicalValue({ type: text(asset.type) ?? 'single', count: asset.type === 'portfolio' ? (asset.propertyCount ?? null) : null }),
	};
}

/** The draft without one body path (the value is left as the target holds it), with a warning. */
export function withoutPath(draft: Draft, path: string, warning?: { field: string; message: string }): Draft {
	if (!(path in draft.fieldPaths)) return draft;
	const body = { ...draft.body };
	const fieldPaths = { ...draft.fieldPaths };
	delete fieldPaths[path];
	const dot = path.indexOf('.');
	if (dot < 0) delete body[path];
	else if (isRecord(body[path.slice(0, dot)])) {
		const nested = { ...(body[path.slice(0, dot)] as JsonRecord) };
		delete nested[path.slice(dot + 1)];
		body[path.slice(0, dot)] = nested;
	}
	return { ...draft, body, fieldPaths, warnings: warning ? [...draft.warnings, warning] : draft.warnings };
}

function toPropstreet(pipedrive: JsonRecord, propstreet: JsonRecord | null, config: MapperConfig, ctx: MapperContext): Draft {
	const draft = dealToProject(unwrapSource(pipedrive, 'Pipedrive deal'), config, { ...ctx, current: propstreet });
	// Unmapped stages already send no classification; a deal outside the synced pipelines must not either.
	const outside = !inSyncedPipeline(pipedrive, config, ctx);
	return outside ? withoutPath(draft, 'classification', { field: 'stage', message: stageHold(pipedrive, config, ctx) as string }) : draft;
}

/** Single asset: the deal's count stays as it is (1, or empty); a count above 1 (a former portfolio) becomes 1. */
function keepSingleAssetCount(draft: Draft, project: JsonRecord, deal: JsonRecord | null, config: MapperConfig, ctx: MapperContext): Draft {
	const asset = isRecord(project.asset) ? project.asset : null;
	const path = `custom_fields.${dealFieldKeys(config, ctx).propertyCount}`;
	if (!asset || asset.type === 'portfolio' || !(path in draft.fieldPaths)) return draft;
	const current = deal ? Number(customFieldText(readCustomField(deal, dealFieldKeys(config, ctx).propertyCount, ctx.catalogs.deal)) ?? NaN) : NaN;
	if (!(current > 1)) return withoutPath(draft, path);
	const custom = { ...(draft.body.custom_fields as JsonRecord), [dealFieldKeys(config, ctx).propertyCount]: 1 };
	return { ...draft, body: { ...draft.body, custom_fields: custom } };
}

function toPipedrive(propstreet: JsonRecord, pipedrive: JsonRecord | null, config: MapperConfig, ctx: MapperContext): Draft {
	if (pipedrive) {
		const draft = keepSingleAssetCount(projectToDeal(unwrapSource(propstreet, 'Propstreet project'), config, { ...ctx, current: pipedrive }), propstreet, pipedrive, config, ctx);
		const hold = stageHold(pipedrive, config, ctx);
		return hold ? withoutPath(draft, 'stage_id', { field: 'stage', message: hold }) : draft;
	}
	// A new deal goes into the (first) synced pipeline, and its stage is the table's stage there.
	const pipelineId = syncedPipelineId(config, ctx);
	const stages = pipelineId ? ctx.stages.filter((s) => s.pipelineId === undefined || s.pipelineId === pipelineId) : ctx.stages;
	const draft = keepSingleAssetCount(projectToDeal(unwrapSource(propstreet, 'Propstreet project'), config, { ...ctx, stages, current: null }), propstreet, null, config, ctx);
	return pipelineId ? { ...draft, body: { ...draft.body, pipeline_id: Number(pipelineId) } } : draft;
}

/** Propstreet deletes projects softly (`deletedUtc`, status `deleted`); Pipedrive flags deals `is_deleted`. */
function isDeleted(side: Side, record: JsonRecord): boolean {
	if (side === 'pipedrive') return record.is_deleted === true || record.status === 'deleted';
	return !!record.deletedUtc || record.status === 'deleted';
}

/** What a project deleted in Propstreet does to its deal (On Project Deleted): mark it lost, or nothing. */
function deletePatch(deletedSide: Side, counterpart: JsonRecord, config: MapperConfig): JsonRecord | null {
	if (deletedSide !== 'propstreet' || config.onProjectDeleted !== 'lost') return null;
	return counterpart.status === 'open' ? { status: 'lost' } : null;
}

export const PROJECT_SPEC: EntitySpec = {
	entity: 'project',
	groups: ['project.name', 'project.stage', 'project.isPortfolio'],
	linkFields: ['project.pipedriveId', 'project.propstreetId'],
	groupOf: (field) => GROUP_OF[field] ?? field,
	values: (side, record, config, ctx) => (side === 'pipedrive' ? pipedriveValues(record, config, ctx) : propstreetValues(record, config)),
	toPropstreet,
	toPipedrive,
	counterpartId: (side, record, config, ctx) =>
		side === 'pipedrive' ? (customFieldText(readCustomField(record, dealFieldKeys(config, ctx).projectId, ctx.catalogs.deal)) ?? undefined) : refId(record.externalRefs, config.pipedriveNamespace),
	updatedAt: (side, record) => isoTime(side === 'pipedrive' ? record.update_time : record.updatedUtc),
	isDeleted,
	deletePatch,
};

/** Only deals in the synced pipelines are linked or get a project; every Propstreet project may get a deal. */
export function dealPipelineScope(config: MapperConfig, ctx: MapperContext): (side: Side, record: JsonRecord) => boolean {
	return (side, record) => side === 'propstreet' || inSyncedPipeline(record, config, ctx);
}

/** A lost deal gets no new project when lost projects are to be deleted (On Deal Lost: Ask to Delete the Project). */
export function dealCreateScope(config: MapperConfig): (side: Side, record: JsonRecord) => boolean {
	return (side, record) => side === 'propstreet' || !(config.onLost === 'deleteProject' && record.status === 'lost');
}
