/** Every Propstreet node operation against the Propstreet simulator over real HTTP. */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { byId, makeLoadOptionsContext, run, type ParamValue } from './context';
import { Propstreet } from '../../../nodes/Propstreet/Propstreet.node';

const TOKEN = 'ops-test-token';
let sim: PropstreetSimulator;
// The control API returns loosely typed records; tests read their fields freely.
const ctl = () => sim.control as any;

beforeAll(async () => {
	sim = await startPropstreetSimulator({ token: TOKEN, rateLimit: { pat: 100_000 } });
});
afterAll(async () => sim.close());
beforeEach(() => ctl().reset());

const exec = (params: Record<string, ParamValue>, extra: { items?: { json: object }[]; continueOnFail?: boolean } = {}) =>
	run({ baseUrl: sim.url, token: TOKEN, params, items: extra.items as never, continueOnFail: extra.continueOnFail });

const json = (out: { json: unknown }[]) => out.map((o) => o.json as Record<string, any>);

describe('contact operations', () => {
	it('create, get, get by external ref, update (If-Match), add note, upsert, list, delete', async () => {
		const created = await exec({
			resource: 'contact',
			operation: 'create',
			firstName: 'Anna',
			lastName: 'Lindqvist',
			email: 'anna@nordvik.se',
			additionalFields: { phone: '+46701234567', tags: 'investor, vip', externalRefs: { ref: [{ namespace: 'pipedrive', id: '501' }] } },
			options: {},
		});
		const contact = json(created.output)[0];
		expect(contact).toMatchObject({ firstName: 'Anna', email: 'anna@nordvik.se', tags: ['investor', 'vip'], externalRefs: [{ namespace: 'pipedrive', id: '501' }] });
		expect(created.output[0].pairedItem).toEqual({ item: 0 });
		expect(created.sent[0].headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);

		const got = await exec({ resource: 'contact', operation: 'get', contactId: byId(contact.id) });
		expect(json(got.output)[0]).toMatchObject({ id: contact.id, lastName: 'Lindqvist' });

		const byRef = await exec({ resource: 'contact', operation: 'getByExternalRef', externalNamespace: 'PipeDrive', externalId: '501' });
		expect(json(byRef.output)[0].id).toBe(contact.id);

		const updated = await exec({ resource: 'contact', operation: 'update', contactId: byId(contact.id), updateFields: { strategy: 'Office, Stockholm', phone: '' }, options: { ifMatch: contact.etag } });
		expect(json(updated.output)[0]).toMatchObject({ strategy: 'Office, Stockholm', phone: null });
		expect(updated.sent[0].headers['If-Match']).toBe(contact.etag);

		const stale = await exec({ resource: 'contact', operation: 'update', contactId: byId(contact.id), updateFields: { strategy: 'x' }, options: { ifMatch: contact.etag } }).catch((e) => e);
		expect(stale.httpCode).toBe('412');

		const noted = await exec({ resource: 'contact', operation: 'addNote', contactId: byId(contact.id), note: 'Called, wants logistics', options: { type: 'call' } });
		expect(json(noted.output)[0]).toMatchObject({ contactId: contact.id, noted: true });

		const upserted = await exec({ resource: 'contact', operation: 'upsert', externalNamespace: 'pipedrive', externalId: '777', fields: { firstName: 'Bo', email: 'bo@nordvik.se' }, options: {} });
		expect(json(upserted.output)[0]).toMatchObject({ firstName: 'Bo', upsertAction: 'created' });
		expect(upserted.sent[0].qs).toMatchObject({ match: 'email', revive: true });
		const again = await exec({ resource: 'contact', operation: 'upsert', externalNamespace: 'pipedrive', externalId: '777', fields: { lastName: 'Ek' }, options: {} });
		expect(json(again.output)[0]).toMatchObject({ id: json(upserted.output)[0].id, lastName: 'Ek', upsertAction: 'updated' });

		const list = await exec({ resource: 'contact', operation: 'getAll', returnAll: true, filters: {} });
		expect(json(list.output).map((c) => c.id).sort()).toEqual([contact.id, json(upserted.output)[0].id].sort());

		const deleted = await exec({ resource: 'contact', operation: 'delete', contactId: byId(contact.id), options: {} });
		expect(json(deleted.output)[0]).toEqual({ id: contact.id, deleted: true });
		const afterDelete = await exec({ resource: 'contact', operation: 'getAll', returnAll: true, filters: { includeDeleted: true } });
		expect(json(afterDelete.output).find((c) => c.id === contact.id)?.deletedUtc).toBeTruthy();
		const live = await exec({ resource: 'contact', operation: 'getAll', returnAll: true, filters: {} });
		expect(json(live.output).map((c) => c.id)).toEqual([json(upserted.output)[0].id]);
	});

	it('list follows cursors for Return All and stops at a limit; updated_since filters', async () => {
		for (let n = 0; n < 7; n++) ctl().createContact({ firstName: `P${n}`, email: `p${n}@x.se` });
		const all = await exec({ resource: 'contact', operation: 'getAll', returnAll: true, filters: {}, requestOptions: {} });
		expect(all.output).toHaveLength(7);
		const limited = await exec({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 3, filters: {} });
		expect(limited.output).toHaveLength(3);
		expect(limited.sent[0].qs).toMatchObject({ page_size: 3 });
		expect(limited.sent).toHaveLength(1);
		// force small pages by listing with limit 5 → page_size 5, then one more page needed for all
		const since = ctl().now();
		ctl().advanceClock(1000);
		const late = ctl().createContact({ firstName: 'Late', email: 'late@x.se' });
		const delta = await exec({ resource: 'contact', operation: 'getAll', returnAll: true, filters: { updatedSince: new Date(Date.parse(since) + 500).toISOString() } });
		expect(json(delta.output).map((c) => c.id)).toEqual([late.id]);
	});

	it('follows several pages (cursor) when the page is smaller than the data', async () => {
		for (let n = 0; n < 5; n++) ctl().createContact({ firstName: `Q${n}` });
		const paged = await exec({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 5, filters: {} });
		expect(paged.output).toHaveLength(5);
		// page_size 2 via a limit of 2 per page is not exposed; check cursor walking through the transport directly
		const { propstreetList } = await import('../../../nodes/Propstreet/transport');
		const { ctx, sent } = (await import('./context')).makeContext({ baseUrl: sim.url, token: TOKEN, params: {} });
		const rows = await propstreetList(ctx, '/api/v1/network/contacts', { page_size: 2 }, { returnAll: true });
		expect(rows).toHaveLength(5);
		expect(sent).toHaveLength(3);
		expect((sent[1].qs as Record<string, unknown>).cursor).toBeTruthy();
	});
});

describe('company operations', () => {
	it('create, get, get by ref, update, note, find duplicates, upsert, list, delete', async () => {
		const created = await exec({
			resource: 'company',
			operation: 'create',
			name: 'Nordvik Fastigheter AB',
			additionalFields: { domain: 'https://www.nordvik.se', countryCode: 'se', externalRefs: { ref: [{ namespace: 'orgnr-se', id: '5561234567' }] } },
			options: {},
		});
		const company = json(created.output)[0];
		expect(company).toMatchObject({ name: 'Nordvik Fastigheter AB', countryCode: 'SE', domain: 'nordvik.se' });
		expect(json((await exec({ resource: 'company', operation: 'get', companyId: byId(company.id) })).output)[0].id).toBe(company.id);
		expect(json((await exec({ resource: 'company', operation: 'getByExternalRef', externalNamespace: 'orgnr-se', externalId: '5561234567' })).output)[0].id).toBe(company.id);
		const updated = await exec({ resource: 'company', operation: 'update', companyId: byId(company.id), updateFields: { strategy: 'Logistics' }, options: {} });
		expect(json(updated.output)[0].strategy).toBe('Logistics');
		const noted = await exec({ resource: 'company', operation: 'addNote', companyId: byId(company.id), note: 'Met at MIPIM', options: {} });
		expect(json(noted.output)[0]).toMatchObject({ companyId: company.id, noted: true });
		const dups = await exec({ resource: 'company', operation: 'findDuplicates', name: 'Nordvik Fastigheter', additionalFields: { domain: 'nordvik.se' } });
		expect(json(dups.output)).toEqual(expect.arrayContaining([expect.objectContaining({ id: company.id, method: 'Domain' })]));
		const upsert = await exec({ resource: 'company', operation: 'upsert', externalNamespace: 'pipedrive', externalId: '9001', fields: { name: 'Fjord Capital AS', countryCode: 'NO' }, options: {} });
		expect(json(upsert.output)[0]).toMatchObject({ name: 'Fjord Capital AS', upsertAction: 'created' });
		const list = await exec({ resource: 'company', operation: 'getAll', returnAll: true, filters: {} });
		expect(list.output).toHaveLength(2);
		await exec({ resource: 'company', operation: 'delete', companyId: byId(company.id), options: {} });
		expect(ctl().get('company', company.id)?.deletedUtc).toBeTruthy();
	});
});

describe('link operations', () => {
	it('create, list by contact and by company, update job title and primary with If-Match, delete', async () => {
		const contact = ctl().createContact({ firstName: 'Anna' });
		const a = ctl().createCompany({ name: 'A AB' });
		const b = ctl().createCompany({ name: 'B AB' });
		const created = await exec({ resource: 'link', operation: 'create', contactId: contact.id, companyId: a.id, jobTitle: 'CFO', options: {} });
		const link = json(created.output)[0];
		expect(link).toMatchObject({ contactId: contact.id, companyId: a.id, jobTitle: 'CFO' });
		const link2 = json((await exec({ resource: 'link', operation: 'create', contactId: contact.id, companyId: b.id, jobTitle: '', options: {} })).output)[0];
		const byContact = await exec({ resource: 'link', operation: 'getAll', listBy: 'contact', contactId: contact.id, returnAll: true, filters: {} });
		expect(byContact.output).toHaveLength(2);
		const byCompany = await exec({ resource: 'link', operation: 'getAll', listBy: 'company', companyId: b.id, returnAll: true, filters: {} });
		expect(json(byCompany.output).map((l) => l.id)).toEqual([link2.id]);
		const updated = await exec({ resource: 'link', operation: 'update', linkId: link2.id, updateFields: { jobTitle: 'Partner', isPrimary: true }, options: {} });
		expect(json(updated.output)[0]).toMatchObject({ jobTitle: 'Partner', isPrimary: true });
		// the node read the link first and sent its ETag
		expect(updated.sent.map((s) => s.method)).toEqual(['GET', 'PATCH']);
		expect(updated.sent[1].headers['If-Match']).toBe(link2.etag);
		expect((ctl().get('contact', contact.id) as any).primaryCompanyId).toBe(b.id);
		await exec({ resource: 'link', operation: 'delete', linkId: link.id, options: {} });
		const remaining = await exec({ resource: 'link', operation: 'getAll', listBy: 'contact', contactId: contact.id, returnAll: true, filters: {} });
		expect(json(remaining.output).map((l) => l.id)).toEqual([link2.id]);
	});
});

describe('project operations', () => {
	it('create with asset translation, get, get by ref, list with filters, update classification/portfolio/refs, linked properties, delete', async () => {
		const created = await exec({
			resource: 'project',
			operation: 'create',
			name: 'Kista Office Portfolio',
			additionalFields: { isPortfolio: true, propertyCount: 3, exclusivity: 'exclusive', price: { value: { value: 1500, currency: 'sek', scale: 'millions' } }, externalRefs: { ref: [{ namespace: 'pipedrive', id: 'd-1' }] } },
			options: {},
		});
		const project = json(created.output)[0];
		expect(created.sent[0].body).toMatchObject({ asset: { type: 'portfolio', propertyCount: 3 }, price: { value: 1500, currency: 'SEK', scale: 'millions' } });
		expect(project).toMatchObject({ asset: { type: 'portfolio', propertyCount: 3 }, classification: 'draft', status: 'open' });
		expect(json((await exec({ resource: 'project', operation: 'get', projectId: byId(project.id) })).output)[0].name).toBe('Kista Office Portfolio');
		expect(json((await exec({ resource: 'project', operation: 'getByExternalRef', externalNamespace: 'pipedrive', externalId: 'd-1' })).output)[0].id).toBe(project.id);
		const other = ctl().createProject({ name: 'Single asset' });
		const updated = await exec({ resource: 'project', operation: 'update', projectId: byId(project.id), updateFields: { classification: 'active', isPortfolio: false, externalRefs: { ref: [{ namespace: 'pipedrive', id: 'd-1' }, { namespace: 'hubspot', id: 'h-1' }] } }, options: {} });
		expect(json(updated.output)[0]).toMatchObject({ classification: 'active', asset: { type: 'single', propertyCount: null }, externalRefs: [{ namespace: 'pipedrive', id: 'd-1' }, { namespace: 'hubspot', id: 'h-1' }] });
		const active = await exec({ resource: 'project', operation: 'getAll', returnAll: true, filters: { classification: 'active', status: 'open' } });
		expect(json(active.output).map((p) => p.id)).toEqual([project.id]);
		expect(active.sent[0].qs).toMatchObject({ classification: 'active', status: 'open' });
		// The simulator has no way yet to link a property to a project: only the route and the empty list are checked.
		const props = await exec({ resource: 'project', operation: 'getProperties', projectId: byId(project.id) });
		expect(props.output).toEqual([]);
		expect(props.sent[0].url).toBe(`${sim.url}/api/v1/projects/${project.id}/properties`);
		const missing = await exec({ resource: 'project', operation: 'getProperties', projectId: byId('nope') }).catch((e) => e);
		expect(missing.httpCode).toBe('404');
		await exec({ resource: 'project', operation: 'delete', projectId: byId(other.id), options: {} });
		expect(ctl().get('project', other.id)?.deletedUtc).toBeTruthy();
	});
});

describe('prospect operations', () => {
	it('add, list, get by ref, update classification, add note, remove, set contact person', async () => {
		const project = ctl().createProject({ name: 'P' });
		const company = ctl().createCompany({ name: 'Inv AB' });
		const contact = ctl().createContact({ firstName: 'Ivar' });
		ctl().createLink({ contactId: contact.id, companyId: company.id });
		const added = await exec({ resource: 'prospect', operation: 'add', projectId: byId(project.id), targetType: 'company', targetId: company.id, options: { externalRefs: { ref: [{ namespace: 'pipedrive', id: 'pp-1' }] } } });
		const prospect = json(added.output)[0];
		expect(prospect).toMatchObject({ companyId: company.id, classification: 'not_contacted' });
		const list = await exec({ resource: 'prospect', operation: 'getAll', projectId: byId(project.id), returnAll: true, filters: {} });
		expect(json(list.output).map((p) => p.id)).toEqual([prospect.id]);
		const byRef = await exec({ resource: 'prospect', operation: 'getByExternalRef', projectId: byId(project.id), externalNamespace: 'pipedrive', externalId: 'pp-1' });
		expect(json(byRef.output)[0].id).toBe(prospect.id);
		const classified = await exec({ resource: 'prospect', operation: 'updateClassification', projectId: byId(project.id), prospectId: prospect.id, classification: 'interested', options: {} });
		expect(json(classified.output)[0].classification).toBe('interested');
		const filtered = await exec({ resource: 'prospect', operation: 'getAll', projectId: byId(project.id), returnAll: true, filters: { classification: 'bidder' } });
		expect(filtered.output).toHaveLength(0);
		const noted = await exec({ resource: 'prospect', operation: 'addNote', projectId: byId(project.id), prospectId: prospect.id, content: 'Sent teaser', options: {} });
		expect(json(noted.output)[0]).toMatchObject({ prospectId: prospect.id, noted: true });
		const person = await exec({ resource: 'prospect', operation: 'setContactPerson', projectId: byId(project.id), prospectId: prospect.id, contactId: contact.id });
		expect(json(person.output)[0]).toMatchObject({ contactPersonSet: true });
		expect((ctl().get('prospect', prospect.id) as any).contactId).toBe(contact.id);
		const removed = await exec({ resource: 'prospect', operation: 'remove', projectId: byId(project.id), prospectId: prospect.id });
		expect(json(removed.output)[0]).toEqual({ prospectId: prospect.id, removed: true });
		const after = await exec({ resource: 'prospect', operation: 'getAll', projectId: byId(project.id), returnAll: true, filters: {} });
		expect(after.output).toHaveLength(0);
	});

	it('add many: 230 items in chunks of 100 on prospects:batch, per-item failures as items', async () => {
		const project = ctl().createProject({ name: 'Big' });
		const contacts = Array.from({ length: 229 }, (_, n) => ctl().createContact({ firstName: `C${n}` }));
		const ids = contacts.map((c) => c.id as string);
		ids.splice(150, 0, ids[3]); // a duplicate inside the same batch → per-item failure
		const items = ids.map((id) => ({ json: { id } }));
		const out = await exec({ resource: 'prospect', operation: 'addMany', projectId: byId(project.id), targetType: 'contact', targetId: (i: number) => ids[i], options: {} }, { items });
		expect(out.output).toHaveLength(230);
		const batchCalls = out.sent.filter((s) => s.url.endsWith('/prospects:batch'));
		expect(batchCalls.map((s) => (s.body as any).prospects.length)).toEqual([100, 100, 30]);
		out.output.forEach((o, i) => expect(o.pairedItem).toEqual({ item: i }));
		const failed = json(out.output).filter((j) => j.failed);
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({ contactId: ids[3], projectId: project.id });
		expect(json(out.output)[150].failed).toBe(true);
		expect(json(out.output)[0]).toMatchObject({ contactId: ids[0], projectId: project.id });
		expect(ctl().state().prospects.filter((p: any) => p.projectId === project.id)).toHaveLength(229);
	});

	it('bulk classify: grouped per classification, one result per item, unknown ids reported', async () => {
		const project = ctl().createProject({ name: 'Cls' });
		const ps = Array.from({ length: 3 }, (_, n) => ctl().addProspect(project.id, { contactId: ctl().createContact({ firstName: `K${n}` }).id as string }));
		const targets = [ps[0].id, ps[1].id, 'nope', ps[2].id];
		const classes = ['interested', 'interested', 'interested', 'bidder'];
		const out = await exec(
			{ resource: 'prospect', operation: 'bulkClassify', projectId: byId(project.id), prospectId: (i: number) => targets[i], classification: (i: number) => classes[i] },
			{ items: targets.map(() => ({ json: {} })) },
		);
		expect(json(out.output).map((j) => j.classified)).toEqual([true, true, false, true]);
		expect(json(out.output)[2].error).toBe('not_found_or_no_access');
		expect(out.sent).toHaveLength(2);
		expect((ctl().get('prospect', ps[2].id) as any).classification).toBe('bidder');
		expect((ctl().get('prospect', ps[0].id) as any).classification).toBe('interested');
	});
});

describe('property operations', () => {
	it('create, get, list with filters, update with If-Match', async () => {
		const created = await exec({
			resource: 'property',
			operation: 'create',
			name: 'Kista 1',
			additionalFields: { tenure: 'freehold', yearBuilt: 1999, tags: 'core_plus', location: '{"latitude":59.4,"longitude":17.9,"country":"SE","locality":"Kista"}', categories: '[{"type":"office"}]' },
			options: {},
		});
		const property = json(created.output)[0];
		expect(property).toMatchObject({ name: 'Kista 1', tenure: 'freehold', yearBuilt: 1999, tags: ['core_plus'] });
		expect(json((await exec({ resource: 'property', operation: 'get', propertyId: property.id })).output)[0].id).toBe(property.id);
		ctl().createProperty({ name: 'Oslo 1', location: { latitude: 59.9, longitude: 10.7, country: 'NO', locality: 'Oslo' } });
		const se = await exec({ resource: 'property', operation: 'getAll', returnAll: true, filters: { country: 'se' } });
		expect(json(se.output).map((p) => p.id)).toEqual([property.id]);
		const updated = await exec({ resource: 'property', operation: 'update', propertyId: property.id, updateFields: { description: 'Renovated 2020' }, options: { ifMatch: property.etag } });
		expect(json(updated.output)[0].description).toBe('Renovated 2020');
	});
});

describe('webhook operations', () => {
	it('create, list, test, replay, delete', async () => {
		const created = await exec({ resource: 'webhook', operation: 'create', url: 'https://hooks.example.com/propstreet', events: ['contact.created', 'contact.updated'], options: { name: 'CRM' } });
		const hook = json(created.output)[0];
		expect(hook.secret).toMatch(/^whsec_/);
		const list = await exec({ resource: 'webhook', operation: 'getAll', returnAll: true });
		expect(json(list.output).map((h) => h.id)).toEqual([hook.id]);
		const tested = await exec({ resource: 'webhook', operation: 'test', webhookId: hook.id, eventType: 'contact.created' });
		expect(json(tested.output)[0]).toHaveProperty('success');
		expect(tested.sent[0].body).toEqual({ event_type: 'contact.created' });
		const replayed = await exec({ resource: 'webhook', operation: 'replay', webhookId: hook.id, since: '2026-01-01T00:00:00Z' });
		expect(json(replayed.output)[0]).toMatchObject({ webhookId: hook.id, replayed_count: 0 });
		await exec({ resource: 'webhook', operation: 'delete', webhookId: hook.id });
		expect(json((await exec({ resource: 'webhook', operation: 'getAll', returnAll: true })).output)).toHaveLength(0);
	});
});

describe('list search and load options', () => {
	it('searches contacts, companies and projects by name, and lists the 15 webhook event types', async () => {
		ctl().createContact({ firstName: 'Anna', lastName: 'Berg', email: 'anna@x.se' });
		ctl().createContact({ firstName: 'Olof', email: 'olof@x.se' });
		ctl().createCompany({ name: 'Nordvik AB', domain: 'nordvik.se' });
		ctl().createProject({ name: 'Kista Portfolio' });
		const node = new Propstreet();
		const ctx = makeLoadOptionsContext(sim.url, TOKEN);
		const contacts = await node.methods.listSearch.searchContacts.call(ctx, 'berg');
		expect(contacts.results).toEqual([{ name: 'Anna Berg (anna@x.se)', value: expect.any(String) }]);
		expect((await node.methods.listSearch.searchCompanies.call(ctx, 'nord')).results[0].name).toBe('Nordvik AB (nordvik.se)');
		expect((await node.methods.listSearch.searchProjects.call(ctx)).results.map((r) => r.name)).toEqual(['Kista Portfolio']);
		const events = await node.methods.loadOptions.getWebhookEventTypes.call(ctx);
		expect(events).toHaveLength(15);
		expect(events.map((e) => e.value)).toContain('prospect.updated');
	});
});

describe('ids are checked before they go into a path', () => {
	it.each([
		['contact', 'get', { contactId: byId('1/../../projects/9') }],
		['company', 'delete', { companyId: byId('..'), options: {} }],
		['project', 'get', { projectId: byId('constructor/x') }],
		['prospect', 'remove', { projectId: byId('p1'), prospectId: '../9' }],
		['webhook', 'delete', { webhookId: 'wh_1?x=1' }],
		['contact', 'getByExternalRef', { externalNamespace: 'pipedrive', externalId: '..' }],
	])('%s %s refuses a bad id with the field and the item, and sends nothing', async (resource, operation, params) => {
		const before = ctl().countRequests({});
		const error = await exec({ resource, operation, ...params } as Record<string, ParamValue>).catch((e) => e);
		expect(error.message).toMatch(/^"[^"]+" on item 0 is not a valid ID: /);
		expect(error.context?.itemIndex).toBe(0);
		expect(ctl().countRequests({})).toBe(before);
	});

	it('with Continue On Fail, a bad id fails only its own item', async () => {
		const created = await exec({ resource: 'contact', operation: 'create', firstName: 'Anna', lastName: 'Ek', email: 'anna.ek@nordvik.se', additionalFields: {}, options: {} });
		const good = json(created.output)[0].id as string;
		const ids = [good, 'a/b'];
		const result = await exec(
			{ resource: 'contact', operation: 'get', contactId: ((i: number) => byId(ids[i])) as never },
			{ items: [{ json: {} }, { json: {} }], continueOnFail: true },
		);
		expect(result.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(json(result.output)[0].id).toBe(good);
		expect(json(result.output)[1].error).toMatch(/"Contact" on item 1 is not a valid ID: "a\/b"/);
	});
});
