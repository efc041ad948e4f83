/** API v2 objects and lists: shapes, cursor pagination, updated_since/until, sort, ids, filters. */
import { pipedriveIdFor } from '../seed/ids';
import { apiClient } from '../../helpers/httpClient';
import { startPipedriveSimulator, type PipedriveSimulator } from './index';

const HOUR = 3_600_000;

describe('Pipedrive simulator: v2 objects and lists', () => {
	let sim: PipedriveSimulator;
	let call: ReturnType<typeof apiClient>;

	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true, clock: { start: '2026-03-01T08:00:00Z', frozen: true } });
		call = apiClient(sim.url);
	});
	afterEach(() => sim.close());

	async function allPages(path: string, query: Record<string, string | number> = {}) {
		const ids: number[] = [];
		const cursors: string[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < 50; page++) {
			const res = await call('GET', path, { query: { ...query, ...(cursor ? { cursor } : {}) } });
			expect(res.status).toBe(200);
			ids.push(...res.body.data.map((p: { id: number }) => p.id));
			cursor = res.body.additional_data.next_cursor ?? undefined;
			if (!cursor) return { ids, cursors, pages: page + 1 };
			cursors.push(cursor);
		}
		throw new Error('too many pages');
	}

	it('returns the v2 person shape: emails/phones arrays, custom_fields with every key, RFC 3339 times', async () => {
		const res = await call('GET', `/api/v2/persons/${pipedriveIdFor('person', 'astrid')}`);
		const p = res.body.data;
		expect(p).toMatchObject({
			id: 1001, name: 'Astrid Öberg', first_name: 'Astrid', last_name: 'Öberg', owner_id: 1, org_id: 2001, is_deleted: false, visible_to: 3, job_title: 'Head of Transactions',
			emails: [{ value: 'astrid.oberg@nordhav.example.se', primary: true, label: 'work' }, { value: 'astrid.oberg@gmail.example.com', primary: false, label: 'home' }],
			phones: [{ value: '+46 70 123 45 67', primary: true, label: 'mobile' }, { value: '+46 8 555 010 20', primary: false, label: 'work' }],
		});
		expect(p.add_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		expect(p.label_ids).toEqual([sim.control.optionId('person', 'label_ids', 'Investor'), sim.control.optionId('person', 'label_ids', 'VIP')]);
		expect(Object.keys(p.custom_fields).sort()).toEqual(['classification', 'investor_strategy', 'propstreet_contact_id'].map((n) => sim.control.fieldKey('person', n)).sort());
		expect(Object.keys(p.custom_fields).every((k) => /^[0-9a-f]{40}$/.test(k))).toBe(true);
		expect(p.custom_fields[sim.control.fieldKey('person', 'propstreet_contact_id')]).toBe('5001');

		const labelled = await call('GET', '/api/v2/persons/1001', { query: { include_option_labels: true, include_labels: true, include_fields: 'open_deals_count,participant_open_deals_count' } });
		expect(labelled.body.data.custom_fields[sim.control.fieldKey('person', 'classification')]).toEqual({ id: sim.control.optionId('person', 'classification', 'Interested'), label: 'Interested' });
		expect(labelled.body.data.labels).toEqual([{ id: 1, label: 'Investor' }, { id: 4, label: 'VIP' }]);
		expect(labelled.body.data.open_deals_count).toBe(1);
		expect(labelled.body.data.participant_open_deals_count).toBe(1);

		const onlyOne = await call('GET', '/api/v2/persons/1001', { query: { custom_fields: sim.control.fieldKey('person', 'investor_strategy') } });
		expect(Object.keys(onlyOne.body.data.custom_fields)).toEqual([sim.control.fieldKey('person', 'investor_strategy')]);
	});

	it('creates persons (200), splits names, makes the first email primary, and PATCH replaces arrays', async () => {
		const created = await call('POST', '/api/v2/persons', { body: { name: 'Maja Berg', emails: [{ value: 'maja@x.example' }, { value: 'maja2@x.example', label: 'home' }] } });
		expect(created.status).toBe(200);
		expect(created.body.data).toMatchObject({ first_name: 'Maja', last_name: 'Berg', emails: [{ value: 'maja@x.example', primary: true, label: 'work' }, { value: 'maja2@x.example', primary: false, label: 'home' }] });
		expect(created.body.data.id).toBeGreaterThanOrEqual(100001);
		sim.control.advanceClock(HOUR);
		const patched = await call('PATCH', `/api/v2/persons/${created.body.data.id}`, { body: { first_name: 'Maria', emails: [{ value: 'maria@x.example', primary: true }] } });
		expect(patched.body.data).toMatchObject({ name: 'Maria Berg', emails: [{ value: 'maria@x.example', primary: true, label: 'work' }] });
		expect(Date.parse(patched.body.data.update_time) - Date.parse(created.body.data.update_time)).toBe(HOUR);
		const deleted = await call('DELETE', `/api/v2/persons/${created.body.data.id}`);
		expect(deleted.body).toEqual({ success: true, data: { id: created.body.data.id } });
		expect((await call('GET', `/api/v2/persons/${created.body.data.id}`)).status).toBe(404);
	});

	it('pages with an opaque cursor until next_cursor is null, without gaps or repeats', async () => {
		const all = await allPages('/api/v2/persons', { limit: 4 });
		const seededPersons = sim.control.persons().map((p) => p.id as number).sort((a, b) => a - b);
		expect(all.ids).toEqual(seededPersons);
		expect(all.pages).toBe(Math.ceil(seededPersons.length / 4));
		expect(all.cursors.every((c) => /^[A-Za-z0-9_-]+$/.test(c))).toBe(true);
		expect((await call('GET', '/api/v2/persons', { query: { limit: 501 } })).status).toBe(400);
		expect((await call('GET', '/api/v2/persons', { query: { cursor: '!!!' } })).status).toBe(400);
	});

	it('keeps pages stable when records are added between pages (keyset cursor)', async () => {
		const first = await call('GET', '/api/v2/persons', { query: { limit: 5 } });
		await call('POST', '/api/v2/persons', { body: { name: 'Inserted Later' } });
		const rest = await allPages('/api/v2/persons', { limit: 5, cursor: first.body.additional_data.next_cursor });
		const ids = [...first.body.data.map((p: { id: number }) => p.id), ...rest.ids];
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toContain(sim.control.persons().find((p) => p.name === 'Inserted Later')!.id);
	});

	it('filters by updated_since (inclusive) and updated_until (exclusive) and sorts by update_time', async () => {
		const t0 = sim.control.now();
		sim.control.advanceClock(HOUR);
		sim.control.updatePerson(1002, { job_title: 'Chief Investment Officer' });
		sim.control.advanceClock(HOUR);
		sim.control.updatePerson(1001, { job_title: 'Head of Deals' });
		const since = new Date(t0 + HOUR).toISOString().replace('.000Z', 'Z');
		const res = await call('GET', '/api/v2/persons', { query: { updated_since: since, sort_by: 'update_time', sort_direction: 'desc' } });
		expect(res.body.data.map((p: { id: number }) => p.id)).toEqual([1001, 1002]);
		const until = await call('GET', '/api/v2/persons', { query: { updated_since: since, updated_until: new Date(t0 + 2 * HOUR).toISOString() } });
		expect(until.body.data.map((p: { id: number }) => p.id)).toEqual([1002]);
		expect((await call('GET', '/api/v2/persons', { query: { updated_since: 'yesterday' } })).status).toBe(400);
		expect((await call('GET', '/api/v2/persons', { query: { sort_by: 'name' } })).status).toBe(400);
	});

	it('paginates a desc sort by update_time across pages', async () => {
		const all = await allPages('/api/v2/organizations', { limit: 2, sort_by: 'update_time', sort_direction: 'desc' });
		const expected = sim.control.organizations().sort((a, b) => Date.parse(b.update_time as string) - Date.parse(a.update_time as string) || (a.id as number) - (b.id as number)).map((o) => o.id);
		expect(all.ids).toEqual(expected);
	});

	it('filters by ids, org_id, deal_id and owner_id', async () => {
		const byIds = await call('GET', '/api/v2/persons', { query: { ids: '1003,1001,999999' } });
		expect(byIds.body.data.map((p: { id: number }) => p.id)).toEqual([1001, 1003]);
		const byOrg = await call('GET', '/api/v2/persons', { query: { org_id: 2001 } });
		expect(byOrg.body.data.map((p: { name: string }) => p.name)).toEqual(['Astrid Öberg', 'Lars-Erik Åkesson', 'Freja Lindqvist']);
		const byDeal = await call('GET', '/api/v2/persons', { query: { deal_id: 3001 } });
		expect(byDeal.body.data.map((p: { id: number }) => p.id)).toEqual([1001, 1002, 1008]);
		expect((await call('GET', '/api/v2/persons', { query: { owner_id: 2 } })).body.data).toEqual([]);
		expect((await call('GET', '/api/v2/persons', { query: { ids: 'a,b' } })).status).toBe(400);
	});

	it('lists deals by status (deleted only on request), pipeline and stage; archived deals apart', async () => {
		const open = await call('GET', '/api/v2/deals', { query: { status: 'open' } });
		expect(open.body.data.every((d: { status: string }) => d.status === 'open')).toBe(true);
		const wonLost = await call('GET', '/api/v2/deals', { query: { status: 'won,lost' } });
		expect(wonLost.body.data.map((d: { title: string }) => d.title).sort()).toEqual(['Levi Ski Hotel', 'Tampere Retail Centre']);
		await call('DELETE', '/api/v2/deals/3003');
		expect((await call('GET', '/api/v2/deals')).body.data.map((d: { id: number }) => d.id)).not.toContain(3003);
		const deleted = await call('GET', '/api/v2/deals', { query: { status: 'deleted' } });
		expect(deleted.body.data.map((d: { id: number; is_deleted: boolean }) => [d.id, d.is_deleted])).toEqual([[3003, true]]);
		const stage = sim.control.stageId('Due Diligence');
		expect((await call('GET', '/api/v2/deals', { query: { stage_id: stage } })).body.data.map((d: { id: number }) => d.id)).toEqual([3001]);
		await call('PATCH', '/api/v2/deals/3004', { body: { is_archived: true } });
		expect((await call('GET', '/api/v2/deals')).body.data.map((d: { id: number }) => d.id)).not.toContain(3004);
		expect((await call('GET', '/api/v2/deals/archived')).body.data.map((d: { id: number }) => d.id)).toEqual([3004]);
	});

	it('applies deal lifecycle rules: stage decides pipeline, won/lost times, stage_change_time', async () => {
		const created = await call('POST', '/api/v2/deals', { body: { title: 'New deal', person_id: 1001 } });
		expect(created.body.data).toMatchObject({ pipeline_id: 1, stage_id: sim.control.stageId('Lead In'), status: 'open', origin: 'API', currency: 'SEK', creator_user_id: 1 });
		sim.control.advanceClock(HOUR);
		const moved = await call('PATCH', `/api/v2/deals/${created.body.data.id}`, { body: { stage_id: sim.control.stageId('Closing') } });
		expect(moved.body.data.stage_change_time).not.toBe(created.body.data.stage_change_time);
		const won = await call('PATCH', `/api/v2/deals/${created.body.data.id}`, { body: { status: 'won' } });
		expect(won.body.data.won_time).toBe(won.body.data.close_time);
		expect(won.body.data.lost_time).toBeNull();
		const lost = await call('PATCH', `/api/v2/deals/${created.body.data.id}`, { body: { status: 'lost', lost_reason: 'Price' } });
		expect(lost.body.data).toMatchObject({ won_time: null, lost_reason: 'Price' });
		const reopened = await call('PATCH', `/api/v2/deals/${created.body.data.id}`, { body: { status: 'open' } });
		expect(reopened.body.data).toMatchObject({ lost_time: null, close_time: null, lost_reason: null });
		expect((await call('PATCH', `/api/v2/deals/${created.body.data.id}`, { body: { add_time: '2020-01-01T00:00:00Z' } })).status).toBe(400);
	});

	it('serves pipelines and stages (v2 and v1)', async () => {
		const pipelines = await call('GET', '/api/v2/pipelines');
		expect(pipelines.body.data).toEqual([expect.objectContaining({ id: 1, name: 'Nordic Transactions', is_deleted: false })]);
		const stages = await call('GET', '/api/v2/stages', { query: { pipeline_id: 1 } });
		expect(stages.body.data.map((s: { name: string }) => s.name)).toEqual(['Lead In', 'Property Added', 'Teaser Drafting', 'Investor Outreach', 'Due Diligence', 'Closing']);
		const v1 = await call('GET', '/v1/stages', { query: { pipeline_id: 1 } });
		expect(v1.body.data[0]).toMatchObject({ name: 'Lead In', pipeline_name: 'Nordic Transactions', active_flag: true });
		const created = await call('POST', '/api/v2/stages', { body: { name: 'Signed', pipeline_id: 1 } });
		expect(created.body.data).toMatchObject({ name: 'Signed', pipeline_id: 1, order_nr: 7 });
	});

	it('answers organizations with address objects whose country is written in different ways', async () => {
		const orgs = sim.control.organizations();
		const countries = orgs.map((o) => (o.address as { country: string }).country);
		expect(new Set(countries).size).toBeGreaterThan(4);
		expect(countries).toEqual(expect.arrayContaining(['Sverige', 'Sweden', 'SE', 'Norge', 'Suomi']));
		const legacy = await call('GET', '/v1/organizations/2001');
		expect(legacy.body.data).toMatchObject({ address: 'Stockholm, Sverige', address_country: 'Sverige', address_locality: 'Stockholm', country_code: 'SE' });
		expect(legacy.body.data[sim.control.fieldKey('organization', 'org_number')]).toBe('556123-4567');
	});
});
