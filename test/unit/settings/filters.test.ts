import { buildContext, resolveConfig } from '../../../nodes/shared/core/mapping';
import { companyScope, contactScope, contactTagOf, NO_FILTERS, projectScope } from '../../../nodes/shared/core/twoWay/filters';

const personFields = [{ key: 'label_ids', name: 'Labels', field_type: 'set', options: [{ id: 5, label: 'Investor' }, { id: 6, label: 'Broker' }] }];
const ctx = buildContext({ entity: 'contact', fieldDefinitions: personFields });
const config = resolveConfig({});

describe('filters both ways', () => {
	it('no filter set: contacts and companies are not scoped at all', () => {
		expect(contactScope(NO_FILTERS, config, ctx)).toBeUndefined();
		expect(companyScope(NO_FILTERS)).toBeUndefined();
	});

	it('the label filters persons; contacts need the tag the label maps to (through the label map)', () => {
		const mapped = resolveConfig({ labelMap: [{ pipedrive: 'Investor', propstreet: 'key-investor' }] });
		const scope = contactScope({ ...NO_FILTERS, personLabel: 'Investor' }, mapped, ctx)!;
		expect(contactTagOf({ ...NO_FILTERS, personLabel: 'Investor' }, mapped)).toBe('key-investor');
		expect(scope('pipedrive', { id: 1, label_ids: [5] })).toBe(true);
		expect(scope('pipedrive', { id: 2, label_ids: [6] })).toBe(false);
		expect(scope('propstreet', { id: 'c1', tags: ['Key-Investor'] })).toBe(true);
		expect(scope('propstreet', { id: 'c2', tags: ['investor'] })).toBe(false);
	});

	it('a tag set on its own filters only Propstreet contacts', () => {
		const scope = contactScope({ ...NO_FILTERS, contactTag: 'vip' }, config, ctx)!;
		expect(scope('pipedrive', { id: 1, label_ids: [] })).toBe(true);
		expect(scope('propstreet', { id: 'c1', tags: ['VIP'] })).toBe(true);
		expect(scope('propstreet', { id: 'c2', tags: [] })).toBe(false);
	});

	it('projects: classification and asset type decide which unlinked Propstreet projects get a deal (draft and single when unset)', () => {
		const dealCtx = buildContext({ entity: 'project', fieldDefinitions: [] });
		const scope = projectScope({ ...NO_FILTERS, projectClassifications: ['active'], projectAssetTypes: ['portfolio'] }, config, dealCtx);
		expect(scope('propstreet', { id: 'p1', classification: 'active', asset: { type: 'portfolio' } })).toBe(true);
		expect(scope('propstreet', { id: 'p2', classification: 'active', asset: { type: 'single' } })).toBe(false);
		expect(scope('propstreet', { id: 'p3', classification: null, asset: { type: 'portfolio' } })).toBe(false);
		expect(projectScope(NO_FILTERS, config, dealCtx)('propstreet', { id: 'p4' })).toBe(true);
	});

	it('companies "only those a synced contact works at": unlinked Propstreet companies are left out, Pipedrive organizations are not', () => {
		const scope = companyScope({ ...NO_FILTERS, propstreetCompanies: 'contactsOnly' })!;
		expect(scope('propstreet', { id: 'co1' })).toBe(false);
		expect(scope('pipedrive', { id: 1 })).toBe(true);
	});
});
