/**
 * The mapping settings (field keys, label map, stage table, per-field directions, options) as node
 * parameters, read into the core's MapperConfig. The Mapper and the Sync node share them.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { SystemName } from './core/conflict';
import { resolveConfig, type FieldDirection, type MapperConfig, type ProjectClassification } from './core/mapping';
import type { ParameterReader } from './core/settings';

/** The node's own parameters of item `i`, as a settings reader. */
export const nodeParameters =
	(ctx: IExecuteFunctions, i: number): ParameterReader =>
	(name, fallback) =>
		ctx.getNodeParameter(name, i, fallback as never);

/** The mapping settings read through `read`: the node's parameters (default) or the shared settings record. */
export function readMapperConfig(ctx: IExecuteFunctions, i: number, read: ParameterReader = nodeParameters(ctx, i)): MapperConfig {
	const fieldKeys = read('fieldKeys', {}) as { person?: IDataObject; organization?: IDataObject; deal?: IDataObject };
	const labelPairs = (read('labelMap.pairs', []) as IDataObject[]).map((pair) => ({ pipedrive: String(pair.pipedrive ?? ''), propstreet: String(pair.propstreet ?? '') }));
	const stageRows = (read('stageTable.rows', []) as IDataObject[])
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
	for (const row of read('fieldSync.fields', []) as IDataObject[]) fieldDirections[String(row.field)] = String(row.direction) as FieldDirection;
	const options = read('options', {}) as IDataObject;
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
