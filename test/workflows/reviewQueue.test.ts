/**
 * The review queue in-process: the bundled contact workflows (03 Propstreet → Pipedrive, 02
 * Pipedrive → Propstreet) under Manual Review put a conflict into the n8n data table "Propstreet sync
 * review" (data-table simulator); a person sets `resolution` through the public API, as the Data
 * Table UI does; the bundled 11 Apply Review Decisions (or the record's next event) applies it.
 * Every test checks both simulators and the rows.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import type { WorkflowJson } from '../helpers/n8nRunner';
import { forgetSavedSettings } from '../../nodes/shared/syncStore';
import { loadWorkflow, pipedriveEvents, propstreetTriggerItems, startBed, type Bed } from './contactsNotesKit';
import { settingsWorkflow } from './support/settings';

const P2S = '02-contacts-pipedrive-to-propstreet.json';
const S2P = '03-contacts-propstreet-to-pipedrive.json';
const APPLY = '11-apply-review-decisions.json';
const REVIEW_TABLE = 'Propstreet sync review';

let bed: Bed;
beforeEach(async () => {
	bed = await startBed();
	forgetSavedSettings();
});

/** A person switches the shared settings (00 Sync Settings) to Manual Review: every bundled Sync node follows. */
async function switchToManualReview() {
	await runJson(settingsWorkflow({ conflictPolicy: 'manualReview' }), [{ json: {} }], 'trigger');
	forgetSavedSettings();
}
afterEach(async () => bed.close());

const ps = () => bed.ps.control as any;
const strategies = () => ({
	pipedrive: (bed.pd.control.person(1001)!.custom_fields as Record<string, unknown>)[bed.pd.control.fieldKey('person', 'investor_strategy')],
	propstreet: ps().get('contact', '5001').strategy,
});
const reviewRows = () => bed.dt.rows(REVIEW_TABLE);

/** A bundled workflow as shipped: its Sync node reads Manual Review from the saved settings. */
function manualReview(file: string): WorkflowJson {
	return loadWorkflow(file);
}

async function runJson(wf: WorkflowJson, pinned: INodeExecutionData[], mode?: 'webhook' | 'trigger') {
	const result = await bed.runJson(wf, pinned, { mode });
	if (result.error) throw new Error(`${wf.name} failed at ${result.run.data.resultData.lastNodeExecuted}: ${result.error.message} ${(result.error as any).description ?? ''}`);
	return result;
}

async function psItemsOf(act: () => unknown) {
	const from = bed.psHooks.received.length;
	await act();
	return propstreetTriggerItems(bed, from);
}

async function pdItemsOf(act: () => unknown) {
	const from = bed.pdHooks.received.length;
	await act();
	return (await pipedriveEvents(bed, from)).map((json) => ({ json: json as never }));
}

/** What a person does in the Data Table UI: set the row's resolution. */
async function resolve(rowId: number, resolution: string) {
	const table = bed.dt.tables().find((t) => t.name === REVIEW_TABLE)!;
	const res = await fetch(`${bed.dt.url}/data-tables/${table.id}/rows/update`, {
		method: 'PATCH',
		headers: { 'content-type': 'application/json', 'X-N8N-API-KEY': bed.dt.apiKey },
		body: JSON.stringify({ filter: { type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: rowId }] }, data: { resolution } }),
	});
	expect(res.status).toBe(200);
}

/** Astrid (person 1001 ⇄ contact 5001) linked, then her strategy edited on both sides before either event is synced. */
async function conflict() {
	await runJson(loadWorkflow(S2P), await psItemsOf(() => ps().updateContact('5001', { phone: '+46 70 111 22 33' })));
	await bed.pd.control.flushWebhooks();
	await switchToManualReview();
	const pdEdit = await pdItemsOf(() => bed.pd.control.updatePerson(1001, { custom_fields: { investor_strategy: 'Pipedrive says: logistics' } }));
	const psEdit = await psItemsOf(() => ps().updateContact('5001', { strategy: 'Propstreet says: offices' }));
	return { pdEdit, psEdit };
}

describe('review queue (bundled contact workflows, Manual Review)', () => {
	it('a conflict appears once in the review table with both values; a resolution is applied by 11 Apply Review Decisions; both sides end equal', async () => {
		const { pdEdit, psEdit } = await conflict();
		const first = await runJson(manualReview(S2P), psEdit);
		expect(first.outputOf('Needs Review (conflicts)')).toHaveLength(1);
		// The same conflict seen again from Pipedrive's event refreshes the row; no second row.
		await runJson(manualReview(P2S), pdEdit.slice(-1));
		const rows = reviewRows();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ entity: 'contact', field: 'contact.strategy', pipedriveId: '1001', propstreetId: '5001', resolution: '', status: 'open', pipedriveLink: '' });
		expect(String(rows[0].pipedriveValue)).toContain('Pipedrive says: logistics');
		expect(String(rows[0].propstreetValue)).toContain('Propstreet says: offices');
		expect(String(rows[0].rule)).toMatch(/manual review/);
		expect(strategies()).toEqual({ pipedrive: 'Pipedrive says: logistics', propstreet: 'Propstreet says: offices' });

		await resolve(Number(rows[0].id), 'pipedrive');
		const applied = await runJson(loadWorkflow(APPLY), [{ json: {} }], 'trigger');
		expect(applied.outputOf('Apply to Contacts')[0].json).toMatchObject({ entity: 'contact', pairs: 1, applied: 1, failed: [] });
		expect(applied.outputOf('Apply to Deals')[0].json).toMatchObject({ entity: 'project', pairs: 0 });
		expect(strategies()).toEqual({ pipedrive: 'Pipedrive says: logistics', propstreet: 'Pipedrive says: logistics' });
		expect(reviewRows()).toMatchObject([{ status: 'applied', resolution: 'pipedrive' }]);
		expect(String(reviewRows()[0].appliedAt)).not.toBe('');

		// Propstreet's delivery of our write is an echo: nothing is written, no row is raised.
		const echo = await psItemsOf(() => ps().flushWebhooks());
		for (const item of echo) await runJson(manualReview(S2P), [item]);
		expect(strategies()).toEqual({ pipedrive: 'Pipedrive says: logistics', propstreet: 'Pipedrive says: logistics' });
		expect(reviewRows()).toHaveLength(1);
		// Nothing is left for a second Apply run.
		const again = await runJson(loadWorkflow(APPLY), [{ json: {} }], 'trigger');
		expect(again.outputOf('Apply to Contacts')[0].json).toMatchObject({ pairs: 0, applied: 0 });
	});

	it('the next event of the record applies a resolution too, with the chosen side\'s current value', async () => {
		const { psEdit } = await conflict();
		await runJson(manualReview(S2P), psEdit);
		await resolve(Number(reviewRows()[0].id), 'Propstreet');
		// Propstreet's value changes again after the row was written: that current value is what wins.
		const later = await psItemsOf(() => ps().updateContact('5001', { strategy: 'Propstreet says: hotels' }));
		await runJson(manualReview(S2P), later);
		expect(strategies()).toEqual({ pipedrive: 'Propstreet says: hotels', propstreet: 'Propstreet says: hotels' });
		expect(reviewRows()).toMatchObject([{ status: 'applied' }]);
	});

	it('two executions meeting the same conflict at once leave one open row', async () => {
		const { pdEdit, psEdit } = await conflict();
		await Promise.all([runJson(manualReview(S2P), psEdit), runJson(manualReview(P2S), pdEdit.slice(-1))]);
		expect(reviewRows().filter((r) => r.status === 'open')).toHaveLength(1);
		expect(strategies()).toEqual({ pipedrive: 'Pipedrive says: logistics', propstreet: 'Propstreet says: offices' });
	});
});
