/**
 * The n8n Cloud edition (#17) in a real n8n 2.x set up as Cloud is for this package: the package
 * NOT installed, community packages off (N8N_COMMUNITY_PACKAGES_ENABLED=false), no Code-node module
 * allowances, only workflows/cloud/*.json imported and active, built-in credentials only. The
 * setup workflow subscribes to the Propstreet simulator and keeps the secret; both simulators then
 * send real deliveries. Every scenario asserts both simulators and the state table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { startStack, type Stack } from '../harness/stack';
import { contactRecords, type Rec } from './contactRecords';
import { REPO_ROOT } from '../harness/pack';
import { registerCompaniesToPipedrive } from './cloud/companiesToPipedrive';
import { registerNotes } from './cloud/notes';
import { registerParticipants } from './cloud/participants';
import { cloudProjectScenarios } from './cloud/projects';
import { registerBackfill } from './cloud/backfill';
import { registerDeletes } from './cloud/deletes';
import { registerSettings } from './cloud/settings';
import { registerEngineScenarios } from './cloud/engine';
import { registerReviewDecisions } from './cloud/reviewDecisions';
import { registerOAuth2 } from './cloud/oauth2';
import { cloudDeliveryUrl, cloudSetup, forgedContactDelivery } from './cloud/setup';

const CLOUD_DIR = path.join(REPO_ROOT, 'workflows/cloud');
const cloudFiles = () => fs.readdirSync(CLOUD_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(CLOUD_DIR, f))
// The error handler the Cloud workflows name (built-in nodes only) is imported with them, as a Cloud user does.
const importFiles = () => [path.join(REPO_ROOT, 'workflows/00-error-handler.json'), ...cloudFiles()];

let stack: Stack;
const { ps, pd, refOf, pdCustom, personOf } = contactRecords(() => stack);
const contactRows = async () => (await stack.syncStateRows()).filter((r) => r.entity === 'contact');
const deliveryUrl = () => cloudDeliveryUrl(stack);
const setup = (action: 'create' | 'check' | 'delete') => cloudSetup(stack, action);

beforeAll(async () => {
	stack = await startStack({ edition: 'cloud', mode: 'single', seed: true, workflowFiles: importFiles(), label: 'n8n-e2e-cloud' });
	const created = await setup('create');
	if (created.status !== 200) throw new Error(`Cloud setup answered ${created.status}: ${JSON.stringify(created.body)}`);
}, 600000);
afterAll(async () => stack?.stop(), 120000);

cloudProjectScenarios(() => stack);

describe('n8n Cloud edition: contacts both ways with built-in nodes only', () => {
	test('the Cloud workflows are active without the package, and the setup subscribed with a stored secret', async () => {
		expect(stack.activationErrors).toEqual({});
		expect(stack.workflows.filter((w) => w.activatable && !w.active).map((w) => w.fileName)).toEqual([]);
		const check = await setup('check');
		expect(JSON.stringify(check.body)).toContain('"ready":true');
		expect(ps().state().webhooks.filter((s: Rec) => s.url === deliveryUrl())).toHaveLength(1);
		// The secret is the one row of 01's own table (not static data: a queue-mode worker would not see it).
		const secret = ps().state().webhooks.find((s: Rec) => s.url === deliveryUrl()).secret;
		expect((await stack.n8n.dataTableRows('Propstreet webhook secret')).map((r) => r.secret)).toEqual([secret]);
	}, 120000);

	test('a badly signed or stale delivery is answered 401 and starts no sync', async () => {
		const before = stack.mark();
		const started = Date.now();
		const { send, wrongSignature } = forgedContactDelivery(stack, { id: 'forged1', firstName: 'Eve', lastName: 'Forger', email: 'eve@e2e.example' });
		const ts = String(Math.floor(Date.now() / 1000));
		expect((await send(ts, wrongSignature(ts))).status).toBe(401);
		expect((await send(String(Number(ts) - 3600), wrongSignature(ts))).status).toBe(401);
		expect((await send(ts, '')).status).toBe(401);
		await stack.settle({ quietMs: 2000 });
		const report = stack.apiCallReport(before);
		// 08's own five-minute poll may list deals meanwhile; nothing of the forged contact reached the sync.
		expect(Object.keys(report.pipedrive.byRoute).filter((route) => /person/i.test(route))).toEqual([]);
		expect(report.pipedrive.writes).toBe(0);
		expect(report.propstreet.writes).toBe(0);
		expect(await stack.executionsOf('00-cloud-sync-record.json', started)).toEqual([]);
		expect(pd().persons().filter((p) => ((p.emails as Rec[]) ?? []).some((e) => e.value === 'eve@e2e.example'))).toHaveLength(0);
		expect((await contactRows()).filter((r) => r.propstreetId === 'forged1')).toHaveLength(0);
	}, 120000);

	test('a Propstreet contact created, then edited, reaches Pipedrive; both sides name each other', async () => {
		const contact = ps().createContact({ firstName: 'Sigrid', lastName: 'Holm', email: 'sigrid.holm@e2e.example', tags: ['investor'] });
		const person = await stack.waitFor(() => personOf(contact.id), { what: 'the Pipedrive person of the new contact', timeoutMs: 90000 });
		expect(person.name).toBe('Sigrid Holm');
		await stack.waitFor(() => refOf(ps().get('contact', contact.id)) === String(person.id), { what: 'the pipedrive ref on the contact', timeoutMs: 60000 });
		await stack.settle({ quietMs: 3000 });
		ps().updateContact(contact.id, { strategy: 'Office, Stockholm CBD' });
		await stack.waitFor(() => pdCustom(personOf(contact.id), 'investor_strategy') === 'Office, Stockholm CBD', { what: 'the strategy in Pipedrive', timeoutMs: 90000 });
		await stack.settle({ quietMs: 3000 });
		expect(pd().persons().filter((p) => ((p.emails as Rec[]) ?? []).some((e) => e.value === 'sigrid.holm@e2e.example'))).toHaveLength(1);
		expect(ps().get('contact', contact.id)).toMatchObject({ firstName: 'Sigrid', lastName: 'Holm', strategy: 'Office, Stockholm CBD' });
		const rows = (await contactRows()).filter((r) => r.propstreetId === contact.id);
		expect(rows.map((r) => ({ pipedriveId: r.pipedriveId, status: r.status }))).toEqual([{ pipedriveId: String(person.id), status: 'linked' }]);
		expect(String(rows[0].baseline)).toContain('contact.name');
		// 01 saves no execution, and 03's saved runs (which called it) never hold the secret.
		expect(await stack.executionsOf('01')).toEqual([]);
		const secret = String(ps().state().webhooks.find((s: Rec) => s.url === deliveryUrl()).secret).slice(6);
		const runs = await stack.executionsOf('03');
		expect(runs.length).toBeGreaterThan(0);
		for (const run of runs.slice(0, 3)) expect(JSON.stringify(await stack.n8n.execution(String(run.id)))).not.toContain(secret);
	}, 300000);

	test('a Pipedrive person created, then renamed, reaches Propstreet; both sides name each other', async () => {
		const investor = pd().optionId('person', 'label_ids', 'Investor');
		const person = pd().createPerson({ name: 'Jonas Lind', first_name: 'Jonas', last_name: 'Lind', emails: [{ value: 'jonas.lind@e2e.example', primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
		const contactOf = () => ps().state().contacts.find((c: Rec) => refOf(c) === String(person.id)) as Rec | undefined;
		const contact = await stack.waitFor(contactOf, { what: 'the Propstreet contact of the new person', timeoutMs: 90000 });
		expect(contact).toMatchObject({ firstName: 'Jonas', lastName: 'Lind', email: 'jonas.lind@e2e.example' });
		await stack.waitFor(() => String(pdCustom(pd().persons().find((p) => p.id === person.id) as Rec, 'propstreet_contact_id') ?? '') === contact.id, { what: 'the contact id on the person', timeoutMs: 60000 });
		await stack.settle({ quietMs: 3000 });
		pd().updatePerson(person.id as number, { name: 'Jonas Lindqvist', first_name: 'Jonas', last_name: 'Lindqvist' });
		await stack.waitFor(() => ps().get('contact', contact.id)?.lastName === 'Lindqvist', { what: 'the new last name in Propstreet', timeoutMs: 90000 });
		await stack.settle({ quietMs: 3000 });
		expect(ps().get('contact', contact.id)).toMatchObject({ firstName: 'Jonas', lastName: 'Lindqvist' });
		expect((pd().persons().find((p) => p.id === person.id) as Rec).name).toBe('Jonas Lindqvist');
		const rows = (await contactRows()).filter((r) => r.pipedriveId === String(person.id));
		expect(rows.map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: contact.id, status: 'linked' }]);
	}, 300000);
});

describe('n8n Cloud edition: companies Pipedrive → Propstreet with built-in nodes only', () => {
	const companyRows = async () => (await stack.syncStateRows()).filter((r) => r.entity === 'company');
	const orgCustom = (org: Rec | undefined, name: string) => {
		const value = (org?.custom_fields ?? {})[pd().fieldKey('organization', name)];
		return value && typeof value === 'object' && 'value' in value ? value.value : value;
	};
	const organization = (id: number) => pd().organizations().find((o) => o.id === id) as Rec | undefined;
	const companiesWithRef = (orgId: number) => (ps().state().companies as Rec[]).filter((c) => refOf(c) === String(orgId) && !c.deletedUtc);

	test('an organization created, then renamed, in Pipedrive arrives in Propstreet once; both sides name each other', async () => {
		const org = pd().createOrganization({ name: 'Siljan Fastigheter AB', custom_fields: { domain: 'siljanfastigheter.example.se' } }) as Rec;
		const orgId = Number(org.id);
		const company = await stack.waitFor(() => companiesWithRef(orgId)[0], { what: `the Propstreet company of organization ${orgId}`, timeoutMs: 90000 });
		expect(company).toMatchObject({ name: 'Siljan Fastigheter AB', domain: 'siljanfastigheter.example.se' });
		await stack.waitFor(() => String(orgCustom(organization(orgId), 'propstreet_company_id') ?? '') === company.id, { what: 'the company id on the organization', timeoutMs: 60000 });
		await stack.settle({ quietMs: 3000 });
		pd().updateOrganization(orgId, { name: 'Siljan Fastigheter Holding AB' });
		await stack.waitFor(() => ps().get('company', company.id)?.name === 'Siljan Fastigheter Holding AB', { what: 'the new name in Propstreet', timeoutMs: 90000 });
		await stack.settle({ quietMs: 3000 });
		expect(companiesWithRef(orgId)).toHaveLength(1);
		expect(organization(orgId)?.name).toBe('Siljan Fastigheter Holding AB');
		const rows = (await companyRows()).filter((r) => r.pipedriveId === String(orgId));
		expect(rows.map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: company.id, status: 'linked' }]);
		expect(String(rows[0].baseline)).toContain('company.name');
	}, 300000);

	test('an organization whose domain a Propstreet company already has is linked to that company, not created again', async () => {
		const existing = ps().createCompany({ name: 'Hallands Hamn Invest', domain: 'hallandshamn.example.se' }) as Rec;
		const before = (ps().state().companies as Rec[]).length;
		const org = pd().createOrganization({ name: 'Hallands Hamn Invest AB', custom_fields: { domain: 'hallandshamn.example.se' } }) as Rec;
		const orgId = Number(org.id);
		await stack.waitFor(() => refOf(ps().get('company', existing.id)) === String(orgId), { what: 'the pipedrive ref on the existing company', timeoutMs: 90000 });
		await stack.waitFor(() => String(orgCustom(organization(orgId), 'propstreet_company_id') ?? '') === existing.id, { what: 'the existing company id on the organization', timeoutMs: 60000 });
		await stack.settle({ quietMs: 3000 });
		expect((ps().state().companies as Rec[]).length).toBe(before);
		// First link, no baseline (as the Sync node links a found company): the conflict policy picks one name for both sides.
		const name = ps().get('company', existing.id)?.name;
		expect(['Hallands Hamn Invest', 'Hallands Hamn Invest AB']).toContain(name);
		expect(organization(orgId)?.name).toBe(name);
		expect(ps().get('company', existing.id)).toMatchObject({ domain: 'hallandshamn.example.se' });
		const rows = (await companyRows()).filter((r) => r.pipedriveId === String(orgId));
		expect(rows.map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: existing.id, status: 'linked' }]);
	}, 300000);
});

registerCompaniesToPipedrive(() => stack);
registerNotes(() => stack);
// Before the backfill: the merge survivor must still be unlinked when it is merged.
registerEngineScenarios(() => stack);
registerReviewDecisions(() => stack);
registerBackfill(() => stack);
registerDeletes(() => stack);
registerSettings(() => stack);
registerParticipants(() => stack);
registerOAuth2(() => stack);
