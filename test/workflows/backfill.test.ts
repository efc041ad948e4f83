/**
 * workflows/10-backfill-reconcile.json in-process: both seeded simulators, the sync state in the
 * data-table simulator, the workflow's static data kept between runs (as n8n keeps it). Webhooks
 * are "down" throughout: no event workflow runs, so only the backfill carries changes across.
 *
 * The contact branches are tested in full. The company and project branches need the Sync node's
 * `company` and `project` bindings: while one is missing, its branches must report exactly that
 * (and fail the run through *Backfill Incomplete*); once it exists, the same test checks the branch works.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { bindingFor } from '../../nodes/PipedrivePropstreetSync/entities';
import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { persons } from '../simulators/seed/nordic';
import { pdWrites, psWrites, startBed, type Bed } from './contactsNotesKit';
import type { RunWorkflowResult } from '../helpers/n8nRunner';

// Each test drives many in-process executions against three simulators; on a loaded machine that
// can pass 30 s (jest's default here), so the budget is wider. Nothing here measures time.
jest.setTimeout(120_000);

const FILE = '10-backfill-reconcile.json';
const TABLE = 'Propstreet sync state';
type Rec = Record<string, any>;

let bed: Bed;
beforeEach(async () => {
	bed = await startBed({ pipedriveEntities: [], pipedriveDirect: true });
});
afterEach(async () => bed.close());

const ps = () => bed.ps.control as any;
const pd = () => bed.pd.control;
/** Entities whose Sync binding is not in this build yet: their branches must say so. */
const missing = ['company', 'project'].filter((e) => !bindingFor(e));

async function backfill(options: { fullSweep?: boolean } = {}): Promise<{ summary: Rec; result: RunWorkflowResult }> {
	const start: { node: string; item: IDataObject; mode: 'manual' | 'webhook' } = options.fullSweep
		? { node: 'Run Backfill Now', item: { body: { fullSweep: true }, query: {} }, mode: 'webhook' }
		: { node: 'Run Backfill', item: {}, mode: 'manual' };
	const result = await bed.run(FILE, [{ json: start.item } as INodeExecutionData], { startNode: start.node, mode: start.mode });
	const summary = result.outputOf('Summary')[0]?.json as Rec | undefined;
	if (!summary) throw new Error(`the backfill stopped before its summary: ${result.error?.message ?? '?'}`);
	const errors = summary.errors as string[];
	const unexpected = errors.filter((e) => !missing.some((m) => e.includes(`Entity "${m}" is not one the Sync node runs`)));
	expect(unexpected).toEqual([]);
	if (missing.length) expect(result.error?.message).toMatch(/Backfill incomplete/);
	else expect(result.error).toBeUndefined();
	return { summary, result };
}

const sweepOf = (summary: Rec, node: string): Rec => summary.sweeps.find((s: Rec) => s.node === node);
const live = (list: Rec[]) => list.filter((r) => !r.deletedUtc);
const contacts = (): Rec[] => live(ps().state().contacts);
const refOf = (r: Rec): string | undefined => ((r.externalRefs ?? []) as Rec[]).find((x) => x.namespace === 'pipedrive')?.id;
const contactIdOf = (personId: number) => (pd().person(personId)?.custom_fields as Rec | undefined)?.[pd().fieldKey('person', 'propstreet_contact_id')];
const contactRows = (): Rec[] => (bed.dt.rows(TABLE) as Rec[]).filter((r) => r.entity === 'contact');
function noDuplicates() {
	const refs = contacts().map(refOf).filter(Boolean);
	expect(refs.filter((r, i) => refs.indexOf(r) !== i)).toEqual([]);
	const emails = contacts().map((c) => String(c.email ?? '').toLowerCase()).filter(Boolean);
	expect(emails.filter((e, i) => emails.indexOf(e) !== i)).toEqual([]);
	const linked = contactRows().filter((r) => r.status === 'linked');
	for (const side of ['pipedriveId', 'propstreetId']) {
		const ids = linked.map((r) => r[side]);
		expect({ side, duplicates: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({ side, duplicates: [] });
	}
}
function resetCounters() {
	pd().resetStats();
	ps().clearRequests();
}
async function deleteRow(rowId: number) {
	const table = bed.dt.tables().find((t) => t.name === TABLE)!;
	const filter = JSON.stringify({ type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: rowId }] });
	const res = await fetch(`${bed.dt.url}/data-tables/${table.id}/rows/delete?filter=${encodeURIComponent(filter)}`, { method: 'DELETE', headers: { 'X-N8N-API-KEY': bed.dt.apiKey } });
	expect(res.status).toBeLessThan(300);
}

describe('workflow 10: backfill and reconcile through the Sync node', () => {
	it('is triggers → Sweep Mode → six list-and-sync nodes → Summary, within 20 nodes', () => {
		const wf = require('../../workflows/10-backfill-reconcile.json') as { nodes: Rec[] };
		const working = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
		expect(working.length).toBeLessThanOrEqual(20);
		const syncs = working.filter((n) => n.type === 'n8n-nodes-propstreet.pipedrivePropstreetSync');
		expect(syncs.map((n) => `${n.parameters.entity}:${n.parameters.recordSide}`).sort()).toEqual(
			['company:pipedrive', 'company:propstreet', 'contact:pipedrive', 'contact:propstreet', 'project:pipedrive', 'project:propstreet'],
		);
		for (const n of syncs) expect(n.parameters).toMatchObject({ source: 'list', settingsSource: 'shared', fullSweep: "={{ $('Sweep Mode').first().json.fullSweep }}" });
	});

	it('the first run links matching contacts and creates one-sided investors without duplicates; a second run writes nothing', async () => {
		const { summary } = await backfill();
		// Freja exists on both sides with the same e-mail, unlinked: linked now, not duplicated.
		const freja = { person: pipedriveIdFor('person', 'freja'), contact: propstreetIdFor('contact', 'freja') };
		expect(refOf(ps().get('contact', freja.contact))).toBe(String(freja.person));
		expect(contactIdOf(freja.person)).toBe(freja.contact);
		// Investors only in Pipedrive get a contact, linked both ways.
		for (const person of persons.filter((p) => p.presence === 'pipedriveOnly' && p.labels.includes('Investor'))) {
			const personId = pipedriveIdFor('person', person.key);
			const made = contacts().filter((c) => refOf(c) === String(personId));
			expect({ person: person.key, contacts: made.length }).toEqual({ person: person.key, contacts: 1 });
			expect(contactIdOf(personId)).toBe(made[0].id);
		}
		// A person without the label (Søren) is left alone.
		expect(contacts().filter((c) => refOf(c) === String(pipedriveIdFor('person', 'soren')))).toEqual([]);
		noDuplicates();
		expect(sweepOf(summary, 'Contacts From Pipedrive').since).toBeNull();
		expect(summary.created).toBeGreaterThan(0);

		resetCounters();
		const second = await backfill();
		expect({ pipedrive: pdWrites(bed), propstreet: psWrites(bed) }).toEqual({ pipedrive: {}, propstreet: 0 });
		expect({ created: second.summary.created, updated: second.summary.updated, relinked: second.summary.relinked }).toEqual({ created: 0, updated: 0, relinked: 0 });
		expect(sweepOf(second.summary, 'Contacts From Pipedrive').since).toEqual(expect.any(String));
	});

	it('with webhooks down, a Pipedrive edit and a Propstreet edit both reach the other side at the next backfill', async () => {
		await backfill();
		const astrid = { person: pipedriveIdFor('person', 'astrid'), contact: propstreetIdFor('contact', 'astrid') };
		const lars = { person: pipedriveIdFor('person', 'lars'), contact: propstreetIdFor('contact', 'lars') };
		pd().updatePerson(astrid.person, { name: 'Astrid Öberg-Lind' });
		ps().updateContact(lars.contact, { strategy: 'Hotels, Nordic capitals' });
		resetCounters();
		const { summary } = await backfill();
		expect(ps().get('contact', astrid.contact)).toMatchObject({ firstName: 'Astrid', lastName: 'Öberg-Lind' });
		expect((pd().person(lars.person)!.custom_fields as Rec)[pd().fieldKey('person', 'investor_strategy')]).toBe('Hotels, Nordic capitals');
		expect(summary.updated).toBe(2);
		// Only what changed since the last run was read.
		expect(sweepOf(summary, 'Contacts From Pipedrive').listed).toBeLessThan(persons.length);
		expect(pdWrites(bed)).toEqual({ 'PATCH /api/v2/persons/{id}': 1 });
		expect(psWrites(bed)).toBe(1);
		noDuplicates();
	});

	it('a deleted state row is repaired from the ids both records carry, and a lost store degrades to the stateless rules: nothing duplicated, nothing lost', async () => {
		await backfill();
		const astrid = { person: pipedriveIdFor('person', 'astrid'), contact: propstreetIdFor('contact', 'astrid') };
		const row = contactRows().find((r) => r.pipedriveId === String(astrid.person))!;
		await deleteRow(Number(row.id));
		pd().updatePerson(astrid.person, { name: 'Astrid Öberg-Lind' });
		const counts = { contacts: contacts().length, persons: pd().persons().length };
		await backfill();
		expect(contactRows().filter((r) => r.pipedriveId === String(astrid.person))).toEqual([expect.objectContaining({ propstreetId: astrid.contact, status: 'linked' })]);
		expect(ps().get('contact', astrid.contact).lastName).toBe('Öberg-Lind');

		// The whole store gone: a full sweep rebuilds every link; nothing is created or changed.
		const linkedBefore = contactRows().filter((r) => r.status === 'linked').map((r) => `${r.pipedriveId}⇄${r.propstreetId}`).sort();
		bed.dt.reset();
		resetCounters();
		const { summary } = await backfill({ fullSweep: true });
		expect(sweepOf(summary, 'Contacts From Pipedrive').since).toBeNull();
		expect(contactRows().filter((r) => r.status === 'linked').map((r) => `${r.pipedriveId}⇄${r.propstreetId}`).sort()).toEqual(linkedBefore);
		expect({ contacts: contacts().length, persons: pd().persons().length }).toEqual(counts);
		expect(summary.created).toBe(0);
		noDuplicates();
	});

	it('company and project branches: run when their bindings exist, otherwise name the missing binding', async () => {
		const { summary } = await backfill();
		for (const [entity, nodes] of [['company', ['Companies From Pipedrive', 'Companies From Propstreet']], ['project', ['Projects From Pipedrive', 'Projects From Propstreet']]] as const) {
			for (const node of nodes) {
				const sweep = sweepOf(summary, node);
				if (missing.includes(entity)) {
					expect(sweep.error).toMatch(new RegExp(`Entity "${entity}" is not one the Sync node runs`));
				} else {
					expect({ node, error: sweep.error }).toEqual({ node, error: null });
					expect(sweep.listed).toBeGreaterThan(0);
				}
			}
		}
		if (!missing.includes('company')) {
			// Fjordkapital exists on both sides (same org number), unlinked: linked, not duplicated.
			const org = pipedriveIdFor('organization', 'fjordkapital');
			expect(live(ps().state().companies).filter((c: Rec) => refOf(c) === String(org)).map((c: Rec) => c.id)).toEqual([propstreetIdFor('company', 'fjordkapital')]);
		}
		if (!missing.includes('project')) {
			const nyhavn = pipedriveIdFor('deal', 'nyhavn');
			expect(live(ps().state().projects).filter((p: Rec) => refOf(p) === String(nyhavn)).map((p: Rec) => p.name)).toEqual(['Nyhavn Residential']);
		}
	});
});
