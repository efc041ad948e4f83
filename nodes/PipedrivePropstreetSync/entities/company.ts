/** Pipedrive organizations ⇄ Propstreet companies. */
import { buildContext } from '../../shared/core/mapping';
import { organizationDefinitionMisses } from '../../shared/core/mapping/definitionMisses';
import { COMPANY_SPEC } from '../../shared/core/twoWay/companySpec';
import { companyScope } from '../../shared/core/twoWay/filters';
import { pipedriveOrganizations, propstreetCompanies } from '../companySides';
import { fieldDefinitions } from '../fieldDefinitions';
import type { TwoWayBinding } from './binding';

export const companyBinding: TwoWayBinding = {
	value: 'company',
	name: 'Company (Organization)',
	description: 'Pipedrive organization ⇄ Propstreet company',
	build: async ({ ctx, i, config, givenDefinitions, filters, payload, definitionsMaxAgeMs }) => {
		const misses = (fields: unknown) => organizationDefinitionMisses(fields, payload, config);
		const organizationFields = await fieldDefinitions(ctx, i, 'organizationFields', givenDefinitions, { misses, maxAgeMs: definitionsMaxAgeMs });
		const mapperCtx = buildContext({ entity: 'company', fieldDefinitions: organizationFields });
		return {
			spec: COMPANY_SPEC,
			ctx: mapperCtx,
			newRecordScope: companyScope(filters),
			sides: { pipedrive: pipedriveOrganizations(ctx, i, config, mapperCtx), propstreet: propstreetCompanies(ctx, i, config, mapperCtx) },
		};
	},
};
