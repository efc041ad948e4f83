/**
 * The trigger's small HTTP layer: credential choice, base URL, retries on 429/5xx and
 * problem+json → NodeApiError. A stopgap so the trigger does not wait for the Propstreet node's
 * transport; the lead will merge the two.
 */
import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type IPollFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';
import { retryDelay, shouldRetry, summarizeProblem } from '../shared/core/http';

export type PropstreetContext = IHookFunctions | IWebhookFunctions | IPollFunctions;

export const DEFAULT_BASE_URL = 'https://app.propstreet.com';

export function credentialTypeOf(context: PropstreetContext): 'propstreetApi' | 'propstreetOAuth2Api' {
	const authentication = context.getNodeParameter('authentication', 'accessToken') as string;
	return authentication === 'oAuth2' ? 'propstreetOAuth2Api' : 'propstreetApi';
}

export async function baseUrlOf(context: PropstreetContext): Promise<string> {
	const credentials = await context.getCredentials(credentialTypeOf(context));
	const baseUrl = typeof credentials.baseUrl === 'string' && credentials.baseUrl ? credentials.baseUrl : DEFAULT_BASE_URL;
	return baseUrl.replace(/\/+$/, '');
}

export interface PropstreetResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
}

export interface RequestSettings {
	qs?: IDataObject;
	body?: IDataObject;
	/** Attempts in total, retries on 429/500/502/503/504 and dropped connections. Default 4. */
	maxAttempts?: number;
	/** Longest single wait between attempts (ms). Default 30 s. */
	maxDelayMs?: number;
}

/** One call with retries; returns every status (callers decide what 404 means). */
export async function propstreetRawRequest(
	context: PropstreetContext,
	method: IHttpRequestMethods,
	path: string,
	settings: RequestSettings = {},
): Promise<PropstreetResponse> {
	const credentialType = credentialTypeOf(context);
	const baseUrl = await baseUrlOf(context);
	const maxAttempts = settings.maxAttempts ?? 4;
	const maxDelayMs = settings.maxDelayMs ?? 30_000;
	const options: IHttpRequestOptions = {
		method,
		url: `${baseUrl}${path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (settings.qs) options.qs = settings.qs;
	if (settings.body) options.body = settings.body;

	for (let attempt = 0; ; attempt++) {
		let response: PropstreetResponse;
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				credentialType,
				options,
			)) as PropstreetResponse;
		} catch (error) {
			if (shouldRetry({ attempt, maxAttempts, networkError: error })) {
				await sleep(Math.min(maxDelayMs, retryDelay({ attempt, nowMs: Date.now(), random: Math.random })));
				continue;
			}
			throw new NodeApiError(context.getNode(), error as JsonObject, {
				message: `Propstreet could not be reached: ${method} ${path}`,
			});
		}
		if (shouldRetry({ attempt, maxAttempts, status: response.statusCode })) {
			const wait = retryDelay({
				attempt,
				status: response.statusCode,
				headers: response.headers,
				nowMs: Date.now(),
				random: Math.random,
			});
			await sleep(Math.min(maxDelayMs, wait));
			continue;
		}
		return response;
	}
}

export function isSuccess(status: number): boolean {
	return status >= 200 && status < 300;
}

/** The API error for a non-2xx answer, with the problem+json title and field errors. */
export function apiError(context: PropstreetContext, response: PropstreetResponse, what: string): NodeApiError {
	const summary = summarizeProblem(response.statusCode, response.body);
	const body =
		response.body && typeof response.body === 'object'
			? (response.body as JsonObject)
			: ({ message: String(response.body ?? '') } as JsonObject);
	return new NodeApiError(context.getNode(), body, {
		httpCode: String(response.statusCode),
		message: `${what}: ${summary.message}`,
		description: summary.description,
	});
}

/** A call that must succeed: returns the body, or throws NodeApiError. */
export async function propstreetRequest(
	context: PropstreetContext,
	method: IHttpRequestMethods,
	path: string,
	settings: RequestSettings = {},
): Promise<unknown> {
	const response = await propstreetRawRequest(context, method, path, settings);
	if (!isSuccess(response.statusCode)) throw apiError(context, response, `${method} ${path} failed`);
	return response.body;
}
