/**
 * Nesting depth of untrusted values. The core's recursive walkers (canonical compare, canonical
 * JSON, stable stringify) and the engine's own `String(array)` / `JSON.stringify` recurse once per
 * level, so a value nested a few thousand levels deep ends in a bare "Maximum call stack size
 * exceeded". Entry points measure their input here first (a loop, not recursion) and name the
 * field; the walkers also stop at the limit, as a backstop for callers that did not.
 */

/** Far deeper than any Pipedrive or Propstreet record (they nest four or five levels). */
export const MAX_NESTING_DEPTH = 100;

/** The first four steps of a path (`data.custom_fields.abc.x…`): the field, without a hundred `[0]`s. */
export function shortPath(path: string): string {
	const steps = path.slice(0, 400).split(/(?=[.[])/);
	const head = steps.slice(0, 4).join('');
	return steps.length > 4 || path.length > 400 ? `${head.slice(0, 120)}…` : head;
}

export class NestingTooDeepError extends Error {
	constructor(readonly path: string) {
		super(`${shortPath(path) || 'the value'} is nested more than ${MAX_NESTING_DEPTH} levels deep`);
		this.name = 'NestingTooDeepError';
	}
}

/** For recursive walkers: throws once `depth` passes the limit. */
export function guardDepth(depth: number, path = ''): void {
	if (depth > MAX_NESTING_DEPTH) throw new NestingTooDeepError(path);
}

const childPath = (path: string, key: string | number): string =>
	typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * The first path (from `root`) that goes deeper than the limit, or undefined. Walks with an
 * explicit stack and visits each object once, so it is linear and cannot overflow itself.
 */
export function tooDeepPath(value: unknown, root = ''): string | undefined {
	const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
	const seen = new Set<object>();
	while (stack.length) {
		const { value: current, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
		if (current === null || typeof current !== 'object' || seen.has(current)) continue;
		if (depth > MAX_NESTING_DEPTH) return path;
		seen.add(current);
		if (Array.isArray(current)) current.forEach((item, i) => stack.push({ value: item, path: childPath(path, i), depth: depth + 1 }));
		else for (const [key, item] of Object.entries(current)) stack.push({ value: item, path: childPath(path, key), depth: depth + 1 });
	}
	return undefined;
}

/** Throws NestingTooDeepError naming the first path that goes deeper than the limit. */
export function assertNestingDepth(value: unknown, root = ''): void {
	const path = tooDeepPath(value, root);
	if (path !== undefined) throw new NestingTooDeepError(path);
}
