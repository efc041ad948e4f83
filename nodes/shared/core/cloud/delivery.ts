/**
 * The Cloud edition's check of one Propstreet delivery: the Webhook node's headers and raw body,
 * the `whsec_` secret the setup stored, and the clock → accept (with the parsed event) or refuse
 * with the HTTP status to answer. The check itself is `verifyWebhook`, the one the Propstreet
 * Trigger runs; only the missing-secret and body-parsing answers are added here.
 */
import { isRecord } from '../mapping/common';
import { deliveryItem, parseEnvelope, type TriggerItem } from '../webhookDelivery';
import { readHeader, verifyWebhook } from '../webhookSignature';

export interface DeliveryInput {
	headers: unknown;
	/** The body exactly as received: bytes (also as JSON-serialised `{ type: 'Buffer', data }`), or the Webhook node's base64 text of them. */
	rawBody: unknown;
	/** How `rawBody` is given when it is text. */
	rawBodyEncoding?: 'base64' | 'utf8';
	/** The subscription secret (`whsec_…`); empty when the setup has not run. */
	secret: unknown;
	nowMs: number;
	toleranceSeconds?: unknown;
}

export type DeliveryCheck =
	/** `event`: the item the Propstreet Trigger would emit for it (the same `deliveryItem`). */
	| { valid: true; status: 200; event: TriggerItem }
	| { valid: false; status: 400 | 401; reason: string; message: string };

function bytesOf(input: DeliveryInput): Buffer {
	const raw = input.rawBody;
	if (typeof raw === 'string') return Buffer.from(raw, input.rawBodyEncoding === 'utf8' ? 'utf8' : 'base64');
	// ArrayBuffer.isView, not instanceof: the runner's Buffer comes from another realm than the Code node's sandbox.
	if (ArrayBuffer.isView(raw)) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
	// A buffer that crossed the task runner's message channel arrives as its JSON form.
	if (isRecord(raw) && raw.type === 'Buffer' && Array.isArray(raw.data)) return Buffer.from(raw.data as number[]);
	return Buffer.alloc(0);
}

export function checkDelivery(input: DeliveryInput): DeliveryCheck {
	const headers = isRecord(input.headers) ? input.headers : {};
	const secret = typeof input.secret === 'string' ? input.secret : '';
	if (!secret) {
		return { valid: false, status: 401, reason: 'no_secret', message: 'No webhook secret is stored yet: run the Cloud setup workflow (action "create") first' };
	}
	const body = bytesOf(input);
	const check = verifyWebhook(
		{ id: readHeader(headers, 'webhook-id'), timestamp: readHeader(headers, 'webhook-timestamp'), signature: readHeader(headers, 'webhook-signature'), body },
		{ secret, nowMs: input.nowMs, toleranceSeconds: input.toleranceSeconds },
	);
	if (!check.valid) return { valid: false, status: 401, reason: check.reason, message: check.message };
	const parsed = parseEnvelope(body);
	if (!parsed.ok) return { valid: false, status: 400, reason: 'invalid_body', message: parsed.message };
	const isTest = (readHeader(headers, 'x-propstreet-test') ?? '').toLowerCase() === 'true';
	return { valid: true, status: 200, event: deliveryItem(parsed.envelope, check.id, isTest) };
}
