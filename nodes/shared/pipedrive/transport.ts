/**
 * The one HTTP layer for Pipedrive in this package. Our nodes may not use n8n's built-in Pipedrive
 * credential (strict lint: no-credential-reuse), so they call Pipedrive through here with the
 * package's own `propstreetPipedriveApi` credential. pipedriveRequest
 * - authenticates with the credential (`x-api-token` header) and reads status and headers itself
 *   (returnFullResponse + ignoreHttpStatusErrors);
 * - never follows redirects: n8n strips only Authorization and cookies on a cross-origin redirect,
 *   not `x-api-token`, so following one could hand the token to another host;
 * - retries 429 (Retry-After or the burst reset), 5xx and timeouts a bounded number of times with
 *   `sleep`, but never replays a POST that may have reached the server (Pipedrive has no
 *   idempotency key; see core/pipedrive/retry.ts), and never retries a spent daily budget;
 * - waits for the burst window to reset when the last answer said it is used up, so a busy sync
 *   does not earn the 403 block API tokens get for ignoring 429s;
 * - records the rate-limit headers per n8n context (`lastRateLimit`);
 * - turns `{ success: false, error, error_info }` and the HTML block page into NodeApiError naming
 *   the operation, unless the caller accepts the status (e.g. 404 on a lookup).
 * It logs no headers and no credential values.
 */
import {
	NodeApiError,
	NodeOperationError,
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
import { DEFAULT_BACKOFF } from '../core/http/backoff';
import {
	burstPauseMs,
	collectPipedrivePages,
	dailyBudgetExhaustedMessage,
	dailyReadingOf,
	isDailyLimitHit,
	paceState,
	normalizeHeaders,
	pageQuery,
	parseResponseBody,
	pipedriveRetryDelay,
	readPipedrivePage,
	readRateLimit,
	shouldRetryPipedrive,
	summarizePipedriveError,
	type PaceState,
	type PipedriveRateLimit,
} from '../core/pipedrive';
import { contextState } from '../contextState';
import { accountKeyOf, dailyBudgetReading, rememberDailyBudget } from './dailyBudgetMemory';

export const PIPEDRIVE_CREDENTIAL = 'propstreetPipedriveApi';
export const DEFAULT_PIPEDRIVE_BASE_URL = 'https://api.pipedrive.com';
export const DEFAULT_PIPEDRIVE_TIMEOUT_MS = 30_000;
export const DEFAULT_PIPEDRIVE_MAX_ATTEMPTS = 5;
/** Pipedrive's largest page (v1 and v2). */
export const PIPEDRIVE_MAX_PAGE_SIZE = 500;

/** Every n8n context that may call Pipedrive. */
export type PipedriveContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions | IPollFunctions;

export interface PipedriveRequest {
	method: IHttpRequestMethods;
	/** Under the base URL: `/api/v2/...` or `/v1/...` (also `/api/v1/...`). */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	/** Statuses handed back instead of thrown (e.g. 404 on a lookup). */
	acceptStatuses?: number[];
	itemIndex?: number;
	/** What the call is for, e.g. `Updating Pipedrive person 12`; starts the error message. */
	operation?: string;
	/** Attempts in total (1 = no retry). */
	maxAttempts?: number;
	/** Longest single wait before a retry (ms), server hints included. */
	maxDelayMs?: number;
	timeoutMs?: number;
}

export interface PipedriveResponse<T = unknown> {
	status: number;
	headers: Record<string, string>;
	body: T;
	/** The rate-limit headers of this answer, if it had any. */
	rateLimit?: PipedriveRateLimit;
}

interface ContextState {
	baseUrl?: string;
	/** Base URL + token hash: whose daily budget the answers describe. */
	account?: string;
	rateLimit?: PipedriveRateLimit;
}

const stateOf = contextState<ContextState>();

/**
 * The rate-limit headers of the latest Pipedrive answer seen in this n8n context (burst window,
 * daily token budget, POST/PUT fair-use count), for a caller that wants to slow down near a limit.
 */
export function lastRateLimit(ctx: PipedriveContext): PipedriveRateLimit | undefined {
	return stateOf(ctx).rateLimit;
}

async function baseUrlOf(ctx: PipedriveContext): Promise<string> {
	const state = stateOf(ctx);
	if (state.baseUrl) return state.baseUrl;
	const credentials = await ctx.getCredentials(PIPEDRIVE_CREDENTIAL);
	state.baseUrl = String(credentials.baseUrl || DEFAULT_PIPEDRIVE_BASE_URL).trim().replace(/\/+$/, '');
	state.account = accountKeyOf(state.baseUrl, String(credentials.apiToken ?? ''));
	return state.baseUrl;
}

/**
 * How much of the day's Pipedrive budget this account has left, as last read by any execution in
 * this process, and whether that is below `belowPercent` %. Reads the credential, makes no call.
 */
export async function pipedriveDailyPace(ctx: PipedriveContext, belowPercent?: number): Promise<PaceState> {
	await baseUrlOf(ctx);
	const account = stateOf(ctx).account;
	return paceState(account ? dailyBudgetReading(account) : undefined, Date.now(), belowPercent);
}

function noteRateLimit(state: ContextState, info: PipedriveRateLimit): void {
	state.rateLimit = info;
	const reading = dailyReadingOf(info);
	if (reading && state.account) rememberDailyBudget(state.account, reading);
}

/** Only API paths: keeps a caller's string from reaching another endpoint or host. */
function checkPath(ctx: PipedriveContext, request: PipedriveRequest): void {
	const { path } = request;
	if (!/^\/(api\/v2|api\/v1|v1)\//.test(path) || /\.\.|\/\/|[?#\\]/.test(path)) {
		throw new NodeOperationError(ctx.getNode(), `${label(request)}: not a Pipedrive API path: ${path}`, { itemIndex: request.itemIndex });
	}
}

function label(request: PipedriveRequest): string {
	return request.operation ?? `Pipedrive ${request.method} ${request.path}`;
}

function buildOptions(baseUrl: string, request: PipedriveRequest): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		headers: { Accept: 'application/json' },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: request.timeoutMs ?? DEFAULT_PIPEDRIVE_TIMEOUT_MS,
	};
	const qs: IDataObject = {};
	for (const [key, value] of Object.entries(request.qs ?? {})) if (value !== undefined && value !== null && value !== '') qs[key] = value;
	if (Object.keys(qs).length) options.qs = qs;
	if (request.body !== undefined) options.body = request.body;
	return options;
}

/** The NodeApiError for an answer the caller cannot use. */
export function pipedriveApiError(ctx: PipedriveContext, response: PipedriveResponse, request: PipedriveRequest): NodeApiError {
	const summary = summarizePipedriveError(response.status, response.body);
	let { message, description } = summary;
	if (response.status >= 300 && response.status < 400) {
		const target = response.headers.location ?? 'another address';
		message = `Pipedrive answered with a redirect (${response.status}) to ${target}; not followed, so the API token stays with Pipedrive`;
		description = 'Check the Base URL of the Pipedrive credential.';
	}
	const errorBody = response.body && typeof response.body === 'object' ? (response.body as JsonObject) : ({ message: String(response.body ?? '') } as JsonObject);
	return new NodeApiError(ctx.getNode(), errorBody, {
		message: `${label(request)}: ${message}`,
		description: description ?? `${request.method} ${request.path}`,
		httpCode: String(response.status),
		itemIndex: request.itemIndex,
	});
}

/** The spent daily budget: a clear error instead of retries that cannot help before midnight. */
function dailyBudgetError(ctx: PipedriveContext, response: PipedriveResponse, request: PipedriveRequest): NodeApiError {
	const { message, description } = dailyBudgetExhaustedMessage(response.rateLimit);
	const errorBody = response.body && typeof response.body === 'object' ? (response.body as JsonObject) : ({ message: String(response.body ?? '') } as JsonObject);
	return new NodeApiError(ctx.getNode(), errorBody, { message: `${label(request)}: ${message}`, description, httpCode: '429', itemIndex: request.itemIndex });
}

type Attempt<T> = { response: PipedriveResponse<T> } | { error: unknown };

async function sendOnce<T>(ctx: PipedriveContext, options: IHttpRequestOptions): Promise<Attempt<T>> {
	try {
		const raw = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, PIPEDRIVE_CREDENTIAL, { ...options, headers: { ...options.headers } })) as {
			statusCode: number;
			headers: unknown;
			body: unknown;
		};
		const headers = normalizeHeaders(raw.headers);
		const response: PipedriveResponse<T> = { status: Number(raw.statusCode), headers, body: parseResponseBody(raw.body) as T };
		response.rateLimit = readRateLimit(headers, Date.now());
		return { response };
	} catch (error) {
		return { error };
	}
}

function isSuccess(response: PipedriveResponse): boolean {
	const envelope = response.body as { success?: unknown } | undefined;
	return response.status >= 200 && response.status < 300 && !(envelope && typeof envelope === 'object' && envelope.success === false);
}

function transitError(ctx: PipedriveContext, request: PipedriveRequest, error: unknown): NodeApiError {
	const cause = (error instanceof NodeApiError ? (error.cause ?? error) : error) as JsonObject;
	const apiError = new NodeApiError(ctx.getNode(), cause, { itemIndex: request.itemIndex });
	// NodeApiError words known network codes itself (and ignores a given message for them); prefix that.
	apiError.message = `${label(request)}: the request failed in transit: ${apiError.message}`;
	return apiError;
}

/**
 * One logical request, with retries. Returns 2xx answers and `acceptStatuses`; throws NodeApiError
 * for anything else.
 */
export async function pipedriveRequest<T = unknown>(ctx: PipedriveContext, request: PipedriveRequest): Promise<PipedriveResponse<T>> {
	checkPath(ctx, request);
	const options = buildOptions(await baseUrlOf(ctx), request);
	const maxAttempts = request.maxAttempts ?? DEFAULT_PIPEDRIVE_MAX_ATTEMPTS;
	const capDelay = (ms: number) => Math.min(ms, request.maxDelayMs ?? DEFAULT_BACKOFF.maxServerDelayMs);
	const state = stateOf(ctx);
	for (let attempt = 0; ; attempt++) {
		const pause = burstPauseMs(state.rateLimit, Date.now());
		if (pause > 0) {
			await sleep(capDelay(pause));
			state.rateLimit = { ...state.rateLimit!, burstRemaining: undefined };
		}
		const result = await sendOnce<T>(ctx, options);
		if ('error' in result) {
			if (!shouldRetryPipedrive({ method: request.method, attempt, maxAttempts, networkError: result.error })) throw transitError(ctx, request, result.error);
			await sleep(capDelay(pipedriveRetryDelay({ attempt, random: Math.random })));
			continue;
		}
		const { response } = result;
		if (response.rateLimit) noteRateLimit(state, response.rateLimit);
		if (isSuccess(response) || request.acceptStatuses?.includes(response.status)) return response;
		if (isDailyLimitHit(response.status, response.rateLimit)) throw dailyBudgetError(ctx, response, request);
		if (!shouldRetryPipedrive({ method: request.method, attempt, maxAttempts, status: response.status, rateLimit: response.rateLimit })) {
			throw pipedriveApiError(ctx, response, request);
		}
		ctx.logger?.debug?.(`${label(request)} answered ${response.status}; retry ${attempt + 1}`);
		await sleep(capDelay(pipedriveRetryDelay({ attempt, status: response.status, rateLimit: response.rateLimit, random: Math.random })));
		// That wait covered the window reset the answer announced.
		if (state.rateLimit) state.rateLimit = { ...state.rateLimit, burstRemaining: undefined };
	}
}

export interface PipedriveListOptions {
	/** Stop after this many rows; default all. */
	limit?: number;
	/** Most pages to read before giving up with an error (default 200, i.e. 100 000 rows at 500 a page). */
	maxPages?: number;
	itemIndex?: number;
	operation?: string;
}

/**
 * GET a list and follow its pages: v2 cursors (`additional_data.next_cursor`) or v1 offsets
 * (`additional_data.pagination.next_start`). A list longer than `maxPages` is an error, not a
 * silently shortened answer.
 */
export async function pipedriveList<T = IDataObject>(ctx: PipedriveContext, path: string, qs: IDataObject = {}, options: PipedriveListOptions = {}): Promise<T[]> {
	const pageSize = Math.min(PIPEDRIVE_MAX_PAGE_SIZE, Math.max(1, Math.floor(options.limit ?? PIPEDRIVE_MAX_PAGE_SIZE)));
	const maxPages = options.maxPages ?? 200;
	const { items, truncated } = await collectPipedrivePages<T>({
		maxPages,
		limit: options.limit,
		fetchPage: async (token) => {
			const response = await pipedriveRequest(ctx, {
				method: 'GET',
				path,
				qs: { limit: pageSize, ...qs, ...pageQuery(token) },
				itemIndex: options.itemIndex,
				operation: options.operation,
			});
			return readPipedrivePage<T>(response.body);
		},
	});
	if (truncated) {
		// A partial list taken for the whole (e.g. custom fields) would do more harm than an error.
		throw new NodeOperationError(ctx.getNode(), `${options.operation ?? `Listing Pipedrive ${path}`}: more than ${maxPages} pages; stopped rather than use part of the list`, {
			itemIndex: options.itemIndex,
		});
	}
	return items;
}
