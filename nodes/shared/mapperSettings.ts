/**
 * The mapping settings (field keys, label map, stage table, per-field directions, options) as node
 * parameters, read into the core's MapperConfig. The Mapper and the Sync node share them.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import type { MapperConfig } from './core/mapping';
import { mapperConfigFrom, type ParameterReader } from './core/settings';

/** The node's own parameters of item `i`, as a settings reader. */
export const nodeParameters =
	(ctx: IExecuteFunctions, i: number): ParameterReader =>
	(name, fallback) =>
		ctx.getNodeParameter(name, i, fallback as never);

/** The mapping settings read through `read`: the node's parameters (default) or the shared settings record. */
export function readMapperConfig(ctx: IExecuteFunctions, i: number, read: ParameterReader = nodeParameters(ctx, i)): MapperConfig {
	return mapperConfigFrom(read);
}
