/**
 * The one HTTP layer for Propstreet. Every call of the Propstreet node (operations, sync steps,
 * list searches) and of the two trigger nodes (webhook subscriptions, re-reading a delivered
 * record, polling) goes through propstreetRequest, which
 * - authenticates with the node's credential (the Propstreet API credential: personal token or
 *   OAuth2 client credentials; or the legacy OAuth2 credential), and when a client-credentials
 *   token is refused with 401 has n8n fetch a new one and send the call again (resendForNewToken),
 * - reads status and headers itself (returnFullResponse + ignoreHttpStatusErrors),
 * - retries 429, 500/502/503/504 and timeouts a bounded number of times, waiting with `sleep`
 *   for Retry-After / RateLimit-Reset or a capped, jittered exponential delay,
 * - gives every POST an Idempotency-Key and reuses it on each retry, so a POST whose response was
 *   lost to a timeout is replayed by the server, not duplicated,
 * - turns problem+json into NodeApiError with the field errors in the description, unless the
 *   caller listed the status in `acceptStatuses` (e.g. 404 meaning "gone").
 * - never follows a redirect (the token must not travel to another host): a 3xx is an error
 *   naming where it pointed.
 * It logs no headers and no credential values.
 */
import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';
import {
	DEFAULT_BACKOFF,
	MAX_ATTEMPTS_RANGE,
	collectPages,
	headerValue,
	pageSizeFor,
	parseRateLimitReset,
	readPage,
	retryDelay,
	shouldRetry,
	summarizeProblem,
} from '../../shared/core/http';
import { clampInteger } from '../../shared/core/clamp';
import { newIdempotencyKey } from '../../shared/core/sync/idempotency';
import {
	authenticationProperty,
	credentialTypeFor,
	DEFAULT_AUTHENTICATION,
	propstreetCredentials,
	type PropstreetCredentialType,
} from './authentication';
import { contextState } from '../../shared/contextState';

/** Every n8n context that calls Propstreet: action, list search, webhook lifecycle, delivery, poll. */
export type PropstreetContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions | IPollFunctions;

export { authenticationProperty, propstreetCredentials, type PropstreetCredentialType };

export const DEFAULT_BASE_URL = 'https://app.propstreet.com';
/** Propstreet's documented request timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface PropstreetRequest {
	method: IHttpRequestMethods;
	/** Path under the base URL, e.g. `/api/v1/network/contacts`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	headers?: Record<string, string>;
	/** Sent as If-Match (optimistic concurrency); a stale value gets 412. */
	ifMatch?: string;
	/** For POST; generated when absent, and reused on every retry either way. */
	idempotencyKey?: string;
	/** Statuses handed back to the caller instead of thrown (e.g. 404 on a lookup, 412 in sync). */
	acceptStatuses?: number[];
	itemIndex?: number;
	/** Attempts in total for this call, over the node's Request Options (1 = no retry). */
	maxAttempts?: number;
	/** Longest single wait before a retry (ms), server hints included; default 120 s. */
	maxDelayMs?: number;
	/** What the call is for, e.g. `Deleting Propstreet webhook 5`; starts the error message. */
	operation?: string;
	/** Per-call timeout (ms), below the node's; e.g. a webhook answer that must come within 10 s. */
	timeoutMs?: number;
}

export interface PropstreetResponse<T = unknown> {
	statusCode: number;
	headers: Record<string, string>;
	body: T;
}

export interface TransportSettings {
	timeoutMs: number;
	maxAttempts: number;
}

/**
 * Limits for the trigger nodes' calls. They run while a workflow is activated or on a schedule,
 * where a long wait holds up activation or the next poll, so they retry less than an action does.
 */
export const TRIGGER_LIMITS: Readonly<Pick<PropstreetRequest, 'maxAttempts' | 'maxDelayMs'>> = { maxAttempts: 4, maxDelayMs: 30_000 };

interface ContextState {
	baseUrl?: string;
	credentialType?: PropstreetCredentialType;
	/** The credential exchanges client credentials for tokens that expire (so a 401 may be renewed). */
	renewsToken?: boolean;
	/** Set when a response said the rate-limit window is used up: wait before the next call. */
	pauseUntilMs?: number;
}

const stateOf = contextState<ContextState>();

/**
 * Only an execute context has input items, and only it takes an item index:
 * `getNodeParameter(name, itemIndex, fallback)`. Load-options, hook, webhook and poll contexts
 * take `getNodeParameter(name, fallback)`. Tested with `in`, not `typeof`, because mocked contexts
 * (proxies) make up any property that is read.
 */
function isItemContext(ctx: PropstreetContext): ctx is IExecuteFunctions {
	return 'getInputData' in ctx;
}

/** A transport setting; a node without it (the triggers have no Request Options) gets the fallback. */
function readParam(ctx: PropstreetContext, name: string, itemIndex: number, fallback: unknown): unknown {
	try {
		if (isItemContext(ctx)) return ctx.getNodeParameter(name, itemIndex, fallback as never);
		return (ctx as Exclude<PropstreetContext, IExecuteFunctions>).getNodeParameter(name, fallback as never);
	} catch {
		// An optional setting whose expression does not resolve falls back to its default.
		return fallback;
	}
}

export function credentialTypeOf(ctx: PropstreetContext, itemIndex = 0): PropstreetCredentialType {
	return credentialTypeFor(readParam(ctx, 'authentication', itemIndex, DEFAULT_AUTHENTICATION));
}

export function transportSettingsOf(ctx: PropstreetContext, itemIndex = 0): TransportSettings {
	const options = (readParam(ctx, 'requestOptions', itemIndex, {}) ?? {}) as IDataObject;
	const timeout = Number(options.timeout);
	return {
		timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
		// An expression can give any number; the editor's 1–12 does not apply to it.
		maxAttempts: clampInteger(options.maxAttempts, MAX_ATTEMPTS_RANGE),
	};
}

/** The credential's Base URL and whether its tokens expire, read once per context. */
async function credentialInfoOf(ctx: PropstreetContext, credentialType: PropstreetCredentialType): Promise<{ baseUrl: string; renewsToken: boolean }> {
	const state = stateOf(ctx);
	if (state.baseUrl && state.credentialType === credentialType) return { baseUrl: state.baseUrl, renewsToken: !!state.renewsToken };
	const credentials = await ctx.getCredentials(credentialType);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
	state.baseUrl = baseUrl;
	state.credentialType = credentialType;
	state.renewsToken = credentialType === 'propstreetOAuth2Api' || credentials.authType === 'clientCredentials';
	return { baseUrl, renewsToken: state.renewsToken };
}

function plainHeaders(raw: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (!raw || typeof raw !== 'object') return out;
	const source = typeof (raw as { toJSON?: () => unknown }).toJSON === 'function' ? ((raw as { toJSON: () => unknown }).toJSON() as object) : raw;
	for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
		if (value === undefined || value === null) continue;
		out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

function parseBody(body: unknown, headers: Record<string, string>): unknown {
	if (typeof body !== 'string') return body;
	const type = headers['content-type'] ?? '';
	const trimmed = body.trim();
	if (trimmed === '') return undefined;
	if (/json/i.test(type) || /^[[{]/.test(trimmed)) {
		try {
			return JSON.parse(trimmed);
		} catch {
			return body;
		}
	}
	return body;
}

function toResponse<T>(raw: { statusCode: number; headers: unknown; body: unknown }): PropstreetResponse<T> {
	const headers = plainHeaders(raw.headers);
	return { statusCode: Number(raw.statusCode), headers, body: parseBody(raw.body, headers) as T };
}

async function send<T>(ctx: PropstreetContext, credentialType: PropstreetCredentialType, options: IHttpRequestOptions): Promise<PropstreetResponse<T>> {
	const raw = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, { ...options, headers: { ...(options.headers ?? {}) } })) as {
		statusCode: number;
		headers: unknown;
		body: unknown;
	};
	return toResponse<T>(raw);
}

/** The HTTP answer inside an error n8n threw for a status (the client error sits in `cause`). */
function responseInError<T>(error: unknown): PropstreetResponse<T> | undefined {
	for (let e = error as { cause?: unknown; response?: unknown } | undefined, depth = 0; e && typeof e === 'object' && depth < 4; e = e.cause as typeof e, depth++) {
		const response = e.response as { status?: unknown; headers?: unknown; data?: unknown } | undefined;
		if (response && typeof response.status === 'number') return toResponse<T>({ statusCode: response.status, headers: response.headers, body: response.data });
	}
	return undefined;
}

/**
 * A 401 to a client-credentials credential means its stored token expired or was revoked. n8n renews
 * the token (the credential's preAuthentication, or the legacy type's OAuth2 refresh) only when the
 * request throws a 401, and the transport reads statuses itself (ignoreHttpStatusErrors), so the
 * call is sent once more with statuses thrown: n8n sees the 401, gets a new token and repeats the
 * call with it. Whatever that ends with comes back as a response for the usual handling.
 */
async function resendForNewToken<T>(ctx: PropstreetContext, credentialType: PropstreetCredentialType, options: IHttpRequestOptions): Promise<PropstreetResponse<T>> {
	try {
		return await send<T>(ctx, credentialType, { ...options, ignoreHttpStatusErrors: false });
	} catch (error) {
		const response = responseInError<T>(error);
		if (response) return response;
		throw error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), error as JsonObject);
	}
}

function withOperation(request: PropstreetRequest, message: string): string {
	return request.operation ? `${request.operation}: ${message}` : message;
}

/** The NodeApiError for an answer the caller cannot use, with the problem+json title and field errors. */
export function propstreetApiError(ctx: PropstreetContext, response: PropstreetResponse, request: PropstreetRequest): NodeApiError {
	const summary = summarizeProblem(response.statusCode, response.body);
	const errorBody =
		response.body && typeof response.body === 'object' ? (response.body as JsonObject) : ({ message: String(response.body ?? '') } as JsonObject);
	return new NodeApiError(ctx.getNode(), errorBody, {
		message: withOperation(request, summary.message),
		description: summary.description ?? `${request.method} ${request.path}`,
		httpCode: String(response.statusCode),
		itemIndex: request.itemIndex,
	});
}

/** The origin of a URL (relative to `base`): a Location may carry a query worth keeping out of logs. */
function originOf(url: string | undefined, base: string, fallback: string): string {
	if (!url) return fallback;
	try {
		return new URL(url, base).origin;
	} catch {
		return fallback;
	}
}

/** A 3xx is never followed: the error says where it pointed and what to check. */
function redirectError(ctx: PropstreetContext, response: PropstreetResponse, request: PropstreetRequest, baseUrl: string): NodeApiError {
	const target = originOf(response.headers.location, baseUrl, 'no readable Location');
	return new NodeApiError(ctx.getNode(), { message: `redirect ${response.statusCode}` } as JsonObject, {
		message: withOperation(request, `Propstreet answered ${request.method} ${request.path} with a redirect (${response.statusCode}) to ${target}`),
		description: `Redirects are not followed, so the credential is only ever sent to ${originOf(baseUrl, baseUrl, baseUrl)}. Check the Base URL in the Propstreet credential (e.g. https:// rather than http://, and no extra path).`,
		httpCode: String(response.statusCode),
		itemIndex: request.itemIndex,
	});
}

/**
 * One logical request, with retries. Returns the response for 2xx and for `acceptStatuses`;
 * throws NodeApiError for anything else.
 */
export async function propstreetRequest<T = unknown>(ctx: PropstreetContext, request: PropstreetRequest): Promise<PropstreetResponse<T>> {
	const itemIndex = request.itemIndex ?? 0;
	const credentialType = credentialTypeOf(ctx, itemIndex);
	const settings = transportSettingsOf(ctx, itemIndex);
	const maxAttempts = request.maxAttempts ?? settings.maxAttempts;
	const capDelay = (ms: number) => Math.min(ms, request.maxDelayMs ?? DEFAULT_BACKOFF.maxServerDelayMs);
	const { baseUrl, renewsToken } = await credentialInfoOf(ctx, credentialType);
	const state = stateOf(ctx);
	let tokenRenewed = false;

	const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...(request.headers ?? {}) };
	if (request.ifMatch) headers['If-Match'] = request.ifMatch;
	if (request.method === 'POST') headers['Idempotency-Key'] = request.idempotencyKey || newIdempotencyKey();

	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path.startsWith('/') ? '' : '/'}${request.path}`,
		headers,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ? Math.min(request.timeoutMs, settings.timeoutMs) : settings.timeoutMs,
		// The API never redirects. Following one would hand the token (n8n re-adds Authorization on a
		// cross-origin hop by default) and a replayed POST body to whatever host the Location names.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (request.qs) {
		const qs: IDataObject = {};
		for (const [k, v] of Object.entries(request.qs)) if (v !== undefined && v !== null && v !== '') qs[k] = v;
		if (Object.keys(qs).length) options.qs = qs;
	}
	if (request.body !== undefined) options.body = request.body;

	for (let attempt = 0; ; attempt++) {
		if (state.pauseUntilMs && state.pauseUntilMs > Date.now()) {
			await sleep(capDelay(state.pauseUntilMs - Date.now()));
			state.pauseUntilMs = undefined;
		}
		let response: PropstreetResponse<T>;
		try {
			response = await send<T>(ctx, credentialType, options);
			if (response.statusCode === 401 && renewsToken && !tokenRenewed) {
				tokenRenewed = true;
				response = await resendForNewToken<T>(ctx, credentialType, options);
			}
		} catch (error) {
			if (shouldRetry({ attempt, maxAttempts, networkError: error })) {
				const delay = capDelay(retryDelay({ attempt, nowMs: Date.now(), random: Math.random }));
				ctx.logger?.debug?.(`Propstreet ${request.method} ${request.path} failed in transit; retry ${attempt + 1} in ${delay} ms`);
				await sleep(delay);
				continue;
			}
			throw new NodeApiError(ctx.getNode(), (error instanceof NodeApiError ? (error.cause ?? error) : error) as JsonObject, {
				itemIndex: request.itemIndex,
				message: withOperation(request, `Propstreet ${request.method} ${request.path} failed: ${(error as Error).message}`),
			});
		}

		const remaining = headerValue(response.headers, 'ratelimit-remaining');
		if (remaining !== undefined && Number(remaining) <= 0) {
			const reset = parseRateLimitReset(headerValue(response.headers, 'ratelimit-reset'));
			state.pauseUntilMs = reset ? Date.now() + reset : undefined;
		}

		const status = response.statusCode;
		if (status >= 200 && status < 300) return response;
		if (request.acceptStatuses?.includes(status)) return response;
		if (status >= 300 && status < 400) throw redirectError(ctx, response, request, baseUrl);
		if (shouldRetry({ attempt, maxAttempts, status })) {
			const delay = capDelay(retryDelay({ attempt, status, headers: response.headers, nowMs: Date.now(), random: Math.random }));
			ctx.logger?.debug?.(`Propstreet ${request.method} ${request.path} answered ${status}; retry ${attempt + 1} in ${delay} ms`);
			await sleep(delay);
			// The wait above already covered the window reset the server announced.
			state.pauseUntilMs = undefined;
			continue;
		}
		throw propstreetApiError(ctx, response, request);
	}
}

/** GET a list and follow cursors: all rows, or up to `limit`. */
export async function propstreetList<T = IDataObject>(
	ctx: PropstreetContext,
	path: string,
	qs: IDataObject,
	options: { returnAll: boolean; limit?: number; itemIndex?: number },
): Promise<T[]> {
	const limit = options.returnAll ? undefined : Math.max(1, options.limit ?? 50);
	return collectPages<T>({
		limit,
		fetchPage: async (cursor) => {
			const response = await propstreetRequest(ctx, {
				method: 'GET',
				path,
				qs: { ...qs, page_size: qs.page_size ?? pageSizeFor(limit), cursor },
				itemIndex: options.itemIndex,
			});
			return readPage<T>(response.body);
		},
	});
}

/** ETag of a response: the header, else the body's `etag` field. */
export function etagOf(response: PropstreetResponse): string {
	const header = response.headers.etag;
	if (header) return header;
	const body = response.body as IDataObject | undefined;
	return body && typeof body.etag === 'string' ? body.etag : '';
}

export function encodePathSegment(value: string | number): string {
	return encodeURIComponent(String(value));
}
