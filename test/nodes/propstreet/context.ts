/**
 * A mocked IExecuteFunctions / ILoadOptionsFunctions whose httpRequestWithAuthentication does real
 * HTTP through n8n's own outbound client (the one n8n-core uses), adding the Bearer token the way the
 * credential's `authenticate` block does, and wrapping client errors in NodeApiError as n8n-core does.
 */
import 'reflect-metadata';
import { Container } from '@n8n/di';
import { OutboundHttp } from '@n8n/backend-network';
import { mock } from 'jest-mock-extended';
import {
	NodeApiError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { Propstreet } from '../../../nodes/Propstreet/Propstreet.node';

export const node: INode = {
	id: 'propstreet-node',
	name: 'Propstreet',
	type: 'n8n-nodes-propstreet.propstreet',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export type ParamValue = unknown | ((itemIndex: number) => unknown);

export interface SentRequest {
	credentialType: string;
	method: string;
	url: string;
	headers: Record<string, string>;
	body: unknown;
	qs: unknown;
}

export interface ContextOptions {
	baseUrl: string;
	token: string;
	params: Record<string, ParamValue>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** Runs before each HTTP call is sent (e.g. to simulate a concurrent edit). */
	beforeSend?: (request: SentRequest) => void | Promise<void>;
}

export interface TestContext {
	ctx: IExecuteFunctions;
	sent: SentRequest[];
	logs: unknown[][];
}

function resolveParam(params: Record<string, ParamValue>, name: string, itemIndex: number, fallback: unknown, extract: boolean): unknown {
	if (!(name in params)) {
		if (fallback !== undefined) return fallback;
		throw new Error(`Could not get parameter "${name}"`);
	}
	let value = params[name];
	if (typeof value === 'function') value = (value as (i: number) => unknown)(itemIndex);
	if (extract && value && typeof value === 'object' && 'mode' in (value as object) && 'value' in (value as object)) {
		return (value as { value: unknown }).value;
	}
	return value;
}

export function makeContext(options: ContextOptions): TestContext {
	const sent: SentRequest[] = [];
	const logs: unknown[][] = [];
	const ctx = mock<IExecuteFunctions>();
	const items = options.items ?? [{ json: {} }];
	ctx.getInputData.mockReturnValue(items);
	ctx.getNode.mockReturnValue(node);
	ctx.continueOnFail.mockReturnValue(!!options.continueOnFail);
	ctx.getCredentials.mockResolvedValue({ accessToken: options.token, baseUrl: options.baseUrl });
	(ctx.getNodeParameter as unknown as jest.Mock).mockImplementation(
		(name: string, itemIndex: number, fallback?: unknown, opts?: { extractValue?: boolean }) =>
			resolveParam(options.params, name, itemIndex, fallback, !!opts?.extractValue),
	);
	const logger = { debug: (...a: unknown[]) => logs.push(a), info: (...a: unknown[]) => logs.push(a), warn: (...a: unknown[]) => logs.push(a), error: (...a: unknown[]) => logs.push(a) };
	(ctx as unknown as { logger: unknown }).logger = logger;
	const client = Container.get(OutboundHttp).requests() as unknown as { request(o: IHttpRequestOptions): Promise<unknown> };
	const httpRequestWithAuthentication = jest.fn(async (credentialType: string, request: IHttpRequestOptions) => {
		const headers = { ...(request.headers as Record<string, string>), Authorization: `Bearer ${options.token}` };
		const entry: SentRequest = { credentialType, method: String(request.method), url: request.url, headers, body: request.body, qs: request.qs };
		sent.push(entry);
		if (options.beforeSend) await options.beforeSend(entry);
		try {
			return await client.request({ ...request, headers });
		} catch (error) {
			throw new NodeApiError(node, error as JsonObject);
		}
	});
	(ctx as unknown as { helpers: unknown }).helpers = { httpRequestWithAuthentication };
	return { ctx, sent, logs };
}

export async function run(options: ContextOptions): Promise<TestContext & { output: INodeExecutionData[] }> {
	const test = makeContext(options);
	const [output] = await new Propstreet().execute.call(test.ctx);
	return { ...test, output };
}

export function makeLoadOptionsContext(baseUrl: string, token: string, params: Record<string, unknown> = {}): ILoadOptionsFunctions {
	const ctx = mock<ILoadOptionsFunctions>();
	ctx.getNode.mockReturnValue(node);
	ctx.getCredentials.mockResolvedValue({ accessToken: token, baseUrl });
	(ctx.getNodeParameter as unknown as jest.Mock).mockImplementation((name: string, fallback?: unknown) => (name in params ? params[name] : fallback));
	const client = Container.get(OutboundHttp).requests() as unknown as { request(o: IHttpRequestOptions): Promise<unknown> };
	(ctx as unknown as { helpers: unknown }).helpers = {
		httpRequestWithAuthentication: jest.fn(async (_type: string, request: IHttpRequestOptions) =>
			client.request({ ...request, headers: { ...(request.headers as Record<string, string>), Authorization: `Bearer ${token}` } }),
		),
	};
	return ctx;
}

/** Resource-locator value in "By ID" mode. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
