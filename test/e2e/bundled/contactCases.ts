/**
 * Contact cases of the trust issue (13) in a real n8n 2.x, each asserting the final state on both
 * simulators and in the sync state: names Pipedrive re-splits (4), a contact created and edited at
 * once (6), a counterpart deleted on one side (7), a contact with a company and a job title (14) and
 * two quick Pipedrive edits of one person (16). ONE n8n boot for the file; users act through the
 * simulators' control APIs, which send the real webhook deliveries to the bundled workflows.
 */
import type { ExecutionSummary } from '../../harness/n8n';
import type { Stack } from '../../harness/stack';
import { contactRecords, type Rec } from '../contactRecords';

let stack: Stack;
const { ps, pd, refOf, pdCustom, personOf } = contactRecords(() => stack);
const rowsFor = async (contactId: string) => (await stack.syncStateRows()).filter((r) => r.entity === 'contact' && r.propstreetId === contactId).map((r) => ({ pipedriveId: r.pipedriveId, status: r.status }));

async function failedSince(since: number): Promise<string[]> {
	const all: ExecutionSummary[] = await stack.n8n.executions();
	return all.filter((e) => Date.parse(e.startedAt) >= since - 50 && !['success', 'running', 'new', 'waiting'].includes(e.status)).map((e) => `${e.workflowId} #${e.id} ${e.status}`);
}

/** Registered by bundled.e2e.test.ts on its running stack (first: the shipped settings). */
export function registerContactCases(getStack: () => Stack): void {
	beforeAll(() => {
		stack = getStack();
	});

	describe('contact cases of issue 13 in a real n8n 2.x', () => {
		test('case 4 and 6: a contact "Anna Maria / Berg" created and edited at once becomes ONE person; Pipedrive re-splitting the name never comes back', async () => {
			const since = Date.now();
			const contact = ps().createContact({ firstName: 'Anna Maria', lastName: 'Berg', email: 'anna.maria.berg@e2e.example', tags: ['investor'] });
			ps().updateContact(contact.id, { strategy: 'Residential, Gothenburg' });
			const person = await stack.waitFor(() => personOf(contact.id), { what: 'the Pipedrive person of the new contact', timeoutMs: 60000 });
			await stack.waitFor(() => pdCustom(personOf(contact.id), 'investor_strategy') === 'Residential, Gothenburg', { what: 'the strategy in Pipedrive', timeoutMs: 60000 });
			await stack.settle({ quietMs: 4000 });
			expect(pd().persons().filter((p) => ((p.emails as Rec[]) ?? []).some((e) => e.value === 'anna.maria.berg@e2e.example'))).toHaveLength(1);
			expect(person.name).toBe('Anna Maria Berg');
			expect(ps().get('contact', contact.id)).toMatchObject({ firstName: 'Anna Maria', lastName: 'Berg', strategy: 'Residential, Gothenburg' });
			expect(refOf(ps().get('contact', contact.id))).toBe(String(person.id));
			expect(await rowsFor(contact.id)).toEqual([{ pipedriveId: String(person.id), status: 'linked' }]);
			expect(await failedSince(since)).toEqual([]);
		}, 180000);

		test('case 16: two Pipedrive edits of one person a moment apart both reach Propstreet', async () => {
			const since = Date.now();
			const contact = ps().createContact({ firstName: 'Kari', lastName: 'Dahl', email: 'kari.dahl@e2e.example', tags: ['investor'] });
			const person = await stack.waitFor(() => personOf(contact.id), { what: 'the Pipedrive person of Kari', timeoutMs: 60000 });
			await stack.settle({ quietMs: 3000 });
			pd().updatePerson(person.id as number, { phones: [{ value: '+4790011223', primary: true }] });
			pd().updatePerson(person.id as number, { custom_fields: { investor_strategy: 'Logistics, Oslo region' } });
			await stack.waitFor(() => ps().get('contact', contact.id)?.strategy === 'Logistics, Oslo region' && String(ps().get('contact', contact.id)?.phone ?? '').replace(/\s/g, '') === '+4790011223', {
				what: 'both edits on the contact',
				timeoutMs: 60000,
			});
			await stack.settle({ quietMs: 4000 });
			expect(ps().get('contact', contact.id)).toMatchObject({ strategy: 'Logistics, Oslo region' });
			expect(pdCustom(pd().person(person.id as number) as Rec, 'investor_strategy')).toBe('Logistics, Oslo region');
			expect(await failedSince(since)).toEqual([]);
		}, 180000);

		test('case 14: a contact with a company and a job title becomes a person in that company\'s organization, with the title', async () => {
			const since = Date.now();
			const company = ps().createCompany({ name: 'Göta Kapital AB', domain: 'gotakapital.e2e.example', countryCode: 'SE' });
			const contact = ps().createContact({ firstName: 'Lars', lastName: 'Ek', email: 'lars.ek@e2e.example', tags: ['investor'] });
			ps().createLink({ contactId: contact.id, companyId: company.id, jobTitle: 'Head of Transactions', isPrimary: true });
			const person = await stack.waitFor(() => personOf(contact.id), { what: 'the Pipedrive person of Lars', timeoutMs: 60000 });
			const orgId = await stack.waitFor(() => refOf(ps().get('company', company.id)), { what: "the company's organization", timeoutMs: 60000 });
			await stack.waitFor(() => pd().person(person.id as number)?.org_id === Number(orgId) && pd().person(person.id as number)?.job_title === 'Head of Transactions', { what: 'the person in the organization with the title', timeoutMs: 60000 });
			await stack.settle({ quietMs: 4000 });
			expect(pd().person(person.id as number)).toMatchObject({ org_id: Number(orgId), job_title: 'Head of Transactions' });
			expect(pd().organization(Number(orgId))?.name).toBe('Göta Kapital AB');
			expect(ps().get('contact', contact.id).companies.map((c: Rec) => ({ id: c.id, jobTitle: c.jobTitle }))).toEqual([{ id: company.id, jobTitle: 'Head of Transactions' }]);
			expect(await failedSince(since)).toEqual([]);
		}, 180000);

		test('case 7: a person deleted in Pipedrive unlinks its contact with a warning; later edits of the contact fail nothing and re-create nothing', async () => {
			const since = Date.now();
			const contact = ps().createContact({ firstName: 'Maja', lastName: 'Holm', email: 'maja.holm@e2e.example', tags: ['investor'] });
			const person = await stack.waitFor(() => personOf(contact.id), { what: 'the Pipedrive person of Maja', timeoutMs: 60000 });
			await stack.settle({ quietMs: 3000 });
			pd().deletePerson(person.id as number);
			await stack.settle({ quietMs: 3000 });
			ps().updateContact(contact.id, { strategy: 'Retail, Malmö' });
			await stack.settle({ quietMs: 5000 });
			expect(await rowsFor(contact.id)).toEqual([{ pipedriveId: String(person.id), status: 'unlinked' }]);
			expect(pd().persons().filter((p) => ((p.emails as Rec[]) ?? []).some((e) => e.value === 'maja.holm@e2e.example'))).toEqual([]);
			expect(ps().get('contact', contact.id)).toMatchObject({ strategy: 'Retail, Malmö', deletedUtc: null });
			expect(await failedSince(since)).toEqual([]);
		}, 180000);
	});
}
