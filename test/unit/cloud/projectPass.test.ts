/**
 * The Cloud edition's pass for deals ⇄ projects (06 and 07): the same project spec, pipeline
 * scope, stage table and create rule as the Sync node, with the shipped default settings.
 */
import { planPass, recordPass, type PassInput, type PassStep, type RecordInput } from '../../../nodes/shared/core/cloud/pass';
import { DEFAULT_SYNC_SETTINGS } from '../../../nodes/shared/core/settings';
import { projectCreateRequest } from '../../../nodes/shared/core/twoWay/projectCreate';
import { dealFieldsV2, KEYS, stageDefinitions } from '../mapping/fixtures';

type Rec = Record<string, any>;
type Sync = Extract<PassStep, { action: 'sync' }>;

const base = { settingsRow: {}, fields: { success: true, data: dealFieldsV2 }, stages: { stages: { success: true, data: stageDefinitions.stages }, pipelines: { success: true, data: stageDefinitions.pipelines } } };
const plan = (input: Omit<PassInput, keyof typeof base>) => planPass('project', { ...base, ...input });
const record = (input: Omit<RecordInput, keyof typeof base>) => recordPass('project', { ...base, ...input });

const deal = (over: Rec = {}): Rec => ({ id: 501, title: 'Kista Office', pipeline_id: 1, stage_id: 4, status: 'open', custom_fields: { [KEYS.projectId]: null }, update_time: '2026-12-04T10:00:00Z', ...over });
const project = (over: Rec = {}): Rec => ({ id: 'p_1', name: 'Kista Office', status: 'open', classification: 'draft', asset: { type: 'single', propertyCount: null }, externalRefs: [], updatedUtc: '2026-12-04T10:00:03Z', ...over });
const dealEvent = (d: Rec, action = 'change') => ({ meta: { action, entity: 'deal', entity_id: String(d.id), version: '2.0' }, data: d, previous: null });
const projectEvent = (p: Rec, event = 'project.updated') => ({ event, entity: 'project', data: p });

describe('Cloud project pass: deals → projects (06)', () => {
	it('an unlinked deal in the synced pipeline gets a project: no classification on create, a key per deal and body', () => {
		const step = plan({ event: dealEvent(deal(), 'create'), linkRows: [{}] });
		expect(step).toMatchObject({ action: 'create', target: 'propstreet', pipedriveId: '501', body: { name: 'Kista Office', externalRefs: [{ namespace: 'pipedrive', id: '501' }] } });
		const create = step as Extract<PassStep, { action: 'create' }>;
		expect(create.body).not.toHaveProperty('classification');
		expect(create.idempotencyKey).toBe(projectCreateRequest(create.body, '501').idempotencyKey);
		expect(create.idempotencyKey).toMatch(/^pipedrive-deal-501-[0-9a-f]{16}$/);
	});

	it('a deal in another pipeline is left alone; a deal that already names its project is the copy being linked', () => {
		expect(plan({ event: dealEvent(deal({ pipeline_id: 2, stage_id: 8 })), linkRows: [{}] })).toMatchObject({ action: 'skip', reason: expect.stringMatching(/outside/) });
		const named = plan({ event: dealEvent(deal({ custom_fields: { [KEYS.projectId]: 'p_9' } }), 'create'), linkRows: [{}] });
		expect(named).toMatchObject({ action: 'skip', pipedriveId: '501', propstreetId: 'p_9' });
	});

	it('after the create, the first sync sets the classification from the stage and names the project on the deal; then an edit flows once', () => {
		const first = plan({ event: dealEvent(deal(), 'create'), linkRows: [{}], created: { statusCode: 201, body: project() } }) as Sync;
		expect(first.action).toBe('sync');
		expect(first.propstreetPatch).toMatchObject({ classification: 'active' });
		expect(first.pipedrivePatch).toEqual({ custom_fields: { [KEYS.projectId]: 'p_1' } });
		const saved = record({ step: first, propstreetAnswer: project({ classification: 'active', externalRefs: [{ namespace: 'pipedrive', id: '501' }], updatedUtc: '2026-12-04T10:00:05Z' }), pipedriveAnswer: { success: true, data: deal({ custom_fields: { [KEYS.projectId]: 'p_1' }, update_time: '2026-12-04T10:00:06Z' }) } });
		expect(saved.row).toMatchObject({ entity: 'project', pipedriveId: '501', propstreetId: 'p_1', status: 'linked', version: 1 });
		const row = { id: 1, ...saved.row };
		// The echo of the link write: nothing to do.
		expect(plan({ event: dealEvent(deal({ custom_fields: { [KEYS.projectId]: 'p_1' }, update_time: '2026-12-04T10:00:06Z' })), linkRows: [row] }).action).toBe('unchanged');
		// A stage move (Investor Outreach → Property Added): the classification follows, the deal is not written.
		const moved = plan({ event: dealEvent(deal({ stage_id: 2, custom_fields: { [KEYS.projectId]: 'p_1' }, update_time: '2026-12-04T11:00:00Z' })), linkRows: [row], counterpart: { statusCode: 200, body: project({ classification: 'active', externalRefs: [{ namespace: 'pipedrive', id: '501' }], updatedUtc: '2026-12-04T10:00:05Z' }) } }) as Sync;
		expect(moved).toMatchObject({ action: 'sync', pipedrivePatch: {} });
		expect(moved.propstreetPatch).toEqual({ classification: 'draft' });
	});

	it('a won deal makes its linked project inactive; a lost deal gets no project when lost projects are to be deleted', () => {
		const first = plan({ event: dealEvent(deal(), 'create'), linkRows: [{}], created: project() }) as Sync;
		const row = { id: 1, ...record({ step: first, propstreetAnswer: project({ classification: 'active', externalRefs: [{ namespace: 'pipedrive', id: '501' }] }) }).row };
		const won = plan({ event: dealEvent(deal({ status: 'won', custom_fields: { [KEYS.projectId]: 'p_1' }, update_time: '2026-12-04T12:00:00Z' })), linkRows: [row], counterpart: project({ classification: 'active', externalRefs: [{ namespace: 'pipedrive', id: '501' }] }) }) as Sync;
		expect(won.propstreetPatch).toMatchObject({ classification: 'inactive' });
		const settingsRow = { version: 1, settings: JSON.stringify({ ...DEFAULT_SYNC_SETTINGS, options: { ...DEFAULT_SYNC_SETTINGS.options, onLost: 'deleteProject' } }) };
		const lost = planPass('project', { ...base, settingsRow, event: dealEvent(deal({ status: 'lost' })), linkRows: [{}] });
		expect(lost).toMatchObject({ action: 'skip', reason: expect.stringMatching(/lost deal/) });
	});
});

describe('Cloud project pass: projects → deals (07)', () => {
	it('an unlinked project gets a deal in the first synced pipeline, at the stage of its classification, naming the project', () => {
		const step = plan({ event: projectEvent(project({ classification: 'active' }), 'project.created'), linkRows: [{}] });
		expect(step).toMatchObject({ action: 'create', target: 'pipedrive', propstreetId: 'p_1', body: { title: 'Kista Office', pipeline_id: 1, custom_fields: { [KEYS.projectId]: 'p_1' } } });
		expect((step as Rec).idempotencyKey).toBeUndefined();
	});

	it('a project that names its deal but has no link yet is the copy being linked: nothing is created', () => {
		const step = plan({ event: projectEvent(project({ externalRefs: [{ namespace: 'pipedrive', id: '501' }] }), 'project.created'), linkRows: [{}] });
		expect(step).toMatchObject({ action: 'skip', pipedriveId: '501', propstreetId: 'p_1' });
	});

	it('a linked project renamed reaches the deal once; the deal keeps a stage the table has no row for', () => {
		const first = plan({ event: projectEvent(project(), 'project.created'), linkRows: [{}], created: { success: true, data: deal({ stage_id: 1, custom_fields: { [KEYS.projectId]: 'p_1' } }) } }) as Sync;
		expect(first.propstreetPatch).toMatchObject({ externalRefs: [{ namespace: 'pipedrive', id: '501' }] });
		const row = { id: 1, ...record({ step: first, propstreetAnswer: project({ externalRefs: [{ namespace: 'pipedrive', id: '501' }], updatedUtc: '2026-12-04T10:00:09Z' }) }).row };
		const unmapped = deal({ stage_id: 77, custom_fields: { [KEYS.projectId]: 'p_1' } });
		const renamed = plan({ event: projectEvent(project({ name: 'Kista Office II', classification: 'active', externalRefs: [{ namespace: 'pipedrive', id: '501' }], updatedUtc: '2026-12-04T11:00:00Z' })), linkRows: [row], counterpart: { statusCode: 200, body: { success: true, data: unmapped } } }) as Sync;
		expect(renamed.pipedrivePatch).toEqual({ title: 'Kista Office II' });
		expect(renamed.propstreetPatch).toEqual({});
	});
});
