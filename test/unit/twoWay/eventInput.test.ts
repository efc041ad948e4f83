/**
 * Reading a Sync node input item as a side event: trigger envelopes of both sides and bare records
 * (a polled row next to trigger items) whose side their timestamps tell.
 */
import { MappingError } from '../../../nodes/shared/core/mapping/common';
import { bareRecordSide, readSideEvent } from '../../../nodes/shared/core/twoWay/eventInput';

const psContact = { id: '5001', firstName: 'Astrid', lastName: 'Lindqvist', createdUtc: '2026-01-01T10:00:00Z', updatedUtc: '2026-03-01T10:00:00Z', deletedUtc: null };
const pdPerson = { id: 1001, name: 'Astrid Lindqvist', add_time: '2026-01-01T10:00:00Z', update_time: '2026-03-01T10:00:00Z' };

describe('bareRecordSide', () => {
	it('tells a Propstreet record by its …Utc timestamps and a Pipedrive one by add_time / update_time', () => {
		expect(bareRecordSide(psContact)).toBe('propstreet');
		expect(bareRecordSide({ id: '9', updatedUtc: '2026-03-01T10:00:00Z' })).toBe('propstreet');
		expect(bareRecordSide(pdPerson)).toBe('pipedrive');
		expect(bareRecordSide({ id: 9, update_time: '2026-03-01 10:00:00' })).toBe('pipedrive');
	});

	it('does not guess when a record carries both kinds of timestamp, or neither', () => {
		expect(bareRecordSide({ ...psContact, update_time: '2026-03-01T10:00:00Z' })).toBeNull();
		expect(bareRecordSide({ id: '5001', firstName: 'Astrid' })).toBeNull();
	});
});

describe('readSideEvent (Record From: auto)', () => {
	it('reads the Poll Trigger item ({ event, data }) and the bare polled row the same way', () => {
		const enveloped = readSideEvent({ event: 'contact.updated', entity: 'contact', data: psContact, deleted: false }, 'contact', 'auto');
		const bare = readSideEvent(psContact, 'contact', 'auto');
		expect(enveloped).toEqual({ side: 'propstreet', action: 'change', record: psContact });
		expect(bare).toEqual({ side: 'propstreet', action: 'change', record: psContact });
	});

	it('a bare Propstreet row with deletedUtc is a delete; a bare Pipedrive record is a change on that side', () => {
		expect(readSideEvent({ ...psContact, deletedUtc: '2026-03-02T10:00:00Z' }, 'contact', 'auto')).toMatchObject({ side: 'propstreet', action: 'delete' });
		expect(readSideEvent(pdPerson, 'contact', 'auto')).toEqual({ side: 'pipedrive', action: 'change', record: pdPerson });
	});

	it('still reads the Pipedrive webhook envelope first', () => {
		const event = readSideEvent({ meta: { action: 'change', entity: 'person', entity_id: '1001' }, data: pdPerson, previous: { name: 'A' } }, 'contact', 'auto');
		expect(event).toMatchObject({ side: 'pipedrive', action: 'change', record: pdPerson });
	});

	it('an item whose side cannot be told fails naming the item and the Record From setting', () => {
		expect(() => readSideEvent({ id: '5001', firstName: 'Astrid' }, 'contact', 'auto')).toThrow(MappingError);
		expect(() => readSideEvent({ id: '5001', firstName: 'Astrid' }, 'contact', 'auto')).toThrow(/Record From/);
		expect(() => readSideEvent({ updatedUtc: '2026-03-01T10:00:00Z' }, 'contact', 'auto')).toThrow(/no id/);
	});

	it('an explicit side still wins over the timestamps', () => {
		expect(readSideEvent({ id: '77', name: 'x' }, 'contact', 'pipedrive')).toMatchObject({ side: 'pipedrive' });
	});
});
