/** Small body readers that collect field-level errors (problem+json `errors`). */
import { ApiError, FieldErrorCollector, badRequest, preconditionFailed, preconditionRequired } from './errors';
import { header } from './http';
import type { ExternalRef, PropstreetSwitches } from './types';
import { isEmailAddress } from '../../../nodes/shared/core/email';

export type Body = Record<string, unknown>;

export function requireObject(body: unknown, allowEmpty = false): Body {
	if (body === undefined && allowEmpty) return {};
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
	return body as Body;
}

/** Present in the body; `undefined` (possible in control calls, never in JSON) counts as absent. */
export const has = (body: Body, field: string) => Object.prototype.hasOwnProperty.call(body, field) && body[field] !== undefined;

interface StrRule {
	max?: number;
	min?: number;
	nullable?: boolean;
	/** A RegExp or any other `test` (e.g. the core's e-mail check). */
	pattern?: { test(value: string): boolean };
	patternMessage?: string;
}

/** undefined = field absent (leave unchanged); null = explicit clear. */
export function readString(c: FieldErrorCollector, body: Body, field: string, rule: StrRule = {}): string | null | undefined {
	if (!has(body, field)) return undefined;
	const value = body[field];
	if (value === null) {
		if (rule.nullable === false) c.add(field, `The ${field} field is required.`);
		return null;
	}
	if (typeof value !== 'string') {
		c.add(field, `The ${field} field must be a string.`);
		return undefined;
	}
	if (rule.min !== undefined && value.length < rule.min) c.add(field, `The ${field} field must be at least ${rule.min} characters.`);
	if (rule.max !== undefined && value.length > rule.max) c.add(field, `The ${field} field must be at most ${rule.max} characters.`);
	if (rule.pattern && value !== '' && !rule.pattern.test(value)) c.add(field, rule.patternMessage ?? `The ${field} field is not in a valid format.`);
	return value;
}

export function readEnum<T extends string>(c: FieldErrorCollector, body: Body, field: string, values: readonly T[], nullable = true): T | null | undefined {
	if (!has(body, field)) return undefined;
	const value = body[field];
	if (value === null && nullable) return null;
	if (typeof value !== 'string' || !values.includes(value as T)) {
		c.add(field, `The ${field} field must be one of: ${values.join(', ')}.`);
		return undefined;
	}
	return value as T;
}

export function readBool(c: FieldErrorCollector, body: Body, field: string): boolean | null | undefined {
	if (!has(body, field)) return undefined;
	const value = body[field];
	if (value === null || typeof value === 'boolean') return value;
	c.add(field, `The ${field} field must be a boolean.`);
	return undefined;
}

/** Numbers may arrive as JSON numbers or numeric strings (the reference's generator artefact). */
export function readNumber(c: FieldErrorCollector, body: Body, field: string, opts: { integer?: boolean; min?: number; max?: number } = {}): number | null | undefined {
	if (!has(body, field)) return undefined;
	const raw = body[field];
	if (raw === null) return null;
	const value = typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isFinite(value) || (opts.integer && !Number.isInteger(value))) {
		c.add(field, `The ${field} field must be ${opts.integer ? 'an integer' : 'a number'}.`);
		return undefined;
	}
	if (opts.min !== undefined && value < opts.min) c.add(field, `The ${field} field must be at least ${opts.min}.`);
	if (opts.max !== undefined && value > opts.max) c.add(field, `The ${field} field must be at most ${opts.max}.`);
	return value;
}

export function readStringArray(c: FieldErrorCollector, body: Body, field: string, opts: { maxItems?: number; maxLength?: number } = {}): string[] | null | undefined {
	if (!has(body, field)) return undefined;
	const value = body[field];
	if (value === null) return null;
	if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
		c.add(field, `The ${field} field must be an array of strings.`);
		return undefined;
	}
	if (opts.maxItems !== undefined && value.length > opts.maxItems) c.add(field, `At most ${opts.maxItems} entries are allowed.`);
	if (opts.maxLength !== undefined && value.some((v: string) => v.length > opts.maxLength!)) c.add(field, `Each entry must be at most ${opts.maxLength} characters.`);
	return value as string[];
}

/** `externalRefs`: `{namespace ≤50, id ≤255}`, one per namespace (case-insensitive). */
export function readExternalRefs(c: FieldErrorCollector, body: Body, maxRefs = 50, field = 'externalRefs'): ExternalRef[] | null | undefined {
	if (!has(body, field)) return undefined;
	const value = body[field];
	if (value === null) return null;
	if (!Array.isArray(value)) {
		c.add(field, 'externalRefs must be an array of {namespace, id}.');
		return undefined;
	}
	if (value.length > maxRefs) c.add(field, `At most ${maxRefs} external references are allowed.`);
	const refs: ExternalRef[] = [];
	const seen = new Set<string>();
	value.forEach((ref: unknown, i: number) => {
		const r = ref as Record<string, unknown>;
		if (!r || typeof r !== 'object' || typeof r.namespace !== 'string' || typeof r.id !== 'string') {
			c.add(`${field}[${i}]`, 'Each external reference needs a string namespace and a string id.');
			return;
		}
		if (!r.namespace.trim() || r.namespace.length > 50) c.add(`${field}[${i}].namespace`, 'namespace must be 1–50 characters.');
		if (!r.id || r.id.length > 255) c.add(`${field}[${i}].id`, 'id must be 1–255 characters.');
		const key = r.namespace.toLowerCase();
		if (seen.has(key)) c.add(`${field}[${i}].namespace`, `Each namespace can only appear once ('${r.namespace}').`);
		seen.add(key);
		refs.push({ namespace: r.namespace, id: r.id });
	});
	return refs;
}

/** Fields the API owns (project status, teaser stage…). `reject` → 400 naming them; `ignore` → dropped. */
export function checkReadOnly(c: FieldErrorCollector, body: Body, fields: string[], switches: PropstreetSwitches): void {
	if (switches.readOnlyFieldWrites === 'ignore') return;
	for (const field of fields) if (has(body, field)) c.add(field, `The ${field} field is read-only.`);
}

/** The package's one e-mail rule, so the simulator and the nodes agree on what an address is. */
export const EMAIL_CHECK = { test: isEmailAddress };

/** If-Match: optional (best-effort) unless `required`; compared byte-for-byte (§22 #13). `*` matches any. */
export function checkIfMatch(req: { headers: Record<string, string | string[] | undefined> }, etag: string, required: boolean): void {
	const value = header(req, 'if-match');
	if (value === undefined || value.trim() === '') {
		if (required) throw preconditionRequired();
		return;
	}
	const candidates = value.split(',').map((v) => v.trim());
	if (candidates.includes('*') || candidates.includes(etag)) return;
	throw preconditionFailed();
}

export function assertNever(x: never): never {
	throw new ApiError(500, 'Internal Server Error', `Unexpected value ${String(x)}`);
}
