/**
 * Cloud 11: `recordStep` with `apply: 'reviewDecisions'` applies the review rows a person resolved,
 * through the core's `applyResolvedPairs` (the self-hosted node's Apply Review Decisions), over
 * answered lookups: the simulators answer the API calls, in-test Data Tables the state and review
 * ones. Final state is asserted on both simulators and on the review table.
 */
import type { RecordStepState } from '../../../nodes/shared/core/cloud/recordStep';
import { recordStep } from '../../../nodes/shared/core/cloud/recordStep';
import { pipedriveIdFor } from '../../simulators/seed/ids';
import { answerOf, apiWrites, pdEvent, pdGet, psCreate, psEvent, psGet, psPatch, runRecord, settingsRow, startCloudBed, type CloudBed, type Entity } from './replayDriver';

type Rec = Record<string, any>;
const MANUAL = settingsRow({ conflictPolicy: 'manualReview' });

let bed: CloudBed;
beforeEach(async () => {
	bed = await startCloudBed();
});
afterEach(async () => bed.close());

/** One Cloud 11 call of the 00 loop for `entity`, to its end, as the workflow loops it. */
async function applyDecisions(entity: Entity): Promise<Extract<RecordStepState, { action: 'finished' }>> {
	let previous: RecordStepState | null = null;
	let answer: unknown;
	for (let round = 0; round < 500; round++) {
		const step: RecordStepState = await recordStep({ entity, apply: 'reviewDecisions', event: null, settingsRow: MANUAL, previous, answer, now: new Date().toISOString(), owner: 'cloud-11', cache: bed.cache });
		if (step.action === 'finished') return step;
		answer = await answerOf(bed, step.lookup);
		previous = step;
	}
	throw new Error('the review step did not finish in 500 rounds');
}

/** A linked contact pair whose name was edited on both sides under Manual Review: its open row. */
async function conflictedPair(personId: number, contactId: string, pdName: string, psLastName: string): Promise<Rec> {
	bed.pd.control.updatePerson(personId, { name: pdName });
	await psPatch(bed, 'contact', contactId, { lastName: psLastName });
	const done = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', personId), { settings: MANUAL });
	expect(done.outcome?.review.map((r) => r.field)).toContain('contact.name');
	const row = bed.review.rows.find((r) => r.pipedriveId === String(personId) && r.field === 'contact.name');
	expect(row).toMatchObject({ status: 'open', resolution: '' });
	return row!;
}

async function linkedFromPipedrive(personId: number): Promise<string> {
	const done = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', personId, 'create'));
	expect(done.error).toBeUndefined();
	return done.outcome!.propstreetId!;
}

async function linkedFromPropstreet(email: string): Promise<{ personId: number; contactId: string }> {
	const contact = await psCreate(bed, 'contact', { firstName: 'Tove', lastName: 'Ek', email, tags: ['investor'] });
	const done = await runRecord(bed, 'contact', await psEvent(bed, 'contact', contact.id, 'created'));
	expect(done.error).toBeUndefined();
	return { personId: Number(done.outcome!.pipedriveId), contactId: contact.id };
}

describe('Cloud 11: apply review decisions through the 00 loop', () => {
	it('a row resolved "propstreet" makes Pipedrive take Propstreet\'s value and is applied; a pair without resolution is untouched', async () => {
		const bjorn = pipedriveIdFor('person', 'bjorn');
		const bjornContact = await linkedFromPipedrive(bjorn);
		const tove = await linkedFromPropstreet('tove.ek@example.se');
		const resolved = await conflictedPair(bjorn, bjornContact, 'Bjørn Pipedrive', 'Propstreet');
		const waiting = await conflictedPair(tove.personId, tove.contactId, 'Tove Pipedrive', 'Propstreet');
		resolved.resolution = 'propstreet';
		bed.calls = [];

		const done = await applyDecisions('contact');

		expect(done.error).toBeUndefined();
		expect(done.applied).toMatchObject({ entity: 'contact', pairs: 1, applied: 1, failed: [], review: [] });
		expect((await pdGet(bed, 'contact', bjorn)).name).toBe('Bjørn Propstreet');
		expect(await psGet(bed, 'contact', bjornContact)).toMatchObject({ firstName: 'Bjørn', lastName: 'Propstreet' });
		expect(bed.review.rows.find((r) => r.id === resolved.id)).toMatchObject({ status: 'applied', resolution: 'propstreet' });
		expect(bed.review.rows.find((r) => r.id === resolved.id)?.appliedAt).toBeTruthy();
		// The unresolved pair: its row still open, neither of its records written.
		expect(bed.review.rows.find((r) => r.id === waiting.id)).toMatchObject({ status: 'open', resolution: '', appliedAt: '' });
		expect((await pdGet(bed, 'contact', tove.personId)).name).toBe('Tove Pipedrive');
		expect((await psGet(bed, 'contact', tove.contactId)).lastName).toBe('Propstreet');
		const written = apiWrites(bed.calls).map((c) => c.path);
		expect(written.some((p) => p.includes(String(tove.personId)) || p.includes(tove.contactId))).toBe(false);
		expect(written.some((p) => p.includes(String(bjorn)))).toBe(true);

		// Applied rows are not open any more: a second run finds nothing to do and writes nothing.
		bed.calls = [];
		const again = await applyDecisions('contact');
		expect(again.applied).toMatchObject({ pairs: 0, applied: 0 });
		expect(apiWrites(bed.calls)).toEqual([]);
	}, 60000);

	it('the rows of a pair that is no longer linked are settled without writing either side', async () => {
		const bjorn = pipedriveIdFor('person', 'bjorn');
		const contactId = await linkedFromPipedrive(bjorn);
		const row = await conflictedPair(bjorn, contactId, 'Bjørn Pipedrive', 'Propstreet');
		row.resolution = 'pipedrive';
		// The person is deleted in Pipedrive: the engine unlinks the pair (the contact is kept).
		const deleted = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', bjorn, 'delete'), { settings: MANUAL });
		expect(deleted.error).toBeUndefined();
		expect(bed.state.rows.filter((r) => r.entity === 'contact' && r.pipedriveId === String(bjorn)).map((r) => r.status)).not.toContain('linked');
		bed.calls = [];

		const done = await applyDecisions('contact');

		expect(done.error).toBeUndefined();
		expect(done.applied).toMatchObject({ pairs: 1, applied: 0, failed: [] });
		expect(bed.review.rows.find((r) => r.id === row.id)).toMatchObject({ status: 'settled', resolution: 'pipedrive' });
		expect(apiWrites(bed.calls)).toEqual([]);
		expect((await psGet(bed, 'contact', contactId)).lastName).toBe('Propstreet');
	}, 60000);

	it('an entity without resolved rows reads the review table once and calls no API', async () => {
		const done = await applyDecisions('company');
		expect(done).toMatchObject({ action: 'finished', outcome: null, applied: { entity: 'company', pairs: 0, applied: 0, failed: [], review: [] } });
		expect(bed.calls.map((c) => [c.api, c.table?.op, (c.table as Rec | undefined)?.column])).toEqual([['review', 'find', 'status']]);
	}, 60000);
});
