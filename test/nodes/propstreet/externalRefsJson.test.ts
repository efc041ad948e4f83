/**
 * External References (JSON): a workflow can pass refs from an earlier node with one expression
 * (a fixedCollection cannot be filled that way).
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { byId, run, type ParamValue } from './context';

const TOKEN = 'refs-json-token';
let sim: PropstreetSimulator;
const ctl = () => sim.control as any;

beforeAll(async () => {
	sim = await startPropstreetSimulator({ token: TOKEN, rateLimit: { pat: 100_000 } });
});
afterAll(async () => sim.close());
beforeEach(() => ctl().reset());

const exec = (params: Record<string, ParamValue>, extra: { continueOnFail?: boolean } = {}) =>
	run({ baseUrl: sim.url, token: TOKEN, params, continueOnFail: extra.continueOnFail });

describe('External References (JSON)', () => {
	it('replaces a project’s refs from a JSON array, taking precedence over the collection', async () => {
		const project = ctl().createProject({ name: 'Kista Office Portfolio', externalRefs: [{ namespace: 'hubspot', id: 'deal-1' }] });
		const refs = [
			{ namespace: 'hubspot', id: 'deal-1' },
			{ namespace: 'pipedrive', id: '3001' },
		];
		await exec({
			resource: 'project',
			operation: 'update',
			projectId: byId(project.id),
			updateFields: { externalRefsJson: JSON.stringify(refs), externalRefs: { ref: [{ namespace: 'other', id: 'x' }] } },
		});
		expect(ctl().get('project', project.id).externalRefs).toEqual(refs);
	});

	it('accepts an already-parsed array and sets a contact’s refs on create', async () => {
		const out = await exec({
			resource: 'contact',
			operation: 'create',
			firstName: 'Aino',
			lastName: 'Mäkelä',
			email: 'aino@saimaa.example.fi',
			additionalFields: { externalRefsJson: [{ namespace: 'pipedrive', id: '1007' }] },
			options: {},
		});
		const created = ctl().get('contact', String(out.output[0].json.id));
		expect(created.externalRefs).toEqual([{ namespace: 'pipedrive', id: '1007' }]);
	});

	it('rejects JSON that is not an array of refs, naming the field, and sends nothing', async () => {
		const project = ctl().createProject({ name: 'Levi Ski Hotel' });
		const attempt = exec({ resource: 'project', operation: 'update', projectId: byId(project.id), updateFields: { externalRefsJson: '{"namespace":"pipedrive"' } });
		await expect(attempt).rejects.toThrow(/External References \(JSON\)/);
		expect(ctl().countWrites()).toBe(0);
	});

	it('under continueOnFail an API error item keeps the status in json for a downstream branch', async () => {
		const out = await exec({ resource: 'project', operation: 'get', projectId: byId('999999') }, { continueOnFail: true });
		expect(out.output[0].json.error).toEqual(expect.any(String));
		expect(String(out.output[0].json.httpCode)).toBe('404');
		expect(out.output[0].pairedItem).toEqual({ item: 0 });
	});
});
