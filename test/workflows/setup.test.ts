/** workflows/01-setup-custom-fields.json in-process against the Pipedrive simulator. */
import { runWorkflow } from '../helpers/n8nRunner';
import { routePipedriveTo, type PipedriveRoute } from '../helpers/pipedriveRoute';
import { startPipedriveSimulator, type PipedriveSimulator } from '../simulators/pipedrive';
import * as fs from 'fs';
import * as path from 'path';
import { HOOK_AUTH, loadWorkflow, ownNodes, PD_TOKEN } from './contactsNotesKit';

const FILE = '01-setup-custom-fields.json';
/** The Cloud edition's copy (built-in nodes only): the same nodes without Link Error Handler. */
const CLOUD_FILE = path.join(__dirname, '../../workflows/cloud/01f-cloud-setup-custom-fields.json');
const credentials = { pipedriveApi: { apiToken: PD_TOKEN }, httpBasicAuth: HOOK_AUTH };
const WANTED: Record<string, { entity: 'person' | 'organization' | 'deal'; type: string; options?: string[] }> = {
	propstreet_contact_id: { entity: 'person', type: 'varchar' },
	investor_strategy: { entity: 'person', type: 'text' },
	classification: { entity: 'person', type: 'enum', options: ['Not contacted', 'Contacted', 'Interested', 'Not interested', 'Bidder'] },
	propstreet_company_id: { entity: 'organization', type: 'varchar' },
	domain: { entity: 'organization', type: 'varchar' },
	org_number: { entity: 'organization', type: 'varchar' },
	propstreet_project_id: { entity: 'deal', type: 'varchar' },
	is_portfolio: { entity: 'deal', type: 'enum', options: ['Yes', 'No'] },
	property_count: { entity: 'deal', type: 'double' },
	property_type: { entity: 'deal', type: 'set', options: ['Office', 'Retail', 'Logistics', 'Residential', 'Hotel', 'Industrial'] },
};

describe('workflow 01: set up Pipedrive custom fields', () => {
	let sim: PipedriveSimulator;
	let route: PipedriveRoute;
	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: false });
		route = routePipedriveTo(sim.url);
	});
	afterEach(async () => {
		route.restore();
		await sim.close();
	});

	// The Pipedrive part, from the node after Link Error Handler (that one calls n8n's own API: covered in the real n8n, test/e2e/errorLink.e2e.test.ts).
	const run = (trigger?: string) => runWorkflow({ workflow: loadWorkflow(FILE), credentials, nodeTypes: ownNodes, startNode: 'Get Person Fields', mode: trigger === 'Run setup' ? 'webhook' : 'manual' });
	it('both triggers run Link Error Handler first, then the Pipedrive fields', () => {
		const wf = loadWorkflow(FILE);
		for (const trigger of ['When clicking ‘Execute workflow’', 'Run setup']) expect(wf.connections[trigger].main[0]).toEqual([{ node: 'Link Error Handler', type: 'main', index: 0 }]);
		expect(wf.connections['Link Error Handler'].main[0]).toEqual([{ node: 'Get Person Fields', type: 'main', index: 0 }]);
		expect(wf.nodes.find((n) => n.name === 'Link Error Handler')).toMatchObject({ type: 'n8n-nodes-propstreet.propstreetSyncSettings', parameters: { operation: 'linkErrorWorkflow' } });
	});
	const report = (result: Awaited<ReturnType<typeof run>>) =>
		Object.fromEntries(result.outputOf('All Fields').map((i) => [i.json.name as string, i.json as Record<string, string>]));

	it('creates every missing field with the right type and options, reports keys; a second run creates nothing', async () => {
		const first = await run();
		expect(first.error).toBeUndefined();
		const created = report(first);
		expect(Object.keys(created).sort()).toEqual(Object.keys(WANTED).sort());
		for (const [name, want] of Object.entries(WANTED)) {
			const field = sim.control.fields(want.entity).find((f) => f.field_name === name) as any;
			expect(field).toBeDefined();
			expect(field.field_type).toBe(want.type);
			if (want.options) expect(field.options.map((o: { label: string }) => o.label)).toEqual(want.options);
			expect(created[name]).toEqual({ name, entity: want.entity, key: field.field_code, status: 'created' });
			expect(field.field_code).toMatch(/^[0-9a-f]{40}$/);
		}
		const posts = (routes: Record<string, number>) => (routes['POST /api/v2/personFields'] ?? 0) + (routes['POST /api/v2/organizationFields'] ?? 0) + (routes['POST /api/v2/dealFields'] ?? 0);
		expect(posts(sim.control.requestsByRoute())).toBe(10);
		// Field definitions are read once per entity, not once per field.
		expect(sim.control.requestsByRoute()['GET /api/v2/personFields']).toBe(1);

		const second = await run('Run setup');
		expect(second.error).toBeUndefined();
		const again = report(second);
		expect(Object.values(again).map((f) => f.status)).toEqual(Array(10).fill('already there'));
		expect(again.classification.key).toBe(created.classification.key);
		expect(posts(sim.control.requestsByRoute())).toBe(10);
		for (const want of Object.values(WANTED)) {
			expect(sim.control.fields(want.entity).filter((f) => f.is_custom_field).length).toBe(Object.values(WANTED).filter((w) => w.entity === want.entity).length);
		}
	});

	it('creates only what is missing in an account that already has some of the fields', async () => {
		sim.control.reset();
		await fetch(`${sim.url}/api/v2/dealFields?api_token=${PD_TOKEN}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ field_name: 'propstreet_project_id', field_type: 'varchar' }),
		});
		const existingKey = sim.control.fieldKey('deal', 'propstreet_project_id');
		sim.control.resetStats();
		const result = await run();
		expect(result.error).toBeUndefined();
		const fields = report(result);
		expect(fields.propstreet_project_id).toEqual({ name: 'propstreet_project_id', entity: 'deal', key: existingKey, status: 'already there' });
		expect(Object.values(fields).filter((f) => f.status === 'created')).toHaveLength(9);
		expect(sim.control.requestsByRoute()['POST /api/v2/dealFields']).toBe(3);
	});

	it('stops with the Pipedrive error when field creation is refused', async () => {
		sim.control.failNext({ status: 500, count: 20, route: /Fields/, method: 'POST' });
		const result = await run();
		expect(result.error).toBeDefined();
		expect(result.executionOrder).toContain('Create Field');
		expect(result.executionOrder).not.toContain('All Fields');
	});
	it('the Cloud copy (01f) is the same workflow without Link Error Handler, and sets up the same fields from its Manual Trigger', async () => {
		type Node = { name: string; type: string; typeVersion: number; parameters: unknown; credentials?: unknown };
		const own = loadWorkflow(FILE);
		const cloud = JSON.parse(fs.readFileSync(CLOUD_FILE, 'utf8')) as typeof own;
		const working = (nodes: Node[]) => nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote' && n.name !== 'Link Error Handler').map((n) => ({ name: n.name, type: n.type, typeVersion: n.typeVersion, parameters: n.parameters, credentials: n.credentials }));
		expect(working(cloud.nodes as Node[])).toEqual(working(own.nodes as Node[]));
		expect(cloud.nodes.some((n) => n.type.startsWith('n8n-nodes-propstreet.'))).toBe(false);
		for (const trigger of ['When clicking ‘Execute workflow’', 'Run setup']) expect(cloud.connections[trigger].main[0]).toEqual([{ node: 'Get Person Fields', type: 'main', index: 0 }]);
		const result = await runWorkflow({ workflow: cloud, credentials, nodeTypes: ownNodes, mode: 'manual' });
		expect(result.error).toBeUndefined();
		expect(Object.keys(report(result)).sort()).toEqual(Object.keys(WANTED).sort());
		for (const [name, want] of Object.entries(WANTED)) expect(sim.control.fields(want.entity).some((f) => f.field_name === name)).toBe(true);
	});
});
