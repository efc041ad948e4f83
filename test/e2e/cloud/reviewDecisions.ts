/**
 * Cloud 11 Apply review decisions in the real n8n set up as Cloud: under Manual Review a contact
 * field edited on both sides lands in the review table (00 loop); a person types `propstreet` into
 * the row's resolution; Cloud 11 (run by hand) applies it through the same loop: Pipedrive takes
 * Propstreet's value, the row is `applied`. The saved settings go back to the defaults afterwards.
 * Registered by cloud.e2e.test.ts on its running stack.
 */
import type { Stack } from '../../harness/stack';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from '../../../nodes/shared/core/settings';
import { contactRecords, type Rec } from '../contactRecords';
import { saveCloudSettings, SYNC_RECORD } from './engine';

const REVIEW_TABLE = 'Propstreet sync review';
const APPLY_REVIEW = '11';

export function registerReviewDecisions(getStack: () => Stack): void {
	const { ps, pd, refOf, pdCustom } = contactRecords(getStack);
	const stack = () => getStack();
	const failedRuns = async (workflowId: string, since: number) =>
		(await stack().n8n.executions({ workflowId })).filter((e) => Date.parse(e.startedAt) >= since && !['success', 'running', 'new', 'waiting'].includes(e.status)).map((e) => `#${e.id} ${e.status}`);

	/** A person sets the row's resolution in the Data Table (the editor writes through the same API). */
	async function resolve(rowId: unknown, side: 'pipedrive' | 'propstreet'): Promise<void> {
		const tables = await stack().n8n.api<{ data: Array<{ id: string; name: string }> }>('GET', `/data-tables?filter=${encodeURIComponent(JSON.stringify({ name: REVIEW_TABLE }))}`);
		const table = tables.data.find((t) => t.name === REVIEW_TABLE);
		if (!table) throw new Error(`no Data Table "${REVIEW_TABLE}" (the Cloud setup creates it)`);
		await stack().n8n.api('PATCH', `/data-tables/${table.id}/rows/update`, { filter: { type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: rowId }] }, data: { resolution: side } });
	}

	describe('n8n Cloud edition: 11 applies review decisions', () => {
		test('a contact conflict held for review is applied by Cloud 11 once a person picks Propstreet; both sides end equal, the row is applied', async () => {
			const since = Date.now();
			const investor = pd().optionId('person', 'label_ids', 'Investor');
			const person = pd().createPerson({ name: 'Maja Fors', first_name: 'Maja', last_name: 'Fors', emails: [{ value: 'maja.fors@e2e.example', primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
			const personId = Number(person.id);
			const contact = await stack().waitFor(() => (ps().state().contacts as Rec[]).find((c) => refOf(c) === String(personId)), { what: 'the contact of the new person', timeoutMs: 90000 });
			await stack().waitFor(async () => (await stack().syncStateRows()).some((r) => r.entity === 'contact' && r.pipedriveId === String(personId) && r.status === 'linked' && r.baseline), { what: 'the linked pair with a baseline', timeoutMs: 60000 });
			await stack().settle({ quietMs: 3000 });
			const strategies = () => ({ pipedrive: pdCustom(pd().persons().find((p) => p.id === personId) as Rec, 'investor_strategy'), propstreet: ps().get('contact', contact.id)?.strategy });
			const reviewRows = async () => (await stack().n8n.dataTableRows(REVIEW_TABLE)).filter((r) => r.propstreetId === contact.id);
			await saveCloudSettings(stack(), { ...DEFAULT_SYNC_SETTINGS, conflictPolicy: 'manualReview' } as SyncSettings);
			try {
				// Both edits land before either side's event is synced: the first run meets both and holds the field.
				ps().updateContact(contact.id, { strategy: 'Propstreet: Gothenburg offices' });
				pd().updatePerson(personId, { custom_fields: { investor_strategy: 'Pipedrive: Malmö logistics' } });
				const row = await stack().waitFor(async () => (await reviewRows()).find((r) => r.field === 'contact.strategy' && r.status === 'open'), { what: 'the open review row', timeoutMs: 90000 });
				await stack().settle({ quietMs: 4000 });
				expect(row).toMatchObject({ entity: 'contact', pipedriveId: String(personId), resolution: '' });
				expect(strategies()).toEqual({ pipedrive: 'Pipedrive: Malmö logistics', propstreet: 'Propstreet: Gothenburg offices' });

				await resolve(row.id, 'propstreet');
				const started = Date.now();
				await stack().startWorkflow(APPLY_REVIEW);
				const [run] = await stack().n8n.waitForExecutions(stack().workflow(APPLY_REVIEW).id, 1, { since: started - 50, timeoutMs: 120000 });
				expect(run.status).toBe('success');
				await stack().settle({ quietMs: 4000 });

				expect(strategies()).toEqual({ pipedrive: 'Propstreet: Gothenburg offices', propstreet: 'Propstreet: Gothenburg offices' });
				const rows = (await reviewRows()).map((r) => ({ field: r.field, status: r.status, resolution: r.resolution, applied: Boolean(r.appliedAt) }));
				expect(rows).toEqual([{ field: 'contact.strategy', status: 'applied', resolution: 'propstreet', applied: true }]);
				expect((await stack().syncStateRows()).filter((r) => r.entity === 'contact' && r.pipedriveId === String(personId)).map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: contact.id, status: 'linked' }]);
			} finally {
				await saveCloudSettings(stack(), DEFAULT_SYNC_SETTINGS);
			}
			expect(await failedRuns(SYNC_RECORD, since)).toEqual([]);
			expect(await failedRuns(stack().workflow(APPLY_REVIEW).id, since)).toEqual([]);
		}, 300000);
	});
}
