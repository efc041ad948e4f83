/**
 * Mocked n8n contexts for the trigger nodes. Their `httpRequestWithAuthentication` does real HTTP
 * (global fetch) with the personal access token as Bearer, and mirrors the n8n options the
 * transport uses: headers, qs, json body, returnFullResponse, ignoreHttpStatusErrors.
 */
import type { IncomingHttpHeaders } from 'http';
import { mock } from 'jest-mock-extended';
import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	INode,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

export const TEST_NODE: INode = {
	id: 'node-1',
	name: 'Propstreet Trigger',
	type: 'n8n-nodes-propstreet.propstreetTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface HttpCall {
	credentialType: string;
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: unknown;
}

export function realHttp(token: string, calls: HttpCall[] = []) {
	return async function httpRequestWithAuthentication(credentialType: string, options: IHttpRequestOptions): Promise<unknown> {
		const url = new URL(options.url);
		for (const [key, value] of Object.entries(options.qs ?? {})) {
			if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
		}
		const method = options.method ?? 'GET';
		const headers: Record<string, string> = {
			Accept: 'application/json',
			...((options.headers ?? {}) as Record<string, string>),
			Authorization: `Bearer ${token}`,
		};
		calls.push({ credentialType, method, url: url.toString(), headers, body: options.body });
		let body: string | undefined;
		if (options.body !== undefined) {
			headers['Content-Type'] = 'application/json';
			body = JSON.stringify(options.body);
		}
		const response = await fetch(url, { method, headers, body });
		const text = await response.text();
		let parsed: unknown = text;
		if (text && /json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
		else if (text === '') parsed = undefined;
		if (!response.ok && !options.ignoreHttpStatusErrors) {
			throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
				httpCode: String(response.status),
				body: parsed,
			});
		}
		if (options.returnFullResponse) {
			return { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()), body: parsed };
		}
		return parsed;
	};
}

export interface ContextSetup {
	baseUrl: string;
	token?: string;
	parameters?: IDataObject;
	staticData?: IDataObject;
	calls?: HttpCall[];
}

function common<T>(context: T, setup: ContextSetup): T {
	const parameters: IDataObject = { authentication: 'accessToken', ...(setup.parameters ?? {}) };
	const staticData = setup.staticData ?? {};
	const c = context as unknown as Record<string, jest.Mock>;
	c.getNode.mockReturnValue(TEST_NODE);
	c.getNodeParameter.mockImplementation((name: string, fallback?: unknown) =>
		parameters[name] === undefined ? fallback : parameters[name],
	);
	c.getWorkflowStaticData.mockReturnValue(staticData);
	c.getCredentials.mockResolvedValue({ accessToken: setup.token ?? 'propstreet-dev-token', baseUrl: setup.baseUrl });
	Object.assign(context as object, {
		helpers: { httpRequestWithAuthentication: jest.fn(realHttp(setup.token ?? 'propstreet-dev-token', setup.calls)) },
		logger: { warn: jest.fn(), info: jest.fn(), debug: jest.fn(), error: jest.fn() },
	});
	return context;
}

export function hookContext(setup: ContextSetup & { webhookUrl: string }) {
	const context = common(mock<IHookFunctions>(), setup);
	context.getNodeWebhookUrl.mockReturnValue(setup.webhookUrl);
	context.getMode.mockReturnValue('trigger');
	return context;
}

export interface FakeResponse {
	status?: number;
	headers?: Record<string, string>;
	body?: string;
	writeHead(status: number, headers?: Record<string, string>): FakeResponse;
	end(body?: string): FakeResponse;
}

export function fakeResponse(): FakeResponse {
	const res: FakeResponse = {
		writeHead(status, headers) {
			res.status = status;
			res.headers = headers;
			return res;
		},
		end(body) {
			res.body = body;
			return res;
		},
	};
	return res;
}

export function webhookContext(
	setup: ContextSetup & { rawBody: Buffer; headers: IncomingHttpHeaders; response?: FakeResponse },
) {
	const context = common(mock<IWebhookFunctions>(), setup);
	const response = setup.response ?? fakeResponse();
	context.getRequestObject.mockReturnValue({ rawBody: setup.rawBody, headers: setup.headers } as never);
	context.getResponseObject.mockReturnValue(response as never);
	context.getHeaderData.mockReturnValue(setup.headers);
	context.getMode.mockReturnValue('webhook');
	return { context, response };
}

export function pollContext(setup: ContextSetup & { mode?: 'manual' | 'trigger' }) {
	const context = common(mock<IPollFunctions>(), setup);
	context.getMode.mockReturnValue(setup.mode ?? 'trigger');
	Object.assign(context, { getPollBudgetMs: () => 60_000 });
	return context;
}
