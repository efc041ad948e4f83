/**
 * RFC 7807 problem details (application/problem+json) → a short message and a readable
 * description with the per-field validation errors, for NodeApiError.
 */

export interface ProblemSummary {
	status?: number;
	message: string;
	description?: string;
	fieldErrors: Record<string, string[]>;
	type?: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseMaybeJson(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (!trimmed.startsWith('{')) return body;
	try {
		return JSON.parse(trimmed);
	} catch {
		return body;
	}
}

function fieldErrorsOf(raw: unknown): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	const record = asRecord(raw);
	if (record) {
		for (const [field, messages] of Object.entries(record)) {
			const list = Array.isArray(messages) ? messages.map(String) : [String(messages)];
			if (list.length) out[field] = list;
		}
	} else if (Array.isArray(raw)) {
		// Some APIs send [{ field, message }]; accept it as well.
		for (const entry of raw) {
			const e = asRecord(entry);
			if (!e) continue;
			const field = String(e.field ?? e.name ?? e.property ?? '');
			const message = String(e.message ?? e.error ?? '');
			if (!message) continue;
			(out[field || '(request)'] ??= []).push(message);
		}
	}
	return out;
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad request',
	401: 'Authentication failed: check the Propstreet credential',
	403: 'Forbidden: the credential may not do this',
	404: 'Not found',
	409: 'Conflict',
	412: 'Precondition failed: the record changed since it was read',
	422: 'Unprocessable request',
	428: 'Precondition required: an If-Match header is needed',
	429: 'Too many requests',
	500: 'Propstreet server error',
	502: 'Bad gateway',
	503: 'Propstreet is unavailable',
	504: 'Gateway timeout',
};

export function summarizeProblem(status: number | undefined, body: unknown): ProblemSummary {
	const parsed = parseMaybeJson(body);
	const problem = asRecord(parsed);
	const fieldErrors = fieldErrorsOf(problem?.errors);
	const title = typeof problem?.title === 'string' ? problem.title : undefined;
	const detail = typeof problem?.detail === 'string' ? problem.detail : undefined;
	const effectiveStatus = typeof problem?.status === 'number' ? problem.status : status;
	const fallback = effectiveStatus ? STATUS_TEXT[effectiveStatus] ?? `Request failed with status ${effectiveStatus}` : 'Request failed';
	const message = `${title ?? fallback}${effectiveStatus ? ` (${effectiveStatus})` : ''}`;

	const lines: string[] = [];
	if (detail && detail !== title) lines.push(detail);
	for (const [field, messages] of Object.entries(fieldErrors)) lines.push(`${field}: ${messages.join('; ')}`);
	if (!problem && typeof parsed === 'string' && parsed.trim()) lines.push(parsed.trim().slice(0, 500));
	return {
		status: effectiveStatus,
		message,
		description: lines.length ? lines.join('\n') : undefined,
		fieldErrors,
		type: typeof problem?.type === 'string' ? problem.type : undefined,
	};
}
