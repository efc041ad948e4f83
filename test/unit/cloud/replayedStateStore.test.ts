/**
 * The Cloud state store where every operation is a Data Table lookup: the same semantics as
 * `MemoryStateStore` (find oldest first, compare-and-set on version, remove), answered by an
 * in-test table with the Data Table node's answers; and a claim between two executions.
 */
import { ReplayedStateStore } from '../../../nodes/shared/core/cloud/replayedStateStore';
import type { Lookup } from '../../../nodes/shared/core/cloud/lookups';
import { claimCreation } from '../../../nodes/shared/core/syncState/claim';
import { TestTable } from './replayDriver';

const NOW = '2026-12-05T06:00:00.000Z';

function storeOver(table: TestTable, owner: string, log: Lookup[] = []) {
	return new ReplayedStateStore((lookup) => {
		log.push(lookup);
		return table.apply(lookup.table as Record<string, unknown>);
	}, owner);
}

describe('ReplayedStateStore', () => {
	it('inserts, finds oldest first, updates only at the expected version, lists and removes', async () => {
		const table = new TestTable(() => NOW);
		const log: Lookup[] = [];
		const store = storeOver(table, 'cloud-1', log);
		const first = await store.insert({ entity: 'contact', pipedriveId: '7', propstreetId: null, status: 'creating', baseline: null, owner: 'cloud-1' });
		await store.insert({ entity: 'contact', pipedriveId: '7', propstreetId: null, status: 'creating', baseline: null, owner: 'cloud-2' });
		expect((await store.find('contact', 'pipedrive', '7')).map((r) => [r.rowId, r.owner, r.version])).toEqual([[1, 'cloud-1', 1], [2, 'cloud-2', 1]]);

		const linked = await store.update(first.rowId, 1, { status: 'linked', propstreetId: 'c9', owner: null });
		expect(linked).toMatchObject({ rowId: 1, status: 'linked', propstreetId: 'c9', version: 2, owner: null });
		// The same expected version again: the row moved on, so nothing is written.
		expect(await store.update(first.rowId, 1, { status: 'unlinked' })).toBeNull();
		expect(table.rows.find((r) => r.id === 1)).toMatchObject({ status: 'linked', version: 2 });
		// The update was filtered on id and version, carrying the whole row and this write's token.
		expect(log.filter((l) => (l.table as any).op === 'update').map((l) => [(l.table as any).expectedVersion, (l.table as any).row.writeToken])).toEqual([[1, 'cloud-1:3'], [1, 'cloud-1:4']]);

		await store.remove(2);
		expect((await store.list('contact')).map((r) => r.rowId)).toEqual([1]);
		expect(await store.find('contact', 'propstreet', 'c9')).toHaveLength(1);
	});

	it('a row another writer updated in between is not taken (its returned row lacks this write token)', async () => {
		const table = new TestTable(() => NOW);
		const store = new ReplayedStateStore((lookup) => {
			const op = lookup.table as Record<string, any>;
			const answer = table.apply(op);
			// Some databases answer the rows read before the update: hand back someone else's token.
			return op.op === 'update' ? (answer as Array<Record<string, unknown>>).map((r) => ({ ...r, writeToken: 'other' })) : answer;
		}, 'cloud-1');
		const row = await store.insert({ entity: 'company', pipedriveId: '3', propstreetId: 'k1', status: 'linked', baseline: null, owner: null });
		expect(await store.update(row.rowId, row.version, { owner: 'cloud-1' })).toBeNull();
	});

	it('two executions claiming one record: the first claim wins, the second sees it and creates nothing', async () => {
		const table = new TestTable(() => NOW);
		const a = storeOver(table, 'cloud-a');
		const b = storeOver(table, 'cloud-b');
		const options = { entity: 'contact' as const, side: 'propstreet' as const, id: 'c1', now: new Date(NOW) };
		const won = await claimCreation(a, { ...options, owner: 'cloud-a' });
		const lost = await claimCreation(b, { ...options, owner: 'cloud-b' });
		expect(won.kind).toBe('won');
		expect(lost).toMatchObject({ kind: 'lost', holder: { owner: 'cloud-a' } });
		expect(table.rows.map((r) => r.owner)).toEqual(['cloud-a']);
	});
});
