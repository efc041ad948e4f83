/**
 * Pipedrive deal ⇄ Propstreet project.
 *
 * Propstreet keeps project state in three fields: `status` (open/closed/deleted, read-only),
 * `classification` (draft/active/inactive, set with PATCH /api/v1/projects/{id} — the spec's way;
 * the API reference documents none, see ARCHITECTURE.md) and `teaser.stage` (read-only). So a deal
 * stage can only set the classification; won and lost become instructions in `lifecycle`.
 * The asset is sent as `asset: { type, propertyCount }` (the reference's model) rather than the
 * spec's flat `isPortfolio` / `propertyCount`; both are read.
 */
import { customFieldText, customFieldWriteValue, readCustomField, type FieldCatalog } from '../customFields';
import type { MapperConfig, StageRule } from './config';
import {
	BodyBuilder,
	currentView,
	idOf,
	isoTime,
	isRecord,
	pipedriveIdOf,
	pipedriveSource,
	propstreetMatch,
	refsOf,
	text,
	type Draft,
	type JsonRecord,
	type Lifecycle,
	type MapperContext,
	type SourceEnvelope,
	type StageDefinition,
} from './common';

function dealKeys(config: MapperConfig, catalog: FieldCatalog) {
	const k = config.fieldKeys.deal;
	return {
		projectId: catalog.resolveKey(k.propstreetProjectId),
		isPortfolio: catalog.resolveKey(k.isPortfolio),
		propertyCount: catalog.resolveKey(k.propertyCount),
		propertyType: catalog.resolveKey(k.propertyType),
	};
}

const YES = new Set(['yes', 'y', 'ja', 'j', 'kylla', 'kyllä', 'true', '1', 'portfolio', 'x', 'on']);
const NO = new Set(['no', 'n', 'nej', 'nei', 'ei', 'false', '0', 'single', 'off']);

export function parseYesNo(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
	if (typeof value !== 'string') return undefined;
	const t = value.trim().toLowerCase();
	return YES.has(t) ? true : NO.has(t) ? false : undefined;
}

/** Deal stage (id, plus the name from stage definitions) → its row in the stage table. */
export function findStageRow(table: StageRule[], stageId: string | undefined, stageName: string | null | undefined): StageRule | undefined {
	return table.find(
		(row) => (stageId !== undefined && row.pipedriveStage.trim() === stageId) || (stageName && row.pipedriveStage.trim().toLowerCase() === stageName.trim().toLowerCase()),
	);
}

export function stageNameOf(record: JsonRecord, stages: StageDefinition[]): string | null {
	const id = idOf(record.stage_id);
	return stages.find((s) => s.id === id)?.name ?? text(record.stage_name) ?? (isRecord(record.stage) ? text(record.stage.name) : null);
}

/** A row matches a project state when the classification is equal and the teaser stage is listed. */
export function rowMatchesProject(row: StageRule, classification: string, teaserStage: string | null): boolean {
	return row.classification === classification && row.reverseMatch.map((s) => s.trim().toLowerCase()).includes(teaserStage ?? 'none');
}

/** Reverse stage table: project state → default row (first full match, else first row with the classification). */
export function stageRowForProject(table: StageRule[], classification: string, teaserStage: string | null): StageRule | undefined {
	return table.find((row) => rowMatchesProject(row, classification, teaserStage)) ?? table.find((row) => row.classification === classification);
}

const CATEGORY: Record<string, string> = {
	office: 'office', retail: 'retail', logistics: 'industrial', warehouse: 'industrial', industrial: 'industrial',
	residential: 'residential', housing: 'residential', hotel: 'hotel', hospitality: 'hotel', land: 'land',
	'social infrastructure': 'social_infrastructure', community: 'social_infrastructure', 'special purpose': 'special_purpose',
};

function projectAsset(record: JsonRecord): JsonRecord | null {
	if (isRecord(record.asset)) {
		return { type: record.asset.type === 'portfolio' ? 'portfolio' : 'single', propertyCount: record.asset.type === 'portfolio' ? (record.asset.propertyCount ?? null) : null };
	}
	if ('isPortfolio' in record) return { type: record.isPortfolio === true ? 'portfolio' : 'single', propertyCount: record.isPortfolio === true ? (record.propertyCount ?? null) : null };
	return null;
}

function teaserStageOf(project: JsonRecord): string | null {
	return isRecord(project.teaser) ? text(project.teaser.stage) : null;
}

function projectPropstreetProject(current: JsonRecord): JsonRecord {
	return { name: text(current.name), classification: text(current.classification) ?? 'draft', asset: projectAsset(current), externalRefs: refsOf(current.externalRefs) };
}

/** Pipedrive deal (API v2 or webhook data) → Propstreet project body (POST, then PATCH for classification). */
export function dealToProject(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const catalog = ctx.catalogs.deal;
	const keys = dealKeys(config, catalog);
	const b = new BodyBuilder(config, 'toPropstreet');
	const current = ctx.current ?? null;
	const { pipedriveId: dealId, match } = pipedriveSource(record, keys.projectId, catalog, ctx.lookups.propstreetProjectId, config.pipedriveNamespace);
	const extras: JsonRecord = {};
	let lifecycle: Lifecycle | undefined;
	let skip = false;
	if (idOf(record.person_id)) match.pipedrivePersonId = idOf(record.person_id);
	if (idOf(record.org_id)) match.pipedriveOrgId = idOf(record.org_id);

	const pipelineId = idOf(record.pipeline_id);
	if (config.pipelines.length && pipelineId) {
		const pipelineName = ctx.pipelines.find((p) => p.id === pipelineId)?.name?.toLowerCase();
		const wanted = config.pipelines.map((p) => p.trim().toLowerCase());
		if (!wanted.includes(pipelineId) && !(pipelineName && wanted.includes(pipelineName))) {
			skip = true;
			b.warn('pipeline', `deal is in pipeline ${pipelineName ?? pipelineId}, which is not synced; skip this item`);
		}
	}

	if (b.enabled('project.name') && 'title' in record) {
		const name = text(record.title);
		if (!name) b.warn('name', 'the deal has no title; name not sent');
		else {
			if (name.length > 200) b.warn('name', 'title longer than 200 characters; cut to 200');
			b.set('project.name', 'name', name.slice(0, 200));
		}
	}

	const deleted = source.action === 'delete' || record.is_deleted === true || record.status === 'deleted';
	const status = text(record.status);
	let classification: string | undefined;
	if (b.enabled('project.stage') && 'stage_id' in record && !deleted) {
		const stageId = idOf(record.stage_id);
		const stageName = stageNameOf(record, ctx.stages);
		const row = findStageRow(config.stageTable, stageId, stageName);
		if (row) {
			classification = row.classification;
			extras.expectedState = { status: 'open', classification: row.classification, teaserStage: row.teaserStage || null };
			const actualTeaser = current ? teaserStageOf(current) : null;
			if (current && row.teaserStage && actualTeaser !== row.teaserStage && status === 'open') {
				b.warn('stage', `deal stage "${row.pipedriveStage}" expects teaser stage "${row.teaserStage}" but the project's teaser is "${actualTeaser ?? 'none'}"; teaser stages change only in the Propstreet app`);
			}
		} else if (stageId || stageName) {
			b.warn(
				'stage',
				stageName
					? `stage "${stageName}" has no row in the stage table; classification not sent`
					: `stage id ${stageId} has no row in the stage table (add Stage Definitions to match rows by name); classification not sent`,
			);
		}
	}
	if (b.enabled('project.status') && !deleted) {
		if (status === 'won') {
			lifecycle = { event: 'won', deal: 'won', action: 'closeInPropstreetApp', note: 'Propstreet project status is read-only; close the project in the Propstreet app' };
			if (config.onWon === 'inactive') classification = 'inactive';
		} else if (status === 'lost') {
			lifecycle = { event: 'lost', deal: 'lost', action: config.onLost === 'deleteProject' ? 'deleteProject' : 'none' };
			if (config.onLost === 'inactive') classification = 'inactive';
		} else if (status === 'open' && current && text(current.status) === 'closed') {
			lifecycle = { event: 'reopened', action: 'none', note: 'the deal was reopened; reopen the project in the Propstreet app' };
		}
	}
	if (classification) b.set(classification === 'inactive' && !b.enabled('project.stage') ? 'project.status' : 'project.stage', 'classification', classification);

	if (deleted) {
		lifecycle = {
			event: source.mergedToId ? 'merged' : 'deleted',
			deal: 'deleted',
			action: source.mergedToId ? 'relink' : config.onDelete === 'delete' ? 'deleteProject' : 'none',
			...(source.mergedToId ? { mergedToId: source.mergedToId } : {}),
		};
	}

	// Asset: is_portfolio (single option Yes/No) and property_count (number).
	const portfolioField = b.enabled('project.isPortfolio') ? readCustomField(record, keys.isPortfolio, catalog) : undefined;
	const countField = b.enabled('project.propertyCount') ? readCustomField(record, keys.propertyCount, catalog) : undefined;
	if (!deleted && (portfolioField !== undefined || countField !== undefined)) {
		let isPortfolio: boolean | undefined;
		if (portfolioField !== undefined) {
			const raw = portfolioField.optionLabels[0] ?? portfolioField.value;
			isPortfolio = raw === null ? false : parseYesNo(raw);
			if (isPortfolio === undefined) {
				b.warn('isPortfolio', portfolioField.optionIds.length && !portfolioField.optionLabels.length ? `option id ${portfolioField.optionIds[0]} cannot be read without the deal field definitions; asset type not sent` : `"${String(raw)}" is neither yes nor no; asset type not sent`);
			}
		}
		let count: number | null = null;
		if (countField !== undefined && countField.value !== null) {
			const n = Number(countField.value);
			if (Number.isInteger(n) && n >= 0) count = n;
			else b.warn('propertyCount', `"${String(countField.value)}" is not a whole number; property count not sent`);
		}
		if (isPortfolio === undefined && portfolioField === undefined) {
			const currentAsset = current ? projectAsset(current) : null;
			isPortfolio = currentAsset ? currentAsset.type === 'portfolio' : count !== null && count > 1;
		}
		if (isPortfolio !== undefined) {
			if (!isPortfolio && count !== null && count > 1) b.warn('propertyCount', `property count ${count} dropped: the deal is not a portfolio`);
			b.set(portfolioField !== undefined ? 'project.isPortfolio' : 'project.propertyCount', 'asset', { type: isPortfolio ? 'portfolio' : 'single', propertyCount: isPortfolio ? count : null });
		}
	}

	if (b.enabled('project.propertyType') && !deleted) {
		const types = readCustomField(record, keys.propertyType, catalog);
		if (types !== undefined) {
			const labels = types.optionLabels.length ? types.optionLabels : types.optionIds.length ? [] : customFieldText(types)?.split(',') ?? [];
			if (types.optionIds.length && !types.optionLabels.length) b.warn('propertyType', 'property type option ids cannot be named without the deal field definitions');
			const categories: string[] = [];
			for (const label of labels.map((l) => l.trim()).filter((l) => l !== '')) {
				const category = CATEGORY[label.toLowerCase()];
				if (category) categories.push(category);
				else b.warn('propertyType', `"${label}" has no Propstreet property category; dropped`);
			}
			// Projects carry no property type; this is a hint for the Properties API.
			extras.propertyCategories = [...new Set(categories)];
		}
	}

	if (dealId && b.enabled('project.pipedriveId') && !deleted) b.setPipedriveRef('project.pipedriveId', current, config.pipedriveNamespace, dealId);

	return {
		...b.parts(),
		match,
		sourceUpdatedAt: isoTime(record.update_time),
		lifecycle,
		extras: Object.keys(extras).length ? extras : undefined,
		skip: skip || undefined,
		...currentView(current, projectPropstreetProject, 'updatedUtc'),
	};
}

function stageIdForRow(row: StageRule, ctx: MapperContext, pipelineId: string | undefined): string | undefined {
	const value = row.pipedriveStage.trim();
	const byName = ctx.stages.filter((s) => s.name.trim().toLowerCase() === value.toLowerCase());
	const inPipeline = pipelineId ? byName.find((s) => s.pipelineId === pipelineId) : undefined;
	if (inPipeline ?? byName[0]) return (inPipeline ?? byName[0]).id;
	return /^\d+$/.test(value) ? value : undefined;
}

function portfolioWriteValue(isPortfolio: boolean, key: string, catalog: FieldCatalog): { ok: true; value: unknown } | { ok: false; reason: string } {
	const def = catalog.definition(key);
	if (!def) return { ok: false, reason: 'the deal field definitions are needed to write a single-option field; is_portfolio not sent' };
	if (def.options.length) {
		const option = def.options.find((o) => parseYesNo(o.label) === isPortfolio);
		if (!option) return { ok: false, reason: `no option of "${def.name}" reads as ${isPortfolio ? 'yes' : 'no'}` };
		return { ok: true, value: /^\d+$/.test(option.id) ? Number(option.id) : option.id };
	}
	if (def.type === 'boolean') return { ok: true, value: isPortfolio };
	return customFieldWriteValue(key, isPortfolio ? 'Yes' : 'No', catalog);
}

function projectPipedriveDeal(current: JsonRecord, config: MapperConfig, catalog: FieldCatalog): JsonRecord {
	const keys = dealKeys(config, catalog);
	const portfolio = readCustomField(current, keys.isPortfolio, catalog);
	const count = readCustomField(current, keys.propertyCount, catalog);
	const stageId = idOf(current.stage_id);
	return {
		title: text(current.title),
		status: text(current.status),
		stage_id: stageId && /^\d+$/.test(stageId) ? Number(stageId) : (stageId ?? null),
		custom_fields: {
			[keys.projectId]: customFieldText(readCustomField(current, keys.projectId, catalog)),
			[keys.isPortfolio]: portfolio?.optionIds.length ? (/^\d+$/.test(portfolio.optionIds[0]) ? Number(portfolio.optionIds[0]) : portfolio.optionIds[0]) : (portfolio?.value ?? null),
			[keys.propertyCount]: count?.value ?? null,
		},
	};
}

/** Propstreet project → Pipedrive API v2 deal body. */
export function projectToDeal(source: SourceEnvelope, config: MapperConfig, ctx: MapperContext): Draft {
	const { record } = source;
	const catalog = ctx.catalogs.deal;
	const keys = dealKeys(config, catalog);
	const b = new BodyBuilder(config, 'toPipedrive');
	const current = ctx.current ?? null;
	const projectId = idOf(record.id);
	const pipedriveId = pipedriveIdOf(record.externalRefs, config.pipedriveNamespace, ctx.lookups.pipedriveDealId);
	const match = propstreetMatch(record.externalRefs, projectId, pipedriveId);
	let lifecycle: Lifecycle | undefined;

	if (b.enabled('project.name') && 'name' in record) {
		const name = text(record.name);
		if (name) b.set('project.name', 'title', name);
		else b.warn('name', 'the project has no name; title not sent');
	}

	const status = source.action === 'delete' || record.deletedUtc ? 'deleted' : text(record.status);
	const dealClosed = current && (current.status === 'won' || current.status === 'lost') ? (current.status as 'won' | 'lost') : undefined;
	if (b.enabled('project.status')) {
		if (status === 'closed' && config.onProjectClosed === 'won') {
			b.set('project.status', 'status', 'won');
			lifecycle = { event: 'closed', action: 'markDealWon' };
		} else if (status === 'deleted' && config.onProjectDeleted === 'lost') {
			b.set('project.status', 'status', 'lost');
			lifecycle = { event: 'deleted', action: 'markDealLost' };
		} else if (status === 'closed' || status === 'deleted') {
			lifecycle = { event: status, action: 'none' };
		} else if (status === 'open' && dealClosed) {
			if (config.onProjectOpenDealClosed === 'reopen') {
				b.set('project.status', 'status', 'open');
				lifecycle = { event: 'reopened', action: 'none', deal: dealClosed };
			} else {
				// Usually the echo of our own write after the deal was won/lost (the project is closed only
				// in the Propstreet app), so the deal stays closed and the workflow is told.
				lifecycle = { event: 'reopened', action: 'none', deal: dealClosed, note: `the deal is ${dealClosed} but the project is open; the deal is not reopened (option On Open Project, Closed Deal)` };
				b.warn('status', `the deal is ${dealClosed} but the project is still open; deal left ${dealClosed}`);
			}
		}
	}

	if (b.enabled('project.stage') && status === 'open' && ('classification' in record || 'teaser' in record)) {
		const classification = text(record.classification) ?? 'draft';
		const teaserStage = teaserStageOf(record);
		const currentRow = current ? findStageRow(config.stageTable, idOf(current.stage_id), stageNameOf(current, ctx.stages)) : undefined;
		const keepStage =
			currentRow !== undefined &&
			(config.reverseStage === 'teaserStage' ? rowMatchesProject(currentRow, classification, teaserStage) : currentRow.classification === classification);
		if (classification === 'inactive') {
			// Inactive has no stage of its own: the deal keeps its stage.
		} else if (keepStage) {
			// The deal's stage already agrees with the project (several stages share one classification,
			// and the teaser stage lags): keep it, so the echo of a deal move never moves the deal back.
		} else if (!current && pipedriveId) {
			b.warn('stage', 'the current Pipedrive deal was not supplied, so its stage cannot be compared; stage left unchanged');
		} else {
			const row = stageRowForProject(config.stageTable, classification, teaserStage);
			const stageId = row ? stageIdForRow(row, ctx, current ? idOf(current.pipeline_id) : undefined) : undefined;
			if (!row) b.warn('stage', `no stage-table row for classification "${classification}" and teaser stage "${teaserStage ?? 'none'}"; stage not sent`);
			else if (!stageId) b.warn('stage', `the id of stage "${row.pipedriveStage}" is not known (add Stage Definitions); stage not sent`);
			else b.set('project.stage', 'stage_id', Number(stageId));
		}
	}

	const asset = projectAsset(record);
	if (asset && b.enabled('project.isPortfolio')) {
		const write = portfolioWriteValue(asset.type === 'portfolio', keys.isPortfolio, catalog);
		if (write.ok) b.set('project.isPortfolio', `custom_fields.${keys.isPortfolio}`, write.value);
		else b.warn('isPortfolio', write.reason);
	}
	if (asset && b.enabled('project.propertyCount')) {
		const write = customFieldWriteValue(keys.propertyCount, asset.propertyCount === null || asset.propertyCount === undefined ? null : Number(asset.propertyCount), catalog);
		if (write.ok) b.set('project.propertyCount', `custom_fields.${keys.propertyCount}`, write.value);
		else b.warn('propertyCount', write.reason);
	}
	if (b.enabled('project.propstreetId') && projectId) b.set('project.propstreetId', `custom_fields.${keys.projectId}`, projectId);

	return {
		...b.parts(),
		match,
		sourceUpdatedAt: isoTime(record.updatedUtc),
		lifecycle,
		...currentView(current, (c) => projectPipedriveDeal(c, config, catalog), 'update_time'),
	};
}

