/**
 * A mocked IExecuteFunctions for the sync state store: getCredentials returns a Propstreet Sync
 * State credential, and httpRequestWithAuthentication does real HTTP through n8n's outbound client,
 * adding the headers the credential's `authenticate` block declares.
 */
import 'reflect-metadata';
import { Container } from '@n8n/di';
import { OutboundHttp } from '@n8n/backend-network';
import { mock } from 'jest-mock-extended';
import { NodeApiError, type IExecuteFunctions, type IHttpRequestOptions, type INode, type JsonObject } from 'n8n-workflow';
import { PropstreetSyncStateApi } from '../../../credentials/PropstreetSyncStateApi.credentials';

export const node: INode = { id: 'sync-node', name: 'Sync', type: 'n8n-nodes-propstreet.propstreet', typeVersion: 1, position: [0, 0], parameters: {} };

export interface StoreCredential {
	baseUrl: string;
	apiKey: string;
	tableName?: string;
	claimRecheckMs?: number;
}

/** The credential's `authenticate` headers with `{{$credentials.x}}` filled in. */
function authHeaders(credential: Record<string, string | number>): Record<string, string> {
	const headers = (new PropstreetSyncStateApi().authenticate.properties.headers ?? {}) as Record<string, string>;
	return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace(/^=/, '').replace(/\{\{\$credentials\.(\w+)\}\}/g, (_m, f: string) => String(credential[f] ?? ''))]));
}

export function makeStoreContext(credential: StoreCredential): { ctx: IExecuteFunctions; warnings: string[] } {
	const ctx = mock<IExecuteFunctions>();
	const warnings: string[] = [];
	const values = { tableName: 'Propstreet sync state', ...credential };
	ctx.getNode.mockReturnValue(node);
	ctx.getCredentials.mockResolvedValue(values);
	(ctx as unknown as { logger: unknown }).logger = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
	const client = Container.get(OutboundHttp).requests() as unknown as { request(o: IHttpRequestOptions): Promise<unknown> };
	const httpRequestWithAuthentication = jest.fn(async (credentialType: string, request: IHttpRequestOptions) => {
		if (credentialType !== 'propstreetSyncStateApi') throw new Error(`unexpected credential ${credentialType}`);
		try {
			return await client.request({ ...request, headers: { ...(request.headers as Record<string, string>), ...authHeaders(values) } });
		} catch (error) {
			throw new NodeApiError(node, error as JsonObject);
		}
	});
	(ctx as unknown as { helpers: unknown }).helpers = { httpRequestWithAuthentication };
	return { ctx, warnings };
}
