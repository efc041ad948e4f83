/**
 * A mocked n8n execute context whose `httpRequestWithAuthentication` is n8n-core's real one: it reads
 * the credential through `getCredentials`, applies the `authenticate` block of this package's
 * `propstreetPipedriveApi` credential (via the in-process runner's credentials helper), and sends
 * the request with n8n's own outbound HTTP client. So a test sees exactly the headers, redirects and
 * error wrapping a real n8n would produce.
 */
import 'reflect-metadata';
import { mock } from 'jest-mock-extended';
import { Workflow, type IExecuteFunctions, type IHttpRequestOptions, type INode, type INodeType, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
// Not re-exported from n8n-core's index; the module is the one n8n's execute contexts call.
import { httpRequestWithAuthentication } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/authentication';
import { RunnerCredentialTypes, RunnerCredentialsHelper, RunnerNodeTypes } from '../../helpers/n8nRunner';
import { PIPEDRIVE_CREDENTIAL } from '../../../nodes/shared/pipedrive';

export const node: INode = {
	id: 'pipedrive-transport-test',
	name: 'Pipedrive Transport Test',
	type: 'n8n-nodes-propstreet.pipedriveTransportTest',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A do-nothing node type, only so that n8n can build a Workflow around the test node. */
const placeholderType: INodeType = {
	description: {
		displayName: 'Pipedrive Transport Test',
		name: 'pipedriveTransportTest',
		group: ['transform'],
		version: 1,
		description: 'test only',
		defaults: { name: 'Pipedrive Transport Test' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
};

export interface SentRequest {
	credentialType: string;
	method: string;
	url: string;
	qs: unknown;
	body: unknown;
}

export interface PipedriveTestContext {
	ctx: IExecuteFunctions;
	/** Every call the transport made through the n8n helper (before authentication is applied). */
	sent: SentRequest[];
}

export function makePipedriveContext(options: { baseUrl: string; token: string }): PipedriveTestContext {
	const sent: SentRequest[] = [];
	const credentials = { apiToken: options.token, baseUrl: options.baseUrl };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new RunnerNodeTypes({ pipedriveTransportTest: placeholderType }) });
	const credentialsHelper = new RunnerCredentialsHelper({ [PIPEDRIVE_CREDENTIAL]: credentials }, new RunnerCredentialTypes());
	const additionalData = { credentialsHelper } as unknown as IWorkflowExecuteAdditionalData;

	const ctx = mock<IExecuteFunctions>();
	ctx.getNode.mockReturnValue(node);
	ctx.getInputData.mockReturnValue([{ json: {} }]);
	ctx.getCredentials.mockImplementation(async () => ({ ...credentials }) as never);
	(ctx as unknown as { logger: unknown }).logger = { debug() {}, info() {}, warn() {}, error() {} };
	const helper = jest.fn(async function (this: IExecuteFunctions, credentialType: string, request: IHttpRequestOptions) {
		sent.push({ credentialType, method: String(request.method), url: request.url, qs: request.qs, body: request.body });
		return await httpRequestWithAuthentication.call(this as never, credentialType, request, workflow, node, additionalData);
	});
	(ctx as unknown as { helpers: unknown }).helpers = { httpRequestWithAuthentication: helper };
	return { ctx, sent };
}
