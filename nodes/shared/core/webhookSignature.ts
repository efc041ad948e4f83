/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), as Propstreet uses them.
 *
 * Signed content: `${webhook-id}.${webhook-timestamp}.${raw body bytes}`, HMAC-SHA256 with the
 * key that is the base64 text after `whsec_` in the subscription secret. The `webhook-signature`
 * header holds one or more space-separated `v1,<base64>` entries (several during a secret
 * rotation); one match is enough. The timestamp is Unix seconds and must lie within a tolerance
 * of our clock in both directions, which stops old deliveries from being replayed.
 *
 * Pure: no n8n imports, so it is unit-tested directly and usable by the simulator to sign.
 */
import { createHmac, timingSafeEqual } from 'crypto';
import { clampInteger, type IntegerRange } from './clamp';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Five minutes, the Standard Webhooks recommendation (Propstreet documents no value). */
export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;
/** The tolerance is held to 10 s – 1 h: tighter rejects honest clock drift, wider lets replays through. */
export const TIMESTAMP_TOLERANCE_RANGE: Readonly<IntegerRange> = { min: 10, max: 3600, fallback: DEFAULT_TIMESTAMP_TOLERANCE_SECONDS };

export type SignatureFailureReason =
	| 'missing_id'
	| 'missing_timestamp'
	| 'missing_signature'
	| 'invalid_timestamp'
	| 'timestamp_too_old'
	| 'timestamp_too_new'
	| 'invalid_secret'
	| 'no_matching_signature';

export type SignatureCheck =
	| { valid: true; id: string; timestamp: number }
	| { valid: false; reason: SignatureFailureReason; message: string };

export interface SignedDelivery {
	/** `webhook-id` header */
	id?: string | null;
	/** `webhook-timestamp` header: Unix seconds as text */
	timestamp?: string | null;
	/** `webhook-signature` header */
	signature?: string | null;
	/** The request body exactly as received. A string is taken as UTF-8. */
	body: Buffer | string;
}

export interface VerifyOptions {
	/** The subscription secret, `whsec_<base64 key>`. */
	secret: string;
	/** Allowed distance between the timestamp and now, both directions. Default 300. */
	/** Seconds either way; held to TIMESTAMP_TOLERANCE_RANGE whatever is passed. */
	toleranceSeconds?: unknown;
	/** Current time in milliseconds since the epoch (tests and replays pass a fixed clock). */
	nowMs?: number;
	/**
	 * Accept a secret without the `whsec_` prefix and read it as bare base64, as Propstreet's own
	 * sample does. Off by default: Propstreet always returns the prefixed form, so a bare value
	 * means the wrong thing was stored, and it is better to say so than to reject every delivery
	 * with a signature mismatch.
	 */
	acceptUnprefixedSecret?: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The HMAC key inside a secret, or null when the secret is not `whsec_` + non-empty base64. */
export function decodeWebhookSecret(secret: string, acceptUnprefixed = false): Buffer | null {
	if (typeof secret !== 'string') return null;
	let encoded: string;
	if (secret.startsWith(WEBHOOK_SECRET_PREFIX)) encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
	else if (acceptUnprefixed) encoded = secret;
	else return null;
	if (encoded.length === 0 || encoded.length % 4 !== 0 || !BASE64.test(encoded)) return null;
	const key = Buffer.from(encoded, 'base64');
	return key.length > 0 ? key : null;
}

function toBuffer(body: Buffer | string): Buffer {
	return Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
}

/** The base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` (without the `v1,` prefix). */
export function computeSignature(key: Buffer, id: string, timestamp: string | number, body: Buffer | string): string {
	// Concatenate bytes, not strings: the body may hold bytes that are not valid UTF-8.
	const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), toBuffer(body)]);
	return createHmac('sha256', key).update(signed).digest('base64');
}

/** The `webhook-signature` header value for one delivery: `v1,<base64>`. */
export function signWebhook(input: {
	id: string;
	timestamp: string | number;
	body: Buffer | string;
	secret: string;
}): string {
	const key = decodeWebhookSecret(input.secret, true);
	if (!key) throw new Error('The webhook secret must be "whsec_" followed by a base64 key');
	return `v1,${computeSignature(key, input.id, input.timestamp, input.body)}`;
}

/** A fresh random secret in the `whsec_` form (24 random bytes). */
export function generateWebhookSecret(randomBytes: (size: number) => Buffer): string {
	return `${WEBHOOK_SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

function fail(reason: SignatureFailureReason, message: string): SignatureCheck {
	return { valid: false, reason, message };
}

function constantTimeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	// Lengths are not secret (every v1 signature is 44 characters); only the bytes are.
	if (left.length !== right.length) return false;
	return timingSafeEqual(left, right);
}

/**
 * Checks one delivery. Order: headers present → secret usable → timestamp well-formed and fresh →
 * some `v1` signature matches. Every rejection carries a reason code and a sentence.
 */
export function verifyWebhook(delivery: SignedDelivery, options: VerifyOptions): SignatureCheck {
	const id = (delivery.id ?? '').trim();
	const timestampText = (delivery.timestamp ?? '').trim();
	const signatureHeader = (delivery.signature ?? '').trim();
	if (!id) return fail('missing_id', 'The webhook-id header is missing');
	if (!timestampText) return fail('missing_timestamp', 'The webhook-timestamp header is missing');
	if (!signatureHeader) return fail('missing_signature', 'The webhook-signature header is missing');

	const key = decodeWebhookSecret(options.secret, options.acceptUnprefixedSecret === true);
	if (!key) return fail('invalid_secret', 'The stored webhook secret is not "whsec_" followed by a base64 key');

	if (!/^\d{1,12}$/.test(timestampText)) {
		// The header is the sender's text: say what is wrong with it, never repeat it into a log.
		return fail('invalid_timestamp', `The webhook-timestamp header is not Unix seconds (${timestampText.length} characters)`);
	}
	const timestamp = Number(timestampText);
	const tolerance = clampInteger(options.toleranceSeconds, TIMESTAMP_TOLERANCE_RANGE);
	const nowSeconds = Math.floor((options.nowMs ?? Date.now()) / 1000);
	if (timestamp < nowSeconds - tolerance) {
		return fail('timestamp_too_old', `The delivery is ${nowSeconds - timestamp} s old; at most ${tolerance} s is accepted`);
	}
	if (timestamp > nowSeconds + tolerance) {
		return fail('timestamp_too_new', `The delivery is dated ${timestamp - nowSeconds} s in the future; at most ${tolerance} s is accepted`);
	}

	const expected = computeSignature(key, id, timestampText, delivery.body);
	let matched = false;
	for (const entry of signatureHeader.split(/\s+/)) {
		const comma = entry.indexOf(',');
		if (comma < 0) continue;
		// Only v1 (symmetric HMAC) is defined for whsec_ secrets; other versions are skipped.
		if (entry.slice(0, comma) !== 'v1') continue;
		// No early exit, so the time taken does not depend on which entry matched.
		if (constantTimeEqual(entry.slice(comma + 1), expected)) matched = true;
	}
	if (!matched) return fail('no_matching_signature', 'No v1 signature in webhook-signature matches the body and secret');
	return { valid: true, id, timestamp };
}

/** Reads one header case-insensitively from a Node/express header object. */
export function readHeader(headers: Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
		return value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}
