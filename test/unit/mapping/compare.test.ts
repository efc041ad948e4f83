/** The canonical comparison every change check uses (mapping/compare.ts). */
import { resolveConflicts, sameValue as conflictSameValue } from '../../../nodes/shared/core/conflict';
import { canonicalBody, canonicalPhone, canonicalValue, kindForPath, sameValue, type CompareKind } from '../../../nodes/shared/core/mapping/compare';

describe('sameValue: equal in canonical form', () => {
	it.each<[string, CompareKind, unknown, unknown]>([
		// phones: Propstreet stores E.164, Pipedrive keeps what was typed
		['spaced vs E.164', 'phone', '+46 70 123 45 67', '+46701234567'],
		['dashes, dots and brackets', 'phone', '+47 (55) 12-34.56', '+4755123456'],
		['00 prefix', 'phone', '0046 70 123 45 67', '+46701234567'],
		['(0) trunk prefix after the country code', 'phone', '+46 (0)70 123 45 67', '+46701234567'],
		['national numbers in two formats', 'phone', '070-123 45 67', '070 123 45 67'],
		['empty phone vs null', 'phone', '  ', null],
		// e-mails and domains: case-insensitive, trimmed
		['e-mail case', 'email', 'Astrid.Oberg@Nordhav.example.SE ', 'astrid.oberg@nordhav.example.se'],
		['domain case', 'domain', 'Nordhav.example.se', 'nordhav.example.se'],
		['country code case', 'code', 'se', 'SE'],
		// tags: a case-insensitive set
		['tag order', 'tags', ['vip', 'investor'], ['investor', 'vip']],
		['tag case and spacing', 'tags', ['VIP', 'Debt  Provider'], ['debt provider', 'vip']],
		['duplicate tags', 'tags', ['vip', 'VIP'], ['vip']],
		['no tags vs null', 'tags', [], null],
		// label ids: a set of ids, numbers or text
		['label id order and type', 'idSet', [4, 1], ['1', '4']],
		['label objects', 'idSet', [{ id: 1 }, { id: 4 }], [4, 1]],
		// external refs: a set keyed by lower-cased namespace + id
		['ref order', 'externalRefs', [{ namespace: 'pipedrive', id: '1001' }, { namespace: 'salesforce', id: '003X' }], [{ namespace: 'salesforce', id: '003X' }, { namespace: 'pipedrive', id: '1001' }]],
		['ref namespace case and numeric id', 'externalRefs', [{ namespace: 'Pipedrive', id: 1001 }], [{ namespace: 'pipedrive', id: '1001' }]],
		['no refs vs missing', 'externalRefs', [], undefined],
		// Pipedrive e-mail / phone lists: the primary value plus the set of values
		['list order of the non-primary entries', 'emailList', [{ value: 'a@x.se', primary: true }, { value: 'b@x.se' }, { value: 'c@x.se' }], [{ value: 'A@x.se', primary: true }, { value: 'c@x.se' }, { value: 'b@x.se' }]],
		['phone list formats', 'phoneList', [{ value: '+46 70 123 45 67', primary: true, label: 'mobile' }], [{ value: '+46701234567', primary: true, label: 'work' }]],
		['first entry is primary when none is flagged', 'emailList', [{ value: 'a@x.se' }, { value: 'b@x.se' }], [{ value: 'a@x.se', primary: true }, { value: 'b@x.se', primary: false }]],
		['Propstreet list shape', 'phoneList', [{ number: '+4670123', isPrimary: true }], [{ value: '+46 70 123', primary: true }]],
		// connections: a set keyed by company id
		['connection order', 'connections', [{ company: { kind: 'existing', id: '6001' }, jobTitle: 'CFO', primary: true }, { company: { kind: 'existing', id: '6009' }, jobTitle: null, primary: false }], [{ company: { id: '6009' }, primary: false }, { company: { id: '6001' }, jobTitle: 'CFO ', primary: true }]],
		// generic: trimmed, null = '' = missing, numbers vs numeric text, empty members dropped
		['trimmed text', 'generic', ' Kista Office ', 'Kista Office'],
		['null vs empty string', 'generic', null, ''],
		['empty string vs missing', 'generic', '', undefined],
		['number vs numeric text', 'generic', 5, '5'],
		['object with an empty member', 'generic', { type: 'single', propertyCount: null }, { type: 'single' }],
		['primitive array as a set', 'generic', ['b', 'a', 'a'], ['a', 'b']],
	])('%s', (_case, kind, a, b) => {
		expect(sameValue(a, b, kind)).toBe(true);
		expect(sameValue(b, a, kind)).toBe(true);
	});
});

describe('sameValue: real differences stay different', () => {
	it.each<[string, CompareKind, unknown, unknown]>([
		['another phone number', 'phone', '+46 70 123 45 67', '+46701234568'],
		['national vs international (country unknown)', 'phone', '070 123 45 67', '+46701234567'],
		['another e-mail', 'email', 'a@x.se', 'b@x.se'],
		['a tag more', 'tags', ['investor'], ['investor', 'vip']],
		['another ref id', 'externalRefs', [{ namespace: 'pipedrive', id: '1001' }], [{ namespace: 'pipedrive', id: '1002' }]],
		['another primary in a list', 'emailList', [{ value: 'a@x.se', primary: true }, { value: 'b@x.se' }], [{ value: 'b@x.se', primary: true }, { value: 'a@x.se' }]],
		['a list value more', 'phoneList', [{ value: '+4670', primary: true }], [{ value: '+4670', primary: true }, { value: '+4671' }]],
		['connection job title', 'connections', [{ company: { id: '6001' }, jobTitle: 'CFO', primary: true }], [{ company: { id: '6001' }, jobTitle: 'CEO', primary: true }]],
		['connection primary flag', 'connections', [{ company: { id: '6001' }, primary: true }], [{ company: { id: '6001' }, primary: false }]],
		['name case is a real edit', 'generic', 'Kista office', 'Kista Office'],
		['value vs cleared', 'generic', 'x', null],
		['object member', 'generic', { type: 'portfolio', propertyCount: 3 }, { type: 'portfolio', propertyCount: 4 }],
	])('%s', (_case, kind, a, b) => {
		expect(sameValue(a, b, kind)).toBe(false);
	});
});

describe('kinds by path name', () => {
	it.each([
		['email', 'email'],
		['emails', 'emailList'],
		['phone', 'phone'],
		['phones', 'phoneList'],
		['tags', 'tags'],
		['label_ids', 'idSet'],
		['externalRefs', 'externalRefs'],
		['connections', 'connections'],
		['domain', 'domain'],
		['countryCode', 'code'],
		['name', 'generic'],
		['custom_fields.abc', 'generic'],
	])('%s → %s', (path, kind) => {
		expect(kindForPath(path)).toBe(kind);
	});

	it('canonical phone keeps unparseable text as lower-cased text', () => {
		expect(canonicalPhone('+46 70 123 45 67 ext. 12')).toBe('+46 70 123 45 67 ext. 12');
		expect(canonicalPhone(4670123)).toBe('4670123');
		expect(canonicalValue(['VIP', 'vip', ''], 'tags')).toEqual(['vip']);
	});

	it('canonical body follows custom_fields one level and drops empty members', () => {
		expect(canonicalBody({ name: ' A ', phone: '+46 70 1', tags: ['B', 'a'], custom_fields: { k: '', d: 'X.se' }, strategy: null }, { 'custom_fields.d': 'domain' })).toEqual({
			name: 'A',
			phone: '+46701',
			tags: ['a', 'b'],
			custom_fields: { d: 'x.se' },
		});
		expect(canonicalBody({ strategy: '' })).toBeNull();
	});
});

describe('conflict rules use the same comparison', () => {
	const base = {
		sourceSystem: 'pipedrive' as const,
		sourceUpdatedAt: '2026-03-01T00:00:00Z',
		targetUpdatedAt: '2026-03-02T00:00:00Z',
		strategy: 'manualReview' as const,
	};

	it('a reformatted phone, reordered refs and tags are neither changed nor a conflict', () => {
		const out = resolveConflicts({
			...base,
			body: { phone: '+46 70 123 45 67', tags: ['vip', 'investor'], externalRefs: [{ namespace: 'pipedrive', id: '1' }, { namespace: 'x', id: '2' }], email: 'A@B.se' },
			fieldPaths: { phone: 'contact.phone', tags: 'contact.labels', externalRefs: 'contact.pipedriveId', email: 'contact.email' },
			current: { phone: '+46701234567', tags: ['investor', 'vip'], externalRefs: [{ namespace: 'X', id: '2' }, { namespace: 'pipedrive', id: '1' }], email: 'a@b.se' },
		});
		expect(out).toMatchObject({ changedFields: [], conflicts: [], needsReview: false, unchanged: true, patch: {} });
	});

	it('explicit kinds apply to custom-field paths', () => {
		const input = {
			...base,
			strategy: 'lastWriteWins' as const,
			body: { custom_fields: { d: 'Nordhav.example.se' } },
			fieldPaths: { 'custom_fields.d': 'company.domain' },
			current: { custom_fields: { d: 'nordhav.example.se' } },
		};
		expect(resolveConflicts(input).unchanged).toBe(false);
		expect(resolveConflicts({ ...input, kinds: { 'custom_fields.d': 'domain' } })).toMatchObject({ unchanged: true, patch: {} });
	});

	it('conflict.ts keeps its generic sameValue for older callers', () => {
		expect(conflictSameValue(3, '3')).toBe(true);
		expect(conflictSameValue('+46 70', '+4670', 'phone')).toBe(true);
	});
});
