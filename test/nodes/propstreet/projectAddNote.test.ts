/** Project → Add Note against the Propstreet simulator over real HTTP. */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { byId, run, type ParamValue } from './context';

const TOKEN = 'project-note-token';
let sim: PropstreetSimulator;
const ctl = () => sim.control as any;

beforeAll(async () => {
	sim = await startPropstreetSimulator({ token: TOKEN, rateLimit: { pat: 100_000 } });
});
afterAll(async () => sim.close());
beforeEach(() => ctl().reset());

const exec = (params: Record<string, ParamValue>, extra: { continueOnFail?: boolean } = {}) =>
	run({ baseUrl: sim.url, token: TOKEN, params, continueOnFail: extra.continueOnFail });

const projectNotes = (projectId: string) =>
	ctl().requests({ route: 'POST /api/v1/projects/{id}/notes' }).filter((r: any) => r.path.includes(`/projects/${projectId}/`));

describe('project: add note', () => {
	it('posts { content } to the project, sends the given Idempotency-Key and pairs the item', async () => {
		const project = ctl().createProject({ name: 'Kista Office Portfolio' });
		const out = await exec({ resource: 'project', operation: 'addNote', projectId: byId(project.id), content: 'Teaser sent to 12 investors', options: { idempotencyKey: 'pd-note-1-2026' } });
		const item = out.output[0];
		expect(item.json).toMatchObject({ projectId: project.id, noted: true, id: expect.any(String) });
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(out.sent).toHaveLength(1);
		expect(out.sent[0].method).toBe('POST');
		expect(out.sent[0].url).toBe(`${sim.url}/api/v1/projects/${project.id}/notes`);
		expect(out.sent[0].body).toEqual({ content: 'Teaser sent to 12 investors' });
		expect(out.sent[0].headers['Idempotency-Key']).toBe('pd-note-1-2026');
		expect(ctl().countWrites({ route: 'POST /api/v1/projects/{id}/notes' })).toBe(1);
	});

	it('a repeated key is replayed by Propstreet, not stored twice', async () => {
		const project = ctl().createProject({ name: 'Alnabru Logistics Hub' });
		const params = { resource: 'project', operation: 'addNote', projectId: byId(project.id), content: 'Call with seller', options: { idempotencyKey: 'same-key' } };
		const first = await exec(params);
		const second = await exec(params);
		expect(second.output[0].json.id).toBe(first.output[0].json.id);
		expect(projectNotes(project.id)).toHaveLength(2);
		expect(ctl().countWrites({ route: 'POST /api/v1/projects/{id}/notes' })).toBe(1);
	});

	it('rejects empty and over-long content naming the field, and a missing project as an API error', async () => {
		const project = ctl().createProject({ name: 'Levi Ski Hotel' });
		await expect(exec({ resource: 'project', operation: 'addNote', projectId: byId(project.id), content: '   ', options: {} })).rejects.toThrow(/"Content" on item 0 is empty/);
		await expect(exec({ resource: 'project', operation: 'addNote', projectId: byId(project.id), content: 'x'.repeat(10_001), options: {} })).rejects.toThrow(/10001 characters; Propstreet accepts at most 10,000/);
		const missing = await exec({ resource: 'project', operation: 'addNote', projectId: byId('999999'), content: 'hello', options: {} }, { continueOnFail: true });
		expect(missing.output[0].json).toMatchObject({ httpCode: '404' });
		expect(ctl().countWrites({ route: 'POST /api/v1/projects/{id}/notes' })).toBe(0);
	});
});
