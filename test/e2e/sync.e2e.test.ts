/**
 * The bundled workflows, end to end, in a real n8n 2.x: both simulators (seeded with the Nordic
 * data), the packed package, every `workflows/*.json` imported unchanged and activated. ONE n8n boot
 * for the file; scenarios run in order and build on each other's state. Every scenario asserts on
 * BOTH simulators and prints the API calls each side received for it, and the file ends with a
 * per-scenario timing table.
 *
 * Users are simulated through the simulators' control APIs: an edit "in the Pipedrive web app"
 * sends a Webhooks v2 delivery to the Pipedrive Trigger, an edit "in the Propstreet app" sends a
 * signed delivery to the Propstreet Trigger. Nothing here calls a workflow's internals.
 */
import { propstreetIdFor, pipedriveIdFor } from '../simulators/seed/ids';
import type { ExecutionSummary } from '../harness/n8n';
import { startStack, SYNC_STATE_TABLE, type Stack, type StackMark } from '../harness/stack';
import { deliveryHeaders } from '../simulators/propstreet';
import { bindingFor } from '../../nodes/PipedrivePropstreetSync/entities';

type Rec = Record<string, unknown>;
type Ref = { namespace: string; id: string };

let stack: Stack;
const timings: Array<{ scenario: string; seconds: number; ok: boolean }> = [];
/** Facts one scenario leaves for a later one. */
const memo: {
	person?: { pipedriveId: number; email: string; contactId?: string };
	org?: { pipedriveId: number; companyId?: string };
	deal?: { pipedriveId: number; projectId?: string };
	note?: { pipedriveId: number; contactId: string };
	leasingDeal?: number;
} = {};

// ---------------------------------------------------------------------------------------------
// Helpers

const ps = () => stack.propstreet.control;
const pd = () => stack.pipedrive.control;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const live = (list: Rec[]) => list.filter((r) => !r.deletedUtc);
const refOf = (record: Rec | undefined, namespace = 'pipedrive'): string | undefined =>
	((record?.externalRefs as Ref[] | undefined) ?? []).find((r) => r.namespace.toLowerCase() === namespace)?.id;
const contacts = () => live(ps().state().contacts);
const companies = () => live(ps().state().companies);
const projects = () => live(ps().state().projects);
const prospectsOf = (projectId: string) => live(ps().state().prospects).filter((p) => p.projectId === projectId);
const contactsWithEmail = (email: string) =>
	contacts().filter(
		(c) =>
			String(c.email ?? '').toLowerCase() === email.toLowerCase() ||
			((c.emails as Array<{ address: string }> | undefined) ?? []).some((e) => e.address.toLowerCase() === email.toLowerCase()),
	);
const byRef = (list: Rec[], id: number | string) => list.filter((r) => refOf(r) === String(id));

/** A Pipedrive record's custom field by field name (keys are found by name, as the workflows do). */
function pdCustom(entity: 'person' | 'organization' | 'deal', record: Rec | undefined, name: string): unknown {
	if (!record) return undefined;
	const custom = (record.custom_fields ?? {}) as Rec;
	const value = custom[pd().fieldKey(entity, name)];
	return value && typeof value === 'object' && 'value' in (value as Rec) ? (value as Rec).value : value;
}
const person = (id: number) => pd().person(id) as Rec | undefined;
const organization = (id: number) => pd().organization(id) as Rec | undefined;
const deal = (id: number) => pd().deal(id) as Rec | undefined;

/**
 * The Sync node's link for a contact, as the real n8n holds it in its data table (read through
 * n8n's public API: GET /api/v1/data-tables?filter=…, then /data-tables/{id}/rows).
 */
async function contactLinks(match: { pipedriveId?: number | string; propstreetId?: string }): Promise<Rec[]> {
	const rows = await stack.syncStateRows();
	return rows.filter(
		(r) =>
			r.entity === 'contact' &&
			(match.pipedriveId === undefined || r.pipedriveId === String(match.pipedriveId)) &&
			(match.propstreetId === undefined || r.propstreetId === match.propstreetId),
	);
}
const linkOf = (r: Rec) => ({ entity: r.entity, pipedriveId: r.pipedriveId, propstreetId: r.propstreetId, status: r.status });

/** The Sync node's rows for a company pair (workflows 04 / 05 and the contacts' company lookups). */
async function companyLinks(match: { pipedriveId?: number | string; propstreetId?: string }): Promise<Rec[]> {
	const rows = await stack.syncStateRows();
	return rows.filter(
		(r) =>
			r.entity === 'company' &&
			(match.pipedriveId === undefined || r.pipedriveId === String(match.pipedriveId)) &&
			(match.propstreetId === undefined || r.propstreetId === match.propstreetId),
	);
}

/** Executions of every workflow started at or after `since` (ms). */
async function executionsSince(since: number): Promise<Array<ExecutionSummary & { file: string }>> {
	const all = await stack.n8n.executions();
	const fileOf = new Map(stack.workflows.map((w) => [w.id, w.fileName]));
	return all
		.filter((e) => Date.parse(e.startedAt) >= since - 50)
		.map((e) => ({ ...e, file: fileOf.get(e.workflowId) ?? e.workflowId }));
}

/** Why an execution failed, from its data: the failing node and its message. */
/** Switches one node of a stored workflow on or off and saves it through the public API (n8n re-publishes an active one). */
async function setNodeDisabled(workflowId: string, nodeName: string, disabled: boolean): Promise<void> {
	type Body = { name: string; nodes: Array<{ name: string; disabled?: boolean }>; connections: unknown; settings: unknown };
	const stored = await stack.n8n.api<Body>('GET', `/workflows/${workflowId}`);
	const nodes = stored.nodes.map((n) => (n.name === nodeName ? { ...n, disabled } : n));
	await stack.n8n.api('PUT', `/workflows/${workflowId}`, { name: stored.name, nodes, connections: stored.connections, settings: stored.settings });
}

async function failureOf(id: string): Promise<string> {
	const ex = await stack.n8n.execution(id);
	const err = ex.data?.resultData?.error;
	const node = ex.data?.resultData?.lastNodeExecuted;
	return `${node ?? '?'}: ${err?.message ?? ''} ${err?.description ?? ''}`.trim();
}

/** Fails with the failing node and message of every execution since `since` that did not succeed. */
async function expectNoFailedExecutions(since: number): Promise<void> {
	const bad = (await executionsSince(since)).filter((e) => !['success', 'running', 'new', 'waiting'].includes(e.status));
	const details = await Promise.all(bad.map(async (e) => `${e.file} #${e.id} ${e.status} — ${await failureOf(e.id)}`));
	expect(details).toEqual([]);
}

/** Needs these workflows imported and active; a missing one fails the scenario with its name. */
function requireWorkflows(...keys: string[]): void {
	const problems: string[] = [];
	for (const key of keys) {
		try {
			const wf = stack.workflow(key);
			if (wf.activatable && !wf.active) problems.push(`${wf.fileName} is not active: ${stack.activationErrors[wf.fileName] ?? 'unknown'}`);
		} catch (err) {
			problems.push((err as Error).message);
		}
	}
	if (problems.length) throw new Error(`bundled workflows missing or inactive:\n  ${problems.join('\n  ')}`);
}

/** Runs a scenario: times it, and prints the API calls both sides received for it. */
function scenario(title: string, fn: (start: StackMark) => Promise<void>, timeoutMs = 120000): void {
	test(
		title,
		async () => {
			const start = stack.mark();
			let ok = false;
			try {
				await fn(start);
				ok = true;
			} finally {
				// A failed scenario's tail (webhooks, write-backs) must not spill into the next one.
				if (!ok) await stack.settle({ timeoutMs: 30000 }).catch(() => undefined);
				const seconds = (Date.now() - start.at) / 1000;
				timings.push({ scenario: title, seconds, ok });
				console.log(`${stack.formatReport(stack.apiCallReport(start), `── ${title} — ${ok ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s`)}`);
			}
		},
		timeoutMs,
	);
}

/** A valid Swedish organisation number (Luhn over the 10 digits) from a 9-digit stem. */
function swedishOrgNumber(stem: string): string {
	let sum = 0;
	for (let i = 0; i < 9; i++) {
		let d = Number(stem[i]) * (i % 2 === 0 ? 2 : 1);
		if (d > 9) d -= 9;
		sum += d;
	}
	const check = (10 - (sum % 10)) % 10;
	return `${stem.slice(0, 6)}-${stem.slice(6)}${check}`;
}

/** Sends a recorded Pipedrive delivery again, byte for byte (a duplicate or a late retry). */
async function replayPipedriveDelivery(d: { url: string; headers: Record<string, string>; body: Rec }): Promise<number> {
	const headers = { ...d.headers };
	delete headers['content-length'];
	const res = await fetch(d.url, { method: 'POST', headers, body: JSON.stringify(d.body) });
	await res.text();
	return res.status;
}

function lastDelivery(entity: string, entityId: number, action?: string) {
	const list = pd()
		.deliveries({ entity, action })
		.filter((d) => String((d.body.meta as Rec | undefined)?.entity_id) === String(entityId) && d.status !== null && d.status < 300);
	return list[list.length - 1];
}

/** Sync-node entities the backfill's branches need that this build does not have yet. */
const missingSyncBindings = () => ['company', 'project'].filter((e) => !bindingFor(e));

/**
 * A backfill run succeeded, or (while a binding is missing) failed in *Backfill Incomplete* only
 * because of the missing bindings: any other problem fails the scenario with its message.
 */
async function expectBackfillRun(run: ExecutionSummary): Promise<void> {
	const missing = missingSyncBindings();
	if (!missing.length) {
		expect(run.status === 'success' ? 'success' : `${run.status}: ${await failureOf(run.id)}`).toBe('success');
		return;
	}
	const ex = await stack.n8n.execution(run.id);
	const summary = ex.data?.resultData?.runData?.['Summary']?.[0]?.data?.main?.[0]?.[0]?.json as { errors?: string[] } | undefined;
	const errors = summary?.errors ?? [`no summary: ${await failureOf(run.id)}`];
	expect(errors.filter((e) => !missing.some((m) => e.includes(`Entity "${m}" is not one the Sync node runs`)))).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
	const t0 = Date.now();
	stack = await startStack({ seed: true, label: 'n8n-e2e-sync' });
	console.log(
		`stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (n8n ${JSON.stringify(stack.n8n.timings)}); workflows:\n` +
			stack.workflows
				.map((w) => `  ${w.active ? 'active  ' : w.activatable ? 'INACTIVE' : 'manual  '} ${w.fileName} (${w.id}) ${w.triggerTypes.join(', ')}`)
				.join('\n'),
	);
}, 600000);

afterAll(async () => {
	if (timings.length) {
		const total = timings.reduce((s, t) => s + t.seconds, 0);
		console.log(
			`scenario timings:\n${timings.map((t) => `  ${t.seconds.toFixed(1).padStart(6)} s  ${t.ok ? 'ok  ' : 'FAIL'}  ${t.scenario}`).join('\n')}\n  ${total.toFixed(1).padStart(6)} s  total`,
		);
	}
	await stack?.stop();
}, 120000);

describe('bundled workflows in a real n8n 2.x', () => {
	test('every bundled workflow is imported, and every one with a trigger is active', () => {
		expect(stack.workflows.length).toBeGreaterThan(0);
		expect(stack.activationErrors).toEqual({});
		const inactive = stack.workflows.filter((w) => w.activatable && !w.active).map((w) => w.fileName);
		expect(inactive).toEqual([]);
	});

	scenario('setup: run twice, the missing custom field is created once and nothing the second time', async () => {
		requireWorkflows('01');
		// An account that lacks one of the fields: delete the person field "classification".
		const field = pd().fields('person').find((f) => f.field_name === 'classification');
		expect(field).toBeDefined();
		const removed = await stack.observe.pipedrive('DELETE', `/api/v2/personFields/${String(field!.field_code)}`);
		expect(removed.status).toBe(200);
		const countFields = () => (['person', 'organization', 'deal'] as const).reduce((n, e) => n + pd().fields(e).filter((f) => f.is_custom_field).length, 0);
		const before = countFields();

		const run1Since = Date.now();
		const first = stack.mark();
		await stack.startWorkflow('01');
		const [run1] = await stack.n8n.waitForExecutions(stack.workflow('01').id, 1, { since: run1Since - 50, timeoutMs: 60000 });
		expect(run1.status).toBe('success');
		await stack.settle();
		const report1 = stack.apiCallReport(first);
		console.log(stack.formatReport(report1, 'setup, first run'));
		expect(() => pd().fieldKey('person', 'classification')).not.toThrow();
		expect(countFields()).toBe(before + 1);
		// Only field definitions were written: the one field (and its options, if sent separately).
		expect(Object.keys(report1.pipedrive.writesByRoute).filter((r) => !/Fields/.test(r))).toEqual([]);
		expect(report1.pipedrive.writesByRoute['POST /api/v2/personFields'] ?? report1.pipedrive.writesByRoute['POST /v1/personFields']).toBe(1);
		expect(report1.propstreet.writes).toBe(0);

		const run2Since = Date.now();
		const second = stack.mark();
		await stack.startWorkflow('01');
		const [run2] = await stack.n8n.waitForExecutions(stack.workflow('01').id, 1, { since: run2Since - 50, timeoutMs: 60000 });
		expect(run2.status).toBe('success');
		await stack.settle();
		const report2 = stack.apiCallReport(second);
		console.log(stack.formatReport(report2, 'setup, second run'));
		expect(countFields()).toBe(before + 1);
		expect({ pipedrive: report2.pipedrive.writes, propstreet: report2.propstreet.writes }).toEqual({ pipedrive: 0, propstreet: 0 });
	});

	scenario('Pipedrive → Propstreet: a new organization, person and deal each appear once, and their Propstreet ids are written back', async (start) => {
		requireWorkflows('02', '04');
		const investor = pd().optionId('person', 'label_ids', 'Investor');
		const org = pd().createOrganization({
			name: 'Vänern Kapital AB',
			address: { value: 'Karlstad, Sverige', locality: 'Karlstad', country: 'Sverige', formatted_address: 'Karlstad, Sverige' },
			custom_fields: { domain: 'vanernkapital.example.se', org_number: swedishOrgNumber('559123456') },
		}) as Rec;
		const orgId = Number(org.id);
		const company = await stack.waitFor(() => byRef(companies(), orgId)[0], { what: `a Propstreet company for organization ${orgId}`, timeoutMs: 45000 });
		expect(company).toMatchObject({ name: 'Vänern Kapital AB', domain: 'vanernkapital.example.se', countryCode: 'SE' });
		expect(refOf(company, 'orgnr-se')).toBe(swedishOrgNumber('559123456').replace('-', ''));

		const email = 'emil.vanerborg@vanernkapital.example.se';
		const p = pd().createPerson({
			name: 'Emil Vänerborg',
			first_name: 'Emil',
			last_name: 'Vänerborg',
			emails: [{ value: email, primary: true, label: 'work' }],
			phones: [{ value: '+46 54 123 45 67', primary: true, label: 'work' }],
			label_ids: [investor],
			org_id: orgId,
			job_title: 'Investment Manager',
			custom_fields: { investor_strategy: 'Logistics in Värmland, SEK 50–150M' },
		}) as Rec;
		const personId = Number(p.id);
		const contact = await stack.waitFor(() => contactsWithEmail(email)[0], { what: `a Propstreet contact for ${email}`, timeoutMs: 45000 });
		expect(contact).toMatchObject({ firstName: 'Emil', lastName: 'Vänerborg', strategy: 'Logistics in Värmland, SEK 50–150M', phone: '+46541234567' });
		expect(refOf(contact)).toBe(String(personId));
		expect(contact.tags).toEqual(expect.arrayContaining(['investor']));

		// Ids written back into the Pipedrive custom fields.
		await stack.waitFor(() => pdCustom('organization', organization(orgId), 'propstreet_company_id') === company.id, { what: 'propstreet_company_id on the organization', timeoutMs: 30000 });
		await stack.waitFor(() => pdCustom('person', person(personId), 'propstreet_contact_id') === contact.id, { what: 'propstreet_contact_id on the person', timeoutMs: 30000 });
		memo.person = { pipedriveId: personId, email, contactId: String(contact.id) };
		memo.org = { pipedriveId: orgId, companyId: String(company.id) };
		// Workflow 04 keeps the pair in the same data table as the contacts, with a baseline.
		expect((await companyLinks({ pipedriveId: orgId })).map(linkOf)).toEqual([{ entity: 'company', pipedriveId: String(orgId), propstreetId: String(company.id), status: 'linked' }]);
		// The contacts workflows' Sync node keeps the link in n8n's own data table, one row for the pair.
		expect((await contactLinks({ pipedriveId: personId })).map(linkOf)).toEqual([{ entity: 'contact', pipedriveId: String(personId), propstreetId: String(contact.id), status: 'linked' }]);

		requireWorkflows('06');
		const d = pd().createDeal({
			title: 'Karlstad Logistics Park',
			stage_id: pd().stageId('Investor Outreach'),
			value: 240_000_000,
			currency: 'SEK',
			person_id: personId,
			org_id: orgId,
			custom_fields: { is_portfolio: pd().optionId('deal', 'is_portfolio', 'Yes'), property_count: 2 },
		}) as Rec;
		const dealId = Number(d.id);
		// Created, then classified from the stage table (Investor Outreach → active; a separate PATCH).
		await stack.waitFor(() => byRef(projects(), dealId)[0], { what: `a Propstreet project for deal ${dealId}`, timeoutMs: 45000 });
		await stack
			.waitFor(() => byRef(projects(), dealId)[0]?.classification === 'active', { what: 'the new project classified active', timeoutMs: 30000 })
			.catch(() => undefined);
		const project = byRef(projects(), dealId)[0];
		expect(project).toMatchObject({ name: 'Karlstad Logistics Park', classification: 'active', status: 'open' });
		expect(project.asset).toMatchObject({ type: 'portfolio', propertyCount: 2 });

		await stack.waitFor(() => pdCustom('deal', deal(dealId), 'propstreet_project_id') === project.id, { what: 'propstreet_project_id on the deal', timeoutMs: 30000 });

		await stack.settle();
		// Exactly one record each, however many webhooks (create, the write-back's change) came back.
		expect(byRef(companies(), orgId)).toHaveLength(1);
		expect(contactsWithEmail(email)).toHaveLength(1);
		expect(byRef(projects(), dealId)).toHaveLength(1);
		expect(companies().filter((c) => c.name === 'Vänern Kapital AB')).toHaveLength(1);
		expect(projects().filter((c) => c.name === 'Karlstad Logistics Park')).toHaveLength(1);
		await expectNoFailedExecutions(start.at);
		memo.deal = { pipedriveId: dealId, projectId: String(project.id) };
	});

	scenario('Propstreet → Pipedrive: edits to a contact, a company and a project reach Pipedrive once, and no echo write follows', async (start) => {
		requireWorkflows('03', '05');
		const astrid = { contact: propstreetIdFor('contact', 'astrid'), person: pipedriveIdFor('person', 'astrid') };
		const bergen = { company: propstreetIdFor('company', 'bergen'), org: pipedriveIdFor('organization', 'bergen') };
		const levi = { project: propstreetIdFor('project', 'levi'), deal: pipedriveIdFor('deal', 'levi') };
		const kista = { project: propstreetIdFor('project', 'kista'), deal: pipedriveIdFor('deal', 'kista') };
		void levi;
		ps().updateContact(astrid.contact, { strategy: 'Office and life science, Stockholm and Uppsala, SEK 300M+' });
		ps().updateCompany(bergen.company, { domain: 'bergen-eiendom.example.no' });
		const with07 = stack.workflows.some((w) => w.fileName.startsWith('07-'));
		if (with07) ps().updateProject(kista.project, { name: 'Kista Office Portfolio II' });

		await stack.waitFor(() => pdCustom('person', person(astrid.person), 'investor_strategy') === 'Office and life science, Stockholm and Uppsala, SEK 300M+', {
			what: "Astrid's new strategy in Pipedrive",
			timeoutMs: 45000,
		});
		await stack.waitFor(() => pdCustom('organization', organization(bergen.org), 'domain') === 'bergen-eiendom.example.no', {
			what: "Bergen's new domain in Pipedrive",
			timeoutMs: 45000,
		});
		if (with07) await stack.waitFor(() => deal(kista.deal)?.title === 'Kista Office Portfolio II', { what: 'the Kista deal renamed in Pipedrive', timeoutMs: 45000 });

		await stack.settle({ quietMs: 4000 });
		const report = stack.apiCallReport(start);
		// One PATCH per edited record in Pipedrive; the webhooks those PATCHes send back find nothing
		// to change, so Propstreet sees no write at all.
		expect(report.pipedrive.writesByRoute).toEqual({
			'PATCH /api/v2/persons/{id}': 1,
			'PATCH /api/v2/organizations/{id}': 1,
			...(with07 ? { 'PATCH /api/v2/deals/{id}': 1 } : {}),
		});
		expect(report.propstreet.writes).toBe(0);
		// And the Propstreet records still hold the user's values.
		expect(ps().get('contact', astrid.contact)?.strategy).toBe('Office and life science, Stockholm and Uppsala, SEK 300M+');
		expect(ps().get('company', bergen.company)?.domain).toBe('bergen-eiendom.example.no');
		expect((await companyLinks({ propstreetId: bergen.company })).map(linkOf)).toEqual([{ entity: 'company', pipedriveId: String(bergen.org), propstreetId: bergen.company, status: 'linked' }]);
		expect((await contactLinks({ propstreetId: astrid.contact })).map(linkOf)).toEqual([{ entity: 'contact', pipedriveId: String(astrid.person), propstreetId: astrid.contact, status: 'linked' }]);
		if (with07) expect(ps().get('project', kista.project)?.name).toBe('Kista Office Portfolio II');
		await expectNoFailedExecutions(start.at);
		requireWorkflows('07');
	});

	scenario('matching: an existing contact with the same email is linked, not duplicated; companies match by domain and by org number', async (start) => {
		requireWorkflows('02', '04');
		const contactCount = contacts().length;
		const companyCount = companies().length;
		const ingrid = { person: pipedriveIdFor('person', 'ingrid'), contact: propstreetIdFor('contact', 'ingrid'), email: 'ingrid.saether@fjordkapital.example.no' };
		const mette = { person: pipedriveIdFor('person', 'mette'), contact: propstreetIdFor('contact', 'mette'), email: 'mette@oresund-ejendomme.example.dk' };
		const oresund = { org: pipedriveIdFor('organization', 'oresund'), company: propstreetIdFor('company', 'oresund') };
		const fjord = { org: pipedriveIdFor('organization', 'fjordkapital'), company: propstreetIdFor('company', 'fjordkapital') };
		expect(refOf(ps().get('contact', ingrid.contact))).toBeUndefined();
		expect(refOf(ps().get('company', oresund.company))).toBeUndefined();
		expect(ps().get('company', oresund.company)?.domain).toBe('oresund-ejendomme.example.dk');
		expect(refOf(ps().get('company', fjord.company), 'orgnr-no')).toBe('923456783');

		// Users touch the records in Pipedrive: each edit sends a `change` webhook.
		pd().updateOrganization(oresund.org, { address: { value: 'Nyhavn 12, København, Danmark', locality: 'København', country: 'Danmark', formatted_address: 'Nyhavn 12, København, Danmark' } });
		pd().updateOrganization(fjord.org, { address: { value: 'Aker Brygge, Oslo, Norge', locality: 'Oslo', country: 'Norge', formatted_address: 'Aker Brygge, Oslo, Norge' } });
		pd().updatePerson(ingrid.person, { custom_fields: { investor_strategy: 'Logistics, Oslo and Gothenburg, NOK 100–600M' } });
		pd().updatePerson(mette.person, { job_title: 'CEO' });

		await stack.waitFor(() => refOf(ps().get('company', oresund.company)) === String(oresund.org), { what: 'Øresund linked by domain', timeoutMs: 45000 });
		await stack.waitFor(() => refOf(ps().get('company', fjord.company)) === String(fjord.org), { what: 'Fjordkapital linked by org number', timeoutMs: 45000 });
		await stack.waitFor(() => refOf(ps().get('contact', ingrid.contact)) === String(ingrid.person), { what: 'Ingrid linked by email', timeoutMs: 45000 });
		await stack.waitFor(() => refOf(ps().get('contact', mette.contact)) === String(mette.person), { what: 'Mette linked by email', timeoutMs: 45000 });
		await stack.waitFor(
			() =>
				pdCustom('organization', organization(oresund.org), 'propstreet_company_id') === oresund.company &&
				pdCustom('organization', organization(fjord.org), 'propstreet_company_id') === fjord.company &&
				pdCustom('person', person(ingrid.person), 'propstreet_contact_id') === ingrid.contact &&
				pdCustom('person', person(mette.person), 'propstreet_contact_id') === mette.contact,
			{ what: 'the matched Propstreet ids written back to Pipedrive', timeoutMs: 30000 },
		);
		await stack.settle();
		expect(contacts()).toHaveLength(contactCount);
		expect(companies()).toHaveLength(companyCount);
		expect(contactsWithEmail(ingrid.email)).toHaveLength(1);
		expect(contactsWithEmail(mette.email)).toHaveLength(1);
		expect(ps().get('contact', ingrid.contact)?.strategy).toBe('Logistics, Oslo and Gothenburg, NOK 100–600M');
		for (const who of [ingrid, mette]) {
			expect((await contactLinks({ pipedriveId: who.person })).map(linkOf)).toEqual([{ entity: 'contact', pipedriveId: String(who.person), propstreetId: who.contact, status: 'linked' }]);
		}
		for (const pair of [oresund, fjord]) {
			expect((await companyLinks({ propstreetId: pair.company })).map(linkOf)).toEqual([{ entity: 'company', pipedriveId: String(pair.org), propstreetId: pair.company, status: 'linked' }]);
		}
		const report = stack.apiCallReport(start);
		expect(report.propstreet.writesByRoute['POST /api/v1/network/contacts'] ?? 0).toBe(0);
		expect(report.propstreet.writesByRoute['POST /api/v1/network/companies'] ?? 0).toBe(0);
		expect(report.pipedrive.writesByRoute['POST /api/v2/organizations'] ?? 0).toBe(0);
		await expectNoFailedExecutions(start.at);
	});

	/** A new organization made in Pipedrive and synced by 04; its company id. */
	async function freshOrganization(name: string, domain: string): Promise<{ orgId: number; companyId: string }> {
		const org = pd().createOrganization({ name, address: { value: 'Göteborg, Sverige', locality: 'Göteborg', country: 'Sverige', formatted_address: 'Göteborg, Sverige' }, custom_fields: { domain } }) as Rec;
		const orgId = Number(org.id);
		const company = await stack.waitFor(() => byRef(companies(), orgId)[0], { what: `a Propstreet company for organization ${orgId}`, timeoutMs: 45000 });
		await stack.waitFor(() => pdCustom('organization', organization(orgId), 'propstreet_company_id') === company.id, { what: 'propstreet_company_id on the organization', timeoutMs: 30000 });
		await stack.settle();
		return { orgId, companyId: String(company.id) };
	}

	scenario('companies: a late organization delivery does not overwrite a newer Propstreet edit (case 12)', async (start) => {
		requireWorkflows('04', '05');
		const { orgId, companyId } = await freshOrganization('Sena Leveranser AB', 'senaleveranser.example.se');
		pd().updateOrganization(orgId, { name: 'Sena Leveranser AB (old name)' });
		await stack.waitFor(() => ps().get('company', companyId)?.name === 'Sena Leveranser AB (old name)', { what: 'the Pipedrive rename in Propstreet', timeoutMs: 45000 });
		await stack.settle();
		const older = lastDelivery('organization', orgId, 'change');
		expect(older).toBeDefined();
		ps().updateCompany(companyId, { name: 'Sena Leveranser AB (new name)' });
		await stack.waitFor(() => organization(orgId)?.name === 'Sena Leveranser AB (new name)', { what: 'the Propstreet rename in Pipedrive', timeoutMs: 45000 });
		await stack.settle();

		const since = Date.now();
		const mark = stack.mark();
		expect(await replayPipedriveDelivery(older!)).toBeLessThan(300);
		await stack.n8n.waitForExecutions(stack.workflow('04').id, 1, { since: since - 50, timeoutMs: 30000 });
		await stack.settle({ quietMs: 3000 });
		const late = stack.apiCallReport(mark);
		expect({ propstreet: late.propstreet.writes, pipedrive: late.pipedrive.writes }).toEqual({ propstreet: 0, pipedrive: 0 });
		expect(ps().get('company', companyId)?.name).toBe('Sena Leveranser AB (new name)');
		expect(organization(orgId)?.name).toBe('Sena Leveranser AB (new name)');
		expect(byRef(companies(), orgId)).toHaveLength(1);
		await expectNoFailedExecutions(start.at);
	});

	scenario('companies: a Propstreet edit made between the sync\'s read and its write is kept; the write is refused by If-Match and merged again (case 10)', async (start) => {
		requireWorkflows('04', '05');
		const { orgId, companyId } = await freshOrganization('Samtidiga Skrivningar AB', 'samtidiga.example.se');
		const mark = stack.mark();
		// Right after 04 reads the company, a user changes its domain in the Propstreet app.
		ps().injectConcurrentWrite({ routes: ['GET /api/v1/network/companies/{id}'], edit: { domain: 'samtidiga-skrivningar.example.se' } });
		pd().updateOrganization(orgId, { name: 'Samtidiga Skrivningar Holding AB' });
		await stack.waitFor(() => ps().get('company', companyId)?.name === 'Samtidiga Skrivningar Holding AB', { what: 'the Pipedrive rename in Propstreet', timeoutMs: 45000 });
		await stack.waitFor(() => pdCustom('organization', organization(orgId), 'domain') === 'samtidiga-skrivningar.example.se', { what: 'the concurrent Propstreet domain in Pipedrive', timeoutMs: 45000 });
		await stack.settle({ quietMs: 3000 });
		ps().clearFaults();
		const refused = ps().requests().filter((r) => r.method === 'PATCH' && r.path === `/api/v1/network/companies/${companyId}` && r.status === 412);
		expect(refused.length).toBeGreaterThanOrEqual(1);
		expect(ps().get('company', companyId)).toMatchObject({ name: 'Samtidiga Skrivningar Holding AB', domain: 'samtidiga-skrivningar.example.se' });
		expect(organization(orgId)?.name).toBe('Samtidiga Skrivningar Holding AB');
		console.log(stack.formatReport(stack.apiCallReport(mark), 'concurrent Propstreet edit'));
		await expectNoFailedExecutions(start.at);
	});

	scenario('companies: a company soft-deleted in Propstreet is read as a delete, never as an update, and never re-created (case 9)', async (start) => {
		requireWorkflows('04', '05');
		const made = ps().createCompany({ name: 'Borttagen Förvaltning AB', countryCode: 'SE', domain: 'borttagen.example.se' }) as Rec;
		const companyId = String(made.id);
		const org = await stack.waitFor(() => pd().organizations().find((o) => pdCustom('organization', o as Rec, 'propstreet_company_id') === companyId) as Rec | undefined, { what: 'its Pipedrive organization', timeoutMs: 45000 });
		const orgId = Number(org.id);
		await stack.waitFor(() => refOf(ps().get('company', companyId)) === String(orgId), { what: 'the pipedrive ref on the company', timeoutMs: 30000 });
		await stack.settle();

		// Deleted in the app (05 does not subscribe to company.deleted); then an update delivery arrives carrying the deleted record.
		const template = ps().deliveries().filter((d) => d.eventType === 'company.updated' || d.eventType === 'company.created').filter((d) => d.body.includes(`"id":"${companyId}"`)).pop()!;
		ps().deleteCompany(companyId);
		const deleted = ps().state().companies.find((c) => c.id === companyId) as Rec;
		expect(deleted.deletedUtc).toBeTruthy();
		const envelope = JSON.parse(template.body) as Rec;
		const body = JSON.stringify({ ...envelope, type: 'company.updated', timestamp: new Date().toISOString(), data: { ...(envelope.data as Rec), deletedUtc: deleted.deletedUtc } });
		const sub = ps().webhookSubscriptions().find((w) => w.id === template.subscriptionId)!;
		const mark = stack.mark();
		const since = Date.now();
		const sent = await fetch(String(sub.url), { method: 'POST', headers: deliveryHeaders(sub.secret, `msg_case9_${companyId}`, Math.floor(Date.now() / 1000), body), body });
		expect(sent.status).toBeLessThan(300);
		await stack.n8n.waitForExecutions(stack.workflow('05').id, 1, { since: since - 50, timeoutMs: 30000 });
		await stack.waitFor(async () => (await companyLinks({ propstreetId: companyId })).some((r) => r.status === 'unlinked'), { what: 'the link removed', timeoutMs: 30000 });
		await stack.settle();
		expect(stack.apiCallReport(mark).pipedrive.writes).toBe(0);
		expect(organization(orgId)).toMatchObject({ name: 'Borttagen Förvaltning AB', is_deleted: false });

		// The organization edited later: the deleted company is not brought back, nor a new one made.
		const later = stack.mark();
		pd().updateOrganization(orgId, { name: 'Borttagen Förvaltning AB (kept in Pipedrive)' });
		await stack.n8n.waitForExecutions(stack.workflow('04').id, 1, { since: Date.now() - 2000, timeoutMs: 30000 });
		await stack.settle({ quietMs: 3000 });
		const after = stack.apiCallReport(later);
		expect(after.propstreet.writes).toBe(0);
		expect(byRef(companies(), orgId)).toHaveLength(0);
		expect(ps().get('company', companyId)?.deletedUtc ?? ps().state().companies.find((c) => c.id === companyId)?.deletedUtc).toBeTruthy();
		await expectNoFailedExecutions(start.at);
	});

	scenario("deal stages: a stage change updates the project's classification; won and lost make it inactive (the Mapper's defaults)", async (start) => {
		requireWorkflows('06');
		const ours = memo.deal;
		if (!ours?.projectId) throw new Error('needs the deal created by the Pipedrive → Propstreet scenario');
		const project = () => ps().get('project', ours.projectId!);

		pd().moveDealToStage(ours.pipedriveId, 'Property Added');
		await stack.waitFor(() => project()?.classification === 'draft', { what: 'classification draft after "Property Added"', timeoutMs: 45000 });
		await stack.settle();
		pd().moveDealToStage(ours.pipedriveId, 'Due Diligence');
		await stack.waitFor(() => project()?.classification === 'active', { what: 'classification active after "Due Diligence"', timeoutMs: 45000 });
		await stack.settle();

		pd().updateDeal(ours.pipedriveId, { status: 'won' });
		await stack.waitFor(() => project()?.classification === 'inactive', { what: 'classification inactive after the deal was won', timeoutMs: 45000 });
		// Project status is read-only in Propstreet: won does not close or delete it.
		expect(project()).toMatchObject({ status: 'open' });

		const alnabru = { deal: pipedriveIdFor('deal', 'alnabru'), project: propstreetIdFor('project', 'alnabru') };
		expect(ps().get('project', alnabru.project)?.classification).toBe('active');
		pd().updateDeal(alnabru.deal, { status: 'lost', lost_reason: 'Price expectations too far apart' });
		await stack.waitFor(() => ps().get('project', alnabru.project)?.classification === 'inactive', { what: 'classification inactive after the deal was lost', timeoutMs: 45000 });
		expect(ps().get('project', alnabru.project)).toMatchObject({ status: 'open', deletedUtc: null });

		await stack.settle({ quietMs: 4000 });
		// The echo (project.updated back to Pipedrive) must not move the deals.
		expect(deal(ours.pipedriveId)).toMatchObject({ status: 'won', stage_id: pd().stageId('Due Diligence') });
		expect(deal(alnabru.deal)).toMatchObject({ status: 'lost' });
		const report = stack.apiCallReport(start);
		// Project writes only: workflow 08's participant poll (every 10 minutes by the clock) may run meanwhile and add prospects.
		expect(Object.entries(report.propstreet.writesByRoute).filter(([route]) => !route.includes('/prospects'))).toEqual([['PATCH /api/v1/projects/{id}', 4]]);
		await expectNoFailedExecutions(start.at);
	});

	scenario('participants: one added to a deal becomes a prospect within one poll; a prospect removed in Propstreet removes the participant', async (start) => {
		requireWorkflows('08');
		const kista = { deal: pipedriveIdFor('deal', 'kista'), project: propstreetIdFor('project', 'kista') };
		const sigrid = { person: pipedriveIdFor('person', 'sigrid'), contact: propstreetIdFor('contact', 'sigrid') };
		expect(prospectsOf(kista.project).filter((p) => p.contactId === sigrid.contact)).toHaveLength(0);
		pd().addParticipant(kista.deal, sigrid.person);

		const pollSince = Date.now();
		const res = await stack.startWorkflow('08');
		expect(res.status).toBeLessThan(300);
		const [poll] = await stack.n8n.waitForExecutions(stack.workflow('08').id, 1, { since: pollSince - 50, timeoutMs: 60000 });
		expect(poll.status).toBe('success');
		// Within that one poll: the prospect exists now, without waiting for another.
		expect(prospectsOf(kista.project).filter((p) => p.contactId === sigrid.contact)).toHaveLength(1);
		await stack.settle();
		expect(prospectsOf(kista.project).filter((p) => p.contactId === sigrid.contact)).toHaveLength(1);

		const lars = { person: pipedriveIdFor('person', 'lars'), prospect: propstreetIdFor('prospect', 'kista:lars') };
		expect(pd().participants(kista.deal).map((p) => p.person_id)).toContain(lars.person);
		ps().removeProspect(kista.project, lars.prospect);
		await stack.waitFor(() => !pd().participants(kista.deal).some((p) => p.person_id === lars.person), {
			what: 'Lars removed from the Kista deal participants',
			timeoutMs: 45000,
		});
		await stack.settle();
		// Lars stays removed on both sides, Sigrid stays.
		expect(pd().participants(kista.deal).map((p) => p.person_id)).toContain(sigrid.person);
		expect(prospectsOf(kista.project).filter((p) => p.id === lars.prospect)).toHaveLength(0);
		// Nobody deleted the person or the contact.
		expect(person(lars.person)).toBeDefined();
		expect(ps().get('contact', propstreetIdFor('contact', 'lars'))?.deletedUtc).toBeNull();
		await expectNoFailedExecutions(start.at);
	});

	// ----- Participants ⇄ prospects: issue 13 cases 1, 13, 17, 18 (workflow 08, state-backed) -----
	const kistaPair = { deal: pipedriveIdFor('deal', 'kista'), project: propstreetIdFor('project', 'kista') };
	const participantIds = (dealId: number) => pd().participants(dealId).map((p) => Number(p.person_id));
	const liveProspect = (projectId: string, contactId: string) => prospectsOf(projectId).filter((p) => p.contactId === contactId);
	/** The label of the person's classification option (the field holds the option id). */
	const personClassification = (personId: number) => {
		const value = pdCustom('person', person(personId), 'classification');
		const field = (pd().fields('person') as Rec[]).find((f) => f.field_code === pd().fieldKey('person', 'classification'));
		const option = ((field?.options as Rec[] | undefined) ?? []).find((o) => String(o.id) === String(value));
		return option ? String(option.label) : null;
	};
	/**
	 * A second open deal linked to a project (the seed's Alnabru deal is lost by the time these run):
	 * Västerås (Pipedrive only in the seed; the backfill scenario relies on Nyhavn staying unlinked)
	 * gets a Propstreet project that names it, and the deal names the project, as 06/07 would link them.
	 */
	const vasteras = { deal: pipedriveIdFor('deal', 'vasteras'), project: '' };
	async function linkVasteras(): Promise<void> {
		if (vasteras.project) return;
		const project = ps().createProject({ name: 'Västerås School Portfolio', externalRefs: [{ namespace: 'pipedrive', id: String(vasteras.deal) }] }) as Rec;
		vasteras.project = String(project.id);
		pd().updateDeal(vasteras.deal, { custom_fields: { propstreet_project_id: vasteras.project } });
		await stack.settle();
		expect(pdCustom('deal', deal(vasteras.deal), 'propstreet_project_id')).toBe(vasteras.project);
	}
	/** Runs 08 on demand ("Sync Participants Now": every open deal, or the one named) and waits for its execution. */
	async function syncParticipantsNow(body: Rec = {}): Promise<void> {
		const since = Date.now();
		const res = await stack.startWorkflow('08', body);
		expect(res.status).toBeLessThan(300);
		const runs = await stack.n8n.waitForExecutions(stack.workflow('08').id, 1, { since: since - 50, timeoutMs: 60000 });
		expect(runs.map((r) => r.status)).not.toContain('error');
	}

	scenario('participants, case 1: a prospect whose contact has no Pipedrive person yet is kept, and joins the deal once the contact is synced', async (start) => {
		requireWorkflows('03', '08');
		// Not tagged investor: the contact sync leaves it alone for now, so it has no person.
		const hedda = ps().createContact({ firstName: 'Hedda', lastName: 'Nyström', email: 'hedda.nystrom@nordhav.example.se', tags: [] }) as Rec;
		const contactId = String(hedda.id);
		ps().addProspect(kistaPair.project, { contactId, classification: 'interested' });
		await stack.settle();
		await syncParticipantsNow();
		await stack.settle();
		expect(liveProspect(kistaPair.project, contactId)).toHaveLength(1);
		expect(liveProspect(kistaPair.project, contactId)[0].classification).toBe('interested');
		// Tagged investor: 03 creates and links the person; the next sweep adds it to the deal.
		ps().updateContact(contactId, { tags: ['investor'] });
		await stack.waitFor(() => contactLinks({ propstreetId: contactId }).then((rows) => rows.some((r) => r.status === 'linked')), { what: 'Hedda linked to a Pipedrive person', timeoutMs: 45000 });
		const personId = Number((await contactLinks({ propstreetId: contactId }))[0].pipedriveId);
		await stack.settle();
		await syncParticipantsNow();
		await stack.settle();
		expect(participantIds(kistaPair.deal)).toContain(personId);
		expect(liveProspect(kistaPair.project, contactId)).toHaveLength(1);
		expect(liveProspect(kistaPair.project, contactId)[0].classification).toBe('interested');
		expect(personClassification(personId)).toBe('Interested');
		await expectNoFailedExecutions(start.at);
	});

	scenario('participants, case 13: a prospect removed in Propstreet while a poll runs stays removed, and the participant goes', async (start) => {
		requireWorkflows('08');
		const karin = { person: pipedriveIdFor('person', 'karin'), contact: propstreetIdFor('contact', 'karin') };
		expect(participantIds(kistaPair.deal)).toContain(karin.person);
		const [prospect] = liveProspect(kistaPair.project, karin.contact);
		ps().removeProspect(kistaPair.project, String(prospect.id));
		// The poll starts at once: it may read before or after the removal's webhook run.
		await syncParticipantsNow({ dealId: kistaPair.deal });
		await stack.settle();
		expect(participantIds(kistaPair.deal)).not.toContain(karin.person);
		expect(liveProspect(kistaPair.project, karin.contact)).toHaveLength(0);
		const mark = stack.mark();
		await syncParticipantsNow();
		await stack.settle();
		const report = stack.apiCallReport(mark);
		expect({ pipedrive: report.pipedrive.writes, propstreet: report.propstreet.writes }).toEqual({ pipedrive: 0, propstreet: 0 });
		expect(liveProspect(kistaPair.project, karin.contact)).toHaveLength(0);
		expect(person(karin.person)).toBeDefined();
		await expectNoFailedExecutions(start.at);
	});

	scenario('participants, case 17: a person who is a prospect on two projects with different classifications settles', async (start) => {
		requireWorkflows('08');
		await linkVasteras();
		const sigrid = { person: pipedriveIdFor('person', 'sigrid'), contact: propstreetIdFor('contact', 'sigrid') };
		// Sigrid is a prospect on Kista (added by the first participants scenario); now also on Vasteras.
		expect(liveProspect(kistaPair.project, sigrid.contact)).toHaveLength(1);
		pd().addParticipant(vasteras.deal, sigrid.person);
		await syncParticipantsNow({ dealId: vasteras.deal });
		await stack.settle();
		expect(liveProspect(vasteras.project, sigrid.contact)).toHaveLength(1);
		const vasterasClass = liveProspect(vasteras.project, sigrid.contact)[0].classification;
		const other = vasterasClass === 'interested' ? 'bidder' : 'interested';
		ps().classifyProspect(kistaPair.project, String(liveProspect(kistaPair.project, sigrid.contact)[0].id), other);
		const label = other === 'interested' ? 'Interested' : 'Bidder';
		await stack.waitFor(() => personClassification(sigrid.person) === label, { what: "Sigrid's classification in Pipedrive", timeoutMs: 45000 });
		await stack.settle();
		await syncParticipantsNow();
		await stack.settle();
		const mark = stack.mark();
		await syncParticipantsNow();
		await syncParticipantsNow();
		await stack.settle();
		const report = stack.apiCallReport(mark);
		expect({ pipedrive: report.pipedrive.writes, propstreet: report.propstreet.writes }).toEqual({ pipedrive: 0, propstreet: 0 });
		expect(liveProspect(kistaPair.project, sigrid.contact)[0].classification).toBe(other);
		expect(liveProspect(vasteras.project, sigrid.contact)[0].classification).toBe(vasterasClass);
		expect(personClassification(sigrid.person)).toBe(label);
		await expectNoFailedExecutions(start.at);
	});

	scenario('participants, case 18: a prospect removal delivered twice at once removes the participant once; no execution fails', async (start) => {
		requireWorkflows('08');
		await linkVasteras();
		const sigrid = { person: pipedriveIdFor('person', 'sigrid'), contact: propstreetIdFor('contact', 'sigrid') };
		if (!participantIds(vasteras.deal).includes(sigrid.person)) {
			pd().addParticipant(vasteras.deal, sigrid.person);
			await syncParticipantsNow({ dealId: vasteras.deal });
			await stack.settle();
		}
		const since = Date.now();
		const mark = stack.mark();
		ps().injectWebhookFaults({ duplicate: 1 });
		ps().removeProspect(vasteras.project, String(liveProspect(vasteras.project, sigrid.contact)[0].id));
		await stack.waitFor(() => !participantIds(vasteras.deal).includes(sigrid.person), { what: 'Sigrid removed from the Vasteras deal', timeoutMs: 45000 });
		await stack.settle();
		ps().clearFaults();
		const report = stack.apiCallReport(mark);
		console.log(`runs of 08 for the duplicated delivery: ${(await stack.executionsOf('08', since - 50)).length}`);
		expect(report.pipedrive.writesByRoute).toEqual({ 'DELETE /v1/deals/{id}/participants/{participantId}': 1 });
		expect(report.propstreet.writes).toBe(0);
		expect(liveProspect(vasteras.project, sigrid.contact)).toHaveLength(0);
		// Still on Kista, on both sides.
		expect(participantIds(kistaPair.deal)).toContain(sigrid.person);
		expect(liveProspect(kistaPair.project, sigrid.contact)).toHaveLength(1);
		await expectNoFailedExecutions(start.at);
	});

	scenario('participants, daily check: a participant replaced by another (count unchanged) is found by the participation check; the prospects follow', async (start) => {
		requireWorkflows('08');
		const lars = { person: pipedriveIdFor('person', 'lars'), contact: propstreetIdFor('contact', 'lars') };
		const sigrid = { person: pipedriveIdFor('person', 'sigrid'), contact: propstreetIdFor('contact', 'sigrid') };
		// Sigrid on Kista, Lars not (earlier scenarios may have moved them).
		if (!participantIds(kistaPair.deal).includes(sigrid.person)) pd().addParticipant(kistaPair.deal, sigrid.person);
		if (participantIds(kistaPair.deal).includes(lars.person)) pd().removeParticipant(kistaPair.deal, lars.person);
		// "Sync Participants Now": every deal read, then the check's baseline.
		await syncParticipantsNow();
		await stack.settle();
		expect(liveProspect(kistaPair.project, sigrid.contact)).toHaveLength(1);
		const count = participantIds(kistaPair.deal).length;
		pd().removeParticipant(kistaPair.deal, sigrid.person);
		pd().addParticipant(kistaPair.deal, lars.person);
		expect(participantIds(kistaPair.deal)).toHaveLength(count);
		const mark = stack.mark();
		await syncParticipantsNow({ participationCheck: 'check' });
		await stack.settle();
		const report = stack.apiCallReport(mark);
		const participantReads = report.pipedrive.byRoute['GET /v1/deals/{id}/participants'] ?? 0;
		console.log(`participation check that found one swap: ${participantReads} participant read(s); Pipedrive calls ${JSON.stringify(report.pipedrive.byRoute)}`);
		expect(liveProspect(kistaPair.project, lars.contact)).toHaveLength(1);
		expect(liveProspect(kistaPair.project, sigrid.contact)).toHaveLength(0);
		expect(participantIds(kistaPair.deal)).toContain(lars.person);
		expect(participantIds(kistaPair.deal)).not.toContain(sigrid.person);
		// Kista, and at most Sigrid's other known deal: not every deal.
		expect(participantReads).toBeGreaterThanOrEqual(1);
		expect(participantReads).toBeLessThanOrEqual(2);
		await expectNoFailedExecutions(start.at);
	});

	scenario('duplicates and order: a Pipedrive webhook delivered twice, and one delivered late, leave one correct record', async (start) => {
		requireWorkflows('02');
		const ours = memo.person;
		if (!ours?.contactId) throw new Error('needs the person created by the Pipedrive → Propstreet scenario');
		// The same `create` delivery again, byte for byte.
		const create = lastDelivery('person', ours.pipedriveId, 'create');
		expect(create).toBeDefined();
		const since = Date.now();
		const mark = stack.mark();
		expect(await replayPipedriveDelivery(create!)).toBeLessThan(300);
		await stack.n8n.waitForExecutions(stack.workflow('02').id, 1, { since: since - 50, timeoutMs: 30000 });
		await stack.settle();
		const dup = stack.apiCallReport(mark);
		console.log(stack.formatReport(dup, 'duplicate create delivery'));
		expect({ propstreet: dup.propstreet.writes, pipedrive: dup.pipedrive.writes }).toEqual({ propstreet: 0, pipedrive: 0 });
		expect(contactsWithEmail(ours.email)).toHaveLength(1);

		// Two edits, then the first one's delivery arrives again after the second (out of order).
		pd().updatePerson(ours.pipedriveId, { custom_fields: { investor_strategy: 'First edit: logistics only' } });
		await stack.waitFor(() => ps().get('contact', ours.contactId!)?.strategy === 'First edit: logistics only', { what: 'the first edit in Propstreet', timeoutMs: 45000 });
		await stack.settle();
		const older = lastDelivery('person', ours.pipedriveId, 'change');
		pd().updatePerson(ours.pipedriveId, { custom_fields: { investor_strategy: 'Second edit: logistics and light industrial' } });
		await stack.waitFor(() => ps().get('contact', ours.contactId!)?.strategy === 'Second edit: logistics and light industrial', { what: 'the second edit in Propstreet', timeoutMs: 45000 });
		await stack.settle();
		const lateSince = Date.now();
		expect(await replayPipedriveDelivery(older!)).toBeLessThan(300);
		await stack.n8n.waitForExecutions(stack.workflow('02').id, 1, { since: lateSince - 50, timeoutMs: 30000 });
		await stack.settle({ quietMs: 4000 });
		expect(ps().get('contact', ours.contactId)?.strategy).toBe('Second edit: logistics and light industrial');
		expect(pdCustom('person', person(ours.pipedriveId), 'investor_strategy')).toBe('Second edit: logistics and light industrial');
		expect(contactsWithEmail(ours.email)).toHaveLength(1);
		await expectNoFailedExecutions(start.at);
	});

	scenario('duplicates and order: a Propstreet delivery sent twice writes once; two sent in reverse order leave the newest value on both sides', async (start) => {
		requireWorkflows('03');
		const mette = { person: pipedriveIdFor('person', 'mette'), contact: propstreetIdFor('contact', 'mette') };
		const since = Date.now();
		const mark = stack.mark();
		ps().injectWebhookFaults({ duplicate: 1 });
		ps().updateContact(mette.contact, { strategy: 'Residential value-add, Copenhagen and Malmö' });
		await stack.waitFor(() => pdCustom('person', person(mette.person), 'investor_strategy') === 'Residential value-add, Copenhagen and Malmö', { what: "Mette's strategy in Pipedrive", timeoutMs: 45000 });
		await stack.settle();
		const dup = stack.apiCallReport(mark);
		console.log(`${stack.formatReport(dup, 'Propstreet delivery sent twice at once')}\n  runs of 03: ${(await stack.executionsOf('03', since - 50)).length}`);
		// Two deliveries at once run as two concurrent executions. Each may read the person before the
		// other's write lands and PATCH the same value (Pipedrive has no If-Match): at most one PATCH
		// per run, only to Mette's person, and nothing comes back to Propstreet.
		const patches = dup.pipedrive.writesByRoute['PATCH /api/v2/persons/{id}'] ?? 0;
		if (patches > 1) console.log(`NOTE: the duplicate Propstreet delivery made ${patches} identical PATCHes (one per concurrent run)`);
		expect(Object.keys(dup.pipedrive.writesByRoute)).toEqual(['PATCH /api/v2/persons/{id}']);
		expect(patches).toBeGreaterThanOrEqual(1);
		expect(patches).toBeLessThanOrEqual((await stack.executionsOf('03', since - 50)).length);
		expect(new Set(dup.pipedrive.writeLog)).toEqual(new Set([`PATCH /api/v2/persons/${mette.person} 200`]));
		expect(dup.propstreet.writes).toBe(0);
		expect((await contactLinks({ pipedriveId: mette.person })).map(linkOf)).toEqual([{ entity: 'contact', pipedriveId: String(mette.person), propstreetId: mette.contact, status: 'linked' }]);

		// The same delivery again a little later (a redelivery after a lost answer): nothing is
		// written on either side. (The trigger also remembers webhook-ids to skip such a run; whether
		// that memory survives in n8n is printed, the no-write rule is what is asserted.)
		const delivery = ps()
			.deliveries()
			.filter((d) => d.eventType === 'contact.updated' && d.body.includes(`"id":"${mette.contact}"`))
			.pop()!;
		const sub = ps().webhookSubscriptions().find((s) => s.id === delivery.subscriptionId)!;
		await sleep(1000);
		const lateSince = Date.now();
		const lateMark = stack.mark();
		const redelivered = await fetch(String(sub.url), {
			method: 'POST',
			headers: deliveryHeaders(sub.secret, delivery.eventId, Math.floor(Date.now() / 1000), delivery.body),
			body: delivery.body,
		});
		expect(redelivered.status).toBeLessThan(300);
		await sleep(1000);
		await stack.settle();
		const late = stack.apiCallReport(lateMark);
		const lateRuns = await executionsSince(lateSince);
		console.log(
			`late redelivery of webhook-id ${delivery.eventId}: HTTP ${redelivered.status}, ${lateRuns.length} execution(s) started` +
				(lateRuns.length ? ' — NOTE: the Propstreet Trigger did not recognise the webhook-id it had already seen' : ' (recognised as a duplicate)'),
		);
		expect({ propstreet: late.propstreet.writes, pipedrive: late.pipedrive.writes }).toEqual({ propstreet: 0, pipedrive: 0 });

		// Two edits whose deliveries arrive newest first.
		ps().clearFaults();
		ps().injectWebhookFaults({ reorder: 2 });
		ps().updateContact(mette.contact, { strategy: 'Older: residential only' });
		await sleep(50);
		ps().updateContact(mette.contact, { strategy: 'Newer: residential and student housing' });
		await ps().flushWebhooks();
		await stack.settle({ quietMs: 4000 });
		ps().clearFaults();
		expect(ps().get('contact', mette.contact)?.strategy).toBe('Newer: residential and student housing');
		expect(pdCustom('person', person(mette.person), 'investor_strategy')).toBe('Newer: residential and student housing');
		await expectNoFailedExecutions(start.at);
	});

	scenario('a 429 storm on both sides delays the sync but loses nothing', async (start) => {
		requireWorkflows('02', '03');
		const investor = pd().optionId('person', 'label_ids', 'Investor');
		ps().injectFaults({ status: 429, count: 3, retryAfterSec: 1 });
		pd().failNext({ status: 429, count: 2 });
		const email = 'hedda.storm@e2e.example.no';
		const created = pd().createPerson({
			name: 'Hedda Stormoen',
			first_name: 'Hedda',
			last_name: 'Stormoen',
			emails: [{ value: email, primary: true, label: 'work' }],
			label_ids: [investor],
			custom_fields: { investor_strategy: 'Hotels, coastal Norway' },
		}) as Rec;
		const lars = { person: pipedriveIdFor('person', 'lars'), contact: propstreetIdFor('contact', 'lars') };
		ps().updateContact(lars.contact, { strategy: 'CIO view: offices with ESG upside' });

		const contact = await stack.waitFor(() => contactsWithEmail(email)[0], { what: `the storm contact ${email} in Propstreet`, timeoutMs: 90000 });
		await stack.waitFor(() => pdCustom('person', person(Number(created.id)), 'propstreet_contact_id') === contact.id, { what: 'its id written back through the storm', timeoutMs: 90000 });
		await stack.waitFor(() => pdCustom('person', person(lars.person), 'investor_strategy') === 'CIO view: offices with ESG upside', { what: "Lars's strategy in Pipedrive through the storm", timeoutMs: 90000 });
		await stack.settle({ quietMs: 4000, timeoutMs: 90000 });
		const report = stack.apiCallReport(start);
		expect(report.propstreet.statuses['429']).toBe(3);
		expect(report.pipedrive.statuses['429']).toBe(2);
		expect(contactsWithEmail(email)).toHaveLength(1);
		expect(contact).toMatchObject({ firstName: 'Hedda', lastName: 'Stormoen', strategy: 'Hotels, coastal Norway' });
		await expectNoFailedExecutions(start.at);
	});

	scenario('a badly signed Propstreet delivery gets 401 and starts no execution', async () => {
		const subs = ps().webhookSubscriptions().filter((s) => s.enabled !== false);
		expect(subs.length).toBeGreaterThan(0);
		await stack.settle();
		const since = Date.now();
		const contact = ps().get('contact', propstreetIdFor('contact', 'astrid'))!;
		const body = JSON.stringify({ type: 'contact.updated', timestamp: new Date().toISOString(), data: { ...contact, strategy: 'forged', changeType: 'update', changeOrigin: 'ui' } });
		for (const sub of subs) {
			const res = await fetch(String(sub.url), {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'webhook-id': `msg_forged${Date.now()}`,
					'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
					'webhook-signature': 'v1,' + Buffer.from('not the right signature at all, 32b').toString('base64'),
				},
				body,
			});
			expect({ url: sub.url, status: res.status }).toEqual({ url: sub.url, status: 401 });
		}
		await sleep(2000);
		expect(await executionsSince(since)).toEqual([]);
		expect(pdCustom('person', person(pipedriveIdFor('person', 'astrid')), 'investor_strategy')).not.toBe('forged');
	});

	scenario('notes: a note added in Pipedrive lands once on the linked Propstreet contact, linked in the sync state', async (start) => {
		requireWorkflows('09');
		const astrid = { person: pipedriveIdFor('person', 'astrid'), contact: propstreetIdFor('contact', 'astrid') };
		const added = pd().addNote({ content: '<p>Call booked with Astrid: <b>Kista</b> second round on Friday.</p>', person_id: astrid.person });
		type Action = { id: string; type?: string; details?: Rec; content?: string };
		const notes = async () => {
			const res = await stack.observe.propstreet<{ data: Action[] }>('GET', `/api/v1/network/contacts/${astrid.contact}/actions?page_size=100`);
			return (res.body.data ?? []).filter((a) => JSON.stringify(a).includes('Kista') && JSON.stringify(a).includes('second round'));
		};
		await stack.waitFor(async () => (await notes()).length > 0, { what: 'the note on the Propstreet contact', timeoutMs: 45000 });
		await stack.settle();
		const found = await notes();
		expect(found).toHaveLength(1);
		expect(found[0].details?.message).toBe('Call booked with Astrid: Kista second round on Friday.');
		const report = stack.apiCallReport(start);
		expect(report.propstreet.writesByRoute).toEqual({ 'POST /api/v1/network/contacts/{id}/notes': 1 });
		expect(report.pipedrive.writesByRoute).toEqual({});
		const rows = (await stack.syncStateRows()).filter((r) => r.entity === 'note' && r.pipedriveId === String(added.id));
		expect(rows.map(linkOf)).toEqual([{ entity: 'note', pipedriveId: String(added.id), propstreetId: `contact/${astrid.contact}/${found[0].id}`, status: 'linked' }]);
		memo.note = { pipedriveId: Number(added.id), contactId: astrid.contact };
		await expectNoFailedExecutions(start.at);
	});

	scenario('notes (case 8): editing the Pipedrive note revises the same Propstreet note instead of adding a second one', async (start) => {
		requireWorkflows('09');
		const note = memo.note;
		if (!note) throw new Error('needs the note of the previous notes scenario');
		type Action = { id: string; details?: Rec; supersedesActivityId?: string | null; archivedAt?: string | null };
		const timeline = async (all: boolean) =>
			(await stack.observe.propstreet<{ data: Action[] }>('GET', `/api/v1/network/contacts/${note.contactId}/actions?type=notes&page_size=100${all ? '&include_superseded=true&include_archived=true' : ''}`)).body.data ?? [];
		const before = (await timeline(false)).filter((a) => String(a.details?.message ?? '').includes('Kista'));
		expect(before).toHaveLength(1);
		const edit = await stack.observe.pipedrive('PUT', `/v1/notes/${note.pipedriveId}`, { content: '<p>Call booked with Astrid: <b>Kista</b> second round moved to Monday.</p>' });
		expect(edit.status).toBe(200);
		const heads = async () => (await timeline(false)).filter((a) => String(a.details?.message ?? '').includes('Kista'));
		await stack.waitFor(async () => (await heads()).some((a) => String(a.details?.message).includes('Monday')), { what: 'the revised note', timeoutMs: 45000 });
		await stack.settle();
		const now = await heads();
		expect(now.map((a) => a.details?.message)).toEqual(['Call booked with Astrid: Kista second round moved to Monday.']);
		expect(now[0].supersedesActivityId).toBe(before[0].id);
		const report = stack.apiCallReport(start);
		expect(report.propstreet.writesByRoute).toEqual({ 'PATCH /api/v1/network/contacts/{id}/notes/{noteId}': 1 });
		const rows = (await stack.syncStateRows()).filter((r) => r.entity === 'note' && r.pipedriveId === String(note.pipedriveId));
		expect(rows.map(linkOf)).toEqual([{ entity: 'note', pipedriveId: String(note.pipedriveId), propstreetId: `contact/${note.contactId}/${now[0].id}`, status: 'linked' }]);
		await expectNoFailedExecutions(start.at);
	});

	scenario('notes (case 9): deleting the Pipedrive note archives its Propstreet note and adds nothing', async (start) => {
		requireWorkflows('09');
		const note = memo.note;
		if (!note) throw new Error('needs the note of the notes scenarios above');
		const del = await stack.observe.pipedrive('DELETE', `/v1/notes/${note.pipedriveId}`);
		expect(del.status).toBe(200);
		const visible = async () =>
			((await stack.observe.propstreet<{ data: Array<{ details?: Rec }> }>('GET', `/api/v1/network/contacts/${note.contactId}/actions?type=notes&page_size=100`)).body.data ?? []).filter((a) =>
				String(a.details?.message ?? '').includes('Kista'),
			);
		await stack.waitFor(async () => (await visible()).length === 0, { what: 'the archived note', timeoutMs: 45000 });
		await stack.settle();
		const report = stack.apiCallReport(start);
		expect(report.propstreet.writesByRoute).toEqual({ 'PATCH /api/v1/network/contacts/{id}/notes/{noteId}': 1 });
		const rows = (await stack.syncStateRows()).filter((r) => r.entity === 'note' && r.pipedriveId === String(note.pipedriveId));
		expect(rows.map((r) => r.status)).toEqual(['unlinked']);
		await expectNoFailedExecutions(start.at);
	});

	scenario('backfill: the first run links and creates what is missing, the second run writes nothing', async (start) => {
		requireWorkflows('10');
		const freja = { person: pipedriveIdFor('person', 'freja'), contact: propstreetIdFor('contact', 'freja') };
		expect(refOf(ps().get('contact', freja.contact))).toBeUndefined();
		const dealStates = () => Object.fromEntries(pd().deals().map((d) => [d.id, `${d.status} ${d.stage_id}`]));
		const dealsBefore = dealStates();
		const projectsWithoutDeal = new Set(projects().filter((p) => !refOf(p)).map((p) => String(p.id)));

		const since1 = Date.now();
		await stack.startWorkflow('10');
		const [run1] = await stack.n8n.waitForExecutions(stack.workflow('10').id, 1, { since: since1 - 50, timeoutMs: 120000 });
		await expectBackfillRun(run1);
		await stack.settle({ quietMs: 4000, timeoutMs: 120000 });
		console.log(stack.formatReport(stack.apiCallReport(start), 'backfill, first run and its echoes'));
		// Freja exists on both sides, unlinked, with the same email: linked now, not duplicated.
		expect(refOf(ps().get('contact', freja.contact))).toBe(String(freja.person));
		expect(pdCustom('person', person(freja.person), 'propstreet_contact_id')).toBe(freja.contact);
		// No two Propstreet records claim the same Pipedrive record, no two contacts share an email.
		for (const [kind, list] of [['contacts', contacts()], ['companies', companies()], ['projects', projects()]] as const) {
			const refs = list.map((r) => refOf(r)).filter(Boolean);
			expect({ kind, duplicates: refs.filter((r, i) => refs.indexOf(r) !== i) }).toEqual({ kind, duplicates: [] });
		}
		const emails = contacts().map((c) => String(c.email ?? '').toLowerCase()).filter(Boolean);
		expect(emails.filter((e, i) => emails.indexOf(e) !== i)).toEqual([]);
		// A deal that only existed in Pipedrive gets a project classified from its stage (Nyhavn is in
		// "Teaser Drafting" → active), and no deal is moved by the backfill or its echoes.
		const nyhavn = pipedriveIdFor('deal', 'nyhavn');
		const after = dealStates();
		expect(Object.keys(after).filter((id) => id in dealsBefore && after[id] !== dealsBefore[id]).map((id) => `deal ${id}: ${dealsBefore[id]} → ${after[id]}`)).toEqual([]);
		// A deal the backfill created stands for exactly one project that had no deal before it ran.
		for (const id of Object.keys(after).filter((dealId) => !(dealId in dealsBefore))) {
			expect(byRef(projects(), id).map((p) => projectsWithoutDeal.has(String(p.id)))).toEqual([true]);
		}
		// The deal → project branch needs the Sync node's project binding (checked by expectBackfillRun while it is missing).
		if (bindingFor('project')) {
			expect(byRef(projects(), nyhavn).map((p) => ({ name: p.name, classification: p.classification }))).toEqual([{ name: 'Nyhavn Residential', classification: 'active' }]);
		}

		const mark2 = stack.mark();
		const since2 = Date.now();
		await stack.startWorkflow('10');
		const [run2] = await stack.n8n.waitForExecutions(stack.workflow('10').id, 1, { since: since2 - 50, timeoutMs: 120000 });
		await expectBackfillRun(run2);
		await stack.settle({ quietMs: 4000, timeoutMs: 120000 });
		const second = stack.apiCallReport(mark2);
		console.log(stack.formatReport(second, 'backfill, second run'));
		expect({ propstreet: second.propstreet.writesByRoute, pipedrive: second.pipedrive.writesByRoute }).toEqual({ propstreet: {}, pipedrive: {} });
		const failed = (await executionsSince(start.at)).filter((e) => !['success', 'running', 'new', 'waiting'].includes(e.status) && e.file !== stack.workflow('10').fileName);
		expect(failed.map((e) => e.file)).toEqual([]);
		if (!missingSyncBindings().length) await expectNoFailedExecutions(start.at);
	}, 300000);

	scenario('polling: 03 with its Poll Trigger switched on, run as the editor does, syncs (and links) only the contact its trigger returns, and writes nothing for one already in step', async (start) => {
		requireWorkflows('03');
		const wf = stack.workflow('03');
		const trigger = wf.json.nodes.find((n) => /PollTrigger$/.test(n.type));
		expect(trigger).toMatchObject({ disabled: true });
		// The poller ships switched off; a user without a public URL switches it on (and saves).
		await setNodeDisabled(wf.id, trigger!.name, false);
		// n8n 2.40 schedules pollers as durable jobs whose first run is the first cron tick (the
		// bundled workflow polls every 15 minutes): no poll happens inside this suite. So the workflow
		// is started the way the editor's "Execute workflow" does it (the trigger's manual mode
		// returns one record, the most recently changed contact), and the rest runs for real.
		console.log(`03 (poll) poll times: ${JSON.stringify(trigger!.parameters?.pollTimes)}; scheduled polls so far: ${(await stack.executionsOf('03')).length}`);
		const pollOnce = async () => {
			const res = await stack.startWorkflow('03', {}, trigger!.name);
			expect(res.via).toBe('manual');
			const run = await stack.waitFor(async () => {
				const e = await stack.n8n.execution(String(res.executionId));
				return e.stoppedAt ? e : undefined;
			}, { what: `03 poll run ${res.executionId}`, timeoutMs: 60000 });
			if (run.status !== 'success') throw new Error(`03 (poll) manual run ${run.id} ${run.status}: ${await failureOf(run.id)}`);
			const items = run.data?.resultData?.runData?.[trigger!.name]?.[0]?.data?.main?.[0] ?? [];
			expect(items).toHaveLength(1);
			console.log(`03 (poll) trigger returned: ${JSON.stringify(items[0].json).slice(0, 300)}`);
			const outcome = (run.data?.resultData?.runData?.['Sync Contact']?.[0]?.data?.main ?? []).flat().map((i: any) => i?.json)[0] as Rec | undefined;
			console.log(`03 (poll) sync outcome: ${JSON.stringify(outcome ?? null).slice(0, 300)}`);
			await stack.settle();
			lastPollOutcome = outcome;
			return String((items[0].json as Rec).entityId);
		};
		let lastPollOutcome: Rec | undefined;

		// First run: the returned contact is synced two-way. A pair the webhook workflows have not
		// synced yet (e.g. seeded with different values on each side) is linked now, and a write may
		// go to either side, but only to that contact and its person.
		const contactId = await pollOnce();
		const first = stack.apiCallReport(start);
		if (lastPollOutcome?.action === 'skipped') {
			// The returned contact is outside the sync (no investor tag, or its person was deleted): nothing written anywhere.
			expect({ propstreet: first.propstreet.writesByRoute, pipedrive: first.pipedrive.writesByRoute }).toEqual({ propstreet: {}, pipedrive: {} });
			return;
		}
		const [link] = await contactLinks({ propstreetId: contactId });
		expect(link && linkOf(link)).toMatchObject({ entity: 'contact', propstreetId: contactId, status: 'linked' });
		const personId = Number(link.pipedriveId);
		const touched = [...first.propstreet.writeLog, ...first.pipedrive.writeLog];
		expect(touched.filter((w) => !w.includes(`/contacts/${contactId} `) && !w.includes(`/persons/${personId} `))).toEqual([]);
		expect(ps().get('contact', contactId)?.strategy ?? null).toBe(pdCustom('person', person(personId), 'investor_strategy') ?? null);
		expect(refOf(ps().get('contact', contactId))).toBe(String(personId));

		// Second run: the manual mode returns the first contact of the list, which after our write may
		// be another one. The same contact, now in step, costs no write; another one is synced alone.
		const second = stack.mark();
		const nextId = await pollOnce();
		const report = stack.apiCallReport(second);
		if (nextId === contactId) {
			expect({ propstreet: report.propstreet.writesByRoute, pipedrive: report.pipedrive.writesByRoute }).toEqual({ propstreet: {}, pipedrive: {} });
		} else {
			const [next] = await contactLinks({ propstreetId: nextId });
			expect(next && linkOf(next)).toMatchObject({ entity: 'contact', propstreetId: nextId, status: 'linked' });
			const writes = [...report.propstreet.writeLog, ...report.pipedrive.writeLog];
			expect(writes.filter((w) => !w.includes(`/contacts/${nextId} `) && !w.includes(`/persons/${String(next.pipedriveId)} `))).toEqual([]);
		}
		await expectNoFailedExecutions(start.at);
		await setNodeDisabled(wf.id, trigger!.name, true);
	});

	// Deals ⇄ projects through the Sync node (workflows 06 and 07), issue 13's cases 2, 3, 5 and 15.
	// Each creates its own deals so it does not depend on what the scenarios above left behind.

	/** A new deal in the Nordic Transactions pipeline and the project workflow 06 makes for it. */
	async function newLinkedDeal(title: string, stage: string, custom: Rec = {}): Promise<{ dealId: number; projectId: string }> {
		const dealId = Number((pd().createDeal({ title, stage_id: pd().stageId(stage), value: 50_000_000, currency: 'SEK', custom_fields: custom }) as Rec).id);
		const project = await stack.waitFor(() => byRef(projects(), dealId)[0], { what: `a Propstreet project for deal ${dealId}`, timeoutMs: 45000 });
		await stack.waitFor(() => pdCustom('deal', deal(dealId), 'propstreet_project_id') === project.id, { what: `propstreet_project_id on deal ${dealId}`, timeoutMs: 30000 });
		await stack.settle();
		return { dealId, projectId: String(project.id) };
	}
	const projectLinks = async (match: { pipedriveId?: number; propstreetId?: string }) =>
		(await stack.syncStateRows())
			.filter((r) => r.entity === 'project' && r.status === 'linked')
			.filter((r) => (match.pipedriveId === undefined || r.pipedriveId === String(match.pipedriveId)) && (match.propstreetId === undefined || r.propstreetId === match.propstreetId))
			.map(linkOf);

	scenario('case 2: a deal stage change and a project rename seconds apart both survive, on both sides', async (start) => {
		requireWorkflows('06', '07');
		const { dealId, projectId } = await newLinkedDeal('Örebro Logistics', 'Lead In');
		expect(ps().get('project', projectId)?.classification).toBe('draft');
		pd().moveDealToStage(dealId, 'Investor Outreach');
		await sleep(2000);
		ps().updateProject(projectId, { name: 'Örebro Logistics Park' });
		await stack.waitFor(
			() => ps().get('project', projectId)?.classification === 'active' && deal(dealId)?.title === 'Örebro Logistics Park',
			{ what: 'the classification in Propstreet and the new name in Pipedrive', timeoutMs: 60000 },
		);
		await stack.settle({ quietMs: 4000 });
		expect(ps().get('project', projectId)).toMatchObject({ name: 'Örebro Logistics Park', classification: 'active', status: 'open' });
		expect(deal(dealId)).toMatchObject({ title: 'Örebro Logistics Park', stage_id: pd().stageId('Investor Outreach'), status: 'open' });
		expect(await projectLinks({ pipedriveId: dealId })).toEqual([{ entity: 'project', pipedriveId: String(dealId), propstreetId: projectId, status: 'linked' }]);
		await expectNoFailedExecutions(start.at);
	});

	scenario('case 3: a deal in an unmapped stage or another pipeline keeps its stage; a project edit does not move it', async (start) => {
		requireWorkflows('06', '07');
		const { dealId, projectId } = await newLinkedDeal('Uppsala Science Park', 'Due Diligence');
		const nordic = pd().pipelines().find((p) => p.name === 'Nordic Transactions')!;
		const bids = (await stack.observe.pipedrive<{ data: Rec }>('POST', '/api/v2/stages', { name: 'Bids Received', pipeline_id: nordic.id })).body.data;
		pd().updateDeal(dealId, { stage_id: bids.id });
		await stack.settle({ quietMs: 3000 });
		expect(ps().get('project', projectId)?.classification).toBe('active');
		ps().updateProject(projectId, { name: 'Uppsala Science Park II', classification: 'draft' });
		await stack.waitFor(() => deal(dealId)?.title === 'Uppsala Science Park II', { what: 'the rename in Pipedrive', timeoutMs: 45000 });
		await stack.settle({ quietMs: 4000 });
		expect(deal(dealId)).toMatchObject({ stage_id: bids.id, status: 'open' });
		expect(ps().get('project', projectId)).toMatchObject({ name: 'Uppsala Science Park II', classification: 'draft' });

		// Another pipeline: a deal there gets no project.
		const leasing = (await stack.observe.pipedrive<{ data: Rec }>('POST', '/api/v2/pipelines', { name: 'Leasing' })).body.data;
		const leasingStage = (await stack.observe.pipedrive<{ data: Rec }>('POST', '/api/v2/stages', { name: 'Leasing Lead', pipeline_id: leasing.id })).body.data;
		const other = Number((pd().createDeal({ title: 'Leasing: Kungsgatan 5', pipeline_id: leasing.id, stage_id: leasingStage.id }) as Rec).id);
		await stack.settle({ quietMs: 4000 });
		expect(byRef(ps().state().projects, other)).toHaveLength(0);
		expect(projects().filter((p) => p.name === 'Leasing: Kungsgatan 5')).toHaveLength(0);
		expect(pdCustom('deal', deal(other), 'propstreet_project_id') ?? null).toBeNull();
		memo.leasingDeal = other;
		await expectNoFailedExecutions(start.at);
	});

	scenario('case 5: a linked deal merged into an unlinked one moves the link: no second project, the inherited project id kept, prospects kept', async (start) => {
		requireWorkflows('06', '07');
		const kista = { deal: pipedriveIdFor('deal', 'kista'), project: propstreetIdFor('project', 'kista') };
		const survivor = memo.leasingDeal;
		if (!survivor) throw new Error('needs the unlinked deal of the case 3 scenario');
		expect(await projectLinks({ propstreetId: kista.project })).toEqual([{ entity: 'project', pipedriveId: String(kista.deal), propstreetId: kista.project, status: 'linked' }]);
		const prospects = prospectsOf(kista.project).length;
		expect(prospects).toBeGreaterThan(0);
		const projectCount = projects().length;
		pd().merge('deal', kista.deal, survivor);
		await stack.waitFor(() => refOf(ps().get('project', kista.project)) === String(survivor), { what: 'the Kista project now referring to the surviving deal', timeoutMs: 45000 });
		await stack.settle({ quietMs: 4000 });
		// A later edit of the survivor reaches the same project.
		pd().updateDeal(survivor, { title: 'Kista & Kungsgatan' });
		await stack.waitFor(() => ps().get('project', kista.project)?.name === 'Kista & Kungsgatan', { what: 'the survivor\'s title on the Kista project', timeoutMs: 45000 });
		await stack.settle({ quietMs: 4000 });
		expect(projects()).toHaveLength(projectCount);
		expect(byRef(projects(), survivor).map((p) => p.id)).toEqual([kista.project]);
		expect(pdCustom('deal', deal(survivor), 'propstreet_project_id')).toBe(kista.project);
		expect(prospectsOf(kista.project)).toHaveLength(prospects);
		expect(await projectLinks({ propstreetId: kista.project })).toEqual([{ entity: 'project', pipedriveId: String(survivor), propstreetId: kista.project, status: 'linked' }]);
		expect(stack.apiCallReport(start).propstreet.writesByRoute['POST /api/v1/projects'] ?? 0).toBe(0);
		await expectNoFailedExecutions(start.at);
	});

	scenario('case 15: property_count 1 of a single-asset deal survives edits of its project', async (start) => {
		requireWorkflows('06', '07');
		const { dealId, projectId } = await newLinkedDeal('Västerås Retail Box', 'Investor Outreach', { is_portfolio: pd().optionId('deal', 'is_portfolio', 'No'), property_count: 1 });
		expect(ps().get('project', projectId)?.asset).toMatchObject({ type: 'single' });
		for (const name of ['Västerås Retail Box II', 'Västerås Retail Box III']) {
			ps().updateProject(projectId, { name });
			await stack.waitFor(() => deal(dealId)?.title === name, { what: `the rename "${name}" in Pipedrive`, timeoutMs: 45000 });
			await stack.settle({ quietMs: 3000 });
			expect(Number(pdCustom('deal', deal(dealId), 'property_count'))).toBe(1);
			expect(ps().get('project', projectId)).toMatchObject({ name, asset: { type: 'single' } });
		}
		await expectNoFailedExecutions(start.at);
	});

	test('sync state: the contact Sync node created ONE data table in this n8n through its public API, with one linked row per contact pair', async () => {
		type Table = { id: string; name: string; columns?: Array<{ name: string; type: string }> };
		const tables = await stack.n8n.api<{ data: Table[] }>('GET', `/data-tables?filter=${encodeURIComponent(JSON.stringify({ name: SYNC_STATE_TABLE }))}&limit=50`);
		const ours = tables.data.filter((t) => t.name === SYNC_STATE_TABLE);
		expect(ours).toHaveLength(1);
		console.log(`data table "${ours[0].name}" (${ours[0].id}) columns: ${(ours[0].columns ?? []).map((c) => `${c.name}:${c.type}`).join(', ')}`);
		expect((ours[0].columns ?? []).map((c) => c.name)).toEqual(expect.arrayContaining(['entity', 'pipedriveId', 'propstreetId', 'status', 'version', 'owner', 'baseline', 'writeToken']));
		const linked = (await stack.syncStateRows()).filter((r) => r.entity === 'contact' && r.status === 'linked');
		console.log(`contact links in n8n: ${linked.map((r) => `${r.pipedriveId}⇄${r.propstreetId}`).join(', ')}`);
		expect(linked.length).toBeGreaterThan(0);
		// Every link matches both records' own references, and no record is linked twice.
		for (const side of ['pipedriveId', 'propstreetId'] as const) {
			const ids = linked.map((r) => String(r[side]));
			expect({ side, duplicates: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({ side, duplicates: [] });
		}
		for (const row of linked) {
			const contact = ps().get('contact', String(row.propstreetId)) as Rec | undefined;
			expect({ row: linkOf(row), ref: refOf(contact), field: pdCustom('person', person(Number(row.pipedriveId)), 'propstreet_contact_id') }).toEqual({
				row: linkOf(row),
				ref: String(row.pipedriveId),
				field: String(row.propstreetId),
			});
		}
	});

	scenario('review queue: 11 Apply Review Decisions with no resolved rows succeeds and writes nothing', async (start) => {
		requireWorkflows('11');
		await stack.startWorkflow('11');
		const [run] = await stack.n8n.waitForExecutions(stack.workflow('11').id, 1, { since: start.at - 50, timeoutMs: 60000 });
		expect(run.status).toBe('success');
		await stack.settle();
		const report = stack.apiCallReport(start);
		expect({ pipedrive: report.pipedrive.writes, propstreet: report.propstreet.writes }).toEqual({ pipedrive: 0, propstreet: 0 });
	});

	test('every bundled workflow ran successfully at least once (and the error handler never ran)', async () => {
		const all = await stack.n8n.executions();
		const rows = stack.workflows.map((w) => {
			const mine = all.filter((e) => e.workflowId === w.id);
			return { file: w.fileName, success: mine.filter((e) => e.status === 'success').length, other: mine.filter((e) => e.status !== 'success').map((e) => `${e.id}:${e.status}`) };
		});
		console.log(`executions per workflow:\n${rows.map((r) => `  ${r.file}: ${r.success} ok${r.other.length ? `, ${r.other.join(' ')}` : ''}`).join('\n')}`);
		const errorHandler = rows.filter((r) => r.file.startsWith('00-'));
		const others = rows.filter((r) => !r.file.startsWith('00-'));
		expect(others.filter((r) => r.success === 0).map((r) => r.file)).toEqual([]);
		expect(errorHandler.map((r) => ({ file: r.file, runs: r.success + r.other.length }))).toEqual(errorHandler.map((r) => ({ file: r.file, runs: 0 })));
	});
});
