/** Propstreet Poll Trigger: manual sample, first run, paging with deletions, nothing-changed. */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { PropstreetPollTrigger } from '../../../nodes/PropstreetPollTrigger/PropstreetPollTrigger.node';
import { pollContext } from './context';

const BASE = 'http://propstreet.test';
const node = new PropstreetPollTrigger();

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const row = (id: string, created: string, updated: string, extra: IDataObject = {}) => ({
	id,
	createdUtc: created,
	updatedUtc: updated,
	deletedUtc: null,
	etag: `W/"${id}-${updated}"`,
	changeType: null,
	changeOrigin: null,
	...extra,
});

describe('Propstreet Poll Trigger', () => {
	it('returns one sample in manual mode and leaves static data alone', async () => {
		const staticData: IDataObject = {};
		nock(BASE)
			.get('/api/v1/network/contacts')
			.query({ page_size: '1', include_deleted: 'true' })
			.reply(200, { data: [row('1', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')], page: { nextCursor: 'x', hasMore: true } });
		const result = await node.poll.call(pollContext({ baseUrl: BASE, mode: 'manual', staticData, parameters: { resource: 'contacts', options: {} } }));
		expect(result).toHaveLength(1);
		expect(result![0]).toHaveLength(1);
		expect(result![0][0].json).toMatchObject({ event: 'contact.updated', entity: 'contact', entityId: '1', deleted: false });
		expect(staticData).toEqual({});
	});

	it('first activation stores a starting point without calling the API and returns null', async () => {
		const staticData: IDataObject = {};
		const result = await node.poll.call(pollContext({ baseUrl: BASE, staticData, parameters: { resource: 'companies', options: {} } }));
		expect(result).toBeNull();
		expect(staticData.scope).toBe('companies');
		expect((staticData.pollState as IDataObject).highWaterMark).toEqual(expect.any(String));
	});

	it('follows pages with updated_since and include_deleted, emits deletions as their own event, then returns null', async () => {
		const staticData: IDataObject = {};
		const parameters = {
			resource: 'prospects',
			projectId: '123',
			changeKinds: ['created', 'updated', 'deleted'],
			options: { startFrom: '2026-01-01T00:00:00.000Z', overlapSeconds: 60, pageSize: 2 },
		};
		const path = '/api/v1/projects/123/prospects';
		const queries: Array<Record<string, string>> = [];
		const capture = (q: Record<string, string>) => {
			queries.push(q);
			return true;
		};
		nock(BASE)
			.get(path)
			.query((q) => !q.cursor && capture(q as Record<string, string>))
			.reply(200, {
				data: [row('p1', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z', { projectId: '123' }), row('p2', '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z')],
				page: { nextCursor: 'page2', hasMore: true, pageSize: 2 },
			})
			.get(path)
			.query((q) => q.cursor === 'page2' && capture(q as Record<string, string>))
			.reply(200, {
				data: [row('p3', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z', { deletedUtc: '2026-01-04T00:00:00Z' })],
				page: { nextCursor: null, hasMore: false, pageSize: 2 },
			});
		const context = () => pollContext({ baseUrl: BASE, staticData, parameters });
		const result = await node.poll.call(context());
		expect(queries).toEqual([
			{ updated_since: '2025-12-31T23:59:00.000Z', include_deleted: 'true', page_size: '2' },
			{ updated_since: '2025-12-31T23:59:00.000Z', include_deleted: 'true', page_size: '2', cursor: 'page2' },
		]);
		expect(result![0].map((i) => [i.json.entityId, i.json.event, i.json.deleted])).toEqual([
			['p1', 'prospect.created', false],
			['p2', 'prospect.updated', false],
			['p3', 'prospect.deleted', true],
		]);
		expect(result![0][2].json.occurredAt).toBe('2026-01-04T00:00:00Z');

		// Next poll: the boundary record comes back (inclusive filter) unchanged → nothing to emit.
		nock(BASE)
			.get(path)
			.query({ updated_since: '2026-01-03T23:59:00.000Z', include_deleted: 'true', page_size: '2' })
			.reply(200, {
				data: [row('p3', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z', { deletedUtc: '2026-01-04T00:00:00Z' })],
				page: { nextCursor: null, hasMore: false },
			});
		expect(await node.poll.call(context())).toBeNull();
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('emits only the chosen kinds of change', async () => {
		const staticData: IDataObject = {};
		nock(BASE)
			.get('/api/v1/projects')
			.query(true)
			.reply(200, {
				data: [row('a', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z'), row('b', '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z', { status: 'deleted', deletedUtc: '2026-01-03T00:00:00Z' })],
				page: { nextCursor: null, hasMore: false },
			});
		const result = await node.poll.call(
			pollContext({ baseUrl: BASE, staticData, parameters: { resource: 'projects', changeKinds: ['deleted'], options: { startFrom: '2026-01-01T00:00:00Z' } } }),
		);
		expect(result![0].map((i) => i.json.event)).toEqual(['project.deleted']);
	});

	it('starts afresh when the resource or project changes', async () => {
		const staticData: IDataObject = { scope: 'contacts', pollState: { version: 1, highWaterMark: '2020-01-01T00:00:00Z', boundary: [], resume: null } };
		const result = await node.poll.call(pollContext({ baseUrl: BASE, staticData, parameters: { resource: 'links', options: {} } }));
		expect(result).toBeNull();
		expect(staticData.scope).toBe('links');
		expect((staticData.pollState as IDataObject).highWaterMark).not.toBe('2020-01-01T00:00:00Z');
	});

	it('rejects prospects without a project id, naming the field', async () => {
		await expect(
			node.poll.call(pollContext({ baseUrl: BASE, parameters: { resource: 'prospects', projectId: ' ', options: {} } })),
		).rejects.toThrow(/Project ID/);
	});

	it('raises an API error with the problem title when Propstreet refuses', async () => {
		nock(BASE).get('/api/v1/network/contacts').query(true).reply(403, { title: 'Forbidden', status: 403 });
		await expect(
			node.poll.call(pollContext({ baseUrl: BASE, staticData: {}, parameters: { resource: 'contacts', options: { startFrom: '2026-01-01T00:00:00Z' } } })),
		).rejects.toThrow(/Forbidden/);
	});
});
