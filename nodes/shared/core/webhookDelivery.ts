/**
 * Reading a verified Propstreet webhook delivery and shaping the item the triggers emit (the poll
 * trigger emits the same shape). Pure, so it is unit-tested.
 *
 * Envelope (undocumented by Propstreet; the project's choice, see ARCHITECTURE.md):
 * `{ type: "contact.updated", timestamp: ISO, data: { ...resource, changeType, changeOrigin },
 *    action?: { type: "removed" } }` — prospects carry `projectId` in `data`.
 */
import type { PollChange, PropstreetEntity } from './polling';
import { WEBHOOK_ENTITIES } from './webhookSubscriptions';

export const CHANGE_ORIGINS = ['api', 'mcp', 'system', 'ui'] as const;

export interface WebhookEnvelope {
	type: string;
	timestamp: string | null;
	data: Record<string, unknown>;
	action: Record<string, unknown> | null;
}

export type EnvelopeParse = { ok: true; envelope: WebhookEnvelope } | { ok: false; message: string };

function asRecord(value: unknown): Record<string, unknown> | null {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Parses the raw body (already signature-checked) into the envelope, or says what is wrong. */
export function parseEnvelope(rawBody: Buffer | string): EnvelopeParse {
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
	} catch {
		return { ok: false, message: 'The delivery body is not JSON' };
	}
	const body = asRecord(parsed);
	if (!body) return { ok: false, message: 'The delivery body is not a JSON object' };
	if (typeof body.type !== 'string' || !/^[a-z_]+\.[a-z_]+$/.test(body.type)) {
		return { ok: false, message: 'The delivery has no event "type" such as "contact.updated"' };
	}
	const data = asRecord(body.data);
	if (!data) return { ok: false, message: `The ${body.type} delivery has no "data" object` };
	return {
		ok: true,
		envelope: {
			type: body.type,
			timestamp: typeof body.timestamp === 'string' ? body.timestamp : null,
			data,
			action: asRecord(body.action),
		},
	};
}

export function entityOfEvent(eventType: string): PropstreetEntity | null {
	const entity = eventType.split('.')[0] as PropstreetEntity;
	return WEBHOOK_ENTITIES.includes(entity) ? entity : null;
}

export interface TriggerItem {
	[key: string]: unknown;
	event: string;
	entity: PropstreetEntity | null;
	entityId: string | null;
	occurredAt: string | null;
	changeOrigin: string | null;
	changeType: string | null;
	action: string | null;
	deliveryId: string | null;
	isTest: boolean;
	/** True when the event is a deletion or the record no longer exists. */
	deleted: boolean;
	/** True when `data` is the record as fetched just now rather than the delivered copy. */
	fetched: boolean;
	data: Record<string, unknown>;
}

function textOrNull(value: unknown): string | null {
	return value === undefined || value === null || value === '' ? null : String(value);
}

/** The item for one delivery, from the delivered data (the node may swap in a fresh copy). */
export function deliveryItem(envelope: WebhookEnvelope, deliveryId: string, isTest: boolean): TriggerItem {
	const entity = entityOfEvent(envelope.type);
	return {
		event: envelope.type,
		entity,
		entityId: textOrNull(envelope.data.id),
		occurredAt: envelope.timestamp,
		changeOrigin: textOrNull(envelope.data.changeOrigin),
		changeType: textOrNull(envelope.data.changeType),
		action: textOrNull(envelope.action?.type),
		deliveryId,
		isTest,
		deleted: envelope.type.endsWith('.deleted') || textOrNull(envelope.data.deletedUtc) !== null,
		fetched: false,
		data: envelope.data,
	};
}

/** The item for one polled change: the same shape as a webhook item, so workflows can share logic. */
export function polledItem(change: PollChange): TriggerItem {
	const record = change.record as Record<string, unknown>;
	const entity = entityOfEvent(change.event);
	return {
		event: change.event,
		entity,
		entityId: textOrNull(record.id),
		occurredAt: textOrNull(record.deletedUtc) ?? textOrNull(record.updatedUtc),
		changeOrigin: textOrNull(record.changeOrigin),
		changeType: textOrNull(record.changeType),
		action: null,
		deliveryId: null,
		isTest: false,
		deleted: change.kind === 'deleted',
		// A list row is the record as it is now, which is what "fetched" promises.
		fetched: true,
		data: record,
	};
}
