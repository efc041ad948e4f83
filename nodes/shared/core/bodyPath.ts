/**
 * Body paths: a top-level member (`name`) or one level into an object member
 * (`custom_fields.<key>`), the two shapes the mappers address.
 */
export function getPath(obj: Record<string, unknown>, path: string): unknown {
	const dot = path.indexOf('.');
	if (dot < 0) return obj[path];
	const head = obj[path.slice(0, dot)];
	return head && typeof head === 'object' ? (head as Record<string, unknown>)[path.slice(dot + 1)] : undefined;
}

export function deletePath(obj: Record<string, unknown>, path: string): void {
	const dot = path.indexOf('.');
	if (dot < 0) {
		delete obj[path];
		return;
	}
	const headKey = path.slice(0, dot);
	const head = obj[headKey];
	if (head && typeof head === 'object') {
		delete (head as Record<string, unknown>)[path.slice(dot + 1)];
		if (Object.keys(head as object).length === 0) delete obj[headKey];
	}
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
	const dot = path.indexOf('.');
	if (dot < 0) {
		obj[path] = value;
		return;
	}
	const headKey = path.slice(0, dot);
	const head = obj[headKey];
	const nested = head && typeof head === 'object' && !Array.isArray(head) ? (head as Record<string, unknown>) : {};
	nested[path.slice(dot + 1)] = value;
	obj[headKey] = nested;
}
