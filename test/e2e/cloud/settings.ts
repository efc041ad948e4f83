/**
 * Cloud 00s: the sync settings in one place without the package. Running it saves the one current
 * row of "Propstreet sync settings"; a setting it cannot use fails the run with the setting's name
 * and leaves the saved row alone; the sync workflows follow a saved change on their next event.
 * Registered by cloud.e2e.test.ts on its running stack; it ends with the shipped defaults saved.
 */
import type { Stack } from '../../harness/stack';
import { contactRecords, type Rec } from '../contactRecords';

const SETTINGS = '00s';
const SETTINGS_TABLE = 'Propstreet sync settings';

export function registerSettings(getStack: () => Stack): void {
	const { ps, pd } = contactRecords(getStack);

	/** Saves `edit` into the stored workflow's *Sync Settings* node (as the editor does) and runs it. */
	async function runWith(edit: Rec | null): Promise<{ status: string; error: string | null }> {
		const stack = getStack();
		const id = stack.workflow(SETTINGS).id;
		type Body = { name: string; nodes: Array<{ name: string; parameters: Rec }>; connections: unknown; settings: unknown };
		const stored = await stack.n8n.api<Body>('GET', `/workflows/${id}`);
		const shipped = stack.workflow(SETTINGS).json.nodes.find((n) => n.name === 'Sync Settings')?.parameters?.jsonOutput as string;
		const json = edit ? JSON.stringify({ ...JSON.parse(shipped), ...edit }) : shipped;
		const nodes = stored.nodes.map((n) => (n.name === 'Sync Settings' ? { ...n, parameters: { ...n.parameters, jsonOutput: json } } : n));
		await stack.n8n.api('PUT', `/workflows/${id}`, { name: stored.name, nodes, connections: stored.connections, settings: stored.settings });
		const since = Date.now();
		await stack.startWorkflow(SETTINGS);
		const [run] = await stack.n8n.waitForExecutions(id, 1, { since: since - 50, timeoutMs: 60000 });
		const ex = await stack.n8n.execution(run.id);
		return { status: run.status, error: ex.data?.resultData?.error?.message ?? null };
	}
	const savedRows = async () => (await getStack().n8n.dataTableRows(SETTINGS_TABLE)).filter((r) => r.name === 'current');

	describe('n8n Cloud edition: sync settings in one place without the package', () => {
		test('a run saves one current row; a setting it cannot use is refused by name; a saved filter is followed, then the defaults come back', async () => {
			expect(await runWith(null)).toEqual({ status: 'success', error: null });
			const [row] = await savedRows();
			expect(await savedRows()).toHaveLength(1);
			expect(JSON.parse(String(row.settings))).toMatchObject({ onlyWithLabel: 'Investor', conflictPolicy: expect.any(String) });

			const refused = await runWith({ conflictPolicy: 'coin toss' });
			expect(refused.status).toBe('error');
			expect(refused.error).toMatch(/Conflict Policy/);
			expect((await savedRows()).map((r) => r.id)).toEqual([row.id]);

			// Only contacts tagged "e2e-cloud-vip" go to Pipedrive now: an Investor contact stays where it is.
			expect(await runWith({ onlyWithTag: 'e2e-cloud-vip' })).toEqual({ status: 'success', error: null });
			const stack = getStack();
			const before = stack.mark();
			const email = 'settings.skip@e2e.example';
			ps().createContact({ firstName: 'Selma', lastName: 'Filtrerad', email, tags: ['investor'] });
			await stack.settle({ quietMs: 3000 });
			expect(stack.apiCallReport(before).pipedrive.writes).toBe(0);
			expect(pd().persons().filter((p) => ((p.emails as Rec[]) ?? []).some((e) => e.value === email))).toHaveLength(0);

			expect(await runWith(null)).toEqual({ status: 'success', error: null });
			const rows = await savedRows();
			expect(rows).toHaveLength(1);
			expect(JSON.parse(String(rows[0].settings)).onlyWithTag).toBe('');
		}, 180000);
	});
}
