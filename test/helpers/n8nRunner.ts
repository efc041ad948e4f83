/**
 * Runs a workflow JSON in-process with n8n-core's `WorkflowExecute`, the way n8n's own node tests do,
 * without a database, a server or the CLI.
 *
 * - Node types: every `n8n-nodes-base.<name>` type is loaded on demand from n8n-nodes-base's
 *   `known/nodes.json`; our own nodes are registered as `n8n-nodes-propstreet.<name>` from the map the
 *   caller passes (classes imported from TypeScript source).
 * - Credentials: the caller passes plain credential data per credential type name. Credential types
 *   (for `authenticate`, `extends`, `preAuthentication`) come from n8n-nodes-base's `known/credentials.json`,
 *   from this repository's `credentials/` folder, or from `credentialTypes` passed by the caller.
 * - The built-in Pipedrive nodes call the fixed host `https://api.pipedrive.com`; `routePipedriveTo()`
 *   (see `pipedriveRoute.ts`) forwards those calls to a simulator.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	STARTING_NODE_TYPES,
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentialsExpressionResolveValues,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeData,
	type INodeTypes,
	type IPinData,
	type IRun,
	type IRunData,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
	type IRequestOptionsSimplified,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

/** The package prefix under which n8n registers this community package's nodes. */
export const OWN_PACKAGE_PREFIX = 'n8n-nodes-propstreet';
const BASE_PREFIX = 'n8n-nodes-base';

type NodeTypeInput = INodeType | IVersionedNodeType | (new () => INodeType | IVersionedNodeType);
type CredentialTypeInput = ICredentialType | (new () => ICredentialType);

interface KnownEntry {
	className: string;
	sourcePath: string;
	extends?: string[];
}

const basePackageDir = path.dirname(require.resolve('n8n-nodes-base/package.json'));
let knownNodes: Record<string, KnownEntry> | undefined;
let knownCredentials: Record<string, KnownEntry> | undefined;

function loadKnown(kind: 'nodes' | 'credentials'): Record<string, KnownEntry> {
	if (kind === 'nodes') {
		knownNodes ??= JSON.parse(fs.readFileSync(path.join(basePackageDir, 'dist/known/nodes.json'), 'utf8'));
		return knownNodes!;
	}
	knownCredentials ??= JSON.parse(fs.readFileSync(path.join(basePackageDir, 'dist/known/credentials.json'), 'utf8'));
	return knownCredentials!;
}

function instantiate<T>(input: T | (new () => T)): T {
	return typeof input === 'function' ? new (input as new () => T)() : input;
}

const baseNodeCache = new Map<string, INodeType | IVersionedNodeType>();

/** Loads one n8n-nodes-base node class by its short name (e.g. `pipedrive`, `httpRequest`). */
export function loadBaseNode(shortName: string): INodeType | IVersionedNodeType {
	const cached = baseNodeCache.get(shortName);
	if (cached) return cached;
	const entry = loadKnown('nodes')[shortName];
	if (!entry) throw new Error(`n8n-nodes-base has no node named "${shortName}"`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(path.join(basePackageDir, entry.sourcePath)) as Record<string, new () => INodeType>;
	const instance = new mod[entry.className]();
	baseNodeCache.set(shortName, instance);
	return instance;
}

/** A node-type registry: built-ins on demand, our own nodes from the caller's map. */
export class RunnerNodeTypes implements INodeTypes {
	private readonly registered: INodeTypeData = {};

	constructor(ownNodes: Record<string, NodeTypeInput> = {}) {
		for (const [name, input] of Object.entries(ownNodes)) {
			const typeName = name.includes('.') ? name : `${OWN_PACKAGE_PREFIX}.${name}`;
			this.registered[typeName] = { sourcePath: '', type: instantiate(input) };
		}
	}

	private resolve(typeName: string): INodeType | IVersionedNodeType {
		const own = this.registered[typeName];
		if (own) return own.type;
		if (typeName.startsWith(`${BASE_PREFIX}.`)) {
			const type = loadBaseNode(typeName.slice(BASE_PREFIX.length + 1));
			this.registered[typeName] = { sourcePath: '', type };
			return type;
		}
		throw new Error(`Unknown node type "${typeName}": register it in runWorkflow({ nodeTypes })`);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.resolve(nodeType);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.resolve(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return this.registered as unknown as IDataObject;
	}
}

const repoCredentialsDir = path.resolve(__dirname, '../../credentials');

/** Credential types: built-ins, this repository's `credentials/`, and the caller's extras. */
export class RunnerCredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor(extra: CredentialTypeInput[] = []) {
		for (const input of extra) {
			const type = instantiate(input);
			this.types.set(type.name, type);
		}
	}

	private loadRepoCredentials(): void {
		if (!fs.existsSync(repoCredentialsDir)) return;
		for (const file of fs.readdirSync(repoCredentialsDir)) {
			if (!/\.credentials\.ts$/.test(file)) continue;
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const mod = require(path.join(repoCredentialsDir, file)) as Record<string, unknown>;
			for (const exported of Object.values(mod)) {
				if (typeof exported !== 'function') continue;
				try {
					const type = new (exported as new () => ICredentialType)();
					if (type && typeof type.name === 'string' && Array.isArray(type.properties) && !this.types.has(type.name)) {
						this.types.set(type.name, type);
					}
				} catch {
					// not a credential class
				}
			}
		}
	}

	get(name: string): ICredentialType | undefined {
		let type = this.types.get(name);
		if (type) return type;
		const entry = loadKnown('credentials')[name];
		if (entry) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const mod = require(path.join(basePackageDir, entry.sourcePath)) as Record<string, new () => ICredentialType>;
			type = new mod[entry.className]();
			this.types.set(name, type);
			return type;
		}
		this.loadRepoCredentials();
		return this.types.get(name);
	}

	parentTypes(name: string): string[] {
		const type = this.get(name);
		const parents = type?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.parentTypes(parent)]);
	}
}

function resolveCredentialValue(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getParameterValue(value, null, 0, 0, node.name, [], 'internal', {
		$credentials: credentials,
	} as unknown as Parameters<typeof workflow.expression.getParameterValue>[7]);
}

/** Hands nodes plain credential data and applies each credential type's `authenticate`. */
export class RunnerCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialsByType: Record<string, ICredentialDataDecryptedObject>,
		private readonly credentialTypes: RunnerCredentialTypes,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.parentTypes(name);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.credentialTypes.get(typeName);
		const options = requestOptions as IHttpRequestOptions;
		const authenticate = type?.authenticate;
		if (!authenticate) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (authenticate.type !== 'generic') return options;
		// Generic authentication: copy headers / qs / body / auth, resolving `={{$credentials.x}}` expressions.
		const target = options as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [section, values] of Object.entries(authenticate.properties)) {
			if (!values || typeof values !== 'object') continue;
			const resolved: Record<string, unknown> = {};
			for (const [key, raw] of Object.entries(values as Record<string, unknown>)) {
				resolved[key] = resolveCredentialValue(raw, credentials, workflow, node);
			}
			target[section] = { ...(target[section] ?? {}), ...resolved };
		}
		return options;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.get(typeName);
		if (!type?.preAuthentication) return undefined;
		const expirable = type.properties.find((property) => property.typeOptions?.expirable === true);
		if (!expirable) return undefined;
		if (!credentialsExpired && credentials[expirable.name]) return undefined;
		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject | undefined;
		if (output) Object.assign(this.credentialsByType[typeName] ?? {}, output);
		return output;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.get(typeName);
		return type?.preAuthentication ? ((await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject) : undefined;
	}

	async getCredentials(_nodeCredentials: INodeCredentialsDetails, type: string): Promise<never> {
		throw new Error(`getCredentials("${type}") is not supported by the in-process runner`);
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode: WorkflowExecuteMode,
		_executeData?: IExecuteData,
		_raw?: boolean,
		_expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentialsByType[type];
		if (!data) throw new Error(`No credentials of type "${type}" were given to runWorkflow()`);
		// A copy, as a real decrypt would give, but token refreshes are written back via updateCredentials.
		return { ...data };
	}

	// Written into the caller's credential object, as n8n writes to its database: a token fetched in
	// one run is the stored token of the next run that is given the same object.
	async updateCredentials(_details: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		Object.assign((this.credentialsByType[type] ??= {}), data);
	}

	async updateCredentialsOauthTokenData(
		_details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		Object.assign((this.credentialsByType[type] ??= {}), data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.get(type)?.properties ?? [];
	}
}

export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowBase['settings'];
	pinData?: IPinData;
	staticData?: IDataObject;
}

export interface RunWorkflowOptions {
	workflow: WorkflowJson;
	/** Plain credential data keyed by credential type name, e.g. `{ pipedriveApi: { apiToken } }`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Our own nodes: `{ propstreet: Propstreet }` registers `n8n-nodes-propstreet.propstreet`. */
	nodeTypes?: Record<string, NodeTypeInput>;
	/** Extra credential types (ours are found in `credentials/` automatically). */
	credentialTypes?: CredentialTypeInput[];
	/** Items fed to the start node (default one empty item). */
	pinnedInput?: INodeExecutionData[];
	/** Name of the node to start from (default: the workflow's trigger / first start node). */
	startNode?: string;
	mode?: WorkflowExecuteMode;
}

export interface RunWorkflowResult {
	runData: IRunData;
	/** Output items (first output) of the last node that ran. */
	lastNodeOutput: INodeExecutionData[];
	/** Names of nodes in the order they finished. */
	executionOrder: string[];
	/** The workflow-level error, if the run failed. */
	error: Error | undefined;
	/** Output items of one node (first run, given output index). */
	outputOf(nodeName: string, outputIndex?: number): INodeExecutionData[];
	run: IRun;
	/** Static data after the run (what triggers persist). */
	staticData: IDataObject;
}

function buildAdditionalData(hooks: ExecutionLifecycleHooks, credentialsHelper: ICredentialsHelper): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not supported by the in-process runner`);
	};
	const additionalData = {
		hooks,
		credentialsHelper,
		executionId: `inproc-${Date.now()}`,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1/mcp-test',
		variables: {},
		currentNodeParameters: undefined,
		executeWorkflow: unsupported('Execute Workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: unsupported('Task runners (Code node)'),
		setExecutionStatus: () => undefined,
		sendDataToUI: () => undefined,
	};
	return additionalData as unknown as IWorkflowExecuteAdditionalData;
}

let loggerReady = false;

/** n8n logs node errors through LoggerProxy; keep test output quiet unless N8N_RUNNER_LOG=1. */
function quietLogger(): void {
	if (loggerReady) return;
	loggerReady = true;
	if (process.env.N8N_RUNNER_LOG === '1') return;
	// n8n-core's error reporter logs every node error through its DI logger; its level comes from here.
	process.env.N8N_LOG_LEVEL ??= 'silent';
	const noop = () => undefined;
	LoggerProxy.init({ error: noop, warn: noop, info: noop, debug: noop, verbose: noop, scoped: () => ({ error: noop, warn: noop, info: noop, debug: noop }) } as never);
}

const STICKY_NOTE_TYPE = 'n8n-nodes-base.stickyNote';

/** True for nodes n8n starts a run from: triggers, pollers, webhooks (incl. our webhook-based triggers). */
function isTriggerNode(node: INode, nodeTypes: RunnerNodeTypes): boolean {
	if (STARTING_NODE_TYPES.includes(node.type)) return true;
	let type: INodeType;
	try {
		type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	} catch {
		return false;
	}
	return (
		type.trigger !== undefined ||
		type.poll !== undefined ||
		type.webhook !== undefined ||
		(type.description.group ?? []).includes('trigger' as never)
	);
}

/**
 * The node a run starts from when the caller names none. A sticky note is only a canvas comment (it
 * has no inputs or outputs, so it always looks like a root), and `Workflow.getStartNode()` returns the
 * only node of a list whatever its type; so neither it nor a disabled node is ever a candidate.
 * Order: a trigger with pinned data, any trigger (first in the JSON), a root node with pinned data,
 * then the first root node.
 */
export function pickStartNode(workflow: Workflow, json: WorkflowJson, nodeTypes: RunnerNodeTypes): INode | undefined {
	const candidates = json.nodes
		.map((n) => workflow.getNode(n.name))
		.filter((n): n is INode => !!n && !n.disabled && n.type !== STICKY_NOTE_TYPE);
	const isRoot = (n: INode) => workflow.getParentNodes(n.name).length === 0;
	const pinned = (n: INode) => (json.pinData?.[n.name]?.length ?? 0) > 0;
	const triggers = candidates.filter((n) => isTriggerNode(n, nodeTypes));
	const roots = candidates.filter(isRoot);
	return triggers.find(pinned) ?? triggers[0] ?? roots.find(pinned) ?? roots[0];
}

/** Runs `workflow` once, in-process, and returns every node's run data. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	quietLogger();
	const nodeTypes = new RunnerNodeTypes(options.nodeTypes);
	const credentialTypes = new RunnerCredentialTypes(options.credentialTypes);
	const credentialsHelper = new RunnerCredentialsHelper({ ...(options.credentials ?? {}) }, credentialTypes);
	const mode = options.mode ?? 'manual';
	const json = options.workflow;
	const staticData: IDataObject = JSON.parse(JSON.stringify(json.staticData ?? {}));

	const workflow = new Workflow({
		id: 'inproc',
		name: json.name ?? 'in-process workflow',
		nodes: json.nodes,
		connections: json.connections,
		nodeTypes,
		settings: json.settings ?? { executionOrder: 'v1' },
		active: false,
		staticData,
		pinData: json.pinData,
	});

	const startNode = options.startNode ? workflow.getNode(options.startNode) : pickStartNode(workflow, json, nodeTypes);
	if (!startNode) throw new Error(options.startNode ? `No node named "${options.startNode}"` : 'The workflow has no start node');

	const hooks = new ExecutionLifecycleHooks(mode, 'inproc', {
		id: 'inproc',
		name: json.name ?? 'in-process workflow',
		nodes: json.nodes,
		connections: json.connections,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase);
	const executionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName: string) => {
		executionOrder.push(nodeName);
	});

	const additionalData = buildAdditionalData(hooks, credentialsHelper);
	const runExecutionData = createRunExecutionData({
		resultData: { runData: {}, pinData: json.pinData },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [options.pinnedInput ?? [{ json: {} }]] },
					source: null,
				},
			],
		},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	const run = await workflowExecute.processRunExecutionData(workflow);
	const runData = run.data.resultData.runData;
	const outputOf = (nodeName: string, outputIndex = 0): INodeExecutionData[] =>
		runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [];
	const lastNode = run.data.resultData.lastNodeExecuted ?? executionOrder[executionOrder.length - 1];
	const error = run.data.resultData.error as Error | undefined;
	return {
		runData,
		lastNodeOutput: lastNode ? outputOf(lastNode) : [],
		executionOrder,
		error,
		outputOf,
		run,
		staticData: workflow.staticData as IDataObject,
	};
}
