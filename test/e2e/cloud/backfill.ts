/**
 * Cloud 10: the backfill, as the self-hosted 10 ("backfill: the first run links and creates what is
 * missing, the second run writes nothing" in sync.e2e.test.ts), for contacts, companies and deals ⇄
 * projects. The seed leaves Freja on both sides, unlinked, with the same e-mail, Bjørn (Investor) in
 * Pipedrive only, Øresund on both sides with one domain, and the deal Nyhavn in Pipedrive only;
 * seeding sends no webhook, so only the backfill can link or create them. Registered by
 * cloud.e2e.test.ts on its running stack.
 */
import type { Stack } from '../../harness/stack';
import { pipedriveIdFor, propstreetIdFor } from '../../simulators/seed/ids';
import { contactRecords, type Rec } from '../contactRecords';

const BACKFILL = '10';

export function registerBackfill(getStack: () => Stack): void {
	const { ps, pd, refOf, pdCustom } = contactRecords(getStack);
	const person = (id: number) => pd().persons().find((p) => p.id === id) as Rec | undefined;

	async function runBackfill(): Promise<Rec> {
		const stack = getStack();
		const since = Date.now();
		await stack.startWorkflow(BACKFILL);
		const [run] = await stack.n8n.waitForExecutions(stack.workflow(BACKFILL).id, 1, { since: since - 50, timeoutMs: 240000 });
		const ex = await stack.n8n.execution(run.id);
		const runs = ex.data?.resultData?.runData?.['Sync Records'] ?? [];
		const last = runs[runs.length - 1]?.data?.main?.[0]?.[0]?.json as Rec | undefined;
		expect({ status: run.status, error: ex.data?.resultData?.error?.message ?? null }).toEqual({ status: 'success', error: null });
		expect(last).toMatchObject({ action: 'finished', failed: [] });
		return last as Rec;
	}

	describe('n8n Cloud edition: backfill with built-in nodes only', () => {
		test('the first run links what matches and creates what is missing (contacts, a company, a project); a second run writes nothing', async () => {
			const stack = getStack();
			const freja = { person: pipedriveIdFor('person', 'freja'), contact: propstreetIdFor('contact', 'freja') };
			const bjorn = pipedriveIdFor('person', 'bjorn');
			const bjornEmail = 'b.lovas@fjordkapital.example.no';
			const contactsOf = (email: string) => (ps().state().contacts as Rec[]).filter((c) => String(c.email ?? '').toLowerCase() === email && !c.deletedUtc);
			expect(refOf(ps().get('contact', freja.contact))).toBeUndefined();
			expect(contactsOf(bjornEmail)).toHaveLength(0);
			await stack.settle({ quietMs: 3000 });

			const first = stack.mark();
			const summary = await runBackfill();
			await stack.settle({ quietMs: 4000, timeoutMs: 120000 });
			console.log(stack.formatReport(stack.apiCallReport(first), 'Cloud backfill, first run and its echoes'));
			expect(summary.counts.relinked + summary.counts.updated + summary.counts.created).toBeGreaterThan(0);
			// Freja: linked both ways, not duplicated on either side.
			expect(refOf(ps().get('contact', freja.contact))).toBe(String(freja.person));
			expect(String(pdCustom(person(freja.person), 'propstreet_contact_id') ?? '')).toBe(freja.contact);
			expect(contactsOf('freja.lindqvist@nordhav.example.se').map((c) => c.id)).toEqual([freja.contact]);
			expect(pd().persons().filter((p) => ((p.emails as Rec[]) ?? []).some((e) => e.value === 'freja.lindqvist@nordhav.example.se')).map((p) => p.id)).toEqual([freja.person]);
			// Bjørn: his contact was created once and both sides name each other.
			const made = contactsOf(bjornEmail);
			expect(made.map((c) => ({ firstName: c.firstName, lastName: c.lastName, ref: refOf(c) }))).toEqual([{ firstName: 'Bjørn', lastName: 'Løvås', ref: String(bjorn) }]);
			expect(String(pdCustom(person(bjorn), 'propstreet_contact_id') ?? '')).toBe(made[0].id);
			// One linked row per pair, with a baseline.
			const rows = await stack.syncStateRows();
			for (const [pipedriveId, propstreetId] of [[String(freja.person), freja.contact], [String(bjorn), made[0].id]]) {
				const mine = rows.filter((r) => r.entity === 'contact' && (r.pipedriveId === pipedriveId || r.propstreetId === propstreetId));
				expect(mine.map((r) => ({ pipedriveId: r.pipedriveId, propstreetId: r.propstreetId, status: r.status }))).toEqual([{ pipedriveId, propstreetId, status: 'linked' }]);
				expect(String(mine[0].baseline)).toContain('contact.name');
			}
			// Øresund: the seeded company with the organization's domain is linked, not a second one made.
			const oresund = { org: pipedriveIdFor('organization', 'oresund'), company: propstreetIdFor('company', 'oresund') };
			expect(refOf(ps().get('company', oresund.company))).toBe(String(oresund.org));
			expect((ps().state().companies as Rec[]).filter((c) => c.domain === 'oresund-ejendomme.example.dk' && !c.deletedUtc).map((c) => c.id)).toEqual([oresund.company]);
			expect(rows.filter((r) => r.entity === 'company' && r.pipedriveId === String(oresund.org)).map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: oresund.company, status: 'linked' }]);
			// Nyhavn (a deal of the synced pipeline, no project yet): one project, both sides naming each other.
			const nyhavn = pipedriveIdFor('deal', 'nyhavn');
			const projects = (ps().state().projects as Rec[]).filter((p) => refOf(p) === String(nyhavn) && !p.deletedUtc);
			expect(projects.map((p) => p.name)).toEqual(['Nyhavn Residential']);
			expect(rows.filter((r) => r.entity === 'project' && r.pipedriveId === String(nyhavn)).map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: projects[0].id, status: 'linked' }]);
			// No two contacts claim one person, no two contacts share an e-mail.
			const refs = (ps().state().contacts as Rec[]).filter((c) => !c.deletedUtc).map((c) => refOf(c)).filter(Boolean);
			expect(refs.filter((r, i) => refs.indexOf(r) !== i)).toEqual([]);

			const second = stack.mark();
			const again = await runBackfill();
			await stack.settle({ quietMs: 4000, timeoutMs: 120000 });
			const report = stack.apiCallReport(second);
			console.log(stack.formatReport(report, 'Cloud backfill, second run'));
			expect({ propstreet: report.propstreet.writesByRoute, pipedrive: report.pipedrive.writesByRoute }).toEqual({ propstreet: {}, pipedrive: {} });
			expect(again.changes).toEqual([]);
			expect((await stack.syncStateRows()).length).toBe(rows.length);
		}, 600000);
	});
}
