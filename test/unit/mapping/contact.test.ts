import { mapRecord, MappingError } from '../../../nodes/shared/core/mapping';
import { KEYS, pipedriveWebhook, setup } from './fixtures';

const astridV2 = {
	id: 1001,
	name: 'Astrid Öberg',
	first_name: 'Astrid',
	last_name: 'Öberg',
	org_id: 2001,
	emails: [
		{ value: 'astrid.oberg@nordhav.example.se', label: 'work', primary: true },
		{ value: 'astrid.oberg@gmail.example.com', label: 'home', primary: false },
	],
	phones: [
		{ value: '+46 70 123 45 67', label: 'mobile', primary: true },
		{ value: '+46 8 555 010 20', label: 'work', primary: false },
	],
	label_ids: [1, 4],
	job_title: 'Head of Transactions',
	update_time: '2026-03-04T10:00:00Z',
	custom_fields: { [KEYS.contactId]: '5001', [KEYS.strategy]: 'Office, Stockholm inner city, SEK 300M+', [KEYS.classification]: null },
};

describe('person → contact', () => {
	it('maps an API v2 person with primary email/phone, labels, strategy and company connection', () => {
		const { config, ctx } = setup('contact', { lookups: { companyIdMap: { '2001': '6001' } } });
		const item = mapRecord(astridV2, 'contact', 'toPropstreet', config, ctx);
		expect(item.body).toEqual({
			firstName: 'Astrid',
			lastName: 'Öberg',
			email: 'astrid.oberg@nordhav.example.se',
			phone: '+46 70 123 45 67',
			strategy: 'Office, Stockholm inner city, SEK 300M+',
			tags: ['investor', 'vip'],
			connections: [{ company: { kind: 'existing', id: '6001' }, jobTitle: 'Head of Transactions', primary: true }],
			externalRefs: [{ namespace: 'pipedrive', id: '1001' }],
		});
		expect(item.match).toMatchObject({ email: 'astrid.oberg@nordhav.example.se', pipedriveId: '1001', propstreetId: '5001', pipedriveOrgId: '2001', propstreetCompanyId: '6001' });
		expect(item.warnings.map((w) => w.field)).toEqual(['email', 'phone']);
		expect(item.warnings[0].message).toContain('astrid.oberg@gmail.example.com');
		expect(item.sourceUpdatedAt).toBe('2026-03-04T10:00:00.000Z');
		expect(item.hash).toMatch(/^sha256:/);
	});

	it('reads a Webhooks v2 payload: typed custom fields, single label, event id', () => {
		const { config, ctx } = setup('contact', { lookups: { propstreetCompanyId: '6001' } });
		const data = {
			...astridV2,
			label_ids: undefined,
			label: 4,
			custom_fields: { [KEYS.contactId]: { type: 'varchar', value: '5001' }, [KEYS.strategy]: { type: 'text', value: 'Office only' } },
		};
		const item = mapRecord(pipedriveWebhook('person', 'change', data, { name: 'Astrid Oberg' }), 'contact', 'toPropstreet', config, ctx);
		expect(item.sourceEventId).toBe('evt-person-change');
		expect(item.body.strategy).toBe('Office only');
		expect(item.body.tags).toEqual(['vip']);
		expect(item.match.propstreetId).toBe('5001');
	});

	it('reads an API v1 person: singular email/phone lists, org object, top-level custom keys', () => {
		const { config, ctx } = setup('contact', { lookups: { companyIdMap: { '2002': '6002' } } });
		const v1 = {
			id: 1004,
			name: 'Bjørn Løvås',
			org_id: { value: 2002, name: 'Fjordkapital AS' },
			email: [{ value: 'bjorn.lovas@fjordkapital.example.no', primary: false }, { value: 'b.lovas@fjordkapital.example.no', primary: true }],
			phone: [{ value: '+47 922 00 111', primary: true }],
			label_ids: [1, 4],
			[KEYS.strategy]: '',
			update_time: '2026-03-01 08:30:00',
		};
		const item = mapRecord(v1, 'contact', 'toPropstreet', config, ctx);
		expect(item.body).toMatchObject({ firstName: 'Bjørn', lastName: 'Løvås', email: 'b.lovas@fjordkapital.example.no', phone: '+47 922 00 111', strategy: null });
		expect(item.body.connections).toEqual([{ company: { kind: 'existing', id: '6002' }, jobTitle: null, primary: true }]);
		expect(item.sourceUpdatedAt).toBe('2026-03-01T08:30:00.000Z');
	});

	it.each([
		['unknown organization', { org_id: 2099 }, 'organization', /Pipedrive organization 2099 is not known/],
		['invalid e-mail', { emails: [{ value: 'astrid(at)nordhav', primary: true }] }, 'email', /not a valid e-mail/],
		['unknown label id', { label_ids: [1, 77] }, 'labels', /label id 77/],
		['job title without organization', { org_id: null }, 'jobTitle', /no organization/],
		['no name at all', { name: '', first_name: null, last_name: null }, 'name', /no name/],
	])('warns on %s', (_case, patch, field, message) => {
		const { config, ctx } = setup('contact', { lookups: { companyIdMap: { '2001': '6001' } } });
		const item = mapRecord({ ...astridV2, ...patch }, 'contact', 'toPropstreet', config, ctx);
		const warning = item.warnings.find((w) => w.field === field);
		expect(warning?.message).toMatch(message);
	});

	it('does not send e-mail that failed validation, and keeps the org id for the workflow to resolve', () => {
		const { config, ctx } = setup('contact');
		const item = mapRecord({ ...astridV2, emails: ['not-an-email'] }, 'contact', 'toPropstreet', config, ctx);
		expect(item.body).not.toHaveProperty('email');
		expect(item.body).not.toHaveProperty('connections');
		expect(item.match.pipedriveOrgId).toBe('2001');
	});

	it('needs field definitions to name labels', () => {
		const { config, ctx } = setup('contact', { noDefinitions: true });
		const item = mapRecord(astridV2, 'contact', 'toPropstreet', config, ctx);
		expect(item.body).not.toHaveProperty('tags');
		expect(item.warnings.find((w) => w.field === 'labels')?.message).toMatch(/field definitions/);
	});

	it('applies the label map and drops unmapped labels when asked', () => {
		const { config, ctx } = setup('contact', { config: { unmappedLabels: 'drop', labelMap: [{ pipedrive: 'VIP', propstreet: 'Key Account' }] } });
		const item = mapRecord(astridV2, 'contact', 'toPropstreet', config, ctx);
		expect(item.body.tags).toEqual(['Key Account']);
		expect(item.warnings.find((w) => w.field === 'labels')?.message).toMatch(/"Investor" has no tag/);
	});

	it('reads the job title from a custom field chosen by name', () => {
		const { config, ctx } = setup('contact', { config: { fieldKeys: { person: { jobTitle: 'Job title (custom)' } } }, lookups: { propstreetCompanyId: '6001' } });
		const item = mapRecord({ ...astridV2, custom_fields: { [KEYS.jobTitleCustom]: 'CIO' } }, 'contact', 'toPropstreet', config, ctx);
		expect(item.body.connections).toEqual([{ company: { kind: 'existing', id: '6001' }, jobTitle: 'CIO', primary: true }]);
	});

	it('honours per-field switches', () => {
		const { config, ctx } = setup('contact', { config: { fieldDirections: { 'contact.phone': 'off', 'contact.strategy': 'toPipedrive' } } });
		const item = mapRecord(astridV2, 'contact', 'toPropstreet', config, ctx);
		expect(item.body).not.toHaveProperty('phone');
		expect(item.body).not.toHaveProperty('strategy');
		expect(item.warnings.some((w) => w.field === 'phone')).toBe(false);
	});

	const currentContact = {
		id: '5001',
		firstName: 'Astrid',
		lastName: 'Öberg',
		email: 'astrid.oberg@nordhav.example.se',
		phone: '+46 70 123 45 67',
		strategy: 'Edited in Propstreet',
		tags: ['investor', 'vip', 'institutional'],
		companies: [
			{ id: '6009', name: 'Old AB', jobTitle: 'Board member', isPrimary: true },
			{ id: '6001', name: 'Nordhav', jobTitle: 'Head of Transactions', isPrimary: false },
		],
		externalRefs: [{ namespace: 'salesforce', id: '003X' }, { namespace: 'pipedrive', id: '1001' }],
		updatedUtc: '2026-03-01T09:00:00Z',
	};

	it('merges lists the target replaces (connections, tags, external refs) with the current Propstreet contact', () => {
		const { config, ctx } = setup('contact', { lookups: { propstreetCompanyId: '6001' }, current: currentContact });
		const item = mapRecord(astridV2, 'contact', 'toPropstreet', config, ctx);
		expect(item.body.tags).toEqual(['institutional', 'investor', 'vip']);
		expect(item.body.connections).toEqual([
			{ company: { kind: 'existing', id: '6001' }, jobTitle: 'Head of Transactions', primary: true },
			{ company: { kind: 'existing', id: '6009' }, jobTitle: 'Board member', primary: false },
		]);
		expect(item.body.externalRefs).toEqual([{ namespace: 'salesforce', id: '003X' }, { namespace: 'pipedrive', id: '1001' }]);
		expect(item.body.strategy).toBe('Office, Stockholm inner city, SEK 300M+');
		expect(item.conflict).toMatchObject({ strategy: 'lastWriteWins', needsReview: false, unchanged: false, conflicts: [], changedFields: ['contact.organization', 'contact.strategy'] });
	});

	it('last write wins: fields Propstreet changed later are left out', () => {
		const { config, ctx } = setup('contact', { lookups: { propstreetCompanyId: '6001' }, current: { ...currentContact, updatedUtc: '2026-03-05T09:00:00Z' } });
		const item = mapRecord(astridV2, 'contact', 'toPropstreet', config, ctx);
		expect(item.body).not.toHaveProperty('strategy');
		expect(item.body).not.toHaveProperty('connections');
		expect(item.body.firstName).toBe('Astrid');
		expect(item.conflict?.conflicts.map((c) => [c.field, c.resolution]).sort()).toEqual([
			['contact.organization', 'target'],
			['contact.strategy', 'target'],
		]);
	});

	it('source of truth per field: Propstreet owns strategy, Pipedrive owns the connection', () => {
		const { config, ctx } = setup('contact', {
			lookups: { propstreetCompanyId: '6001' },
			current: { ...currentContact, updatedUtc: '2026-03-05T09:00:00Z' },
			config: { conflict: { strategy: 'sourceOfTruthPerField', sourceOfTruth: { 'contact.strategy': 'propstreet', 'contact.organization': 'pipedrive' } } },
		});
		const item = mapRecord(astridV2, 'contact', 'toPropstreet', config, ctx);
		expect(item.body).not.toHaveProperty('strategy');
		expect(item.body.connections).toBeDefined();
		expect(item.conflict?.conflicts.map((c) => [c.field, c.resolution]).sort()).toEqual([
			['contact.organization', 'source'],
			['contact.strategy', 'target'],
		]);
	});

	it('flags a conflict for manual review and keeps the body', () => {
		const current = { id: '5001', firstName: 'Astrid', lastName: 'Öberg', strategy: 'Newer', updatedUtc: '2026-03-05T09:00:00Z' };
		const { config, ctx } = setup('contact', { current, config: { conflict: { strategy: 'manualReview' } } });
		const item = mapRecord(astridV2, 'contact', 'toPropstreet', config, ctx);
		expect(item.conflict?.needsReview).toBe(true);
		expect(item.body.strategy).toBe('Office, Stockholm inner city, SEK 300M+');
	});

	it('reports unchanged when the target already holds the mapped values', () => {
		const current = { id: '5001', firstName: 'Astrid', lastName: 'Öberg', email: 'astrid.oberg@nordhav.example.se', phone: '+46 70 123 45 67', strategy: 'Office, Stockholm inner city, SEK 300M+', tags: ['vip', 'investor'], companies: [], externalRefs: [{ namespace: 'pipedrive', id: '1001' }], updatedUtc: '2026-01-01T00:00:00Z' };
		const { config, ctx } = setup('contact', { current });
		const item = mapRecord({ ...astridV2, org_id: null, job_title: null }, 'contact', 'toPropstreet', config, ctx);
		expect(item.conflict).toMatchObject({ unchanged: true, changedFields: [] });
	});

	it('turns a delete into a report and a merge into a relink, never a delete', () => {
		const { config, ctx } = setup('contact');
		const deleted = mapRecord(pipedriveWebhook('person', 'delete', null, astridV2), 'contact', 'toPropstreet', config, ctx);
		expect(deleted.body).toEqual({});
		expect(deleted.lifecycle).toEqual({ event: 'deleted', action: 'none' });
		expect(deleted.match.pipedriveId).toBe('1001');
		const merged = mapRecord(pipedriveWebhook('person', 'delete', null, astridV2, { merged_to_id: '1002' }), 'contact', 'toPropstreet', config, ctx);
		expect(merged.body).toEqual({ externalRefs: [{ namespace: 'pipedrive', id: '1002' }] });
		expect(merged.lifecycle).toMatchObject({ event: 'merged', action: 'relink', mergedToId: '1002' });
		const asked = setup('contact', { config: { onDelete: 'delete' } });
		expect(mapRecord(pipedriveWebhook('person', 'delete', null, astridV2), 'contact', 'toPropstreet', asked.config, asked.ctx).lifecycle?.action).toBe('deleteInPropstreet');
	});

	it.each([
		['a webhook about another entity', pipedriveWebhook('deal', 'change', { id: 9 }), 'entity'],
		['a record without id', { name: 'No Id' }, 'id'],
		['a non-object', 'just text', 'input'],
	])('rejects %s with a MappingError naming the field', (_case, input, field) => {
		const { config, ctx } = setup('contact');
		try {
			mapRecord(input, 'contact', 'toPropstreet', config, ctx);
			throw new Error('expected a MappingError');
		} catch (error) {
			expect(error).toBeInstanceOf(MappingError);
			expect((error as MappingError).field).toBe(field);
			expect((error as MappingError).record).toMatch(/^Pipedrive person/);
		}
	});
});

const contactWebhook = {
	type: 'contact.updated',
	timestamp: '2026-03-06T10:00:00Z',
	data: {
		id: '5008',
		externalRefs: [{ namespace: 'pipedrive', id: '1008' }],
		firstName: 'Karin',
		lastName: 'von Essen',
		email: 'karin.vonessen@malarstaden.example.se',
		phone: '+46 21 10 20 30',
		emails: [{ address: 'karin.vonessen@malarstaden.example.se', type: 'work', isPrimary: true }, { address: 'karin@privat.example.se', type: 'personal', isPrimary: false }],
		phones: [{ number: '+46 21 10 20 30', type: 'work', isPrimary: true }],
		tags: ['investor', 'institutional'],
		strategy: 'Social infrastructure, indexed leases, Mälardalen',
		primaryCompanyId: '6005',
		companies: [{ id: '6005', name: 'Mälarstaden Invest AB', jobTitle: 'CEO', isPrimary: true }],
		updatedUtc: '2026-03-06T09:59:00Z',
		changeType: 'update',
		changeOrigin: 'ui',
	},
};

describe('contact → person', () => {
	it('maps a Propstreet webhook to a Pipedrive v2 body', () => {
		const { config, ctx } = setup('contact', { lookups: { companyIdMap: { '2005': '6005' } } });
		const item = mapRecord({ ...contactWebhook, webhookId: 'msg_1' }, 'contact', 'toPipedrive', config, ctx);
		expect(item.body).toEqual({
			name: 'Karin von Essen',
			emails: [{ value: 'karin.vonessen@malarstaden.example.se', primary: true, label: 'work' }],
			phones: [{ value: '+46 21 10 20 30', primary: true, label: 'work' }],
			label_ids: [1],
			org_id: 2005,
			job_title: 'CEO',
			custom_fields: { [KEYS.strategy]: 'Social infrastructure, indexed leases, Mälardalen', [KEYS.contactId]: '5008' },
		});
		expect(item.match).toMatchObject({ pipedriveId: '1008', propstreetId: '5008', email: 'karin.vonessen@malarstaden.example.se', pipedriveOrgId: '2005' });
		expect(item.sourceEventId).toBe('msg_1');
		expect(item.sourceUpdatedAt).toBe('2026-03-06T09:59:00.000Z');
		const fields = item.warnings.map((w) => w.field);
		expect(fields).toContain('email'); // the personal address is dropped, and no current person was given
		expect(item.warnings.find((w) => w.field === 'labels')?.message).toMatch(/"institutional"/);
	});

	it('merges e-mails and phones into the current Pipedrive person and keeps Pipedrive-only labels', () => {
		const current = {
			id: 1008,
			name: 'Karin von Essen',
			emails: [{ value: 'karin@old.example.se', primary: true, label: 'work' }, { value: 'karin.home@example.se', primary: false, label: 'home' }],
			phones: [],
			label_ids: [1, 2],
			update_time: '2026-03-01T00:00:00Z',
			custom_fields: {},
		};
		const { config, ctx } = setup('contact', { current, config: { unmappedLabels: 'drop', labelMap: [{ pipedrive: 'Investor', propstreet: 'investor' }] } });
		const item = mapRecord(contactWebhook, 'contact', 'toPipedrive', config, ctx);
		expect(item.body.emails).toEqual([
			{ value: 'karin.vonessen@malarstaden.example.se', primary: true, label: 'work' },
			{ value: 'karin@old.example.se', primary: false, label: 'work' },
			{ value: 'karin.home@example.se', primary: false, label: 'home' },
		]);
		expect(item.body.label_ids).toEqual([1, 2]);
		expect(item.conflict?.changedFields).toContain('contact.email');
	});

	it('warns when the company has no known Pipedrive organization', () => {
		const { config, ctx } = setup('contact');
		const item = mapRecord(contactWebhook, 'contact', 'toPipedrive', config, ctx);
		expect(item.body).not.toHaveProperty('org_id');
		expect(item.match.propstreetCompanyId).toBe('6005');
		expect(item.warnings.find((w) => w.field === 'organization')?.message).toMatch(/company 6005/);
	});

	it('writes the job title to a custom field when configured', () => {
		const { config, ctx } = setup('contact', { config: { fieldKeys: { person: { jobTitle: KEYS.jobTitleCustom } } } });
		const item = mapRecord(contactWebhook, 'contact', 'toPipedrive', config, ctx);
		expect(item.body).not.toHaveProperty('job_title');
		expect((item.body.custom_fields as Record<string, unknown>)[KEYS.jobTitleCustom]).toBe('CEO');
	});

	it('reports a Propstreet delete without deleting', () => {
		const { config, ctx } = setup('contact');
		const item = mapRecord({ ...contactWebhook, type: 'contact.deleted' }, 'contact', 'toPipedrive', config, ctx);
		expect(item.body).toEqual({});
		expect(item.lifecycle).toEqual({ event: 'deleted', action: 'none' });
	});
});
