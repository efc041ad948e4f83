import { check, fieldPath } from '../../../nodes/shared/core/schemas/check';
import { mapperLookups } from '../../../nodes/shared/core/schemas/mapper';
import { pipedriveWebhookV2 } from '../../../nodes/shared/core/schemas/pipedrive';
import { propstreetEnvelope, propstreetRecord } from '../../../nodes/shared/core/schemas/propstreet';

const fail = (result: ReturnType<typeof check>) => (result.ok ? 'ok' : result.message);

describe('boundary schemas', () => {
	it('formats field paths like the code that reads them', () => {
		expect(fieldPath(['data', 'emails', 0, 'value'])).toBe('data.emails[0].value');
		expect(fieldPath([3, 'id'], 'participants')).toBe('participants[3].id');
		expect(fieldPath([])).toBe('(value)');
	});

	it('Propstreet envelope: missing, wrong type and extra nesting, with the record', () => {
		const ok = { type: 'contact.updated', timestamp: 'x', data: { id: 'c1', anything: { deep: [1] } }, extra: true };
		expect(check(propstreetEnvelope, ok).ok).toBe(true);
		expect(fail(check(propstreetEnvelope, { type: 'contact.updated' }, 'delivery msg_1'))).toBe('delivery msg_1: data is missing');
		expect(fail(check(propstreetEnvelope, { ...ok, timestamp: 5 }))).toBe('timestamp must be string, not number');
		expect(fail(check(propstreetEnvelope, { ...ok, data: { id: ['c1'] } }))).toBe('data.id must be number or string, not array');
		expect(fail(check(propstreetEnvelope, { ...ok, data: { id: 'c1', projectId: 'a/b' } }))).toMatch(/^data\.projectId is not a Propstreet id/);
		expect(fail(check(propstreetEnvelope, { ...ok, data: { id: 'c1', externalRefs: [{ namespace: 'pipedrive', id: { v: 1 } }] } }))).toBe(
			'data.externalRefs[0].id must be string or number, not object',
		);
	});

	it('Pipedrive Webhooks v2: meta, data and previous', () => {
		const ok = { meta: { action: 'change', entity: 'deal', id: 'e1', version: '2.0', timestamp: 1700000000, new_field: 1 }, data: { id: 9, title: 'x' }, previous: { status: 'open' } };
		expect(check(pipedriveWebhookV2, ok).ok).toBe(true);
		expect(check(pipedriveWebhookV2, { ...ok, meta: { ...ok.meta, action: 'delete' }, data: null, previous: { id: 9 } }).ok).toBe(true);
		expect(fail(check(pipedriveWebhookV2, { ...ok, meta: { ...ok.meta, entity: undefined } }))).toBe('meta.entity is missing');
		expect(fail(check(pipedriveWebhookV2, { ...ok, previous: 'open' }))).toBe('previous must be object, not string');
		expect(fail(check(pipedriveWebhookV2, { ...ok, data: { id: 9, person_id: { value: { value: 3 } } } }))).toMatch(/^data\.person_id/);
		expect(fail(check(pipedriveWebhookV2, { ...ok, meta: { ...ok.meta, merged_to_id: '1/..' } }))).toMatch(/^meta\.merged_to_id is not a Pipedrive id/);
		// Leads carry UUIDs: their ids are not Pipedrive numbers, and the schema does not pretend they are.
		expect(check(pipedriveWebhookV2, { ...ok, meta: { ...ok.meta, entity: 'lead' }, data: { id: 'a1b2-c3' } }).ok).toBe(true);
	});

	it('Mapper lookups: ids of each system, id maps by key and value', () => {
		expect(check(mapperLookups, { pipedriveOrgId: 5, propstreetContactId: 'c_5', contactIdMap: { '5': 'c_5', '6': '' } }).ok).toBe(true);
		expect(fail(check(mapperLookups, { contactIdMap: { __proto__x: 'c1' } }, undefined, 'lookups'))).toBe('lookups.contactIdMap.__proto__x is not a Pipedrive id (a positive whole number)');
		expect(fail(check(mapperLookups, { companyIdMap: ['c1'] }, undefined, 'lookups'))).toBe('lookups.companyIdMap must be object, not array');
	});

	it('a Propstreet record answer must carry its id', () => {
		expect(check(propstreetRecord, { id: '1', x: 1 }).ok).toBe(true);
		expect(fail(check(propstreetRecord, { name: 'x' }, 'answer'))).toBe('answer: id is missing');
		expect(fail(check(propstreetRecord, [{ id: '1' }]))).toBe('(value) must be object, not array');
	});
});
