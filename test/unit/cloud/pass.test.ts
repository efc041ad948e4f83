/**
 * The Cloud edition's pass as the Code nodes chain it: plan → (writes) → record → the next event
 * reads the stored row. Shipped default settings (no saved row), no field definitions.
 */
import { planPass, recordPass, type PassInput, type PassStep, type RecordInput } from '../../../nodes/shared/core/cloud/pass';
import { setupSteps } from '../../../nodes/shared/core/cloud/subscription';

type Rec = Record<string, any>;

const contact = (over: Rec = {}): Rec => ({ id: 'c_1', firstName: 'Åsa', lastName: 'Berg', email: 'asa@example.se', phone: null, tags: ['investor'], updatedUtc: '2026-12-04T10:00:00Z', externalRefs: [], ...over });
const delivery = (record: Rec, event = 'contact.updated') => ({ event, entity: 'contact', data: record });
const person = (over: Rec = {}): Rec => ({ id: 77, name: 'Åsa Berg', first_name: 'Åsa', last_name: 'Berg', emails: [{ value: 'asa@example.se', primary: true, label: 'work' }], phones: [], label_ids: [], org_id: null, custom_fields: {}, update_time: '2026-12-04T10:00:05Z', ...over });
const base = { settingsRow: {}, fields: { success: true, data: [] } };
const planContactPass = (input: PassInput) => planPass('contact', input);
const recordContactPass = (input: RecordInput) => recordPass('contact', input);

/** A stored row after the new pair's first sync (create → link → record), as the Data Table node returns it. */
function linkedRow(): Rec {
	const created = planContactPass({ ...base, event: delivery(contact(), 'contact.created'), linkRows: [{}], created: { statusCode: 201, body: { success: true, data: person() } } });
	expect(created.action).toBe('sync');
	const { row } = recordContactPass({ ...base, step: created });
	return { id: 1, ...row };
}

describe('Cloud contact pass', () => {
	it('plans a create for an unlinked contact in scope, with the body the mapper makes', () => {
		const step = planContactPass({ ...base, event: delivery(contact(), 'contact.created'), linkRows: [{}] });
		expect(step).toMatchObject({ action: 'create', target: 'pipedrive', propstreetId: 'c_1', pipedriveId: null, namespace: 'pipedrive', body: { name: 'Åsa Berg' } });
	});

	it('skips an unlinked contact or person that already names its counterpart: the copy whose creator is still linking it', () => {
		const copy = planContactPass({ ...base, event: delivery(contact({ externalRefs: [{ namespace: 'pipedrive', id: '77' }] }), 'contact.created'), linkRows: [{}] });
		expect(copy).toMatchObject({ action: 'skip', propstreetId: 'c_1', pipedriveId: '77' });
		expect(copy.reason).toMatch(/already names its pipedrive counterpart 77/);
	});

	it('skips a contact outside the scope (no investor tag) and the delete of one that was not linked', () => {
		expect(planContactPass({ ...base, event: delivery(contact({ tags: [] })), linkRows: [{}] }).action).toBe('skip');
		expect(planContactPass({ ...base, event: delivery(contact({ deletedUtc: '2026-12-04T11:00:00Z' }), 'contact.deleted'), linkRows: [{}] })).toMatchObject({ action: 'skip', reason: expect.stringMatching(/not linked/) });
	});

	it('a deleted contact or person unlinks its pair and keeps the counterpart, as the Sync node does; a Pipedrive merge leaves the link', () => {
		const row = linkedRow();
		const gone = planContactPass({ ...base, event: delivery(contact({ deletedUtc: '2026-12-04T11:00:00Z', tags: [] }), 'contact.deleted'), linkRows: [row] });
		expect(gone).toMatchObject({ action: 'unlink', pipedriveId: '77', propstreetId: 'c_1', row: { entity: 'contact', pipedriveId: '77', propstreetId: 'c_1', status: 'unlinked', version: 2 } });
		expect(gone.reason).toMatch(/counterpart 77 was kept/);
		const deleted = { meta: { action: 'delete', entity: 'person', entity_id: '77', version: '2.0' }, data: null, previous: person() };
		expect(planContactPass({ ...base, event: deleted, linkRows: [row] })).toMatchObject({ action: 'unlink', row: { status: 'unlinked' } });
		const merged = { ...deleted, meta: { ...deleted.meta, merged_to_id: 78 } };
		const mergeStep = planContactPass({ ...base, event: merged, linkRows: [row] });
		expect(mergeStep.action).toBe('skip');
	});

	it('after a create, links both sides: the new person gets nothing back, the contact its pipedrive ref; the row is linked with a baseline', () => {
		const step = planContactPass({ ...base, event: delivery(contact(), 'contact.created'), linkRows: [{}], created: { statusCode: 201, body: { success: true, data: person() } } }) as Extract<PassStep, { action: 'sync' }>;
		expect(step.propstreetPatch.externalRefs).toEqual([{ namespace: 'pipedrive', id: '77' }]);
		const { row, matchColumn, matchValue } = recordContactPass({ ...base, step });
		expect(row).toMatchObject({ entity: 'contact', pipedriveId: '77', propstreetId: 'c_1', status: 'linked', version: 1 });
		expect(JSON.parse(row.baseline).propstreet['contact.name']).toEqual(expect.any(String));
		expect([matchColumn, matchValue]).toEqual(['propstreetId', 'c_1']);
	});

	it('an echo of what was synced costs nothing; a real change is planned towards Pipedrive only', () => {
		const row = linkedRow();
		expect(planContactPass({ ...base, event: delivery(contact({ updatedUtc: '2026-12-04T10:01:00Z' })), linkRows: [row] }).action).toBe('unchanged');
		const changed = planContactPass({ ...base, event: delivery(contact({ lastName: 'Holm', updatedUtc: '2026-12-04T11:00:00Z' })), linkRows: [row], counterpart: { statusCode: 200, body: { success: true, data: person() } } });
		expect(changed).toMatchObject({ action: 'sync', pipedriveId: '77', propstreetId: 'c_1', propstreetPatch: {} });
		expect((changed as Rec).pipedrivePatch).toMatchObject({ name: 'Åsa Holm' });
		const next = recordContactPass({ ...base, step: changed, pipedriveAnswer: { statusCode: 200, body: { success: true, data: person({ name: 'Åsa Holm', last_name: 'Holm', update_time: '2026-12-04T11:00:03Z' }) } } });
		expect(next.row.version).toBe(2);
	});

	it('a counterpart that is gone unlinks the row and writes nothing', () => {
		const step = planContactPass({ ...base, event: delivery(contact({ lastName: 'Holm', updatedUtc: '2026-12-04T11:00:00Z' })), linkRows: [linkedRow()], counterpart: { statusCode: 404, body: { success: false } } });
		expect(step).toMatchObject({ action: 'unlink', row: { status: 'unlinked', pipedriveId: '77', propstreetId: 'c_1' } });
	});

	it('a failed write is not recorded (the next event retries)', () => {
		const step = planContactPass({ ...base, event: delivery(contact({ lastName: 'Holm', updatedUtc: '2026-12-04T11:00:00Z' })), linkRows: [linkedRow()], counterpart: person() });
		expect(() => recordContactPass({ ...base, step, pipedriveAnswer: { statusCode: 500, body: {} } })).toThrow(/HTTP 500/);
	});
});

describe('Cloud pass: companies through the same steps', () => {
	const company = (over: Rec = {}): Rec => ({ id: 'co_1', name: 'Fjord Eiendom AS', domain: 'fjord.example', updatedUtc: '2026-12-04T10:00:00Z', externalRefs: [], ...over });
	it('plans a Pipedrive organization for a new Propstreet company, and an unknown entity is refused', () => {
		const step = planPass('company', { ...base, event: { event: 'company.created', entity: 'company', data: company() }, linkRows: [{}] });
		expect(step).toMatchObject({ action: 'create', target: 'pipedrive', propstreetId: 'co_1', body: { name: 'Fjord Eiendom AS' } });
		expect(() => planPass('deal' as never, { ...base, event: {}, linkRows: [] })).toThrow(/does not sync "deal"/);
	});

	const org = (over: Rec = {}): Rec => ({ id: 70, name: 'Fjord Eiendom Holding AS', address: null, custom_fields: {}, update_time: '2026-12-04T11:00:00Z', ...over });
	const event = (record: Rec, type = 'company.created') => ({ event: type, entity: 'company', data: record });

	it('an organization the match found is linked as the Sync node links one: no baseline, the one conflict rule decides', () => {
		// The organization was edited after the company: last write wins gives it the differing name.
		const matched = planPass('company', { ...base, event: event(company()), linkRows: [{}], matched: { statusCode: 200, body: { success: true, data: org() } } });
		expect(matched).toMatchObject({ action: 'sync', pipedriveId: '70', propstreetId: 'co_1', propstreetPatch: { name: 'Fjord Eiendom Holding AS' } });
		expect((matched as Extract<PassStep, { action: 'sync' }>).propstreetPatch.externalRefs).toEqual([{ namespace: 'pipedrive', id: '70' }]);
		// A counterpart this pass created holds what was mapped from the company: the company's name stays.
		const created = planPass('company', { ...base, event: event(company()), linkRows: [{}], created: { statusCode: 201, body: { success: true, data: org() } } });
		expect(created).toMatchObject({ action: 'sync', pipedrivePatch: { name: 'Fjord Eiendom AS' } });
	});

	it('a new company that already names the organization found is its copy: the organization is the source', () => {
		const copy = company({ name: 'Fjord Eiendom AS (copy)', updatedUtc: '2026-12-04T12:00:00Z', externalRefs: [{ namespace: 'pipedrive', id: '70' }] });
		const step = planPass('company', { ...base, event: event(copy), linkRows: [{}], matched: org() });
		expect(step).toMatchObject({ action: 'sync', eventSide: 'propstreet', propstreetPatch: { name: 'Fjord Eiendom Holding AS' }, pipedrivePatch: {} });
		// An update (not a create) of the same company is an edit: the newer company wins.
		const edit = planPass('company', { ...base, event: event(copy, 'company.updated'), linkRows: [{}], matched: org() });
		expect(edit).toMatchObject({ action: 'sync', pipedrivePatch: { name: 'Fjord Eiendom AS (copy)' }, propstreetPatch: {} });
	});
});

describe('Cloud subscription setup', () => {
	const url = 'https://n8n.example/webhook/propstreet-cloud-contacts';
	const events = ['contact.created', 'contact.updated', 'contact.deleted'];
	it('creates when nothing usable is subscribed, replacing a subscription whose secret is not stored', () => {
		const steps = setupSteps({ action: 'create', url, events, list: [{ id: 'w1', url, events }], stored: { hasSecret: false } });
		expect(steps.map((s) => s.kind)).toEqual(['delete', 'create', 'report']);
	});
	it('keeps a subscription whose secret is stored, and check says so', () => {
		const stored = { webhookId: 'w1', events, hasSecret: true };
		expect(setupSteps({ action: 'create', url, events, list: [{ id: 'w1', url, events }], stored }).map((s) => s.kind)).toEqual(['report']);
		expect(setupSteps({ action: 'check', url, events, list: [{ id: 'w1', url, events }], stored })[0]).toMatchObject({ ready: true, subscriptionId: 'w1' });
	});
	it('delete removes every subscription at the URL and forgets the secret; a bad request is refused', () => {
		expect(setupSteps({ action: 'delete', url, events, list: [{ id: 'w1', url, events }, { id: 'w2', url: 'https://other', events }], stored: { hasSecret: true } }).map((s) => s.kind)).toEqual(['delete', 'forget', 'report']);
		expect(() => setupSteps({ action: 'create', url: 'not a url', events, list: [], stored: { hasSecret: false } })).toThrow(/production URL/);
	});
});
