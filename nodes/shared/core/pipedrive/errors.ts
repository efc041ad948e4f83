/**
 * Pipedrive error answers → a short message and a description for NodeApiError. Shapes seen
 * (reference §16.1): the envelope `{ success: false, error, error_info, code? , errorCode? }`,
 * webhook validation `{ success: false, status, errors: {…} }`, `{ success: false, message }`, and the
 * Cloudflare HTML page (403) an API token gets after ignoring 429s (§15.4).
 */

export interface PipedriveErrorSummary {
	message: string;
	description?: string;
	/** The HTML "access denied" page: the token is blocked for a while; do not retry. */
	blocked: boolean;
	/** Pipedrive's machine-readable `code`, e.g. `feature_capping_deals_limit`. */
	code?: string;
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Pipedrive rejected the request',
	401: 'Pipedrive did not accept the API token: check the credential',
	402: 'The Pipedrive company account is not open (trial ended or payment missing)',
	403: 'Pipedrive does not allow this for the token’s user',
	404: 'Not found in Pipedrive',
	405: 'Method not allowed',
	410: 'Gone from Pipedrive',
	415: 'This Pipedrive feature is not enabled',
	422: 'Pipedrive could not process the request',
	429: 'Too many requests to Pipedrive',
	500: 'Pipedrive server error',
	501: 'Not implemented by Pipedrive',
	502: 'Bad gateway in front of Pipedrive',
	503: 'Pipedrive is unavailable (maintenance?)',
	504: 'Gateway timeout in front of Pipedrive',
};

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** True for the HTML block page (any HTML on a 403, in practice the Cloudflare one). */
export function isBlockedPage(status: number, body: unknown): boolean {
	return status === 403 && typeof body === 'string' && /<html|<!doctype html/i.test(body);
}

function fieldErrorLines(errors: unknown): string[] {
	const record = asRecord(errors);
	if (!record) return [];
	return Object.entries(record).map(([field, messages]) => `${field}: ${Array.isArray(messages) ? messages.map(String).join('; ') : String(messages)}`);
}

export function summarizePipedriveError(status: number, body: unknown): PipedriveErrorSummary {
	const fallback = STATUS_TEXT[status] ?? `Pipedrive answered ${status}`;
	if (isBlockedPage(status, body)) {
		return {
			message: `Pipedrive blocked this API token for a while (403) after repeated rate-limit errors`,
			description: 'Pipedrive answered with its HTML access-denied page. Wait before running again and make fewer calls; OAuth apps are not blocked this way.',
			blocked: true,
		};
	}
	const envelope = asRecord(body);
	const main = text(envelope?.error) ?? text(envelope?.message) ?? text(envelope?.status !== 'ok' ? envelope?.status : undefined);
	const lines: string[] = [];
	// For a bad token or a closed account our wording says what to do; Pipedrive's goes below it.
	const ownWording = status === 401 || status === 402;
	if (ownWording && main) lines.push(main);
	const info = text(envelope?.error_info);
	if (info) lines.push(info);
	lines.push(...fieldErrorLines(envelope?.errors));
	if (!envelope && typeof body === 'string' && body.trim()) lines.push(body.trim().slice(0, 300));
	const code = text(envelope?.code);
	return {
		message: `${ownWording ? fallback : (main ?? fallback)} (${status})`,
		description: lines.length ? lines.join('\n') : undefined,
		blocked: false,
		code,
	};
}
