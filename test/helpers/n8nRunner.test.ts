/**
 * Runs n8n's real built-in Pipedrive node (v2, from n8n-nodes-base) in-process against the Pipedrive
 * simulator: create, update and get a person with custom fields. This is what tells us the built-in
 * node accepts the simulator's answers (shapes, custom field definitions, envelopes).
 */
import type { IExecuteFunctions, INode, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { startPipedriveSimulator, type PipedriveSimulator } from '../simulators/pipedrive';
import { runWorkflow, type WorkflowJson } from './n8nRunner';
import { routePipedriveTo, type PipedriveRoute } from './pipedriveRoute';

const credentials = { pipedriveApi: { apiToken: 'pipedrive-dev-token' } };
const pipedriveCredential = { pipedriveApi: { id: 'pd-1', name: 'Pipedrive (simulator)' } };

function pipedriveNode(name: string, position: number, parameters: INode['parameters']): INode {
	return {
		id: `node-${name}`,
		name,
		type: 'n8n-nodes-base.pipedrive',
		typeVersion: 2,
		position: [position * 220, 0],
		parameters: { authentication: 'apiToken', ...parameters },
		credentials: pipedriveCredential,
	};
}

function chain(nodes: INode[]): WorkflowJson {
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main' as never, index: 0 }]] };
	}
	return { name: 'pipedrive person round trip', nodes, connections };
}

const trigger: INode = { id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

describe('in-process n8n runner with the built-in Pipedrive node (v2)', () => {
	let sim: PipedriveSimulator;
	let route: PipedriveRoute;

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true });
		route = routePipedriveTo(sim.url);
	});

	afterEach(async () => {
		route.restore();
		await sim.close();
	});

	it('creates, updates and gets a person with custom fields', async () => {
		const workflow = chain([
			trigger,
			pipedriveNode('Create person', 1, {
				resource: 'person',
				operation: 'create',
				name: 'Hanna Virtanen',
				additionalFields: {
					emails: { emailProperties: [{ value: 'hanna.virtanen@example.fi', primary: true, label: 'work' }] },
					label_ids: [sim.control.optionId('person', 'label_ids', 'Investor')],
					customFields: {
						property: [
							{ name: 'investor_strategy', value: 'Hotels in Lapland' },
							{ name: 'classification', value: 'Interested' },
						],
					},
				},
			}),
			pipedriveNode('Update person', 2, {
				resource: 'person',
				operation: 'update',
				personId: '={{ $json.id }}',
				updateFields: {
					name: 'Hanna Virtanen-Mäki',
					customFields: { property: [{ name: 'classification', value: 'Bidder' }, { name: 'propstreet_contact_id', value: '5999' }] },
				},
			}),
			pipedriveNode('Get person', 3, { resource: 'person', operation: 'get', personId: '={{ $json.id }}' }),
		]);

		const result = await runWorkflow({ workflow, credentials });

		expect(result.error).toBeUndefined();
		expect(result.executionOrder).toEqual(['Start', 'Create person', 'Update person', 'Get person']);

		// The node resolved field keys to names and option ids to labels using the simulator's field list.
		const created = result.outputOf('Create person')[0].json as Record<string, any>;
		expect(created.name).toBe('Hanna Virtanen');
		expect(created.custom_fields).toMatchObject({ investor_strategy: 'Hotels in Lapland', classification: 'Interested', propstreet_contact_id: null });
		const got = result.lastNodeOutput[0].json as Record<string, any>;
		expect(got.id).toBe(created.id);
		expect(got.name).toBe('Hanna Virtanen-Mäki');
		expect(got.first_name).toBe('Hanna');
		expect(got.last_name).toBe('Virtanen-Mäki');
		expect(got.emails).toEqual([{ value: 'hanna.virtanen@example.fi', primary: true, label: 'work' }]);
		expect(got.custom_fields).toMatchObject({ investor_strategy: 'Hotels in Lapland', classification: 'Bidder', propstreet_contact_id: '5999' });

		// And the simulator stored real keys and option ids, not names.
		const stored = sim.control.person(created.id as number)!;
		const custom = stored.custom_fields as Record<string, unknown>;
		expect(custom[sim.control.fieldKey('person', 'classification')]).toBe(sim.control.optionId('person', 'classification', 'Bidder'));
		expect(custom[sim.control.fieldKey('person', 'propstreet_contact_id')]).toBe('5999');
		expect(stored.label_ids).toEqual([sim.control.optionId('person', 'label_ids', 'Investor')]);

		// Routes the built-in node used, with the credential's legacy api_token query parameter.
		const routes = sim.control.requestsByRoute();
		expect(routes['POST /api/v2/persons']).toBe(1);
		expect(routes['PATCH /api/v2/persons/{id}']).toBe(1);
		expect(routes['GET /api/v2/persons/{id}']).toBe(1);
		expect(routes['GET /api/v2/personFields']).toBe(3);
		expect(route.forwarded.every((f) => f.path.includes('api_token=pipedrive-dev-token'))).toBe(true);
		expect(Object.keys(sim.control.stats().byClient)).toEqual(['api_token:pipedrive-dev-token']);
	});

	it('surfaces a Pipedrive error as a failed node (unknown person)', async () => {
		const workflow = chain([trigger, pipedriveNode('Get person', 1, { resource: 'person', operation: 'get', personId: 424242 })]);
		const result = await runWorkflow({ workflow, credentials });
		expect(result.error).toBeDefined();
		expect(result.error!.message).toMatch(/not found|resource you are requesting/i);
		expect(sim.control.requestsByRoute()['GET /api/v2/persons/{id}']).toBe(1);
	});

	it('runs a search through the v1 search route the built-in node uses', async () => {
		const workflow = chain([
			trigger,
			pipedriveNode('Search', 1, { resource: 'person', operation: 'search', term: 'ingrid.saether@fjordkapital.example.no', exactMatch: true, returnAll: false, limit: 10, additionalFields: { fields: ['email'] } }),
		]);
		const result = await runWorkflow({ workflow, credentials });
		expect(result.error).toBeUndefined();
		const items = result.lastNodeOutput.map((i) => i.json);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ id: 1003, type: 'person', name: 'Ingrid Sæther', emails: ['ingrid.saether@fjordkapital.example.no'] });
		expect(sim.control.requestsByRoute()['GET /v1/persons/search']).toBe(1);
	});

	it('passes pinned input items to the first node', async () => {
		const workflow: WorkflowJson = {
			nodes: [
				{ id: 'set', name: 'Set', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} },
				pipedriveNode('Get person', 1, { resource: 'person', operation: 'get', personId: '={{ $json.personId }}' }),
			],
			connections: { Set: { main: [[{ node: 'Get person', type: 'main' as never, index: 0 }]] } },
		};
		const result = await runWorkflow({ workflow, credentials, pinnedInput: [{ json: { personId: 1001 } }, { json: { personId: 1013 } }] });
		expect(result.error).toBeUndefined();
		expect(result.lastNodeOutput.map((i) => (i.json as { name: string }).name)).toEqual(['Astrid Öberg', 'Juha-Pekka Äijälä']);
		expect(result.lastNodeOutput.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('calls v1 participants through the HTTP Request node with the Pipedrive credential', async () => {
		const workflow = chain([
			trigger,
			{
				id: 'http', name: 'Participants', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [220, 0],
				parameters: { method: 'GET', url: 'https://api.pipedrive.com/v1/deals/3001/participants', authentication: 'predefinedCredentialType', nodeCredentialType: 'pipedriveApi', options: {} },
				credentials: pipedriveCredential,
			},
		]);
		const result = await runWorkflow({ workflow, credentials });
		expect(result.error).toBeUndefined();
		const body = result.lastNodeOutput[0].json as { success: boolean; data: { person_id: { value: number } }[] };
		expect(body.success).toBe(true);
		expect(body.data.map((p) => p.person_id.value)).toEqual([1001, 1002, 1008]);
	});

	it('registers our own nodes as n8n-nodes-propstreet.<name> next to built-ins (Set, If)', async () => {
		class Doubler implements INodeType {
			description: INodeTypeDescription = {
				displayName: 'Doubler', name: 'doubler', group: ['transform'], version: 1, description: 'test node', defaults: { name: 'Doubler' },
				inputs: ['main' as never], outputs: ['main' as never], properties: [],
			};
			async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
				return [this.getInputData().map((item, index) => ({ json: { n: (item.json.n as number) * 2 }, pairedItem: { item: index } }))];
			}
		}
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				{ id: 'set', name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: { mode: 'manual', assignments: { assignments: [{ id: 'a', name: 'n', value: 21, type: 'number' }] }, options: {} } },
				{ id: 'dbl', name: 'Doubler', type: 'n8n-nodes-propstreet.doubler', typeVersion: 1, position: [400, 0], parameters: {} },
				{
					id: 'if', name: 'If', type: 'n8n-nodes-base.if', typeVersion: 2.2, position: [600, 0],
					parameters: { conditions: { options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 }, conditions: [{ id: 'c', leftValue: '={{ $json.n }}', rightValue: 42, operator: { type: 'number', operation: 'equals' } }], combinator: 'and' }, options: {} },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Set', type: 'main' as never, index: 0 }]] },
				Set: { main: [[{ node: 'Doubler', type: 'main' as never, index: 0 }]] },
				Doubler: { main: [[{ node: 'If', type: 'main' as never, index: 0 }]] },
			},
		};
		const result = await runWorkflow({ workflow, nodeTypes: { doubler: Doubler } });
		expect(result.error).toBeUndefined();
		expect(result.outputOf('Doubler').map((i) => i.json)).toEqual([{ n: 42 }]);
		expect(result.outputOf('If', 0)).toHaveLength(1);
		expect(result.outputOf('If', 1)).toHaveLength(0);
		await expect(runWorkflow({ workflow })).rejects.toThrow(/n8n-nodes-propstreet.doubler/);
	});

	describe('start node when none is named', () => {
		const sticky: INode = {
			id: 'sticky', name: 'Read me', type: 'n8n-nodes-base.stickyNote', typeVersion: 1, position: [-300, 0],
			parameters: { content: '## What this workflow does', height: 200, width: 300 },
		};
		const noOp = (name: string, x: number): INode => ({ id: name, name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [x, 0], parameters: {} });
		const link = (to: string) => ({ main: [[{ node: to, type: 'main' as never, index: 0 }]] });

		it('starts from the webhook trigger, not the sticky note listed first', async () => {
			const workflow: WorkflowJson = {
				nodes: [
					sticky,
					{ id: 'hook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { httpMethod: 'POST', path: 'in', options: {} }, webhookId: 'wh-1' },
					noOp('After', 220),
				],
				connections: { Webhook: link('After') },
			};
			const result = await runWorkflow({ workflow, pinnedInput: [{ json: { body: { id: 7 } } }], mode: 'webhook' });
			expect(result.error).toBeUndefined();
			expect(result.executionOrder).toEqual(['Webhook', 'After']);
			expect(result.runData['Read me']).toBeUndefined();
			expect(result.outputOf('After').map((i) => i.json)).toEqual([{ body: { id: 7 } }]);
		});

		it('starts from our own webhook-based trigger node behind a sticky note', async () => {
			class EchoTrigger implements INodeType {
				description: INodeTypeDescription = {
					displayName: 'Echo Trigger', name: 'echoTrigger', group: ['trigger'], version: 1, description: 'test trigger', defaults: { name: 'Echo Trigger' },
					inputs: [], outputs: ['main' as never], properties: [], webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'echo' }],
				};
				async webhook() {
					return { workflowData: [[{ json: {} }]] };
				}
			}
			const workflow: WorkflowJson = {
				nodes: [sticky, noOp('Unused root', -100), { id: 'echo', name: 'Echo Trigger', type: 'n8n-nodes-propstreet.echoTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, noOp('After', 220)],
				connections: { 'Echo Trigger': link('After') },
			};
			const result = await runWorkflow({ workflow, nodeTypes: { echoTrigger: EchoTrigger }, pinnedInput: [{ json: { event: 'contact.updated' } }], mode: 'webhook' });
			expect(result.error).toBeUndefined();
			expect(result.executionOrder).toEqual(['Echo Trigger', 'After']);
			expect(result.outputOf('After').map((i) => i.json)).toEqual([{ event: 'contact.updated' }]);
		});

		it('without a trigger, starts from the root node that has pinned data', async () => {
			const workflow: WorkflowJson = {
				nodes: [sticky, noOp('First root', 0), noOp('Pinned root', 0), noOp('After', 220)],
				connections: { 'First root': link('After'), 'Pinned root': link('After') },
				pinData: { 'Pinned root': [{ json: { from: 'pin' } }] },
			};
			const result = await runWorkflow({ workflow });
			expect(result.error).toBeUndefined();
			expect(result.executionOrder).toEqual(['Pinned root', 'After']);
			expect(result.outputOf('After').map((i) => i.json)).toEqual([{ from: 'pin' }]);
		});

		it('without a trigger or pinned data, starts from the first root node that is not a sticky note', async () => {
			const workflow: WorkflowJson = { nodes: [sticky, noOp('Begin', 0), noOp('After', 220)], connections: { Begin: link('After') } };
			const result = await runWorkflow({ workflow, pinnedInput: [{ json: { n: 1 } }] });
			expect(result.error).toBeUndefined();
			expect(result.executionOrder).toEqual(['Begin', 'After']);
		});

		it('refuses a workflow that holds only sticky notes', async () => {
			await expect(runWorkflow({ workflow: { nodes: [sticky], connections: {} } })).rejects.toThrow('The workflow has no start node');
		});
	});
});
