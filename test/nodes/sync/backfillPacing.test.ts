/**
 * The Sync node's List Changed Records mode (the backfill, workflow 10) near the end of Pipedrive's
 * daily token budget: it stops before its next record, leaves its mark unmoved, says so in the
 * summary (`paced`, `warnings`) and does not fail the run; once the budget is back it catches up.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { forgetDailyBudgets } from '../../../nodes/shared/pipedrive';
import { startBed, type Bed } from '../../workflows/contactsNotesKit';

const FILE = '10-backfill-reconcile.json';
type Rec = Record<string, any>;

let bed: Bed;
beforeEach(async () => {
	forgetDailyBudgets();
	bed = await startBed({ pipedriveEntities: [], pipedriveDirect: true });
});
afterEach(async () => bed.close());

const SWEEPS = ['Companies From Pipedrive', 'Companies From Propstreet', 'Contacts From Pipedrive', 'Contacts From Propstreet', 'Projects From Pipedrive', 'Projects From Propstreet'];

/** Workflow 10 once; `sweeps` are the six Sync nodes' own summary items. */
async function backfill(): Promise<{ summary: Rec; sweeps: Rec[]; error?: Error }> {
	const result = await bed.run(FILE, [{ json: {} } as INodeExecutionData], { startNode: 'Run Backfill', mode: 'manual' });
	const summary = result.outputOf('Summary')[0]?.json as Rec;
	return { summary, sweeps: SWEEPS.map((node) => result.outputOf(node)[0]?.json as Rec), error: result.error };
}
const writes = () => Object.entries(bed.pd.control.requestsByRoute()).filter(([route]) => !route.startsWith('GET ')).length + (bed.ps.control as any).countWrites();

describe('backfill pacing', () => {
	it('stops every sweep before its first record while under 10 % of the daily budget, without failing or moving a mark; a new day catches up', async () => {
		// 5,000 of 100,000 tokens left.
		bed.pd.control.setTokenBudget(100_000, 95_000);
		const paced = await backfill();
		expect(paced.error).toBeUndefined();
		expect(paced.summary.errors).toEqual([]);
		expect(writes()).toBe(0);
		expect(paced.summary.warnings).toHaveLength(6);
		for (const sweep of paced.sweeps) {
			expect(String((sweep.warnings as string[])[0])).toMatch(/daily API budget is nearly spent: \d+ of 100000 tokens left.*stopped after 0 of \d+ record\(s\).*mark unmoved/);
			expect((sweep.paced as Rec).dailyTokenLimit).toBe(100_000);
			expect(sweep.stoppedAfter).toBe(0);
			expect(sweep.nextMark).toBeNull();
		}
		const spent = bed.pd.control.tokensUsed();
		// Far from a retry storm: a few reads (field definitions, one list) before the reading said stop.
		expect(spent - 95_000).toBeLessThan(100);

		// The budget resets (a new day): the process forgets the reading only through new answers; here the day changes.
		bed.pd.control.setTokenBudget(100_000, 0);
		forgetDailyBudgets();
		const caughtUp = await backfill();
		expect(caughtUp.summary.errors).toEqual([]);
		expect(caughtUp.summary.warnings).toEqual([]);
		for (const sweep of caughtUp.sweeps) {
			expect(sweep.warnings).toBeUndefined();
			expect(typeof sweep.nextMark).toBe('string');
		}
		expect(writes()).toBeGreaterThan(0);
	});
});
