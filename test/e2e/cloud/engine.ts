/**
 * What the Cloud edition gained by running the engine itself in one loop (00 Sync record): a
 * Pipedrive merge moves the link, a deleted deal unlinks its project (kept), a contact's organization
 * brings its company (made once), a conflict under Manual Review lands in the review table. Each as
 * the self-hosted Sync node does it. Registered by cloud.e2e.test.ts on its running stack; every
 * scenario asserts both simulators and the state (or review) table.
 */
import type { Stack } from '../../harness/stack';
import { DEFAULT_SYNC_SETTINGS, settingsRecord, type SyncSettings } from '../../../nodes/shared/core/settings';
import { pipedriveIdFor } from '../../simulators/seed/ids';
import { contactRecords, type Rec } from '../contactRecords';

/** The loop's workflow id (00-cloud-sync-record.json): its executions are where a sync fails. */
export const SYNC_RECORD = 'PsCloudSyncRec01';
const SETTINGS_TABLE = 'Propstreet sync settings';
const REVIEW_TABLE = 'Propstreet sync review';

/** Saves settings for every Cloud workflow as a person would: a new row in the settings table (the newest row wins). */
export async function saveCloudSettings(stack: Stack, settings: SyncSettings): Promise<void> {
	const tables = await stack.n8n.api<{ data: Array<{ id: string; name: string }> }>('GET', `/data-tables?filter=${encodeURIComponent(JSON.stringify({ name: SETTINGS_TABLE }))}`);
	const table = tables.data.find((t) => t.name === SETTINGS_TABLE);
	if (!table) throw new Error(`no Data Table "${SETTINGS_TABLE}" (the Cloud setup creates it)`);
	const record = settingsRecord(settings);
	await stack.n8n.api('POST', `/data-tables/${table.id}/rows`, { data: [{ name: 'shared', version: record.version, settings: JSON.stringify(record.settings) }], returnType: 'all' });
}

export function registerEngineScenarios(getStack: () => Stack): void {
	const { ps, pd, refOf, pdCustom } = contactRecords(getStack);
	const stack = () => getStack();
	const rows = async (entity: string) => (await stack().syncStateRows()).filter((r) => r.entity === entity).map((r) => ({ pipedriveId: r.pipedriveId, propstreetId: r.propstreetId, status: r.status }));
	const orgCustom = (org: Rec | undefined, name: string) => {
		const value = (org?.custom_fields ?? {})[pd().fieldKey('organization', name)];
		return value && typeof value === 'object' && 'value' in value ? value.value : value;
	};
	const organization = (id: number) => pd().organizations().find((o) => o.id === id) as Rec | undefined;
	const liveCompanies = (orgId: number) => (ps().state().companies as Rec[]).filter((c) => refOf(c) === String(orgId) && !c.deletedUtc);
	/** Executions of the loop since `since` that did not succeed. */
	const failedLoops = async (since: number) =>
		(await stack().n8n.executions({ workflowId: SYNC_RECORD })).filter((e) => Date.parse(e.startedAt) >= since && !['success', 'running', 'new', 'waiting'].includes(e.status)).map((e) => `#${e.id} ${e.status}`);

	describe('n8n Cloud edition: the engine in one loop (merges, deletes, company links, review)', () => {
		test('a linked organization merged into an unlinked one moves the link: no second company, both sides name each other', async () => {
			const since = Date.now();
			const org = pd().createOrganization({ name: 'Skagerrak Fastigheter AB', custom_fields: { domain: 'skagerrakfast.example.se' } }) as Rec;
			const orgId = Number(org.id);
			const company = await stack().waitFor(() => liveCompanies(orgId)[0], { what: `the company of organization ${orgId}`, timeoutMs: 90000 });
			await stack().waitFor(async () => (await rows('company')).some((r) => r.pipedriveId === String(orgId) && r.status === 'linked'), { what: 'the company link row', timeoutMs: 60000 });
			await stack().settle({ quietMs: 3000 });
			// Göta is seeded in Pipedrive only (no webhook was sent for it): unlinked, with no company.
			const survivor = pipedriveIdFor('organization', 'gota');
			expect((await rows('company')).filter((r) => r.pipedriveId === String(survivor))).toEqual([]);
			const companies = (ps().state().companies as Rec[]).length;
			pd().merge('organization', orgId, survivor);
			await stack().waitFor(() => refOf(ps().get('company', company.id)) === String(survivor), { what: 'the company now naming the surviving organization', timeoutMs: 90000 });
			await stack().waitFor(async () => (await rows('company')).some((r) => r.pipedriveId === String(survivor) && r.status === 'linked'), { what: 'the link row moved to the survivor', timeoutMs: 60000 });
			await stack().settle({ quietMs: 4000 });
			expect((ps().state().companies as Rec[]).length).toBe(companies);
			expect(String(orgCustom(organization(survivor), 'propstreet_company_id') ?? '')).toBe(company.id);
			expect((await rows('company')).filter((r) => r.propstreetId === company.id)).toEqual([{ pipedriveId: String(survivor), propstreetId: company.id, status: 'linked' }]);
			expect(await failedLoops(since)).toEqual([]);
		}, 300000);

		test('a deleted deal unlinks its project, which is kept; nothing is written to either side', async () => {
			const since = Date.now();
			const dealId = Number((pd().createDeal({ title: 'Borås Cloud Logistics', stage_id: pd().stageId('Lead In') }) as Rec).id);
			const project = await stack().waitFor(() => (ps().state().projects as Rec[]).find((p) => refOf(p) === String(dealId) && !p.deletedUtc), { what: `the project of deal ${dealId}`, timeoutMs: 90000 });
			await stack().waitFor(async () => (await rows('project')).some((r) => r.pipedriveId === String(dealId) && r.status === 'linked'), { what: 'the project link row', timeoutMs: 60000 });
			await stack().settle({ quietMs: 3000 });
			const mark = stack().mark();
			pd().deleteDeal(dealId);
			await stack().waitFor(async () => (await rows('project')).filter((r) => r.pipedriveId === String(dealId)).every((r) => r.status === 'unlinked'), { what: 'the unlinked project row', timeoutMs: 90000 });
			await stack().settle({ quietMs: 3000 });
			expect((await rows('project')).filter((r) => r.pipedriveId === String(dealId))).toEqual([{ pipedriveId: String(dealId), propstreetId: project.id, status: 'unlinked' }]);
			expect(ps().get('project', project.id)).toMatchObject({ name: 'Borås Cloud Logistics' });
			expect(ps().get('project', project.id)?.deletedUtc ?? null).toBeNull();
			const report = stack().apiCallReport(mark);
			expect({ propstreet: report.propstreet.writesByRoute, pipedrive: report.pipedrive.writesByRoute }).toEqual({ propstreet: {}, pipedrive: {} });
			expect(await failedLoops(since)).toEqual([]);
		}, 300000);

		test('a new person in a new organization: the contact is linked to the organization\'s company, made once', async () => {
			const since = Date.now();
			const investor = pd().optionId('person', 'label_ids', 'Investor');
			const org = pd().createOrganization({ name: 'Kalmarsund Invest AB', custom_fields: { domain: 'kalmarsundinvest.example.se' } }) as Rec;
			const orgId = Number(org.id);
			const person = pd().createPerson({ name: 'Ebba Strand', first_name: 'Ebba', last_name: 'Strand', org_id: orgId, emails: [{ value: 'ebba.strand@kalmarsundinvest.example.se', primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
			const contact = await stack().waitFor(() => (ps().state().contacts as Rec[]).find((c) => refOf(c) === String(person.id)), { what: 'the contact of the new person', timeoutMs: 90000 });
			const company = await stack().waitFor(() => liveCompanies(orgId)[0], { what: 'the company of the new organization', timeoutMs: 90000 });
			await stack().waitFor(() => (ps().state().links as Rec[]).some((l) => l.contactId === contact.id && l.companyId === company.id), { what: 'the contact linked to the company', timeoutMs: 90000 });
			await stack().settle({ quietMs: 4000 });
			expect(liveCompanies(orgId)).toHaveLength(1);
			expect((ps().state().links as Rec[]).filter((l) => l.contactId === contact.id).map((l) => l.companyId)).toEqual([company.id]);
			expect(String(orgCustom(organization(orgId), 'propstreet_company_id') ?? '')).toBe(company.id);
			expect(String(pdCustom(pd().persons().find((p) => p.id === person.id) as Rec, 'propstreet_contact_id') ?? '')).toBe(contact.id);
			expect((await rows('company')).filter((r) => r.pipedriveId === String(orgId))).toEqual([{ pipedriveId: String(orgId), propstreetId: company.id, status: 'linked' }]);
			expect(await failedLoops(since)).toEqual([]);
		}, 300000);

		test('under Manual Review, a field edited on both sides lands in the review table and neither side is overwritten', async () => {
			const since = Date.now();
			const investor = pd().optionId('person', 'label_ids', 'Investor');
			const person = pd().createPerson({ name: 'Hedda Vik', first_name: 'Hedda', last_name: 'Vik', emails: [{ value: 'hedda.vik@e2e.example', primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
			const contact = await stack().waitFor(() => (ps().state().contacts as Rec[]).find((c) => refOf(c) === String(person.id)), { what: 'the contact of the new person', timeoutMs: 90000 });
			await stack().waitFor(async () => (await stack().syncStateRows()).some((r) => r.entity === 'contact' && r.pipedriveId === String(person.id) && r.status === 'linked' && r.baseline), { what: 'the linked pair with a baseline', timeoutMs: 60000 });
			await stack().settle({ quietMs: 3000 });
			await saveCloudSettings(stack(), { ...DEFAULT_SYNC_SETTINGS, conflictPolicy: 'manualReview' } as SyncSettings);
			try {
				// Both edits land before either side's event is synced: the first run meets both.
				ps().updateContact(contact.id, { strategy: 'Propstreet: harbour offices' });
				pd().updatePerson(person.id as number, { custom_fields: { investor_strategy: 'Pipedrive: inland logistics' } });
				const reviewRows = async () => (await stack().n8n.dataTableRows(REVIEW_TABLE)).filter((r) => r.propstreetId === contact.id);
				const row = await stack().waitFor(async () => (await reviewRows()).find((r) => r.field === 'contact.strategy' && r.status === 'open'), { what: 'the open review row', timeoutMs: 90000 });
				await stack().settle({ quietMs: 4000 });
				expect(row).toMatchObject({ entity: 'contact', pipedriveId: String(person.id), propstreetId: contact.id, resolution: '' });
				expect(String(row.pipedriveValue)).toContain('Pipedrive: inland logistics');
				expect(String(row.propstreetValue)).toContain('Propstreet: harbour offices');
				// One open row for the field, however many events met the conflict.
				expect((await reviewRows()).filter((r) => r.field === 'contact.strategy' && r.status === 'open')).toHaveLength(1);
				expect(ps().get('contact', contact.id)?.strategy).toBe('Propstreet: harbour offices');
				expect(pdCustom(pd().persons().find((p) => p.id === person.id) as Rec, 'investor_strategy')).toBe('Pipedrive: inland logistics');
			} finally {
				await saveCloudSettings(stack(), DEFAULT_SYNC_SETTINGS);
			}
			expect(await failedLoops(since)).toEqual([]);
		}, 300000);
	});
}
