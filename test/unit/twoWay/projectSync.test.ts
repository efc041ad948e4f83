/** Deals ⇄ projects through the two-way core (PROJECT_SPEC), on in-memory sides and state store. */
import type { JsonRecord } from '../../../nodes/shared/core/mapping/common';
import { buildContext, resolveConfig } from '../../../nodes/shared/core/mapping';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';
import { syncEvent, type SideEvent } from '../../../nodes/shared/core/twoWay/event';
import { dealCreateScope, dealPipelineScope, PROJECT_SPEC } from '../../../nodes/shared/core/twoWay/projectSpec';
import type { SideRecord, TwoWayRun } from '../../../nodes/shared/core/twoWay/ports';
import { fieldDefinitions, KEYS, stageDefinitions } from '../mapping/fixtures';
import { FakePipedrive, FakePropstreet } from './fakes';

/** Propstreet cannot set a classification on create: a new project starts as draft. */
class FakeProjects extends FakePropstreet {
	async create(body: JsonRecord): Promise<SideRecord> {
		this.calls.create++;
		const { classification: _ignored, ...rest } = body;
		return this.put({ status: 'open', classification: 'draft', asset: { type: 'single', propertyCount: null }, externalRefs: [], ...rest, id: `p-${this.records.size + 1}` });
	}
}

const BIDS_RECEIVED = 7;
const stages = { ...stageDefinitions, stages: [...stageDefinitions.stages, { id: BIDS_RECEIVED, name: 'Bids Received', pipeline_id: 1, order_nr: 6 }, { id: 8, name: 'Lead In', pipeline_id: 2, order_nr: 0 }] };

function projectRun(options: { store?: MemoryStateStore; pd?: FakePipedrive; ps?: FakeProjects; owner?: string } = {}) {
	const config = resolveConfig({ pipelines: ['Nordic Transactions'] });
	const ctx = buildContext({ entity: 'project', fieldDefinitions, stageDefinitions: stages });
	const pd = options.pd ?? new FakePipedrive();
	const ps = options.ps ?? new FakeProjects();
	const store = options.store ?? new MemoryStateStore();
	const run: TwoWayRun = {
		spec: PROJECT_SPEC,
		config,
		ctx,
		rules: { policy: 'lastWriteWins' },
		store,
		sides: { pipedrive: pd, propstreet: ps },
		createOn: { pipedrive: true, propstreet: true },
		newRecordScope: dealPipelineScope(config, ctx),
		owner: options.owner ?? 'exec-1',
		now: () => new Date('2026-05-01T10:00:00Z'),
		wait: async () => undefined,
	};
	return { run, pd, ps, store };
}

function deal(over: JsonRecord = {}): JsonRecord {
	return {
		id: 501,
		title: 'Kista Office Portfolio',
		pipeline_id: 1,
		stage_id: 1,
		status: 'open',
		custom_fields: { [KEYS.projectId]: null, [KEYS.isPortfolio]: 22, [KEYS.propertyCount]: 1 },
		...over,
	};
}

const custom = (record: JsonRecord | undefined) => (record?.custom_fields ?? {}) as JsonRecord;
const change = (side: SideEvent['side'], record: JsonRecord, extra: Partial<SideEvent> = {}): SideEvent => ({ side, record, action: 'change', ...extra });

/** A deal synced once: both records linked, a baseline stored. */
async function linkedPair(over: JsonRecord = {}) {
	const bed = projectRun();
	// Propstreet's clock runs ahead: the new project is newer than the deal, as when it was just created.
	bed.ps.ms = 60_000;
	const created = bed.pd.put(deal(over));
	const first = await syncEvent(bed.run, { side: 'pipedrive', record: created, action: 'create' });
	const projectId = String(first.propstreetId);
	return { ...bed, first, projectId, dealId: String(created.id) };
}

describe('deals ⇄ projects: create and link', () => {
	it('a new deal gets one project with its classification set after the create; ids on both sides; the echoes cost no call', async () => {
		const { pd, ps, store, first, projectId, dealId, run } = await linkedPair({ stage_id: 4 });
		expect(first.action).toBe('created');
		const project = ps.records.get(projectId)!;
		expect(project).toMatchObject({ name: 'Kista Office Portfolio', classification: 'active', externalRefs: [{ namespace: 'pipedrive', id: dealId }] });
		expect(custom(pd.records.get(dealId))[KEYS.projectId]).toBe(projectId);
		expect(store.all().filter((r) => r.entity === 'project' && r.status === 'linked')).toHaveLength(1);

		const calls = JSON.stringify([pd.calls, ps.calls]);
		const psEcho = await syncEvent(run, change('propstreet', (await ps.get(projectId))!.record));
		const pdEcho = await syncEvent(run, change('pipedrive', (await pd.get(dealId))!.record));
		expect([psEcho.action, pdEcho.action]).toEqual(['unchanged', 'unchanged']);
		expect(JSON.stringify([pd.calls, ps.calls])).toBe(calls.replace(/"get":(\d+)/g, (_m, n) => `"get":${Number(n) + 1}`));
		expect(pd.records.get(dealId)!.stage_id).toBe(4);
	});

	it('a new project gets one deal in the synced pipeline, in the stage its classification maps to', async () => {
		const { run, pd, ps } = projectRun();
		const project = ps.put({ id: 'p-77', name: 'Aarhus Harbour', status: 'open', classification: 'active', asset: { type: 'portfolio', propertyCount: 4 }, externalRefs: [] }).record;
		const out = await syncEvent(run, { side: 'propstreet', record: project, action: 'create' });
		expect(out.action).toBe('created');
		const created = pd.records.get(String(out.pipedriveId))!;
		expect(created).toMatchObject({ title: 'Aarhus Harbour', pipeline_id: 1, stage_id: 3 });
		expect(custom(created)).toMatchObject({ [KEYS.projectId]: 'p-77', [KEYS.isPortfolio]: 21, [KEYS.propertyCount]: 4 });
		expect(ps.records.get('p-77')!.externalRefs).toEqual([{ namespace: 'pipedrive', id: String(created.id) }]);
	});

	it('the create event of a project made elsewhere from a deal (it names the deal) takes the deal as the source, even as a newer draft copy', async () => {
		const { run, pd, ps, store } = projectRun();
		const made = pd.put(deal({ id: 610, stage_id: 5, custom_fields: { [KEYS.projectId]: 'p-610' } }));
		ps.ms = 60_000;
		const copy = ps.put({ id: 'p-610', name: 'Kista Office Portfolio', status: 'open', classification: 'draft', asset: { type: 'single', propertyCount: null }, externalRefs: [{ namespace: 'pipedrive', id: '610' }] }).record;
		ps.put({ ...ps.records.get('p-610')!, classification: 'active' }, ps.records.get('p-610')!._v);
		const out = await syncEvent(run, { side: 'propstreet', record: copy, action: 'create' });
		expect(pd.records.get(String(made.id))!.stage_id).toBe(5);
		expect(ps.records.get('p-610')!.classification).toBe('active');
		expect(out.written).toEqual({ pipedrive: {}, propstreet: {} });
		expect(store.all().filter((r) => r.status === 'linked').map((r) => [r.pipedriveId, r.propstreetId])).toEqual([['610', 'p-610']]);
	});

	it('two executions for one new deal at once create exactly one project', async () => {
		const store = new MemoryStateStore();
		const pd = new FakePipedrive();
		const ps = new FakeProjects();
		const created = pd.put(deal());
		const a = projectRun({ store, pd, ps, owner: 'a' });
		const b = projectRun({ store, pd, ps, owner: 'b' });
		await Promise.all([syncEvent(a.run, { side: 'pipedrive', record: created, action: 'create' }), syncEvent(b.run, change('pipedrive', { ...created }))]);
		expect(ps.calls.create).toBe(1);
		expect(ps.records.size).toBe(1);
		expect(store.all().filter((r) => r.status === 'linked')).toHaveLength(1);
	});

	it('an unlinked lost deal gets no project when lost projects are to be deleted (On Deal Lost: Ask to Delete the Project)', async () => {
		const { run, pd, ps } = projectRun();
		run.config = { ...run.config, onLost: 'deleteProject' };
		run.createScope = dealCreateScope(run.config);
		const lost = pd.put(deal({ id: 901, status: 'lost' }));
		expect((await syncEvent(run, { side: 'pipedrive', record: lost, action: 'change' })).action).toBe('skipped');
		expect(ps.records.size).toBe(0);
		const open = pd.put(deal({ id: 902 }));
		expect((await syncEvent(run, { side: 'pipedrive', record: open, action: 'create' })).action).toBe('created');
	});

	it('an unlinked deal in a pipeline the sync does not cover is skipped before any call', async () => {
		const { run, pd, ps } = projectRun();
		const other = pd.put(deal({ id: 900, pipeline_id: 2, stage_id: 8 }));
		const out = await syncEvent(run, { side: 'pipedrive', record: other, action: 'create' });
		expect(out.action).toBe('skipped');
		expect(ps.records.size).toBe(0);
		expect({ ...ps.calls }).toEqual({ get: 0, update: 0, create: 0, find: 0 });
	});
});

describe('deals ⇄ projects: per-field merge (issue 13)', () => {
	it('case 2: a stage change in Pipedrive and a rename in Propstreet two seconds later both survive, whichever event runs first', async () => {
		for (const order of ['pipedrive first', 'propstreet first']) {
			const { run, pd, ps, projectId, dealId } = await linkedPair();
			const moved = pd.put({ ...pd.records.get(dealId)!, stage_id: 4 });
			const renamed = ps.put({ ...ps.records.get(projectId)!, name: 'Kista Office Portfolio II' }, ps.records.get(projectId)!._v).record;
			const events = [change('pipedrive', moved), change('propstreet', renamed)];
			for (const event of order === 'pipedrive first' ? events : events.reverse()) await syncEvent(run, event);
			expect(ps.records.get(projectId)).toMatchObject({ name: 'Kista Office Portfolio II', classification: 'active' });
			expect(pd.records.get(dealId)).toMatchObject({ title: 'Kista Office Portfolio II', stage_id: 4 });
		}
	});

	it('case 3: a deal in a stage the table does not map keeps it when the project classification changes; the outcome warns', async () => {
		const { run, pd, ps, projectId, dealId } = await linkedPair({ stage_id: 4 });
		const bids = pd.put({ ...pd.records.get(dealId)!, stage_id: BIDS_RECEIVED });
		const toPs = await syncEvent(run, change('pipedrive', bids));
		expect(ps.records.get(projectId)!.classification).toBe('active');
		expect(toPs.warnings.join(' ')).toMatch(/Bids Received/);

		const drafted = ps.put({ ...ps.records.get(projectId)!, classification: 'draft', name: 'Kista Renamed' }, ps.records.get(projectId)!._v).record;
		const out = await syncEvent(run, change('propstreet', drafted));
		expect(pd.records.get(dealId)).toMatchObject({ stage_id: BIDS_RECEIVED, title: 'Kista Renamed' });
		expect(out.warnings.join(' ')).toMatch(/no row in the stage table; its stage and the project's classification are left alone/);
	});

	it('case 3: a linked deal moved to another pipeline keeps its stage there and its project keeps its classification', async () => {
		const { run, pd, ps, projectId, dealId } = await linkedPair({ stage_id: 4 });
		const leasing = pd.put({ ...pd.records.get(dealId)!, pipeline_id: 2, stage_id: 8 });
		const out = await syncEvent(run, change('pipedrive', leasing));
		expect(ps.records.get(projectId)!.classification).toBe('active');
		expect(out.warnings.join(' ')).toMatch(/pipeline 2/);
		const drafted = ps.put({ ...ps.records.get(projectId)!, classification: 'draft' }, ps.records.get(projectId)!._v).record;
		await syncEvent(run, change('propstreet', drafted));
		expect(pd.records.get(dealId)).toMatchObject({ pipeline_id: 2, stage_id: 8 });
		const activeAgain = ps.put({ ...ps.records.get(projectId)!, classification: 'active' }, ps.records.get(projectId)!._v).record;
		const back = await syncEvent(run, change('propstreet', activeAgain));
		expect(back.warnings.join(' ')).toMatch(/pipeline 2, which the sync does not cover/);
		expect(pd.records.get(dealId)).toMatchObject({ pipeline_id: 2, stage_id: 8 });
	});

	it('case 15: property_count 1 of a single-asset deal survives project edits; a former portfolio count becomes 1', async () => {
		const { run, pd, ps, projectId, dealId } = await linkedPair();
		const renamed = ps.put({ ...ps.records.get(projectId)!, name: 'Kista One' }, ps.records.get(projectId)!._v).record;
		await syncEvent(run, change('propstreet', renamed));
		expect(custom(pd.records.get(dealId))[KEYS.propertyCount]).toBe(1);

		const portfolio = await linkedPair({ id: 502, custom_fields: { [KEYS.isPortfolio]: 21, [KEYS.propertyCount]: 5 } });
		const single = portfolio.ps.put({ ...portfolio.ps.records.get(portfolio.projectId)!, asset: { type: 'single', propertyCount: null } }, portfolio.ps.records.get(portfolio.projectId)!._v).record;
		await syncEvent(portfolio.run, change('propstreet', single));
		expect(custom(portfolio.pd.records.get(portfolio.dealId))).toMatchObject({ [KEYS.isPortfolio]: 22, [KEYS.propertyCount]: 1 });
	});

	it('case 10: a project edited between read and write (412) is read and merged again; nothing is lost', async () => {
		const { run, pd, ps, projectId, dealId } = await linkedPair();
		const update = ps.update.bind(ps);
		let raced = false;
		ps.update = async (id, patch, etag) => {
			if (!raced) {
				raced = true;
				const r = ps.records.get(id)!;
				ps.put({ ...r, name: 'Renamed Meanwhile' }, r._v);
			}
			return update(id, patch, etag);
		};
		await syncEvent(run, change('pipedrive', pd.put({ ...pd.records.get(dealId)!, stage_id: 5 })));
		expect(ps.records.get(projectId)).toMatchObject({ name: 'Renamed Meanwhile', classification: 'active' });
		expect(pd.records.get(dealId)).toMatchObject({ title: 'Renamed Meanwhile', stage_id: 5 });
	});
});

describe('deals ⇄ projects: deletes and merges', () => {
	it('case 9: a project read with deletedUtc is a delete: the deal is marked lost and unlinked, not updated from it', async () => {
		const { run, pd, ps, store, projectId, dealId } = await linkedPair();
		const gone = { ...ps.records.get(projectId)!, name: 'Should Not Arrive', status: 'deleted', deletedUtc: '2026-05-01T11:00:00Z' };
		const out = await syncEvent(run, change('propstreet', gone));
		expect(out.action).toBe('unlinked');
		expect(pd.records.get(dealId)).toMatchObject({ status: 'lost', title: 'Kista Office Portfolio' });
		expect(store.all()[0].status).toBe('unlinked');
	});

	it('a deal whose project is gone (404) unlinks with a warning instead of failing', async () => {
		const { run, pd, ps, store, dealId, projectId } = await linkedPair();
		ps.records.delete(projectId);
		const out = await syncEvent(run, change('pipedrive', pd.put({ ...pd.records.get(dealId)!, title: 'Edited' })));
		expect(out.action).toBe('unlinked');
		expect(out.warnings[0]).toMatch(/no longer exists/);
		expect(store.all()[0].status).toBe('unlinked');
	});

	for (const order of ['delete first', 'survivor change first']) {
		it(`case 5: a linked deal merged into an unlinked one moves the link to the survivor (${order}); no second project`, async () => {
			const { run, pd, ps, store, projectId, dealId } = await linkedPair();
			// Pipedrive: the survivor keeps its values and inherits the empty ones (the project id).
			const survivor = pd.put(deal({ id: 777, title: 'Kista (merged)', stage_id: 2, custom_fields: { [KEYS.projectId]: projectId, [KEYS.isPortfolio]: 22, [KEYS.propertyCount]: 1 } }));
			const removed = pd.records.get(dealId)!;
			pd.records.delete(dealId);
			const events: SideEvent[] = [
				{ side: 'pipedrive', action: 'delete', record: removed, mergedToId: '777' },
				change('pipedrive', survivor, { mergedFromId: dealId }),
			];
			const outcomes = [];
			for (const event of order === 'delete first' ? events : events.reverse()) outcomes.push(await syncEvent(run, event));
			// Whichever event comes first moves the link; the other finds nothing left to move.
			expect(outcomes[0].action).toBe('relinked');
			expect(ps.records.size).toBe(1);
			expect(ps.records.get(projectId)).toMatchObject({ name: 'Kista (merged)', externalRefs: [{ namespace: 'pipedrive', id: '777' }] });
			expect(custom(pd.records.get('777'))[KEYS.projectId]).toBe(projectId);
			const linked = store.all().filter((r) => r.status === 'linked');
			expect(linked.map((r) => [r.pipedriveId, r.propstreetId])).toEqual([['777', projectId]]);
		});
	}

	it('case 5: merged into a deal that has its own project, the removed link is dropped with a warning naming the duplicate', async () => {
		const { run, pd, ps, store, projectId, dealId } = await linkedPair();
		const other = pd.put(deal({ id: 778, title: 'Other Deal' }));
		const second = await syncEvent(run, { side: 'pipedrive', record: other, action: 'create' });
		const out = await syncEvent(run, { side: 'pipedrive', action: 'delete', record: pd.records.get(dealId)!, mergedToId: '778' });
		expect(out.action).toBe('unlinked');
		expect(out.warnings.join(' ')).toContain(`Propstreet project ${projectId} is now a duplicate`);
		expect(ps.records.size).toBe(2);
		expect(store.all().filter((r) => r.status === 'linked').map((r) => r.propstreetId)).toEqual([second.propstreetId]);
	});
});
