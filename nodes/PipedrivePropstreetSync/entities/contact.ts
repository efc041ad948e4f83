/** Pipedrive persons ⇄ Propstreet contacts. */
import { buildContext } from '../../shared/core/mapping';
import { personDefinitionMisses } from '../../shared/core/mapping/definitionMisses';
import { CONTACT_SPEC } from '../../shared/core/twoWay/contactSpec';
import { contactScope } from '../../shared/core/twoWay/filters';
import { contactLookups } from '../companyLinks';
import { fieldDefinitions } from '../fieldDefinitions';
import { pipedrivePersons, propstreetContacts } from '../sides';
import type { TwoWayBinding } from './binding';

export const contactBinding: TwoWayBinding = {
	value: 'contact',
	name: 'Contact (Person)',
	description: 'Pipedrive person ⇄ Propstreet contact',
	build: async ({ ctx, i, config, givenDefinitions, filters, settings, payload, definitionsMaxAgeMs }) => {
		const misses = (fields: unknown) => personDefinitionMisses(fields, payload, config, filters.personLabel);
		const personFields = await fieldDefinitions(ctx, i, 'personFields', givenDefinitions, { misses, maxAgeMs: definitionsMaxAgeMs });
		const mapperCtx = buildContext({ entity: 'contact', fieldDefinitions: personFields });
		return {
			spec: CONTACT_SPEC,
			ctx: mapperCtx,
			inScope: contactScope(filters, config, mapperCtx),
			lookups: contactLookups({ ctx, i, settings }),
			sides: { pipedrive: pipedrivePersons(ctx, i), propstreet: propstreetContacts(ctx, i, config.pipedriveNamespace) },
		};
	},
};
