import { diffRecord, fieldEquals, mergeConnections, mergeExternalRefs, phonesEqual } from '../../../nodes/shared/core/sync';
import { domainOf } from '../../../nodes/shared/core/domain';

const current = {
	id: '789',
	etag: 'W/"1"',
	firstName: 'Anna',
	lastName: 'Lindqvist',
	email: 'Anna.Lindqvist@Example.se',
	phone: '+46701234567',
	tags: ['investor', 'vip'],
	strategy: 'Office in Stockholm',
	externalRefs: [{ namespace: 'salesforce', id: '003' }],
	companies: [{ id: '55', name: 'Acme AB', jobTitle: 'CFO', isPrimary: true }],
	updatedUtc: '2026-05-01T00:00:00Z',
};

describe('diffRecord', () => {
	it('is empty when only normalised forms differ', () => {
		const d = diffRecord(current, {
			firstName: ' Anna ',
			email: 'anna.lindqvist@example.se',
			phone: '070-123 45 67',
			tags: ['VIP', 'investor'],
			externalRefs: [{ namespace: 'SalesForce', id: '003' }],
			connections: [{ company: { kind: 'existing', id: '55' }, jobTitle: 'CFO', primary: true }],
		});
		expect(d.changes).toEqual([]);
		expect(d.patch).toEqual({});
	});

	it('sends only the fields that change, and ignores fields the source leaves out', () => {
		const d = diffRecord(current, { firstName: 'Anna', strategy: 'Logistics in Gothenburg', phone: null, id: 'ignored', updatedUtc: 'x' });
		expect(d.patch).toEqual({ strategy: 'Logistics in Gothenburg', phone: null });
		expect(d.changes.map((c) => c.field)).toEqual(['strategy', 'phone']);
		expect(d.changes[0]).toEqual({ field: 'strategy', from: 'Office in Stockholm', to: 'Logistics in Gothenburg' });
	});

	it('merges external refs (PATCH replaces the list, so existing refs are sent back)', () => {
		const d = diffRecord(current, { externalRefs: [{ namespace: 'pipedrive', id: '42' }] });
		expect(d.patch.externalRefs).toEqual([
			{ namespace: 'salesforce', id: '003' },
			{ namespace: 'pipedrive', id: '42' },
		]);
		expect(mergeExternalRefs([{ namespace: 'pipedrive', id: '1' }], [{ namespace: 'PIPEDRIVE', id: '2' }])).toEqual([{ namespace: 'pipedrive', id: '2' }]);
		expect(mergeExternalRefs([{ namespace: 'pipedrive', id: '1' }], [{ namespace: 'pipedrive', id: '1' }])).toBeUndefined();
	});

	it('merges company connections and keeps one primary', () => {
		const merged = mergeConnections(current, [{ company: { kind: 'existing', id: '77' }, jobTitle: 'Partner', primary: true }]);
		expect(merged).toEqual([
			{ company: { kind: 'existing', id: '55' }, jobTitle: 'CFO', primary: false },
			{ company: { kind: 'existing', id: '77' }, jobTitle: 'Partner', primary: true },
		]);
		const retitled = mergeConnections(current, [{ company: { kind: 'existing', id: '55' }, jobTitle: 'CEO' }]);
		expect(retitled).toEqual([{ company: { kind: 'existing', id: '55' }, jobTitle: 'CEO', primary: true }]);
	});

	it('normalises domains and phone numbers', () => {
		expect(domainOf('https://www.Example.se/about?x=1')).toBe('example.se');
		expect(domainOf('EXAMPLE.se.')).toBe('example.se');
		expect(domainOf('  ')).toBeNull();
		// Sync compares domain fields through the same normaliser; text that is no domain compares as text.
		expect(fieldEquals('domain', 'https://www.Example.se/', 'example.se')).toBe(true);
		expect(fieldEquals('domain', 'n/a', 'N/A ')).toBe(true);
		expect(fieldEquals('domain', 'n/a', '-')).toBe(false);
		expect(phonesEqual('+46 70 123 45 67', '0701234567')).toBe(true);
		expect(phonesEqual('+4670123456', '+4670123457')).toBe(false);
		expect(phonesEqual(null, '')).toBe(true);
		expect(phonesEqual('123', '0123')).toBe(false);
	});
});
