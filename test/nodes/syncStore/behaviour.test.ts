/**
 * One table of behavioural cases, run against MemoryStateStore and against DataTableStateStore on
 * the n8n Data Table simulator (Postgres-like and SQLite-like), so the back ends provably agree.
 */
import { MemoryStateStore, type SyncStateStore } from '../../../nodes/shared/core/syncState/store';
import type { NewLink } from '../../../nodes/shared/core/syncState/link';
import { DataTableStateStore } from '../../../nodes/shared/syncStore';
import { startN8nDataTableSimulator, type N8nDataTableSimulator } from '../../simulators/n8nDataTables';
import { makeStoreContext } from './context';

const link = (over: Partial<NewLink> = {}): NewLink => ({ entity: 'contact', pipedriveId: '501', propstreetId: null, status: 'creating', baseline: null, owner: 'run-a', ...over });
const baseline = { pipedrive: { 'contact.email': 'a@x.se' }, propstreet: { 'contact.email': 'a@x.se' } };
const strip = (l: { rowId: number; version: number; updatedAt: string } & object) => {
	const { updatedAt, ...rest } = l;
	expect(Number.isFinite(Date.parse(updatedAt))).toBe(true);
	return rest;
};

type Case = [string, (store: SyncStateStore) => Promise<unknown>];
const CASES: Case[] = [
	['insert returns the row at version 1 with ascending ids', async (s) => [strip(await s.insert(link())), strip(await s.insert(link({ pipedriveId: '502' })))]],
	['find matches entity and side id, oldest first', async (s) => {
		await s.insert(link());
		await s.insert(link({ entity: 'company' }));
		await s.insert(link({ owner: 'run-b' }));
		await s.insert(link({ pipedriveId: null, propstreetId: '501' }));
		return [(await s.find('contact', 'pipedrive', '501')).map(strip), (await s.find('contact', 'propstreet', '501')).map(strip), await s.find('note', 'pipedrive', '501')];
	}],
	['update at the expected version applies and raises the version', async (s) => {
		const row = await s.insert(link());
		const next = await s.update(row.rowId, 1, { status: 'linked', propstreetId: 'c-9', baseline, owner: null });
		return [next && strip(next), (await s.find('contact', 'propstreet', 'c-9')).map(strip)];
	}],
	['update at a stale version is refused and changes nothing', async (s) => {
		const row = await s.insert(link());
		await s.update(row.rowId, 1, { status: 'linked' });
		return [await s.update(row.rowId, 1, { status: 'unlinked' }), (await s.find('contact', 'pipedrive', '501')).map((r) => [r.status, r.version])];
	}],
	['update of a missing row is refused', async (s) => s.update(42, 1, { status: 'linked' })],
	['remove deletes the row; removing again is harmless', async (s) => {
		const row = await s.insert(link());
		await s.remove(row.rowId);
		await s.remove(row.rowId);
		return s.find('contact', 'pipedrive', '501');
	}],
	['baselines round-trip; changes outside NewLink are ignored', async (s) => {
		const row = await s.insert(link({ baseline }));
		const next = await s.update(row.rowId, 1, { baseline: null, ...({ rowId: 99, version: 50 } as object) });
		return [strip(row), next && strip(next)];
	}],
];

let sim: N8nDataTableSimulator;
beforeAll(async () => {
	sim = await startN8nDataTableSimulator();
});
afterAll(async () => sim.close());

async function runAll(makeStore: () => SyncStateStore, before: () => void = () => undefined) {
	const results: Record<string, unknown> = {};
	for (const [name, run] of CASES) {
		before();
		results[name] = await run(makeStore());
	}
	return results;
}

describe('MemoryStateStore and DataTableStateStore agree', () => {
	it.each([['Postgres-like', false], ['SQLite-like', true]])('on every case (%s n8n)', async (_label, sqlite) => {
		const memory = await runAll(() => new MemoryStateStore());
		const table = await runAll(
			() => new DataTableStateStore(makeStoreContext({ baseUrl: sim.url, apiKey: sim.apiKey }).ctx),
			() => {
				sim.reset();
				sim.switches.sqliteReturnedRows = sqlite;
			},
		);
		for (const [name] of CASES) expect([name, table[name]]).toEqual([name, memory[name]]);
	});
});
