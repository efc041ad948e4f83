/** Pipedrive deals ⇄ Propstreet projects. */
import { buildContext } from '../../shared/core/mapping';
import { projectScope } from '../../shared/core/twoWay/filters';
import { dealCreateScope, PROJECT_SPEC } from '../../shared/core/twoWay/projectSpec';
import { fieldDefinitions } from '../fieldDefinitions';
import { pipedriveDeals, propstreetProjects } from '../projectSides';
import type { SyncEntityBinding } from './binding';

export const projectBinding: SyncEntityBinding = {
	value: 'project',
	name: 'Project (Deal)',
	description: 'Pipedrive deal ⇄ Propstreet project (stage table, won/lost, asset)',
	build: async ({ ctx, i, config, givenDefinitions, filters }) => {
		// All three are cached for an hour in the workflow's static data: no read per execution.
		const dealFields = await fieldDefinitions(ctx, i, 'dealFields', givenDefinitions);
		const stages = await fieldDefinitions(ctx, i, 'stages');
		const pipelines = await fieldDefinitions(ctx, i, 'pipelines');
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
