/** Small helpers: time formats, the error envelope, cursors and strict input checks. */

/** API v2 / webhook v2 time: RFC 3339 in UTC without milliseconds, e.g. `2026-03-04T10:00:00Z`. */
export function rfc3339(ms: number | null | undefined): string | null {
	if (ms === null || ms === undefined) return null;
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** API v1 time: `YYYY-MM-DD HH:MM:SS`, always UTC. */
export function v1Time(ms: number | null | undefined): string | null {
	if (ms === null || ms === undefined) return null;
	return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

/** Parses RFC 3339 (v2) or `YYYY-MM-DD HH:MM:SS` (v1, UTC); returns null when unparseable. */
export function parseTime(value: string): number | null {
	const trimmed = value.trim();
	if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(trimmed)) return Date.parse(trimmed.replace(' ', 'T') + 'Z');
	if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return Date.parse(trimmed + 'T00:00:00Z');
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) return null;
	const parsed = Date.parse(trimmed);
	return Number.isNaN(parsed) ? null : parsed;
}

/** An error answered in Pipedrive's envelope. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly extra: Record<string, unknown> = {},
		readonly errorInfo = 'Please check developers.pipedrive.com',
	) {
		super(message);
	}
}

export function errorBody(error: ApiError): Record<string, unknown> {
	return { success: false, error: error.message, error_info: error.errorInfo, data: null, additional_data: null, ...error.extra };
}

export const badRequest = (message: string, extra: Record<string, unknown> = {}) => new ApiError(400, message, extra);
export const notFound = (what: string) => new ApiError(404, `${what} not found`);

/** Opaque cursor: base64url JSON. Keyset on (sort value, id) so inserts between pages do not shift pages. */
export function encodeCursor(payload: Record<string, unknown>): string {
	return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, unknown> {
	try {
		const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
	} catch {
		// fall through
	}
	throw badRequest('Invalid cursor');
}

export type Query = Record<string, string>;

export function queryInt(query: Query, name: string, opts: { min?: number; max?: number } = {}): number | undefined {
	const raw = query[name];
	if (raw === undefined || raw === '') return undefined;
	if (!/^-?\d+$/.test(raw)) throw badRequest(`Parameter '${name}' must be an integer`);
	const value = Number(raw);
	if (opts.min !== undefined && value < opts.min) throw badRequest(`Parameter '${name}' must be at least ${opts.min}`);
	if (opts.max !== undefined && value > opts.max) throw badRequest(`Parameter '${name}' must be at most ${opts.max}`);
	return value;
}

export function queryBool(query: Query, name: string): boolean | undefined {
	const raw = query[name];
	if (raw === undefined || raw === '') return undefined;
	if (raw === 'true' || raw === '1') return true;
	if (raw === 'false' || raw === '0') return false;
	throw badRequest(`Parameter '${name}' must be a boolean`);
}

export function queryIdList(query: Query, name: string, max = 100): number[] | undefined {
	const raw = query[name];
	if (raw === undefined || raw === '') return undefined;
	const parts = raw.split(',').map((p) => p.trim()).filter(Boolean);
	if (parts.length > max) throw badRequest(`Parameter '${name}' accepts at most ${max} ids`);
	return parts.map((part) => {
		if (!/^\d+$/.test(part)) throw badRequest(`Parameter '${name}' must be a comma-separated list of integers`);
		return Number(part);
	});
}

export function queryTime(query: Query, name: string): number | undefined {
	const raw = query[name];
	if (raw === undefined || raw === '') return undefined;
	const parsed = parseTime(raw);
	if (parsed === null) throw badRequest(`Parameter '${name}' must be an RFC 3339 date-time`);
	return parsed;
}

/** v2 validation is strict: no coercion from strings or 0/1. */
export function isInt(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
	return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Strips script/style elements and event-handler attributes, as Pipedrive sanitises note HTML. */
export function sanitizeHtml(html: string): string {
	return html
		.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, '')
		.replace(/\son\w+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
		.replace(/javascript:/gi, '');
}
