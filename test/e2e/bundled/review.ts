/**
 * The review queue and the error handler's notifications in a real n8n 2.x: every bundled workflow
 * imported unchanged; the contact workflows switched to Manual Review through n8n's public API (as
 * a user would in the editor). A conflict appears in the data table "Propstreet sync review", a
 * resolution typed into it is applied by 11 Apply Review Decisions, and both simulators end equal.
 */
import { pipedriveIdFor, propstreetIdFor } from '../../simulators/seed/ids';
import type { Stack } from '../../harness/stack';
import { saveSettings } from '../saveSettings';

type Rec = Record<string, unknown>;
interface WorkflowBody {
	name: string;
	nodes: Array<{ type: string; name: string; disabled?: boolean; parameters: Rec }>;
	connections: Rec;
	settings: Rec;
}

const REVIEW_TABLE = 'Propstreet sync review';
let stack: Stack;
const ps = () => stack.propstreet.control;
const pd = () => stack.pipedrive.control;
const astrid = () => ({ contact: propstreetIdFor('contact', 'astrid'), person: pipedriveIdFor('person', 'astrid') });
const strategies = () => {
	const custom = (pd().person(astrid().person)?.custom_fields ?? {}) as Rec;
	return { pipedrive: custom[pd().fieldKey('person', 'investor_strategy')], propstreet: (ps().get('contact', astrid().contact) as Rec | undefined)?.strategy };
};
const reviewRows = () => stack.n8n.dataTableRows(REVIEW_TABLE);

async function runManually(key: string) {
	const since = Date.now();
	await stack.startWorkflow(key);
	const [run] = await stack.n8n.waitForExecutions(stack.workflow(key).id, 1, { since: since - 50, timeoutMs: 60000 });
	return run;
}

/** Registered by bundled.e2e.test.ts on its running stack, after the contact cases; it leaves Manual Review saved and clears the faults it set. */
export function registerReview(getStack: () => Stack): void {
	beforeAll(() => {
		stack = getStack();
	});

	describe('review queue and error notifications in a real n8n 2.x', () => {
		// The error handler test leaves unused 503s queued; the suites after this one start clean.
		afterAll(() => pd().clearFaults());

		test('a conflict under Manual Review lands in the review table; a resolution there is applied by 11; both sides end equal', async () => {
			const { contact, person } = astrid();
			// Link Astrid with a baseline (the bundled 03, last write wins).
			ps().updateContact(contact, { phone: '+46 70 555 12 12' });
			await stack.waitFor(async () => (await stack.syncStateRows()).some((r) => r.entity === 'contact' && r.propstreetId === contact && r.status === 'linked' && r.baseline), { what: 'Astrid linked', timeoutMs: 45000 });
			await stack.settle({ quietMs: 3000 });
			// A person switches the shared settings to Manual Review (00 Sync Settings): 02 and 03 follow.
			await saveSettings(stack, (parameters) => {
				parameters.conflictPolicy = 'manualReview';
			});
			// Propstreet's edit is made while 03 is off (its subscription removed), so the Pipedrive event meets both edits.
			const contactSubscriptions = () => ps().webhookSubscriptions().filter((sub) => JSON.stringify(sub.events ?? '').includes('contact.updated')).length;
			const subscribed = contactSubscriptions();
			await stack.n8n.deactivate(stack.workflow('03').id);
			await stack.waitFor(() => contactSubscriptions() === subscribed - 1, { what: "03's Propstreet subscription removed", timeoutMs: 30000 });
			ps().updateContact(contact, { strategy: 'Propstreet: offices only' });
			pd().updatePerson(person, { custom_fields: { investor_strategy: 'Pipedrive: logistics only' } });
			const row = await stack.waitFor(async () => (await reviewRows()).find((r) => r.field === 'contact.strategy' && r.status === 'open'), { what: 'the review row', timeoutMs: 45000 });
			await stack.settle({ quietMs: 3000 });
			expect(row).toMatchObject({ entity: 'contact', pipedriveId: String(person), propstreetId: contact, resolution: '' });
			expect(String(row.pipedriveValue)).toContain('Pipedrive: logistics only');
			expect(String(row.propstreetValue)).toContain('Propstreet: offices only');
			expect(strategies()).toEqual({ pipedrive: 'Pipedrive: logistics only', propstreet: 'Propstreet: offices only' });
			await stack.n8n.activate(stack.workflow('03').id);

			// A person picks Propstreet in the Data Table (the UI writes through the same API).
			const table = (await stack.n8n.api<{ data: Array<{ id: string; name: string }> }>('GET', `/data-tables?filter=${encodeURIComponent(JSON.stringify({ name: REVIEW_TABLE }))}`)).data.find((t) => t.name === REVIEW_TABLE)!;
			await stack.n8n.api('PATCH', `/data-tables/${table.id}/rows/update`, { filter: { type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: row.id }] }, data: { resolution: 'propstreet' } });
			const run = await runManually('11');
			expect(run.status).toBe('success');
			await stack.settle({ quietMs: 3000 });
			expect(strategies()).toEqual({ pipedrive: 'Propstreet: offices only', propstreet: 'Propstreet: offices only' });
			const rows = (await reviewRows()).filter((r) => r.propstreetId === contact);
			expect(rows.map((r) => ({ status: r.status, resolution: r.resolution }))).toEqual([{ status: 'applied', resolution: 'propstreet' }]);
		}, 240000);

		test('the error handler imports with its e-mail and Slack nodes switched off, and still summarises a failed execution', async () => {
			const handler = await stack.n8n.api<WorkflowBody>('GET', `/workflows/${stack.workflow('00-error-handler.json').id}`);
			expect(handler.nodes.filter((n) => n.disabled).map((n) => [n.name, n.type])).toEqual([
				['Send Email', 'n8n-nodes-base.emailSend'],
				['Post to Slack', 'n8n-nodes-base.slack'],
			]);
			const since = Date.now();
			pd().failNext({ status: 503, count: 60 });
			const failed = await runManually('01');
			expect(failed.status).not.toBe('success');
			const [handled] = await stack.n8n.waitForExecutions(stack.workflow('00-error-handler.json').id, 1, { since: since - 50, timeoutMs: 60000 });
			expect(handled.status).toBe('success');
			const runData = (handled as unknown as { data?: { resultData?: { runData?: Record<string, unknown> } } }).data?.resultData?.runData ?? {};
			expect(Object.keys(runData)).toEqual(expect.arrayContaining(['Error Trigger', 'Error Summary']));
		}, 180000);
	});
}
