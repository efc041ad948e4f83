/**
 * The functions of Node's `crypto` the core calls (`webhookSignature.ts`: HMAC and the constant-time
 * compare; `hash.ts`: SHA-256 for the baseline signatures), in plain JavaScript. The Cloud build
 * (tools/build-cloud.mjs) resolves `crypto` to this file, so a Code node checks signatures with the
 * very same `verifyWebhook` the Propstreet Trigger runs, and stores the same baselines the Sync node
 * does. Anything else the core imports from `crypto` fails the Cloud build.
 */
import { hmacSha256, sha256 } from './sha256';

type Bytes = Uint8Array | string;

const bytesOf = (value: Bytes): Uint8Array => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value);

export interface ShimDigest {
	/** Text is taken as UTF-8 (the only encoding the core passes). */
	update(data: Bytes, encoding?: 'utf8'): ShimDigest;
	digest(encoding: 'base64' | 'hex'): string;
}

function onlySha256(algorithm: string, what: string): void {
	if (algorithm !== 'sha256') throw new Error(`Only ${what} is available in the Cloud edition (asked for ${algorithm})`);
}

function digester(finish: (data: Uint8Array) => Uint8Array): ShimDigest {
	const parts: Uint8Array[] = [];
	const self: ShimDigest = {
		update(data) {
			parts.push(bytesOf(data));
			return self;
		},
		digest(encoding) {
			return Buffer.from(finish(Buffer.concat(parts))).toString(encoding);
		},
	};
	return self;
}

export function createHmac(algorithm: string, key: Bytes): ShimDigest {
	onlySha256(algorithm, 'HMAC-SHA256');
	return digester((data) => hmacSha256(bytesOf(key), data));
}

export function createHash(algorithm: string): ShimDigest {
	onlySha256(algorithm, 'SHA-256');
	return digester(sha256);
}

/** Compares every byte whatever the first difference, as Node's does (lengths must be equal). */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) throw new RangeError('Input buffers must have the same byte length');
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
	return diff === 0;
}

/**
 * Only the Propstreet node's POSTs without a source event draw a random idempotency key; no Cloud
 * entry does (the company match reads, it never posts a create), so this is present for the
 * bundler and refuses to run.
 */
export function randomUUID(): string {
	throw new Error('randomUUID is not available in the Cloud edition; derive the key from the event instead');
}
