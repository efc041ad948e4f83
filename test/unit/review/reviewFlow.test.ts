/** The review queue through the two-way engine: a manual-review conflict raises one row; a resolution is applied on the next pass. */
import { MemoryReviewQueue } from '../../../nodes/shared/core/review/memory';
import { applyReviewDecisions, resolvedPairs } from '../../../nodes/shared/core/twoWay/applyReview';
import { syncEvent } from '../../../nodes/shared/core/twoWay/event';
import { contactRun, FakePipedrive, FakePropstreet, KEYS } from '../twoWay/fakes';

async function conflicted() {
	const queue = new MemoryReviewQueue();
	const built = contactRun({ policy: 'manualReview' });
	const run = { ...built.run, review: queue };
	const { pd, ps } = built;
	const created = ps.put({ id: 'c-9', firstName: 'Anna', lastName: 'Berg', email: 'anna@nordic.example', strategy: 'Office', tags: [], companies: [], externalRefs: [] }).record;
	await syncEvent(run, { side: 'propstreet', record: created, action: 'create' });
	const person = [...pd.records.values()][0];
	const personId = String(person.id);
	// Both sides change the strategy before either event runs.
	const pdEdit = pd.put({ ...pd.records.get(personId)!, custom_fields: { ...(person.custom_fields as object), [KEYS.strategy]: 'Logistics' } });
	const psEdit = ps.put({ ...ps.records.get('c-9')!, strategy: 'Retail' }, ps.records.get('c-9')!._v).record;
	return { run, pd, ps, queue, personId, pdEdit, psEdit };
}

const strategyOf = (pd: FakePipedrive, ps: FakePropstreet, personId: string) => ({
	pipedrive: (pd.records.get(personId)!.custom_fields as Record<string, unknown>)[KEYS.strategy],
	propstreet: ps.records.get('c-9')!.strategy,
});

describe('review queue through the two-way engine', () => {
	it('a conflict raises one open row with both values; the repeated conflict refreshes it', async () => {
		const { run, pd, ps, queue, personId, pdEdit, psEdit } = await conflicted();
		const first = await syncEvent(run, { side: 'pipedrive', record: pdEdit, action: 'change' });
		expect(first.review.map((r) => r.field)).toEqual(['contact.strategy']);
		await syncEvent(run, { side: 'propstreet', record: psEdit, action: 'change' });
		const rows = queue.all();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ entity: 'contact', pipedriveId: personId, propstreetId: 'c-9', field: 'contact.strategy', status: 'open', resolution: '' });
		expect(rows[0].pipedriveValue).toContain('Logistics');
		expect(rows[0].propstreetValue).toContain('Retail');
		expect(rows[0].rule).toMatch(/manual review/);
		expect(strategyOf(pd, ps, personId)).toEqual({ pipedrive: 'Logistics', propstreet: 'Retail' });
	});

	it('a resolution is applied by Apply Review Decisions: the chosen value is written, the row applied, the next event is an echo', async () => {
		const { run, pd, ps, queue, personId, pdEdit } = await conflicted();
		await syncEvent(run, { side: 'pipedrive', record: pdEdit, action: 'change' });
		queue.resolve(queue.all()[0].rowId, 'Pipedrive');
		const pairs = resolvedPairs(queue.all());
		expect(pairs).toHaveLength(1);
		const out = await applyReviewDecisions(run, pairs[0]);
		expect(out.action).toBe('updated');
		expect(out.review).toEqual([]);
		expect(strategyOf(pd, ps, personId)).toEqual({ pipedrive: 'Logistics', propstreet: 'Logistics' });
		expect(queue.all()[0]).toMatchObject({ status: 'applied', appliedAt: '2026-05-01T10:00:00.000Z' });
		// The baseline took the settled value: Propstreet's echo writes nothing and raises nothing.
		const echo = await syncEvent(run, { side: 'propstreet', record: ps.records.get('c-9')!, action: 'change' });
		expect(echo.action).toBe('unchanged');
		expect(queue.all()).toHaveLength(1);
	});

	it('a resolution is also applied by the pair\'s next event, with the chosen side\'s current value', async () => {
		const { run, pd, ps, queue, personId, psEdit } = await conflicted();
		await syncEvent(run, { side: 'propstreet', record: psEdit, action: 'change' });
		queue.resolve(queue.all()[0].rowId, 'propstreet');
		// Propstreet changes the strategy again after the row was written: its current value wins.
		const again = ps.put({ ...ps.records.get('c-9')!, strategy: 'Hotel' }, ps.records.get('c-9')!._v).record;
		await syncEvent(run, { side: 'propstreet', record: again, action: 'change' });
		expect(strategyOf(pd, ps, personId)).toEqual({ pipedrive: 'Hotel', propstreet: 'Hotel' });
		expect(queue.all().map((r) => r.status)).toEqual(['applied']);
	});

	it('without a review queue the engine behaves as before (Review output only)', async () => {
		const { run, pd, ps, personId, pdEdit } = await conflicted();
		const out = await syncEvent({ ...run, review: undefined }, { side: 'pipedrive', record: pdEdit, action: 'change' });
		expect(out.review).toHaveLength(1);
		expect(strategyOf(pd, ps, personId)).toEqual({ pipedrive: 'Logistics', propstreet: 'Retail' });
	});
});
