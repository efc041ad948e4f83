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

		test('participants, daily check: a participant swapped for another (count unchanged) is found by the check on demand and the prospects follow; a linked deal moved to another pipeline is never read', async () => {
			const investor = pd().optionId('person', 'label_ids', 'Investor');
			const newPerson = (first: string, last: string) => pd().createPerson({ name: `${first} ${last}`, first_name: first, last_name: last, emails: [{ value: `${first.toLowerCase()}.${last.toLowerCase()}@e2e.example`, primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
			const [ada, bo] = [newPerson('Ada', 'Strand'), newPerson('Bo', 'Vik')];
			const contactOf = (person: Rec) => stack().waitFor(() => (ps().state().contacts as Rec[]).find((c) => refOf(c) === String(person.id)), { what: `the contact of person ${person.id}`, timeoutMs: 90000 });
			const [adaContact, boContact] = [await contactOf(ada), await contactOf(bo)];
			const newDeal = (title: string) => Number((pd().createDeal({ title, stage_id: pd().stageId('Lead In') }) as Rec).id);
			const [dealId, movedId] = [newDeal('Umeå Office Block'), newDeal('Luleå Retail Box')];
			const projectOf = (id: number) => stack().waitFor(() => (ps().state().projects as Rec[]).find((p) => refOf(p) === String(id) && !p.deletedUtc), { what: `the project of deal ${id}`, timeoutMs: 90000 });
			const [project, movedProject] = [await projectOf(dealId), await projectOf(movedId)];
			await stack().waitFor(async () => (await rowsOf('project', String(movedId))).some((r) => r.status === 'linked') && (await rowsOf('contact', String(bo.id))).some((r) => r.status === 'linked'), { what: 'the link rows', timeoutMs: 60000 });
			// The second deal stays linked but leaves the synced pipeline.
			const other = (await stack().observe.pipedrive<{ data: Rec }>('POST', '/api/v2/pipelines', { name: 'Cloud Participants Other' })).body.data;
			const otherStage = (await stack().observe.pipedrive<{ data: Rec }>('POST', '/api/v2/stages', { name: 'Other Lead', pipeline_id: other.id })).body.data;
			pd().moveDealToStage(movedId, Number(otherStage.id));
			pd().addParticipant(dealId, ada.id);
			pd().addParticipant(movedId, ada.id);
			await stack().settle({ quietMs: 3000 });

			// Sync now with an empty body: every open deal of the synced pipeline, then the check's baseline.
			const readsOf = async (run: () => Promise<unknown>) => {
				const before = pd().stats().total;
				await run();
				const stats = pd().stats();
				return stats.log.slice(-(stats.total - before)).map((e) => `${e.method} ${e.path}`);
			};
			const syncNow = async (body: unknown, done: () => boolean | Promise<boolean>, what: string) => {
				const since = Date.now();
				expect((await stack().startWorkflow('08', body)).status).toBeLessThan(300);
				await stack().n8n.waitForExecutions(stack().workflow('08').id, 1, { since: since - 50, timeoutMs: 90000 });
				await stack().waitFor(done, { what, timeoutMs: 90000 });
				await stack().settle({ quietMs: 3000 });
			};
			const full = await readsOf(() => syncNow({}, async () => (await rowsOf('prospect', 'participation-check')).length === 1 && liveProspects(project.id).length === 1, 'the prospect and the check baseline'));
			expect(full).toContain(`GET /api/v2/deals/${dealId}`);
			expect(full.filter((call) => call.includes(`/deals/${movedId}`))).toEqual([]);
			expect(liveProspects(project.id).map((p) => p.contactId)).toEqual([adaContact.id]);
			expect(liveProspects(movedProject.id)).toEqual([]);

			// Ada is swapped for Bo: the deal's participant count stays 1, so the poll sees nothing.
			pd().removeParticipant(dealId, ada.id);
			pd().addParticipant(dealId, bo.id);
			const checked = await readsOf(() => syncNow({ participationCheck: 'check' }, () => liveProspects(project.id).map((p) => p.contactId).join() === boContact.id, 'the prospects following the swap'));
			expect(checked.filter((call) => call.startsWith('GET /api/v2/persons')).length).toBeGreaterThan(0);
			expect(checked).toContain(`GET /v1/deals/${dealId}/participants`);
			expect(checked.filter((call) => call.includes(`/deals/${movedId}`))).toEqual([]);
			expect(participantIds(dealId)).toEqual([Number(bo.id)]);
			expect(liveProspects(project.id).map((p) => [p.contactId, refOf(p)])).toEqual([[boContact.id, String(bo.id)]]);
			expect(await rowsOf('prospect', `${dealId}:${ada.id}`)).toEqual([]);
			expect((await rowsOf('prospect', `${dealId}:${bo.id}`)).map((r) => r.status)).toEqual(['linked']);
			expect(liveProspects(movedProject.id)).toEqual([]);
			expect(participantIds(movedId)).toEqual([Number(ada.id)]);
		}, 400000);
	});
}
