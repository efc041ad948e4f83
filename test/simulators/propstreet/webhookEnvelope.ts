/**
 * The webhook payload envelope and Standard Webhooks signing — kept in this one file because the
 * envelope is undocumented (ARCHITECTURE.md "API decisions"): body `{type, timestamp, data, action?}`
 * with the full resource in `data`; headers `webhook-id`, `webhook-timestamp` (Unix seconds),
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`).
 */
import { createHmac, randomBytes } from 'crypto';

export function buildEnvelope(type: string, timestampIso: string, data: Record<string, unknown>, action?: { type: string }): Record<string, unknown> {
	const envelope: Record<string, unknown> = { type, timestamp: timestampIso, data };
	if (action) envelope.action = action;
	return envelope;
}

export function newWebhookSecret(): string {
	return `whsec_${randomBytes(24).toString('base64')}`;
}

export function newMessageId(): string {
	return `msg_${randomBytes(12).toString('hex')}`;
}

/** Signs `id.timestamp.body` with the base64-decoded key after `whsec_`. */
export function signWebhook(secret: string, msgId: string, timestampSec: number, body: string): string {
	const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
	const digest = createHmac('sha256', key).update(`${msgId}.${timestampSec}.${body}`).digest('base64');
	return `v1,${digest}`;
}

export function deliveryHeaders(secret: string, msgId: string, timestampSec: number, body: string, test = false): Record<string, string> {
	const headers: Record<string, string> = {
		'Content-Type': 'application/json',
		'User-Agent': 'Propstreet-Webhooks-Simulator/1.0',
		'webhook-id': msgId,
		'webhook-timestamp': String(timestampSec),
		'webhook-signature': signWebhook(secret, msgId, timestampSec, body),
	};
	if (test) headers['X-Propstreet-Test'] = 'true';
	return headers;
}
