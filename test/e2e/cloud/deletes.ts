/**
 * Cloud deletes for contacts and companies, as the Sync node handles them (`core/twoWay/lifecycle.ts`):
 * a deleted person (02) or organization (04), or a deleted Propstreet company (03), each run by the loop (00),
 * removes the link and keeps the counterpart (the sync never deletes). Each pair is made by the
 * Cloud workflows first. Registered by cloud.e2e.test.ts on its running stack.
 */
import type { Stack } from '../../harness/stack';
import { contactRecords, type Rec } from '../contactRecords';

export function registerDeletes(getStack: () => Stack): void {
	const { ps, pd, refOf } = contactRecords(getStack);
	const rowsOf = async (entity: string, pipedriveId: string) => (await getStack().syncStateRows()).filter((r) => r.entity === entity && r.pipedriveId === pipedriveId);
	const linkedRow = (entity: string, pipedriveId: string) => async () => (await rowsOf(entity, pipedriveId)).some((r) => r.status === 'linked');

	describe('n8n Cloud edition: deletes with built-in nodes only', () => {
		test('a deleted Pipedrive person unlinks its contact, which is kept', async () => {
			const stack = getStack();
			const investor = pd().optionId('person', 'label_ids', 'Investor');
			const person = pd().createPerson({ name: 'Tove Ek', first_name: 'Tove', last_name: 'Ek', emails: [{ value: 'tove.ek@e2e.example', primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
			const contact = await stack.waitFor(() => ps().state().contacts.find((c: Rec) => refOf(c) === String(person.id)) as Rec | undefined, { what: 'the linked contact', timeoutMs: 90000 });
			await stack.waitFor(linkedRow('contact', String(person.id)), { what: 'the contact link row', timeoutMs: 60000 });
			await stack.settle({ quietMs: 3000 });

			const start = stack.mark();
			pd().deletePerson(person.id as number);
			await stack.waitFor(async () => (await rowsOf('contact', String(person.id))).every((r) => r.status === 'unlinked'), { what: 'the unlinked row', timeoutMs: 90000 });
			await stack.settle({ quietMs: 3000 });
			expect((await rowsOf('contact', String(person.id))).map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: contact.id, status: 'unlinked' }]);
			expect(ps().get('contact', contact.id)).toMatchObject({ firstName: 'Tove', lastName: 'Ek' });
			expect(ps().get('contact', contact.id)?.deletedUtc ?? null).toBeNull();
			expect(stack.apiCallReport(start).propstreet.writesByRoute).toEqual({});
			expect(stack.apiCallReport(start).pipedrive.writesByRoute).toEqual({});
		}, 300000);

		test('a deleted organization, and a deleted Propstreet company, unlink their pairs and keep the counterparts', async () => {
			const stack = getStack();
			const made = async (name: string, domain: string) => {
				const org = pd().createOrganization({ name, custom_fields: { domain } }) as Rec;
				const company = await stack.waitFor(() => (ps().state().companies as Rec[]).find((c) => refOf(c) === String(org.id) && !c.deletedUtc), { what: `the company of ${name}`, timeoutMs: 90000 });
				await stack.waitFor(linkedRow('company', String(org.id)), { what: `the link row of ${name}`, timeoutMs: 60000 });
				return { org, company };
			};
			const first = await made('Vänern Kontor AB', 'vanernkontor.example.se');
			const second = await made('Vättern Lager AB', 'vatternlager.example.se');
			await stack.settle({ quietMs: 3000 });

			const start = stack.mark();
			pd().deleteOrganization(first.org.id as number);
			ps().deleteCompany(second.company.id);
			for (const pair of [first, second]) {
				await stack.waitFor(async () => (await rowsOf('company', String(pair.org.id))).every((r) => r.status === 'unlinked'), { what: `the unlinked row of ${pair.org.name}`, timeoutMs: 90000 });
			}
			await stack.settle({ quietMs: 3000 });
			expect(ps().get('company', first.company.id)?.deletedUtc ?? null).toBeNull();
			expect(pd().organizations().find((o) => o.id === second.org.id)).toMatchObject({ name: 'Vättern Lager AB' });
			for (const pair of [first, second]) {
				expect((await rowsOf('company', String(pair.org.id))).map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: pair.company.id, status: 'unlinked' }]);
			}
			expect(stack.apiCallReport(start).propstreet.writesByRoute).toEqual({});
			expect(stack.apiCallReport(start).pipedrive.writesByRoute).toEqual({});
		}, 300000);
	});
}
