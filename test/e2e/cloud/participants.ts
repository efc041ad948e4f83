/**
 * Cloud 08: deal participants ⇄ project prospects in the real n8n set up as Cloud (as the
 * self-hosted 08's "participants…" cases in sync.e2e.test.ts). The person and the deal are linked
 * first by the Cloud 02 and 06 workflows; "Sync now" (the 08 webhook, as a Cloud user starts it)
 * runs the poll for the deal; the prospect removal arrives as a Propstreet delivery through 03,
 * which hands prospects to 08. Registered by cloud.e2e.test.ts on its running stack.
 */
import type { Stack } from '../../harness/stack';
import { contactRecords, type Rec } from '../contactRecords';

export function registerParticipants(getStack: () => Stack): void {
	const { ps, pd, refOf } = contactRecords(getStack);
	const stack = () => getStack();
	const liveProspects = (projectId: string) => (ps().state().prospects as Rec[]).filter((p) => p.projectId === projectId && !p.deletedUtc);
	const participantIds = (dealId: number) => (pd().participants(dealId) as Rec[]).filter((p) => p.active_flag !== false).map((p) => Number(p.person_id));
	const rowsOf = async (entity: string, pipedriveId: string) => (await stack().syncStateRows()).filter((r) => r.entity === entity && r.pipedriveId === pipedriveId);

	describe('n8n Cloud edition: participants ⇄ prospects with built-in nodes only', () => {
		test('a participant added to a linked deal becomes a prospect on its project (Sync now); a prospect removed in Propstreet removes the participant', async () => {
			const investor = pd().optionId('person', 'label_ids', 'Investor');
			const person = pd().createPerson({ name: 'Tove Berg', first_name: 'Tove', last_name: 'Berg', emails: [{ value: 'tove.berg@e2e.example', primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
			const contact = await stack().waitFor(() => (ps().state().contacts as Rec[]).find((c) => refOf(c) === String(person.id)), { what: 'the linked contact', timeoutMs: 90000 });
			const dealId = Number((pd().createDeal({ title: 'Gävle Harbour Warehouse', stage_id: pd().stageId('Lead In') }) as Rec).id);
			const project = await stack().waitFor(() => (ps().state().projects as Rec[]).find((p) => refOf(p) === String(dealId) && !p.deletedUtc), { what: `the project of deal ${dealId}`, timeoutMs: 90000 });
			await stack().waitFor(async () => (await rowsOf('contact', String(person.id))).some((r) => r.status === 'linked') && (await rowsOf('project', String(dealId))).some((r) => r.status === 'linked'), { what: 'the contact and project link rows', timeoutMs: 60000 });
			await stack().settle({ quietMs: 3000 });

			pd().addParticipant(dealId, person.id);
			const since = Date.now();
			const res = await stack().startWorkflow('08', { dealId });
			expect(res.status).toBeLessThan(300);
			const runs = await stack().n8n.waitForExecutions(stack().workflow('08').id, 1, { since: since - 50, timeoutMs: 90000 });
			expect(runs.map((r) => r.status)).not.toContain('error');
			await stack().settle({ quietMs: 3000 });
			const [prospect] = liveProspects(project.id);
			expect(liveProspects(project.id)).toHaveLength(1);
			expect(prospect).toMatchObject({ contactId: contact.id });
			expect(refOf(prospect)).toBe(String(person.id));
			expect((await rowsOf('prospect', `${dealId}:${person.id}`)).map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: String(prospect.id), status: 'linked' }]);
			expect(participantIds(dealId)).toEqual([Number(person.id)]);

			ps().removeProspect(project.id, String(prospect.id));
			await stack().waitFor(() => !participantIds(dealId).includes(Number(person.id)), { what: 'the participant removed from the deal', timeoutMs: 90000 });
			await stack().settle({ quietMs: 3000 });
			expect(liveProspects(project.id)).toHaveLength(0);
			expect(participantIds(dealId)).toEqual([]);
			expect(await rowsOf('prospect', `${dealId}:${person.id}`)).toEqual([]);
			// Nobody deleted the person or the contact.
			expect(pd().persons().find((p) => p.id === person.id)).toBeDefined();
			expect(ps().get('contact', contact.id)?.deletedUtc ?? null).toBeNull();
		}, 400000);
	});
}
