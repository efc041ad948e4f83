/**
 * The contact ⇄ company lookups of the Sync node: the core's `twoWay/companyLinks.ts` (shared with
 * the Cloud edition) over this run's store and the Company entity's binding (its HTTP sides).
 */
import type { Side } from '../shared/core/merge/policy';
import type { JsonRecord, MapperLookups } from '../shared/core/mapping';
import { contactLookups as coreContactLookups, type CompanyLinker } from '../shared/core/twoWay/companyLinks';
import { NO_FILTERS } from '../shared/core/twoWay/filters';
import { companyBinding } from './entities/company';
import type { EntitySetup } from './entities/binding';

/** What resolving needs: the node's context and the current run's settings (store, rules, where to create). */
export type CompanyResolver = Pick<EntitySetup, 'ctx' | 'i' | 'settings'>;

/** The company sync of this run. No filters: a company a synced contact refers to is linked (or created) whatever the company filter says. */
function linkerOf(r: CompanyResolver): CompanyLinker {
	const { store, config } = r.settings;
	return {
		store,
		// Organization field definitions are read by name (cached for a day); the run's own given definitions belong to its entity.
		companyRun: async () => ({
			...(await companyBinding.build({ ctx: r.ctx, i: r.i, store, config, givenDefinitions: undefined, filters: NO_FILTERS, prospectPipeline: '', settings: r.settings, payload: null })),
			...r.settings,
		}),
	};
}

export function contactLookups(r: CompanyResolver): (records: Partial<Record<Side, JsonRecord>>) => Promise<MapperLookups> {
	return coreContactLookups(linkerOf(r));
}
