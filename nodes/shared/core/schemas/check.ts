/**
 * Running a boundary schema and saying what is wrong in one line: the field path (`data.id`,
 * `participants[3].person_id`) and the problem, prefixed with the record when it is known.
 *
 * Only zod API that both zod 3.24 (n8n 1.85) and zod 3.25 (n8n 2.40) offer is used in this folder:
 * `z.object().passthrough()`, `z.union`, `z.array`, `z.record`, `refine`, `safeParse`, issue paths.
 */
import type { ZodIssue, ZodType, ZodTypeDef } from 'zod';

export type Checked<T> = { ok: true; value: T } | { ok: false; path: string; problem: string; message: string };

/** `a.b[0].c` from zod's path array; the root is `(value)`. */
export function fieldPath(path: ReadonlyArray<string | number>, prefix = ''): string {
	let out = prefix;
	for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
	return out === '' ? '(value)' : out;
}

/** Every non-union issue under `issue`, however deeply its unions nest. */
function leaves(issue: ZodIssue): ZodIssue[] {
	return issue.code === 'invalid_union' ? issue.unionErrors.flatMap((e) => e.issues.flatMap(leaves)) : [issue];
}

function describeIssue(issue: ZodIssue): string {
	switch (issue.code) {
		case 'invalid_type':
			return issue.received === 'undefined' ? 'is missing' : `must be ${issue.expected}, not ${issue.received}`;
		case 'invalid_union': {
			// No branch got past this field: name the types it may have.
			// (Paths of re-parented issues keep their old depth, so compare with the shallowest leaf.)
			const all = leaves(issue);
			const depth = Math.min(...all.map((l) => l.path.length));
			const mistyped = all.filter((l) => l.code === 'invalid_type' && l.path.length === depth);
			const expected = [...new Set(mistyped.map((l) => (l.code === 'invalid_type' ? l.expected : '')))].filter((t) => t !== 'undefined' && t !== 'null');
			const received = mistyped[0]?.code === 'invalid_type' ? mistyped[0].received : undefined;
			if (received === 'undefined') return 'is missing';
			return expected.length && received ? `must be ${expected.join(' or ')}, not ${received}` : 'has none of the accepted shapes';
		}
		case 'invalid_literal':
			return `must be ${JSON.stringify(issue.expected)}`;
		case 'invalid_enum_value':
			return `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
		default:
			return issue.message;
	}
}

/** A union issue and everything under it, parents before their children. */
function candidates(issue: ZodIssue): ZodIssue[] {
	return issue.code === 'invalid_union' ? [issue, ...issue.unionErrors.flatMap((e) => e.issues.flatMap(candidates))] : [issue];
}

/**
 * The issue to report: the first one; for a union, the deepest issue under it (the branch that got
 * furthest says most about what was meant), a union before its own branches when they tie.
 */
function firstIssue(issues: ZodIssue[]): ZodIssue {
	return candidates(issues[0]).reduce((best, c) => (c.path.length > best.path.length ? c : best));
}

/**
 * Validates `value`; on failure, `message` reads `<record>: <path> <problem>` (record omitted when
 * unknown), and `path` / `problem` are there for errors that name them separately.
 */
export function check<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, record?: string, prefix = ''): Checked<T> {
	const result = schema.safeParse(value);
	if (result.success) return { ok: true, value: result.data };
	const issue = firstIssue(result.error.issues);
	const path = fieldPath(issue.path, prefix);
	const problem = describeIssue(issue);
	return { ok: false, path, problem, message: `${record ? `${record}: ` : ''}${path} ${problem}` };
}
