import { acquireLease } from '../../../nodes/shared/core/twoWay/lease';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';

const now = new Date('2026-05-01T10:00:00Z');

describe('acquireLease', () => {
	it("finds the row again when the holder changed its Propstreet id meanwhile (a note's revision), and takes it over", async () => {
		const store = new MemoryStateStore(() => now);
		const row = await store.insert({ entity: 'note', pipedriveId: '6', propstreetId: 'contact/5001/100059', status: 'linked', baseline: null, owner: null });
		const heldByA = (await store.update(row.rowId, row.version, { owner: 'a' }))!;
		// b read the row before a revised the note; while b waits, a stores the new revision's id and lets go.
		const wait = async () => {
			const current = store.all()[0];
			if (current.owner === 'a') await store.update(current.rowId, current.version, { propstreetId: 'contact/5001/100084', owner: null });
		};
		const b = { owner: 'b', now: () => now, store, wait, spec: { entity: 'note' as const } };
		const held = await acquireLease(b, heldByA);
		expect(held).toMatchObject({ rowId: row.rowId, propstreetId: 'contact/5001/100084', owner: 'b' });
	});

	it('gives null when the link is gone on both ids', async () => {
		const store = new MemoryStateStore(() => now);
		const row = await store.insert({ entity: 'note', pipedriveId: '6', propstreetId: 'contact/5001/100059', status: 'linked', baseline: null, owner: 'a' });
		const wait = async () => store.remove(row.rowId);
		expect(await acquireLease({ owner: 'b', now: () => now, store, wait, spec: { entity: 'note' as const } }, row)).toBeNull();
	});
});
