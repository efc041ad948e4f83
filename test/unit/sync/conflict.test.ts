import { planAfterConflict, type ConflictSettings } from '../../../nodes/shared/core/sync';

// We read `base`, wanted `desired`; before our PATCH landed someone changed strategy (and phone) in Propstreet.
const base = { id: '1', firstName: 'Anna', strategy: 'Office', phone: '+46700000001', tags: ['a'], updatedUtc: '2026-05-01T10:00:00Z' };
const latest = { ...base, strategy: 'Retail (edited in Propstreet)', phone: '+46700000002', updatedUtc: '2026-05-01T12:00:00Z' };
const desired = { firstName: 'Annika', strategy: 'Logistics (from Pipedrive)', phone: '+46700000001', tags: ['a'] };

function plan(settings: ConflictSettings) {
	return planAfterConflict(base, latest, desired, settings);
}

describe('planAfterConflict', () => {
	it('sourceWins overwrites the concurrent edits', () => {
		const p = plan({ policy: 'sourceWins' });
		expect(p.kind).toBe('write');
		if (p.kind !== 'write') return;
		expect(p.diff.patch).toEqual({ firstName: 'Annika', strategy: 'Logistics (from Pipedrive)', phone: '+46700000001' });
		expect(p.conflicts.map((c) => [c.field, c.winner])).toEqual([
			['strategy', 'source'],
			['phone', 'source'],
		]);
	});

	it('propstreetWins keeps the concurrent edits but still writes untouched fields', () => {
		const p = plan({ policy: 'propstreetWins' });
		expect(p.kind).toBe('write');
		if (p.kind !== 'write') return;
		expect(p.diff.patch).toEqual({ firstName: 'Annika' });
		expect(p.conflicts.every((c) => c.winner === 'propstreet')).toBe(true);
	});

	it('lastWriteWins compares Propstreet updatedUtc with the source update time', () => {
		const older = plan({ policy: 'lastWriteWins', sourceUpdatedAt: '2026-05-01T11:00:00Z' });
		expect(older.kind === 'write' && older.diff.patch).toEqual({ firstName: 'Annika' });
		const newer = plan({ policy: 'lastWriteWins', sourceUpdatedAt: '2026-05-01T13:00:00Z' });
		expect(newer.kind === 'write' && newer.diff.patch).toEqual({ firstName: 'Annika', strategy: 'Logistics (from Pipedrive)', phone: '+46700000001' });
		const tie = plan({ policy: 'lastWriteWins', sourceUpdatedAt: latest.updatedUtc });
		expect(tie.kind === 'write' && tie.diff.patch).toEqual({ firstName: 'Annika' });
		const missing = plan({ policy: 'lastWriteWins' });
		expect(missing.kind === 'write' && missing.diff.patch).toEqual({ firstName: 'Annika' });
	});

	it('perField uses the map and the default side', () => {
		const p = plan({ policy: 'perField', fieldOwners: { strategy: 'source' }, defaultOwner: 'propstreet' });
		expect(p.kind === 'write' && p.diff.patch).toEqual({ firstName: 'Annika', strategy: 'Logistics (from Pipedrive)' });
		const q = plan({ policy: 'perField', fieldOwners: { strategy: 'propstreet' }, defaultOwner: 'source' });
		expect(q.kind === 'write' && q.diff.patch).toEqual({ firstName: 'Annika', phone: '+46700000001' });
	});

	it('manualReview reports the conflicting fields and writes nothing', () => {
		const p = plan({ policy: 'manualReview' });
		expect(p.kind).toBe('conflict');
		expect(p.conflicts).toEqual([
			{ field: 'strategy', base: 'Office', propstreet: 'Retail (edited in Propstreet)', source: 'Logistics (from Pipedrive)', winner: undefined },
			{ field: 'phone', base: '+46700000001', propstreet: '+46700000002', source: '+46700000001', winner: undefined },
		]);
	});

	it('manualReview still writes when the concurrent edit touched other fields only', () => {
		const p = planAfterConflict(base, { ...base, tags: ['b'], updatedUtc: 'x' }, { firstName: 'Annika' }, { policy: 'manualReview' });
		expect(p.kind === 'write' && p.diff.patch).toEqual({ firstName: 'Annika' });
	});

	it('is unchanged when the concurrent edit already made the record what the source wants', () => {
		const p = planAfterConflict(base, { ...base, firstName: 'Annika' }, { firstName: 'Annika' }, { policy: 'sourceWins' });
		expect(p.kind).toBe('unchanged');
	});
});
