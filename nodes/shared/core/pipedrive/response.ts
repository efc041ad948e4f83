/**
 * Normalising what n8n's HTTP client hands back with `returnFullResponse`: headers may be a plain
 * object or an AxiosHeaders-like object with `toJSON`, in any case; a body may arrive as a string
 * when the server sent JSON without a JSON content type, or HTML (the 403 block page).
 */

/** Lower-cased header names; list values joined with ", ". */
export function normalizeHeaders(raw: unknown): Record<string, string> {
	if (!raw || typeof raw !== 'object') return {};
	const withJson = raw as { toJSON?: () => unknown };
	const source = (typeof withJson.toJSON === 'function' ? withJson.toJSON() : raw) as Record<string, unknown>;
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(source ?? {})) {
		if (value === undefined || value === null) continue;
		out[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
	}
	return out;
}

/** A JSON-looking string body parsed; anything else (HTML, text, objects) returned as it is. */
export function parseResponseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (trimmed === '') return undefined;
	if (!/^[[{]/.test(trimmed)) return body;
	try {
		return JSON.parse(trimmed);
	} catch {
		return body;
	}
}
