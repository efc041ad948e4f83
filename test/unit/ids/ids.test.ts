import { emptyContext, mapRecord, MappingError, resolveConfig } from '../../../nodes/shared/core/mapping';
import { InvalidIdError, invertIdMap, isValidId, optionalId, ownValue, requireId, validId } from '../../../nodes/shared/core/ids';

describe('id validators', () => {
	it.each([1, 42, '42', ' 1009 ', '123456789012345'])('accepts the Pipedrive id %p', (value) => {
		expect(validId(value, 'pipedrive')).toBe(String(value).trim());
	});

	it.each(['1/../../deals/9', '0', '007', '-1', '1.5', 1.5, -3, '1e3', 'constructor', '', '1234567890123456', 'abc', {}, [], null, true])(
		'refuses the Pipedrive id %p',
		(value) => {
			expect(isValidId(value, 'pipedrive')).toBe(false);
		},
	);

	it.each(['789', 'bot-abc123', 'oauth_client_xyz789', 'wh_12', 'a'.repeat(64)])('accepts the Propstreet id %p', (value) => {
		expect(validId(value, 'propstreet')).toBe(value);
	});

	it.each(['../projects/9', 'a/b', 'a b', 'a%2Fb', '..', 'å', 'a'.repeat(65), '', 'x?y', 'x#y'])('refuses the Propstreet id %p', (value) => {
		expect(isValidId(value, 'propstreet')).toBe(false);
	});

	it('accepts free-text external ids but not dot segments or control characters', () => {
		expect(isValidId('5560001234', 'externalRef')).toBe(true);
		expect(isValidId('Kund 42/ä', 'externalRef')).toBe(true);
		for (const bad of ['.', '..', 'a\nb', '', 'x'.repeat(256)]) expect(isValidId(bad, 'externalRef')).toBe(false);
	});

	it('names the field and the record in the error', () => {
		let caught: unknown;
		try {
			requireId('1/../../deals/9', 'pipedrive', 'match.pipedriveId', 'Propstreet contact c1');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InvalidIdError);
		expect((caught as InvalidIdError).field).toBe('match.pipedriveId');
		expect((caught as Error).message).toContain('Propstreet contact c1: match.pipedriveId "1/../../deals/9" is not a valid id');
	});

	it('lets absent optional ids through', () => {
		expect(optionalId(undefined, 'propstreet', 'f', 'r')).toBeUndefined();
		expect(optionalId('  ', 'propstreet', 'f', 'r')).toBeUndefined();
		expect(() => optionalId('a/b', 'propstreet', 'f', 'r')).toThrow(InvalidIdError);
	});

	it('reads id maps by own keys only', () => {
		const map = { '1': 'c1' };
		expect(ownValue(map, 'constructor')).toBeUndefined();
		expect(ownValue(map, '__proto__')).toBeUndefined();
		expect(ownValue(map, '1')).toBe('c1');
		const inverted = invertIdMap(map);
		expect(inverted.get('constructor')).toBeUndefined();
		expect(inverted.get('c1')).toBe('1');
	});
});

describe('mapper output ids', () => {
	const config = resolveConfig({});

	it('refuses a pipedrive external ref that would walk the URL', () => {
		const contact = { id: 'c1', firstName: 'Anna', externalRefs: [{ namespace: 'pipedrive', id: '1/../../deals/9' }] };
		expect(() => mapRecord(contact, 'contact', 'toPipedrive', config, emptyContext())).toThrow(MappingError);
		expect(() => mapRecord(contact, 'contact', 'toPipedrive', config, emptyContext())).toThrow(/Propstreet contact c1: match\.pipedriveId: "1\/\.\.\/\.\.\/deals\/9" is not a Pipedrive id/);
	});

	it('never resolves an id through Object.prototype', () => {
		const contact = { id: 'constructor', firstName: 'Anna', externalRefs: [] };
		const item = mapRecord(contact, 'contact', 'toPipedrive', config, emptyContext({ lookups: { contactIdMap: { '5': 'c5' } } }));
		expect(item.match.pipedriveId).toBeUndefined();
		const person = { id: 7, name: 'Anna Berg', org_id: 'constructor' };
		expect(() => mapRecord(person, 'contact', 'toPropstreet', config, emptyContext({ lookups: { companyIdMap: {} } }))).toThrow(/Pipedrive person 7: org_id: is not a Pipedrive id/);
		// An id that only a lookup supplies is caught on the way out.
		const lookedUp = () => mapRecord({ id: 7, name: 'Anna Berg' }, 'contact', 'toPropstreet', config, emptyContext({ lookups: { propstreetContactId: 'a/b' } }));
		expect(lookedUp).toThrow(/Pipedrive person 7: match\.propstreetId: "a\/b" is not a Propstreet id/);
	});

	it('refuses a Propstreet record id that is not an id', () => {
		const contact = { id: '../companies/9', firstName: 'Anna' };
		expect(() => mapRecord(contact, 'contact', 'toPipedrive', config, emptyContext())).toThrow(/Propstreet contact \.\.\/companies\/9: id: is not a Propstreet id/);
	});
});
