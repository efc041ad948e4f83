/**
 * The mapping settings (field keys, label map, stage table, per-field directions, options) read by
 * parameter name into the core's MapperConfig, and the conflict rules beside them. The Mapper and
 * the Sync node read them from their parameters or the shared record; the Cloud edition's Code
 * nodes from the shared record (the same reader, so no setting is interpreted twice).
 */
import type { SystemName } from '../conflict';
import type { ConflictPolicy, ConflictRules, Side } from '../merge/policy';
import { resolveConfig, type FieldDirection, type MapperConfig, type ProjectClassification } from '../mapping';
import type { SyncFilters } from '../twoWay/filters';
import type { ParameterReader } from './params';

/** The mapping settings read through `read` (a node's parameters or the shared settings record) as the core's MapperConfig. */
export function mapperConfigFrom(read: ParameterReader): MapperConfig {
	const fieldKeys = read('fieldKeys', {}) as { person?: Record<string, unknown>; organization?: Record<string, unknown>; deal?: Record<string, unknown> };
	const labelPairs = (read('labelMap.pairs', []) as Record<string, unknown>[]).map((pair) => ({ pipedrive: String(pair.pipedrive ?? ''), propstreet: String(pair.propstreet ?? '') }));
	const stageRows = (read('stageTable.rows', []) as Record<string, unknown>[])
		.filter((row) => String(row.pipedriveStage ?? '').trim() !== '')
		.map((row) => {
			const teaserStage = String(row.teaserStage ?? '');
			const reverse = String(row.reverseMatch ?? '')
				.split(',')
				.map((s) => s.trim().toLowerCase())
				.filter((s) => s !== '');
			return {
				pipedriveStage: String(row.pipedriveStage),
				classification: String(row.classification ?? 'draft') as ProjectClassification,
				teaserStage,
				reverseMatch: reverse.length ? reverse : [teaserStage || 'none'],
			};
		});
	const fieldDirections: Record<string, FieldDirection> = {};
	for (const row of read('fieldSync.fields', []) as Record<string, unknown>[]) fieldDirections[String(row.field)] = String(row.direction) as FieldDirection;
	const options = read('options', {}) as Record<string, unknown>;
	const sourceOfTruth: Record<string, SystemName> = {};
	for (const field of (options.pipedriveOwned as string[] | undefined) ?? []) sourceOfTruth[field] = 'pipedrive';
	for (const field of (options.propstreetOwned as string[] | undefined) ?? []) sourceOfTruth[field] = 'propstreet';
	return resolveConfig({
		fieldKeys: fieldKeys as MapperConfig['fieldKeys'],
		labelMap: labelPairs.filter((pair) => pair.pipedrive.trim() !== ''),
		stageTable: stageRows,
		fieldDirections,
		unmappedLabels: options.unmappedLabels as MapperConfig['unmappedLabels'] | undefined,
		onWon: options.onWon as MapperConfig['onWon'] | undefined,
		onLost: options.onLost as MapperConfig['onLost'] | undefined,
		onDelete: options.onDelete as MapperConfig['onDelete'] | undefined,
		onProjectClosed: options.onProjectClosed as MapperConfig['onProjectClosed'] | undefined,
		onProjectDeleted: options.onProjectDeleted as MapperConfig['onProjectDeleted'] | undefined,
		onProjectOpenDealClosed: options.onProjectOpenDealClosed as MapperConfig['onProjectOpenDealClosed'] | undefined,
		reverseStage: options.reverseStage as MapperConfig['reverseStage'] | undefined,
		noteMaxLength: options.noteMaxLength as number | undefined,
		noteTargetOrder: options.noteTargetOrder ? (String(options.noteTargetOrder).split(',') as MapperConfig['noteTargetOrder']) : undefined,
		orgNumberPrefix: (options.orgNumberPrefix as string) || undefined,
		pipedriveNamespace: (options.pipedriveNamespace as string) || undefined,
		pipelines: String(options.pipelines ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter((s) => s !== ''),
		conflict: { strategy: (options.conflictStrategy as MapperConfig['conflict']['strategy']) ?? 'lastWriteWins', sourceOfTruth },
	});
}

/** The conflict rules: the policy and the fields each side owns. */
export function conflictRulesFrom(read: ParameterReader): ConflictRules {
	const policy = read('conflictPolicy', 'lastWriteWins') as ConflictPolicy;
	const owners: Record<string, Side> = {};
	for (const field of read('pipedriveOwned', []) as string[]) owners[field] = 'pipedrive';
	for (const field of read('propstreetOwned', []) as string[]) owners[field] = 'propstreet';
	return { policy, owners };
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The record filters (label, tag, classifications, asset types, companies). */
export function syncFiltersFrom(read: ParameterReader): SyncFilters {
	return {
		personLabel: String(read('onlyWithLabel', '') ?? '').trim(),
		contactTag: String(read('onlyWithTag', '') ?? '').trim(),
		projectClassifications: list(read('projectClassifications', [])),
		projectAssetTypes: list(read('projectAssetTypes', [])),
		propstreetCompanies: read('propstreetCompanies', 'all') === 'contactsOnly' ? 'contactsOnly' : 'all',
	};
}
