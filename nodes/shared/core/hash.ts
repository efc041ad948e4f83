import { createHash } from 'crypto';
import { guardDepth } from './depth';

/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, so equal data always gives the
 * same text whatever order the keys were built in. Stops at MAX_NESTING_DEPTH (see `./depth`).
 */
export function canonicalJson(value: unknown, depth = 0): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
	if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
	guardDepth(depth);
	if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v, depth + 1))).join(',')}]`;
	if (value instanceof Date) return JSON.stringify(value.toISOString());
	if (typeof value === 'object') {
		const entries = Object.keys(value as Record<string, unknown>)
			.filter((key) => (value as Record<string, unknown>)[key] !== undefined)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key], depth + 1)}`);
		return `{${entries.join(',')}}`;
	}
	return 'null';
}

/** `sha256:<hex>` of the canonical JSON of `value`. */
export function stableHash(value: unknown): string {
	return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
}
