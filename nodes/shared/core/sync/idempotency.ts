import { createHash, randomUUID } from 'crypto';

/**
 * Idempotency-Key for a POST, derived from the source event and the operation, so a re-delivered
 * webhook or a re-run execution sends the same key and Propstreet replays instead of duplicating.
 * Shaped like a UUID because the docs' example key is one.
 */
export function deriveIdempotencyKey(sourceEventId: string | number | undefined | null, operation: string): string | undefined {
	if (sourceEventId === undefined || sourceEventId === null || String(sourceEventId).trim() === '') return undefined;
	const hex = createHash('sha256').update(`n8n-nodes-propstreet\u0000${String(sourceEventId).trim()}\u0000${operation}`).digest('hex');
	// Version nibble 5 and RFC 4122 variant, as for a name-based UUID.
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A fresh key for a POST with no source event; the transport reuses it on every retry. */
export function newIdempotencyKey(): string {
	return randomUUID();
}
