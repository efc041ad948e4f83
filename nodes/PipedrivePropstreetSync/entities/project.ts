/** Pipedrive deals ⇄ Propstreet projects. */
import { buildContext } from '../../shared/core/mapping';
import { dealDefinitionMisses, stageDefinitionMisses } from '../../shared/core/mapping/definitionMisses';
import { projectScope } from '../../shared/core/twoWay/filters';
import { dealCreateScope, PROJECT_SPEC } from '../../shared/core/twoWay/projectSpec';
import { fieldDefinitions } from '../fieldDefinitions';
import { pipedriveDeals, propstreetProjects } from '../projectSides';
import type { SyncEntityBinding } from './binding';

export const projectBinding: SyncEntityBinding = {
	value: 'project',
	name: 'Project (Deal)',
	description: 'Pipedrive deal ⇄ Propstreet project (stage table, won/lost, asset)',
	build: async ({ ctx, i, config, givenDefinitions, filters, payload, definitionsMaxAgeMs }) => {
		// All three are cached per process for a day, read again early only on a miss (fieldDefinitions.ts).
		const maxAgeMs = definitionsMaxAgeMs;
		const dealFields = await fieldDefinitions(ctx, i, 'dealFields', givenDefinitions, { maxAgeMs, misses: (f) => dealDefinitionMisses(f, payload, config) });
		const stages = await fieldDefinitions(ctx, i, 'stages', undefined, { maxAgeMs, misses: (f) => stageDefinitionMisses(f, payload, config, 'stages') });
		const pipelines = await fieldDefinitions(ctx, i, 'pipelines', undefined, { maxAgeMs, misses: (f) => stageDefinitionMisses(f, payload, config, 'pipelines') });
		const mapperCtx = buildContext({ entity: 'project', fieldDefinitions: dealFields, stageDefinitions: { stages, pipelines } });
		return {
			spec: PROJECT_SPEC,
			ctx: mapperCtx,
			newRecordScope: projectScope(filters, config, mapperCtx),
			createScope: dealCreateScope(config),
			sides: { pipedrive: pipedriveDeals(ctx, i), propstreet: propstreetProjects(ctx, i, config.pipedriveNamespace) },
		};
	},
};
