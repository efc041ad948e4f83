import { mapRecord } from '../../../nodes/shared/core/mapping';
import { KEYS, pipedriveWebhook, setup } from './fixtures';

const kista = {
	id: 3001,
	title: 'Kista Office Portfolio',
	status: 'open',
	stage_id: 5,
	pipeline_id: 1,
	person_id: 1001,
	org_id: 2001,
	update_time: '2026-03-04T10:00:00Z',
	custom_fields: {
		[KEYS.projectId]: { type: 'varchar', value: '7001' },
		[KEYS.isPortfolio]: { type: 'enum', id: 21 },
		[KEYS.propertyCount]: { type: 'double', value: 3 },
		[KEYS.propertyType]: { type: 'set', values: [{ id: 31 }, { id: 33 }] },
	},
};

describe('deal → project', () => {
	it('maps a Webhooks v2 deal: title, stage → classification, asset, property categories', () => {
		const { config, ctx } = setup('project');
		const item = mapRecord(pipedriveWebhook('deal', 'change', kista), 'project', 'toPropstreet', config, ctx);
		expect(item.body).toEqual({
			name: 'Kista Office Portfolio',
			classification: 'active',
			asset: { type: 'portfolio', propertyCount: 3 },
			externalRefs: [{ namespace: 'pipedrive', id: '3001' }],
		});
		expect(item.extras).toEqual({ expectedState: { status: 'open', classification: 'active', teaserStage: 'communicated' }, propertyCategories: ['office', 'industrial'] });
		expect(item.match).toMatchObject({ pipedriveId: '3001', propstreetId: '7001', pipedrivePersonId: '1001', pipedriveOrgId: '2001' });
		expect(item.lifecycle).toBeUndefined();
	});

	it.each([
		[1, 'Lead In', 'draft', null],
		[2, 'Property Added', 'draft', null],
		[3, 'Teaser Drafting', 'active', 'published'],
		[4, 'Investor Outreach', 'active', 'communicated'],
		[5, 'Due Diligence', 'active', 'communicated'],
		[6, 'Closing', 'active', 'communicated'],
	])('stage %i (%s) → %s, teaser %s', (stageId, _name, classification, teaserStage) => {
		const { config, ctx } = setup('project');
		const item = mapRecord({ ...kista, stage_id: stageId }, 'project', 'toPropstreet', config, ctx);
		expect(item.body.classification).toBe(classification);
		expect(item.extras?.expectedState).toEqual({ status: 'open', classification, teaserStage });
	});

	it.each([
		['won', {}, 'inactive', { event: 'won', deal: 'won', action: 'closeInPropstreetApp' }],
		['lost', {}, 'inactive', { event: 'lost', deal: 'lost', action: 'none' }],
		['lost', { onLost: 'deleteProject' as const }, 'active', { event: 'lost', deal: 'lost', action: 'deleteProject' }],
		['won', { onWon: 'keep' as const }, 'active', { event: 'won', action: 'closeInPropstreetApp' }],
	])('deal %s with %j → classification %s and lifecycle', (status, options, classification, lifecycle) => {
		const { config, ctx } = setup('project', { config: options });
		const item = mapRecord({ ...kista, status }, 'project', 'toPropstreet', config, ctx);
		expect(item.body.classification).toBe(classification);
		expect(item.lifecycle).toMatchObject(lifecycle);
	});

	it('warns about a stage that is not in the table, and about ids when no stage definitions were given', () => {
		const a = setup('project');
		const unknown = mapRecord({ ...kista, stage_id: 99 }, 'project', 'toPropstreet', a.config, a.ctx);
		expect(unknown.body).not.toHaveProperty('classification');
		expect(unknown.warnings.find((w) => w.field === 'stage')?.message).toMatch(/stage id 99/);
		const b = setup('project', { noDefinitions: true });
		const noDefs = mapRecord({ ...kista, stage_id: 4 }, 'project', 'toPropstreet', b.config, b.ctx);
		expect(noDefs.warnings.find((w) => w.field === 'stage')?.message).toMatch(/Stage Definitions/);
	});

	it('accepts stage ids in the stage table without stage definitions', () => {
		const { config, ctx } = setup('project', { noDefinitions: true, config: { stageTable: [{ pipedriveStage: '4', classification: 'active', teaserStage: 'communicated', reverseMatch: ['communicated'] }] } });
		const item = mapRecord({ ...kista, custom_fields: {}, stage_id: 4 }, 'project', 'toPropstreet', config, ctx);
		expect(item.body.classification).toBe('active');
	});

	it.each([
		['v2 enum id with definitions', { [KEYS.isPortfolio]: 22, [KEYS.propertyCount]: 1 }, { type: 'single', propertyCount: null }, null],
		['label text (already resolved)', { [KEYS.isPortfolio]: 'Yes', [KEYS.propertyCount]: '5' }, { type: 'portfolio', propertyCount: 5 }, null],
		['not a portfolio but many properties', { [KEYS.isPortfolio]: 22, [KEYS.propertyCount]: 5 }, { type: 'single', propertyCount: null }, /not a portfolio/],
		['count that is not a whole number', { [KEYS.isPortfolio]: 21, [KEYS.propertyCount]: 'many' }, { type: 'portfolio', propertyCount: null }, /not a whole number/],
		['only a count', { [KEYS.propertyCount]: 4 }, { type: 'portfolio', propertyCount: 4 }, null],
	])('asset from %s', (_case, customFields, asset, warning) => {
		const { config, ctx } = setup('project');
		const item = mapRecord({ ...kista, custom_fields: customFields }, 'project', 'toPropstreet', config, ctx);
		expect(item.body.asset).toEqual(asset);
		if (warning) expect(item.warnings.map((w) => w.message).join(' ')).toMatch(warning);
	});

	it('cannot read an is_portfolio option id without field definitions', () => {
		const { config, ctx } = setup('project', { noDefinitions: true });
		const item = mapRecord({ ...kista, custom_fields: { is_portfolio: { type: 'enum', id: 21 } } }, 'project', 'toPropstreet', config, ctx);
		expect(item.body).not.toHaveProperty('asset');
		expect(item.warnings.find((w) => w.field === 'isPortfolio')?.message).toMatch(/field definitions/);
	});

	it('marks deals of unsynced pipelines as skip', () => {
		const { config, ctx } = setup('project', { config: { pipelines: ['Nordic Transactions'] } });
		expect(mapRecord({ ...kista, pipeline_id: 2 }, 'project', 'toPropstreet', config, ctx).skip).toBe(true);
		expect(mapRecord(kista, 'project', 'toPropstreet', config, ctx).skip).toBeUndefined();
	});

	it('warns when the project teaser stage disagrees with the deal stage', () => {
		const current = { id: '7001', name: 'Kista Office Portfolio', status: 'open', classification: 'active', teaser: { stage: 'drafting' }, asset: { type: 'portfolio', propertyCount: 3 }, updatedUtc: '2026-03-01T00:00:00Z' };
		const { config, ctx } = setup('project', { current });
		const item = mapRecord(kista, 'project', 'toPropstreet', config, ctx);
		expect(item.warnings.find((w) => w.field === 'stage')?.message).toMatch(/only in the Propstreet app/);
		expect(item.conflict?.changedFields).toEqual(['project.pipedriveId']);
	});

	it('reports a deleted deal without deleting the project', () => {
		const { config, ctx } = setup('project');
		const item = mapRecord(pipedriveWebhook('deal', 'delete', null, kista), 'project', 'toPropstreet', config, ctx);
		expect(item.body).toEqual({});
		expect(item.lifecycle).toMatchObject({ event: 'deleted', deal: 'deleted', action: 'none' });
	});
});

const project = {
	id: '7002',
	name: 'Alnabru Logistics Hub',
	externalRefs: [{ namespace: 'pipedrive', id: '3002' }],
	asset: { type: 'portfolio', propertyCount: 2 },
	status: 'open',
	classification: 'active',
	teaser: { id: 't1', stage: 'communicated' },
	updatedUtc: '2026-03-06T10:00:00Z',
};

describe('project → deal', () => {
	it.each([
		['draft', null, 1],
		['draft', { stage: 'property_added' }, 2],
		['draft', { stage: 'drafting' }, 2],
		['active', null, 3],
		['active', { stage: 'drafting' }, 3],
		['active', { stage: 'published' }, 3],
		['active', { stage: 'verified' }, 3],
		['active', { stage: 'communicated' }, 4],
	])('new deal: classification %s, teaser %j → stage %i', (classification, teaser, stageId) => {
		const { config, ctx } = setup('project');
		const item = mapRecord({ ...project, externalRefs: [], classification, teaser }, 'project', 'toPipedrive', config, ctx);
		expect(item.body.stage_id).toBe(stageId);
	});

	it('keeps a deal in Due Diligence when the project state still matches that stage', () => {
		const current = { id: 3002, title: 'Alnabru Logistics Hub', status: 'open', stage_id: 5, pipeline_id: 1, update_time: '2026-03-01T00:00:00Z', custom_fields: {} };
		const { config, ctx } = setup('project', { current });
		const item = mapRecord(project, 'project', 'toPipedrive', config, ctx);
		expect(item.body).not.toHaveProperty('stage_id');
	});

	it('moves a deal whose stage no longer matches', () => {
		const current = { id: 3002, title: 'Alnabru Logistics Hub', status: 'open', stage_id: 1, pipeline_id: 1, update_time: '2026-03-01T00:00:00Z', custom_fields: {} };
		const { config, ctx } = setup('project', { current });
		const item = mapRecord(project, 'project', 'toPipedrive', config, ctx);
		expect(item.body.stage_id).toBe(4);
		expect(item.conflict?.changedFields).toContain('project.stage');
	});

	it('leaves the stage alone when updating without the current deal', () => {
		const { config, ctx } = setup('project');
		const item = mapRecord(project, 'project', 'toPipedrive', config, ctx);
		expect(item.body).not.toHaveProperty('stage_id');
		expect(item.warnings.find((w) => w.field === 'stage')?.message).toMatch(/not supplied/);
	});

	it('inactive projects keep the deal stage', () => {
		const { config, ctx } = setup('project');
		const item = mapRecord({ ...project, externalRefs: [], classification: 'inactive' }, 'project', 'toPipedrive', config, ctx);
		expect(item.body).not.toHaveProperty('stage_id');
		expect(item.warnings.filter((w) => w.field === 'stage')).toEqual([]);
	});

	it.each([
		['closed project', { status: 'closed' }, {}, 'won', { event: 'closed', action: 'markDealWon' }],
		['deleted project (status)', { status: 'deleted', deletedUtc: '2026-03-06T10:00:00Z' }, {}, 'lost', { event: 'deleted', action: 'markDealLost' }],
		['closed, ignored', { status: 'closed' }, { onProjectClosed: 'ignore' as const }, undefined, { event: 'closed', action: 'none' }],
		['deleted, ignored', { status: 'deleted' }, { onProjectDeleted: 'ignore' as const }, undefined, { event: 'deleted', action: 'none' }],
	])('%s → deal status %s', (_case, patch, options, status, lifecycle) => {
		const { config, ctx } = setup('project', { config: options });
		const item = mapRecord({ ...project, ...patch }, 'project', 'toPipedrive', config, ctx);
		expect(item.body.status).toBe(status);
		expect(item.lifecycle).toEqual(lifecycle);
		expect(item.body).not.toHaveProperty('stage_id');
	});

	it('marks the deal lost on a project.deleted webhook', () => {
		const { config, ctx } = setup('project');
		const item = mapRecord({ type: 'project.deleted', timestamp: '2026-03-06T10:00:00Z', data: project }, 'project', 'toPipedrive', config, ctx);
		expect(item.body.status).toBe('lost');
	});

	it('writes title, portfolio option, property count and project id', () => {
		const { config, ctx } = setup('project');
		const item = mapRecord(project, 'project', 'toPipedrive', config, ctx);
		expect(item.body.title).toBe('Alnabru Logistics Hub');
		expect(item.body.custom_fields).toEqual({ [KEYS.isPortfolio]: 21, [KEYS.propertyCount]: 2, [KEYS.projectId]: '7002' });
		expect(item.match).toMatchObject({ pipedriveId: '3002', propstreetId: '7002' });
	});

	it('reads the spec\'s flat isPortfolio/propertyCount and needs definitions for an option field', () => {
		const { config, ctx } = setup('project', { noDefinitions: true });
		const flat = { id: '7009', name: 'Flat', isPortfolio: false, propertyCount: null, status: 'open' };
		const item = mapRecord(flat, 'project', 'toPipedrive', config, ctx);
		expect(item.warnings.find((w) => w.field === 'isPortfolio')?.message).toMatch(/field definitions/);
		expect(item.body.custom_fields).toEqual({ property_count: null, propstreet_project_id: '7009' });
	});

	it('leaves a won deal closed while the project is open, unless asked to reopen it', () => {
		const current = { id: 3002, title: 'Alnabru Logistics Hub', status: 'won', stage_id: 4, update_time: '2026-03-01T00:00:00Z' };
		const kept = setup('project', { current });
		const item = mapRecord(project, 'project', 'toPipedrive', kept.config, kept.ctx);
		expect(item.body).not.toHaveProperty('status');
		expect(item.lifecycle).toMatchObject({ event: 'reopened', action: 'none', deal: 'won' });
		const reopen = setup('project', { current, config: { onProjectOpenDealClosed: 'reopen' } });
		const reopened = mapRecord(project, 'project', 'toPipedrive', reopen.config, reopen.ctx);
		expect(reopened.body.status).toBe('open');
		expect(reopened.lifecycle).toEqual({ event: 'reopened', action: 'none', deal: 'won' });
	});
});
