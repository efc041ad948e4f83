/**
 * Reads one trigger item as a side event: the Pipedrive Trigger's Webhooks v2 body
 * (`{ meta, data, previous }`), the Propstreet Trigger's item (`{ event, entity, data, deleted }`),
 * or a bare record (a polled row or an API answer) of the side the caller names or its timestamps tell.
 */
import type { Side } from '../merge/policy';
import { idOf, isRecord, MappingError, text, type JsonRecord } from '../mapping/common';
import type { SideEvent } from './event';

/** The entity names each side uses for a sync entity. */
export const EVENT_ENTITIES: Record<string, Record<Side, string>> = {
	contact: { pipedrive: 'person', propstreet: 'contact' },
	company: { pipedrive: 'organization', propstreet: 'company' },
	project: { pipedrive: 'deal', propstreet: 'project' },
	note: { pipedrive: 'note', propstreet: 'note' },
};

function pipedriveEvent(item: JsonRecord, label: string): SideEvent {
	const meta = item.meta as JsonRecord;
	const raw = text(meta.action);
	const action = raw === 'create' || raw === 'added' ? 'create' : raw === 'delete' || raw === 'deleted' ? 'delete' : 'change';
	const data = isRecord(item.data) ? item.data : null;
	const previous = isRecord(item.previous) ? item.previous : null;
	const record = action === 'delete' ? (previous ?? data) : data;
	if (!record) throw new MappingError('data', `the ${action} event carries no ${action === 'delete' ? 'previous values' : 'data'}`, label);
	// A delete's `previous` may lack the id; the envelope always names it.
	const withId = idOf(record.id) ? record : { ...record, id: meta.entity_id };
	return { side: 'pipedrive', action, record: withId, mergedToId: text(meta.merged_to_id), mergedFromId: text(meta.merged_from_id), previous: action === 'change' ? previous : null };
}

function propstreetEvent(item: JsonRecord, label: string): SideEvent {
	const data = item.data;
	if (!isRecord(data)) throw new MappingError('data', 'the Propstreet event carries no record', label);
	const event = text(item.event) ?? '';
	const action = item.deleted === true || event.endsWith('.deleted') ? 'delete' : event.endsWith('.created') ? 'create' : 'change';
	return { side: 'propstreet', action, record: data };
}

/**
 * The side a bare record (no trigger envelope) comes from, told by the timestamps each API writes:
 * Propstreet names them `createdUtc` / `updatedUtc` / `deletedUtc`, Pipedrive `add_time` /
 * `update_time`. A record carrying both kinds, or neither, is not guessed at (null).
 */
export function bareRecordSide(record: JsonRecord): Side | null {
	const propstreet = ['createdUtc', 'updatedUtc', 'deletedUtc'].some((key) => key in record);
	const pipedrive = ['add_time', 'update_time'].some((key) => key in record);
	if (propstreet === pipedrive) return null;
	return propstreet ? 'propstreet' : 'pipedrive';
}

/** The item's side and entity must match what the node syncs; a mismatch names both. */
function checkEntity(found: string | null, expected: string, label: string): void {
	if (found && found !== expected) throw new MappingError('entity', `expected a ${expected} event but got "${found}"`, label);
}

export function readSideEvent(item: unknown, entity: string, sideHint: Side | 'auto'): SideEvent {
	const label = `input item (${entity})`;
	if (!isRecord(item)) throw new MappingError('item', 'the item is not an object', label);
	const names = EVENT_ENTITIES[entity];
	if (isRecord(item.meta) && ('data' in item || 'previous' in item) && sideHint !== 'propstreet') {
		checkEntity(text(item.meta.entity) ?? text(item.meta.object), names.pipedrive, label);
		return pipedriveEvent(item, label);
	}
	if (typeof item.event === 'string' && 'data' in item && sideHint !== 'pipedrive') {
		checkEntity(text(item.entity), names.propstreet, label);
		return propstreetEvent(item, label);
	}
	// A bare record (a polled row, a list or API answer) next to trigger items: its timestamps say its side.
	const side = sideHint === 'auto' ? bareRecordSide(item) : sideHint;
	if (!side) {
		throw new MappingError('item', 'neither a Pipedrive webhook ({ meta, data }), a Propstreet trigger item ({ event, data }), nor a bare record whose timestamps name its side (updatedUtc: Propstreet, update_time: Pipedrive); set "Record From" to say which side it comes from', label);
	}
	if (!idOf(item.id)) throw new MappingError('id', 'the record has no id', label);
	return { side, action: side === 'propstreet' && item.deletedUtc ? 'delete' : 'change', record: item };
}
