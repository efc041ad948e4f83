/**
 * Standard Webhooks verification against fixed vectors. Expected signatures are computed here
 * with Node's crypto directly, not with the module under test.
 */
import { createHmac, randomBytes } from 'crypto';
import {
	decodeWebhookSecret,
	readHeader,
	signWebhook,
	verifyWebhook,
	type SignedDelivery,
} from '../../../nodes/shared/core/webhookSignature';

const KEY = Buffer.from('propstreet-test-key-0123456789ab', 'utf8');
const SECRET = `whsec_${KEY.toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.from('some-other-key-abcdefghijklmnop', 'utf8').toString('base64')}`;
const ID = 'msg_2Kq9xyz';
const NOW_MS = Date.UTC(2026, 4, 18, 20, 22, 36);
const TS = String(Math.floor(NOW_MS / 1000));
const BODY = '{"type":"contact.updated","timestamp":"2026-05-18T20:22:36.959Z","data":{"id":"789","firstName":"Åsa"}}';

function expectedSignature(key: Buffer, id: string, ts: string, body: string | Buffer): string {
	const content = Buffer.concat([Buffer.from(`${id}.${ts}.`), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
	return createHmac('sha256', key).update(content).digest('base64');
}

function delivery(overrides: Partial<SignedDelivery> = {}): SignedDelivery {
	return { id: ID, timestamp: TS, signature: `v1,${expectedSignature(KEY, ID, TS, BODY)}`, body: Buffer.from(BODY), ...overrides };
}

describe('verifyWebhook', () => {
	it('accepts a correctly signed delivery', () => {
		expect(verifyWebhook(delivery(), { secret: SECRET, nowMs: NOW_MS })).toEqual({ valid: true, id: ID, timestamp: Number(TS) });
	});

	it('matches a fixed, precomputed vector', () => {
		// Fixed inputs → fixed output, pinned so an accidental change to the signed content shows.
		const key = Buffer.alloc(32, 7);
		const sig = createHmac('sha256', key).update('msg_1.1700000000.{"a":1}').digest('base64');
		const result = verifyWebhook(
			{ id: 'msg_1', timestamp: '1700000000', signature: `v1,${sig}`, body: '{"a":1}' },
			{ secret: `whsec_${key.toString('base64')}`, nowMs: 1700000000 * 1000 },
		);
		expect(result.valid).toBe(true);
		expect(sig).toBe(expectedSignature(key, 'msg_1', '1700000000', '{"a":1}'));
	});

	it('rejects a tampered body', () => {
		const tampered = Buffer.from(BODY.replace('Åsa', 'Asa'));
		expect(verifyWebhook(delivery({ body: tampered }), { secret: SECRET, nowMs: NOW_MS })).toMatchObject({
			valid: false,
			reason: 'no_matching_signature',
		});
	});

	it('rejects a re-serialised body even when the JSON is equal', () => {
		const reserialised = JSON.stringify(JSON.parse(BODY), null, 1);
		expect(verifyWebhook(delivery({ body: reserialised }), { secret: SECRET, nowMs: NOW_MS }).valid).toBe(false);
	});

	it('rejects a signature made with another secret', () => {
		expect(verifyWebhook(delivery(), { secret: OTHER_SECRET, nowMs: NOW_MS })).toMatchObject({
			valid: false,
			reason: 'no_matching_signature',
		});
	});

	it('rejects a tampered id or timestamp (both are signed)', () => {
		expect(verifyWebhook(delivery({ id: 'msg_other' }), { secret: SECRET, nowMs: NOW_MS }).valid).toBe(false);
		const ts2 = String(Number(TS) + 1);
		expect(verifyWebhook(delivery({ timestamp: ts2 }), { secret: SECRET, nowMs: NOW_MS }).valid).toBe(false);
	});

	it('rejects a stale timestamp beyond the default 300 s tolerance, accepts one at the edge', () => {
		const old = String(Number(TS) - 301);
		const signedOld = `v1,${expectedSignature(KEY, ID, old, BODY)}`;
		expect(verifyWebhook(delivery({ timestamp: old, signature: signedOld }), { secret: SECRET, nowMs: NOW_MS })).toMatchObject({
			valid: false,
			reason: 'timestamp_too_old',
		});
		const edge = String(Number(TS) - 300);
		const signedEdge = `v1,${expectedSignature(KEY, ID, edge, BODY)}`;
		expect(verifyWebhook(delivery({ timestamp: edge, signature: signedEdge }), { secret: SECRET, nowMs: NOW_MS }).valid).toBe(true);
	});

	it('rejects a timestamp too far in the future', () => {
		const future = String(Number(TS) + 301);
		const signed = `v1,${expectedSignature(KEY, ID, future, BODY)}`;
		expect(verifyWebhook(delivery({ timestamp: future, signature: signed }), { secret: SECRET, nowMs: NOW_MS })).toMatchObject({
			valid: false,
			reason: 'timestamp_too_new',
		});
	});

	it('honours a custom tolerance', () => {
		const old = String(Number(TS) - 100);
		const signed = `v1,${expectedSignature(KEY, ID, old, BODY)}`;
		const d = delivery({ timestamp: old, signature: signed });
		expect(verifyWebhook(d, { secret: SECRET, nowMs: NOW_MS, toleranceSeconds: 60 }).valid).toBe(false);
		expect(verifyWebhook(d, { secret: SECRET, nowMs: NOW_MS, toleranceSeconds: 120 }).valid).toBe(true);
	});

	it('accepts when one of two space-separated signatures is valid (secret rotation), in either order', () => {
		const good = `v1,${expectedSignature(KEY, ID, TS, BODY)}`;
		const stale = `v1,${expectedSignature(Buffer.from('old-rotated-key-xxxxxxxxxxxxxxxx'), ID, TS, BODY)}`;
		expect(verifyWebhook(delivery({ signature: `${stale} ${good}` }), { secret: SECRET, nowMs: NOW_MS }).valid).toBe(true);
		expect(verifyWebhook(delivery({ signature: `${good} ${stale}` }), { secret: SECRET, nowMs: NOW_MS }).valid).toBe(true);
	});

	it('rejects when two signatures are both wrong, and ignores non-v1 versions', () => {
		const sigA = `v1,${expectedSignature(Buffer.from('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'), ID, TS, BODY)}`;
		const v2WithRightValue = `v2,${expectedSignature(KEY, ID, TS, BODY)}`;
		expect(verifyWebhook(delivery({ signature: `${sigA} ${v2WithRightValue}` }), { secret: SECRET, nowMs: NOW_MS })).toMatchObject({
			valid: false,
			reason: 'no_matching_signature',
		});
		expect(verifyWebhook(delivery({ signature: 'garbage' }), { secret: SECRET, nowMs: NOW_MS }).valid).toBe(false);
	});

	it.each([
		['id', { id: undefined }, 'missing_id'],
		['id (blank)', { id: '  ' }, 'missing_id'],
		['timestamp', { timestamp: null }, 'missing_timestamp'],
		['signature', { signature: '' }, 'missing_signature'],
	] as const)('rejects a missing %s header', (_name, overrides, reason) => {
		expect(verifyWebhook(delivery(overrides as Partial<SignedDelivery>), { secret: SECRET, nowMs: NOW_MS })).toMatchObject({
			valid: false,
			reason,
		});
	});

	it('rejects a timestamp that is not Unix seconds', () => {
		for (const bad of ['2026-05-18T20:22:36Z', '1.5', '-12', 'abc']) {
			expect(verifyWebhook(delivery({ timestamp: bad }), { secret: SECRET, nowMs: NOW_MS })).toMatchObject({
				valid: false,
				reason: 'invalid_timestamp',
			});
		}
	});

	it('rejects a secret without the whsec_ prefix unless told to accept it', () => {
		const bare = KEY.toString('base64');
		expect(verifyWebhook(delivery(), { secret: bare, nowMs: NOW_MS })).toMatchObject({ valid: false, reason: 'invalid_secret' });
		expect(verifyWebhook(delivery(), { secret: bare, nowMs: NOW_MS, acceptUnprefixedSecret: true }).valid).toBe(true);
	});

	it('rejects malformed secrets', () => {
		for (const bad of ['whsec_', 'whsec_not base64!', 'whsec_abc', 'plain-password']) {
			expect(verifyWebhook(delivery(), { secret: bad, nowMs: NOW_MS })).toMatchObject({ valid: false, reason: 'invalid_secret' });
		}
	});

	it('signs bytes that are not valid UTF-8 exactly as received', () => {
		const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
		const sig = `v1,${expectedSignature(KEY, ID, TS, raw)}`;
		expect(verifyWebhook({ id: ID, timestamp: TS, signature: sig, body: raw }, { secret: SECRET, nowMs: NOW_MS }).valid).toBe(true);
		// Decoding to a string and back would replace the bytes and break the signature.
		expect(verifyWebhook({ id: ID, timestamp: TS, signature: sig, body: raw.toString('utf8') }, { secret: SECRET, nowMs: NOW_MS }).valid).toBe(false);
	});
});

describe('signWebhook / decodeWebhookSecret / readHeader', () => {
	it('produces the same value as an independent HMAC', () => {
		expect(signWebhook({ id: ID, timestamp: TS, body: BODY, secret: SECRET })).toBe(`v1,${expectedSignature(KEY, ID, TS, BODY)}`);
	});

	it('round-trips with a random secret', () => {
		const key = randomBytes(32);
		const secret = `whsec_${key.toString('base64')}`;
		expect(decodeWebhookSecret(secret)?.equals(key)).toBe(true);
		const signature = signWebhook({ id: 'msg_x', timestamp: TS, body: BODY, secret });
		expect(verifyWebhook({ id: 'msg_x', timestamp: TS, signature, body: BODY }, { secret, nowMs: NOW_MS }).valid).toBe(true);
	});

	it('reads headers case-insensitively and takes the first of repeated values', () => {
		expect(readHeader({ 'Webhook-Id': 'a' }, 'webhook-id')).toBe('a');
		expect(readHeader({ 'webhook-signature': ['v1,x', 'v1,y'] }, 'Webhook-Signature')).toBe('v1,x');
		expect(readHeader({}, 'webhook-id')).toBeUndefined();
	});
});
