/**
 * The backfill with `compareAndSet`: its state operations are the same Data Table lookups the
 * record step makes (claims, leases, compare-and-set), so a record event that runs at the same
 * time as the backfill cannot link or create a record twice. Answered by both simulators and the
 * replay driver's Data Table.
 */
import { backfillStep, type BackfillState } from '../../../nodes/shared/core/cloud/backfill';
import type { Lookup } from '../../../nodes/shared/core/cloud/lookups';
import { call as psCall } from '../../simulators/propstreet/testkit';
import { answerOf, execution, psCreate, psEvent, rowsOf, startCloudBed, type CloudBed } from './replayDriver';

type Rec = Record<string, any>;
let bed: CloudBed;
beforeEach(async () => {
	bed = await startCloudBed();
});
afterEach(async () => bed.close());

/** The backfill of contacts as an execution the driver can step (one round per call). */
async function backfillExecution(): Promise<{ step(): Promise<boolean>; result: any; calls: Lookup[] }> {
	const persons = (await bed.pdCall('GET', '/api/v2/persons', { query: { limit: 500 } })).body;
	const contacts = (await psCall(bed.ps, 'GET', '/api/v1/network/contacts?include_deleted=true&page_size=500')).body;
	let previous: BackfillState | null = null;
	let answer: unknown;
	const exec = {
		result: null as any,
		calls: [] as Lookup[],
		step: async () => {
			const state = await backfillStep({ entity: 'contact', compareAndSet: true, cache: bed.cache, pipedrivePages: [persons], propstreetPages: [contacts], settingsRow: {}, previous, answer, now: new Date().toISOString(), owner: 'cloud-backfill' });
			exec.result = state;
			if (state.action === 'finished') return false;
			exec.calls.push(state.lookup!);
			answer = await answerOf(bed, state.lookup!);
			previous = state;
			return true;
		},
	};
	return exec;
}

async function finish(exec: { step(): Promise<boolean> }): Promise<void> {
	for (let round = 0; round < 3000 && (await exec.step()); round++);
}

describe('Cloud backfill with compare-and-set state', () => {
	it('links and creates through table operations (no rows saved afterwards), then writes nothing', async () => {
		const first = await backfillExecution();
		await finish(first);
		expect(first.result).toMatchObject({ action: 'finished', failed: [] });
		expect(first.calls.filter((c) => c.api === 'state' && !c.table)).toEqual([]);
		const linked = rowsOf(bed, 'contact').filter((r) => r.status === 'linked');
		expect(linked.length).toBeGreaterThan(0);
		expect(rowsOf(bed, 'contact').filter((r) => r.status === 'creating' || r.owner)).toEqual([]);
		const second = await backfillExecution();
		await finish(second);
		expect(second.result).toMatchObject({ action: 'finished', failed: [], changes: [] });
		expect(second.calls.filter((c) => c.table && (c.table as Rec).op !== 'find')).toEqual([]);
	}, 120000);

	it('a record event running alongside the backfill for the same new contact leaves one person and one link', async () => {
		const contact = await psCreate(bed, 'contact', { firstName: 'Hedda', lastName: 'Nyberg', email: 'hedda.nyberg@example.no', tags: ['investor'] });
		const backfill = await backfillExecution();
		const event = execution(bed, 'contact', await psEvent(bed, 'contact', contact.id, 'created'), { owner: 'cloud-event' });
		// The backfill runs alone until it reaches Hedda's contact (its first state read of her id); from there the two take turns.
		const atHedda = (l: Lookup | undefined) => (l?.table as Rec | undefined)?.value === contact.id;
		for (let round = 0; round < 3000 && !atHedda(backfill.result?.lookup); round++) await backfill.step();
		expect(atHedda(backfill.result?.lookup)).toBe(true);
		for (let more = true, round = 0; more && round < 3000; round++) {
			const a = await backfill.step();
			const b = await event.step();
			more = a || b;
		}
		expect(backfill.result).toMatchObject({ action: 'finished', failed: [] });
		expect(event.result?.action).toBe('finished');
		const persons = bed.pd.control.persons().filter((p: Rec) => p.name === 'Hedda Nyberg');
		expect(persons).toHaveLength(1);
		expect(rowsOf(bed, 'contact').filter((r) => r.propstreetId === contact.id).map((r) => [r.pipedriveId, r.status])).toEqual([[String(persons[0].id), 'linked']]);
		// Both claimed the contact; one of them created the person.
		const claims = [...backfill.calls, ...bed.calls].filter((c) => (c.table as Rec | undefined)?.op === 'insert' && (c.table as Rec).row.propstreetId === contact.id);
		expect(claims.length).toBeGreaterThanOrEqual(1);
		expect(bed.calls.filter((c) => c.api === 'pipedrive' && c.method === 'POST' && c.path === '/api/v2/persons' && (c.body as Rec)?.name === 'Hedda Nyberg')).toHaveLength(1);
	}, 120000);
});
