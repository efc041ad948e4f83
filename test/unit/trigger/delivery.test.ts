import { collectionPath, recordPath } from '../../../nodes/shared/core/propstreetPaths';
import { deliveryItem, entityOfEvent, parseEnvelope } from '../../../nodes/shared/core/webhookDelivery';

describe('delivery envelope', () => {
	it('parses the envelope and rejects what is not one', () => {
		const ok = parseEnvelope(Buffer.from('{"type":"link.deleted","timestamp":"t","data":{"id":"1"}}'));
		expect(ok).toEqual({ ok: true, envelope: { type: 'link.deleted', timestamp: 't', data: { id: '1' }, action: null } });
		expect(parseEnvelope('[]').ok).toBe(false);
		expect(parseEnvelope('{"type":"x","data":{}}').ok).toBe(false);
		expect(parseEnvelope('{"type":"contact.updated"}').ok).toBe(false);
		expect(parseEnvelope('{').ok).toBe(false);
	});

	it('knows the record path of every entity, prospects under their project', () => {
		expect(recordPath('contact', { id: 'c_1-x' })).toBe('/api/v1/network/contacts/c_1-x');
		expect(() => recordPath('contact', { id: 'a b' })).toThrow(/Propstreet contact: data\.id "a b" is not a valid id/);
		expect(() => recordPath('prospect', { id: 4, projectId: '../9' })).toThrow(/Propstreet prospect 4: data\.projectId/);
		expect(recordPath('company', { id: 1 })).toBe('/api/v1/network/companies/1');
		expect(recordPath('link', { id: 2 })).toBe('/api/v1/network/links/2');
		expect(recordPath('project', { id: 3 })).toBe('/api/v1/projects/3');
		expect(recordPath('prospect', { id: 4, projectId: 9 })).toBe('/api/v1/projects/9/prospects/4');
		expect(recordPath('prospect', { id: 4 })).toBeNull();
		expect(recordPath('contact', {})).toBeNull();
		expect(entityOfEvent('teaser.updated')).toBeNull();
	});

	it('marks deletions from the event name or deletedUtc', () => {
		const base = { timestamp: null, action: null };
		expect(deliveryItem({ ...base, type: 'company.deleted', data: { id: '1' } }, 'm', false).deleted).toBe(true);
		expect(deliveryItem({ ...base, type: 'company.updated', data: { id: '1', deletedUtc: 'x' } }, 'm', false).deleted).toBe(true);
		expect(deliveryItem({ ...base, type: 'company.updated', data: { id: '1' } }, 'm', false).deleted).toBe(false);
	});
});

describe('collectionPath', () => {
	it('gives the list path of every entity, prospects only with a project', () => {
		expect(collectionPath('contact')).toBe('/api/v1/network/contacts');
		expect(collectionPath('company')).toBe('/api/v1/network/companies');
		expect(collectionPath('link')).toBe('/api/v1/network/links');
		expect(collectionPath('project')).toBe('/api/v1/projects');
		expect(collectionPath('prospect', 'p1')).toBe('/api/v1/projects/p1/prospects');
		expect(() => collectionPath('prospect', '1/../../contacts')).toThrow(/projectId "1\/\.\.\/\.\.\/contacts" is not a valid id/);
		expect(collectionPath('prospect', '')).toBeNull();
		expect(collectionPath('prospect')).toBeNull();
	});
});
