/**
 * Reading a verified Propstreet webhook delivery and shaping the item the triggers emit (the poll
 * trigger emits the same shape). Pure, so it is unit-tested.
 *
 * Envelope (undocumented by Propstreet; the project's choice, see ARCHITECTURE.md):
 * `{ type: "contact.updated", timestamp: ISO, data: { ...resource, changeType, changeOrigin },
 *    action?: { type: "removed" } }` — prospects carry `projectId` in `data`.
 */
import {
	headerValue,
	isRetryableStatus,
	isTransientNetworkError,
	parseRateLimitReset,
	parseRetryAfter,
	retryDelay,
	summarizeProblem,
	type HeaderBag,
} from './http';
import type { PollChange, PropstreetEntity } from './polling';
import { check } from './schemas/check';
import { propstreetEnvelope } from './schemas/propstreet';
import { WEBHOOK_ENTITIES } from './webhookSubscriptions';

export const CHANGE_ORIGINS = ['api', 'mcp', 'system', 'ui'] as const;

export interface WebhookEnvelope {
	type: string;
	timestamp: string | null;
	data: Record<string, unknown>;
	action: Record<string, unknown> | null;
}

export type EnvelopeParse = { ok: true; envelope: WebhookEnvelope } | { ok: false; message: string; path?: string };

/** Parses the raw body (already signature-checked) into the envelope, or says what is wrong and where. */
export function parseEnvelope(rawBody: Buffer | string): EnvelopeParse {
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
	} catch {
		return { ok: false, message: 'The delivery body is not JSON' };
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, message: 'The delivery body is not a JSON object' };
	const body = parsed as Record<string, unknown>;
	const type = typeof body.type === 'string' ? body.type.slice(0, 40) : 'untyped';
	const id = isRecord(body.data) && typeof body.data.id === 'string' ? ` of ${body.data.id.slice(0, 64)}` : '';
	const checked = check(propstreetEnvelope, parsed, `The ${type} delivery${id}`);
	if (!checked.ok) return { ok: false, message: checked.message, path: checked.path };
	const envelope = checked.value;
	return {
		ok: true,
		envelope: {
			type: envelope.type,
			timestamp: typeof envelope.timestamp === 'string' ? envelope.timestamp : null,
			data: envelope.data as Record<string, unknown>,
			action: isRecord(envelope.action) ? envelope.action : null,
		},
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function entityOfEvent(eventType: string): PropstreetEntity | null {
	const entity = eventType.split('.')[0] as PropstreetEntity;
	return WEBHOOK_ENTITIES.includes(entity) ? entity : null;
}

export interface TriggerItem {
	[key: string]: unknown;
	event: string;
	entity: PropstreetEntity | null;
	entityId: string | null;
	occurredAt: string | null;
	changeOrigin: string | null;
	changeType: string | null;
	action: string | null;
	deliveryId: string | null;
	isTest: boolean;
	/** True when the event is a deletion or the record no longer exists. */
	deleted: boolean;
	/** True when `data` is the record as fetched just now rather than the delivered copy. */
	fetched: boolean;
	data: Record<string, unknown>;
}

function textOrNull(value: unknown): string | null {
	return value === undefined || value === null || value === '' ? null : String(value);
}

/** The item for one delivery, from the delivered data (the node may swap in a fresh copy). */
export function deliveryItem(envelope: WebhookEnvelope, deliveryId: string, isTest: boolean): TriggerItem {
	const entity = entityOfEvent(envelope.type);
	return {
		event: envelope.type,
		entity,
		entityId: textOrNull(envelope.data.id),
		occurredAt: envelope.timestamp,
		changeOrigin: textOrNull(envelope.data.changeOrigin),
		changeType: textOrNull(envelope.data.changeType),
		action: textOrNull(envelope.action?.type),
		deliveryId,
		isTest,
		deleted: envelope.type.endsWith('.deleted') || textOrNull(envelope.data.deletedUtc) !== null,
		fetched: false,
		data: envelope.data,
	};
}

/** The item for one polled change: the same shape as a webhook item, so workflows can share logic. */
export function polledItem(change: PollChange): TriggerItem {
	const record = change.record as Record<string, unknown>;
	const entity = entityOfEvent(change.event);
	return {
		event: change.event,
		entity,
		entityId: textOrNull(record.id),
		occurredAt: textOrNull(record.deletedUtc) ?? textOrNull(record.updatedUtc),
		changeOrigin: textOrNull(record.changeOrigin),
		changeType: textOrNull(record.changeType),
		action: null,
		deliveryId: null,
		isTest: false,
		deleted: change.kind === 'deleted',
		// A list row is the record as it is now, which is what "fetched" promises.
		fetched: true,
		data: record,
	};
}

/**
 * Reading the current record while Propstreet waits for our answer ("Fetch Current Record").
 *
 * Propstreet gives a delivery at most 10 s, so the trigger tries the read at most twice, waiting at
 * most 2 s in between. If it still fails, the trigger answers instead of throwing: a thrown error
 * would make n8n record a failed execution (and run the error workflow) for every rate-limit blip.
 * - Transient (429, 500, 502, 503, 504, timeout, dropped or refused connection): 503 with
 *   `Retry-After`, no execution, the delivery id not remembered, so Propstreet's own retry
 *   (1 min, 5 min, …) brings the change again.
 * - Anything else (401/403 from our credential, 400, …): 500 with a short JSON reason, which shows
 *   up in Propstreet's delivery log; no execution either.
 */
export const RECORD_FETCH_MAX_ATTEMPTS = 2;
export const RECORD_FETCH_MAX_DELAY_MS = 2000;
/** Retry-After we send when Propstreet gave no hint. */
export const DEFAULT_RECORD_FETCH_RETRY_AFTER_SECONDS = 60;
const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

/** Every HTTP error status: the trigger reads them all itself rather than letting the transport throw. */
export const RECORD_FETCH_HANDLED_STATUSES: readonly number[] = Array.from({ length: 200 }, (_, i) => 400 + i);

/** Connection failures that are not in the transport's retry list but still mean "Propstreet is unreachable". */
const UNREACHABLE_CODES = ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT'];
/** Codes worth naming in the answer. */
const CONNECTION_CODES = [
	...UNREACHABLE_CODES,
	'ETIMEDOUT',
	'ECONNRESET',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'UND_ERR_SOCKET',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
];

/**
 * The error and what it wraps: `cause`, and `errorResponse` where an n8n error keeps a wrapped
 * value it did not recognise as an Error (e.g. one from another realm).
 */
function errorChain(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	const queue: unknown[] = [error];
	while (queue.length && chain.length < 8) {
		const next = queue.shift();
		if (!next || typeof next !== 'object' || chain.includes(next as Record<string, unknown>)) continue;
		const e = next as Record<string, unknown>;
		chain.push(e);
		queue.push(e.cause, e.errorResponse);
	}
	return chain;
}

function errorCodeIn(error: unknown, codes: readonly string[]): string | null {
	for (const e of errorChain(error)) {
		for (const code of [e.code, e.httpCode]) {
			if (typeof code === 'string' && codes.includes(code.toUpperCase())) return code.toUpperCase();
		}
	}
	return null;
}

/** Timeouts, dropped connections and refused connections. */
export function isConnectionFailure(error: unknown): boolean {
	return errorChain(error).some((e) => isTransientNetworkError(e)) || errorCodeIn(error, UNREACHABLE_CODES) !== null;
}

export interface RecordFetchFailure {
	/** 0-based: 0 is the first try. */
	attempt: number;
	/** HTTP status of the answer; absent when the request failed without one. */
	status?: number;
	headers?: HeaderBag;
	body?: unknown;
	/** The error thrown when there was no HTTP answer. */
	error?: unknown;
	nowMs: number;
	random: () => number;
	maxAttempts?: number;
	maxDelayMs?: number;
}

export type RecordFetchStep =
	| { action: 'retry'; delayMs: number }
	/** Answer 503 with Retry-After. */
	| { action: 'unavailable'; retryAfterSeconds: number; status: number | null; reason: string }
	/** Answer 500 with the reason. */
	| { action: 'failed'; status: number | null; reason: string };

/** The wait Propstreet asked for (ms): Retry-After, or RateLimit-Reset when the window is used up. */
function serverHintMs(status: number | undefined, headers: HeaderBag | undefined, nowMs: number): number | undefined {
	const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'), nowMs);
	if (retryAfter !== undefined) return retryAfter;
	// RateLimit-Reset rides on every response; it only says when to come back on a 429 or an
	// exhausted window.
	const remaining = headerValue(headers, 'ratelimit-remaining');
	if (status === 429 || (remaining !== undefined && Number(remaining) <= 0)) {
		return parseRateLimitReset(headerValue(headers, 'ratelimit-reset'));
	}
	return undefined;
}

/** Keeps a message short and free of anything that looks like a credential. */
export function safeReason(text: string, maxLength = 200): string {
	const cleaned = text
		.replace(/\b(Bearer|Basic)\s+\S+/gi, '$1 [redacted]')
		.replace(/\b(access_token|token|secret|password|client_secret)=[^\s&]+/gi, '$1=[redacted]')
		.replace(/\s+/g, ' ')
		.trim();
	return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength - 1)}…` : cleaned;
}

const FAILED_HINTS: Record<number, string> = {
	401: 'Propstreet did not accept the credential; check the Propstreet credential of the trigger',
	403: 'the credential may not read this record; check its access in Propstreet',
	400: 'Propstreet refused the request',
};

/** What to do after a failed read of the current record (anything but 2xx and 404). */
export function nextRecordFetchStep(failure: RecordFetchFailure): RecordFetchStep {
	const maxAttempts = failure.maxAttempts ?? RECORD_FETCH_MAX_ATTEMPTS;
	const maxDelayMs = failure.maxDelayMs ?? RECORD_FETCH_MAX_DELAY_MS;
	const { status } = failure;
	const transient = status !== undefined ? isRetryableStatus(status) : isConnectionFailure(failure.error);

	if (!transient) {
		if (status !== undefined) {
			const title = summarizeProblem(status, failure.body).message;
			const hint = FAILED_HINTS[status];
			return { action: 'failed', status, reason: safeReason(hint ? `${title}: ${hint}` : title) };
		}
		const message = failure.error instanceof Error ? failure.error.message : String(failure.error ?? 'unknown error');
		return { action: 'failed', status: null, reason: safeReason(`The request to Propstreet failed: ${message}`) };
	}

	const hintMs = serverHintMs(status, failure.headers, failure.nowMs);
	// Retry only when it fits the budget: waiting out a 30 s rate-limit window here would only make
	// Propstreet give up on us.
	if (failure.attempt + 1 < maxAttempts && (hintMs === undefined || hintMs <= maxDelayMs)) {
		const delayMs = Math.min(
			maxDelayMs,
			retryDelay({ attempt: failure.attempt, status, headers: failure.headers, nowMs: failure.nowMs, random: failure.random }),
		);
		return { action: 'retry', delayMs };
	}
	const retryAfterSeconds =
		hintMs === undefined
			? DEFAULT_RECORD_FETCH_RETRY_AFTER_SECONDS
			: Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(hintMs / 1000)));
	const code = status === undefined ? errorCodeIn(failure.error, CONNECTION_CODES) : null;
	const reason =
		status !== undefined
			? `Propstreet answered ${status} while the current record was read`
			: `Propstreet could not be reached while the current record was read${code ? ` (${code})` : ''}`;
	return { action: 'unavailable', retryAfterSeconds, status: status ?? null, reason };
}
