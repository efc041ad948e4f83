/**
 * What makes the long-cached Pipedrive definitions be read again (issue 14): a payload key, option,
 * label, stage or pipeline they lack, or a configured name they do not resolve. Anything they know
 * is no miss, so an echo or a filtered record reads nothing.
 */
import { resolveConfig } from '../../../nodes/shared/core/mapping';
import { dealDefinitionMisses, organizationDefinitionMisses, personDefinitionMisses, stageDefinitionMisses } from '../../../nodes/shared/core/mapping/definitionMisses';
import { dealFieldsV2, KEYS, organizationFieldsV2, personFieldsV1, stageDefinitions } from './fixtures';

const config = resolveConfig({});
const NEW_KEY = '9'.repeat(40);

test('a person webhook whose keys, options and labels the definitions know is no miss', () => {
	const payload = { id: 7, label_ids: [1, 4], custom_fields: { [KEYS.contactId]: { type: 'varchar', value: 'c-1' }, [KEYS.classification]: { type: 'enum', id: 13 } } };
	expect(personDefinitionMisses(personFieldsV1, payload, config, 'Investor')).toEqual([]);
});

test('a new custom field, option or label on a person is a miss', () => {
	const payload = { id: 7, label_ids: [1, 5], custom_fields: { [NEW_KEY]: { type: 'varchar', value: 'x' }, [KEYS.classification]: { type: 'enum', id: 16 } } };
	expect(personDefinitionMisses(personFieldsV1, payload, config)).toEqual([`field ${NEW_KEY}`, `option ${KEYS.classification}:16`, 'label 5']);
	// v1 records carry custom fields at the top level.
	expect(personDefinitionMisses(personFieldsV1, { id: 7, [NEW_KEY]: 'x' }, config)).toEqual([`field ${NEW_KEY}`]);
});

test('a configured field name, label filter or mapped label the definitions lack is a miss', () => {
	const renamed = resolveConfig({ fieldKeys: { person: { investorStrategy: 'Strategy (new)' } }, labelMap: [{ pipedrive: 'Family office', propstreet: 'family-office' }] });
	expect(personDefinitionMisses(personFieldsV1, null, renamed, 'Investors')).toEqual(['name Strategy (new)', 'label name investors', 'label name family office']);
	expect(organizationDefinitionMisses(organizationFieldsV2, null, resolveConfig({ fieldKeys: { organization: { domain: 'Website' } } }))).toEqual(['name Website']);
	expect(dealDefinitionMisses(dealFieldsV2, { id: 3, custom_fields: { [KEYS.isPortfolio]: { type: 'enum', id: 21 } } }, config)).toEqual([]);
});

test('a deal in a stage or pipeline the cache lacks, or a stage table stage or synced pipeline it lacks, is a miss', () => {
	expect(stageDefinitionMisses(stageDefinitions.stages, { id: 3, stage_id: 2, pipeline_id: 1 }, config, 'stages')).toEqual([]);
	expect(stageDefinitionMisses(stageDefinitions.stages, { id: 3, stage_id: 99 }, config, 'stages')).toEqual(['stages 99']);
	expect(stageDefinitionMisses(stageDefinitions.pipelines, { id: 3, pipeline_id: 7 }, resolveConfig({ pipelines: ['Nordic Transactions', 'Lettings'] }), 'pipelines')).toEqual(['pipelines 7', 'pipelines name Lettings']);
	const table = resolveConfig({ stageTable: [...config.stageTable, { pipedriveStage: 'Signing', classification: 'active', teaserStage: '', reverseMatch: [] }] });
	expect(stageDefinitionMisses(stageDefinitions.stages, null, table, 'stages')).toEqual(['stages name Signing']);
});
