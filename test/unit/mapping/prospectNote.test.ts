import { mapRecord, normaliseClassification } from '../../../nodes/shared/core/mapping';
import { KEYS, pipedriveWebhook, setup } from './fixtures';

/** A v1 participant row: `person_id` is an object and the embedded person carries top-level custom keys. */
const participant = {
	id: 17,
	person_id: { value: 1002, name: 'Lars-Erik Åkesson', email: [{ value: 'lars-erik.akesson@nordhav.example.se', primary: true }] },
	person: { id: 1002, name: 'Lars-Erik Åkesson', [KEYS.contactId]: '5002', [KEYS.classification]: '12' },
	add_time: '2026-03-04 10:00:00',
	related_item_data: { deal_id: 3001, title: 'Kista Office Portfolio' },
	related_item_type: 'deal',
	related_item_id: 3001,
};

describe('participant → prospect', () => {
	it('maps a v1 participant: contact id from the person field, classification label, person id ref', () => {
		const { config, ctx } = setup('prospect', { lookups: { propstreetProjectId: '7001' } });
		const item = mapRecord(participant, 'prospect', 'toPropstreet', config, ctx);
		expect(item.body).toEqual({ contactId: '5002', externalRefs: [{ namespace: 'pipedrive', id: '1002' }], classification: 'contacted' });
		expect(item.match).toMatchObject({ pipedrivePersonId: '1002', pipedriveDealId: '3001', propstreetProjectId: '7001', propstreetContactId: '5002' });
		expect(item.target).toEqual({ projectId: '7001', path: '/api/v1/projects/7001/prospects' });
		expect(item.sourceUpdatedAt).toBe('2026-03-04T10:00:00.000Z');
	});

	it('takes the contact id from the map and the deal\'s primary person from a deal', () => {
		const { config, ctx } = setup('prospect', { lookups: { contactIdMap: { '1001': '5001' } } });
		const item = mapRecord({ id: 3001, title: 'Kista Office Portfolio', stage_id: 5, person_id: 1001, org_id: 2001 }, 'prospect', 'toPropstreet', config, ctx);
		expect(item.body).toEqual({ contactId: '5001', externalRefs: [{ namespace: 'pipedrive', id: '1001' }] });
		expect(item.match.pipedriveDealId).toBe('3001');
	});

	it('falls back to a company-level prospect when the deal has no person', () => {
		const { config, ctx } = setup('prospect', { lookups: { companyIdMap: { '2004': '6004' } } });
		const item = mapRecord({ id: 3006, title: 'Tampere Retail Centre', stage_id: 1, person_id: null, org_id: 2004 }, 'prospect', 'toPropstreet', config, ctx);
		expect(item.body).toEqual({ companyId: '6004' });
	});

	it.each([
		['unknown contact', { ...participant, person: { id: 1002 } }, 'contact', /not known/],
		['classification outside the five', { ...participant, person: { ...participant.person, [KEYS.classification]: 'Hot lead' } }, 'classification', /not a Propstreet prospect classification/],
	])('warns on %s', (_case, record, field, message) => {
		const { config, ctx } = setup('prospect');
		const item = mapRecord(record, 'prospect', 'toPropstreet', config, ctx);
		expect(item.warnings.find((w) => w.field === field)?.message).toMatch(message);
	});

	it.each([
		['Not contacted', 'not_contacted'], ['not-interested', 'not_interested'], ['BIDDER', 'bidder'], [' Interested ', 'interested'], ['Hot', undefined], [3, undefined],
	])('normalises classification %j → %s', (raw, value) => {
		expect(normaliseClassification(raw)).toBe(value);
	});
});

const prospect = {
	id: '8003',
	projectId: '7001',
	contactId: '5008',
	companyId: '6005',
	classification: 'bidder',
	externalRefs: [{ namespace: 'pipedrive', id: '1008' }],
	updatedUtc: '2026-03-06T10:00:00Z',
};

describe('prospect → participant', () => {
	it('maps a prospect to a participant body and the person classification field', () => {
		const { config, ctx } = setup('prospect', { lookups: { pipedriveDealId: '3001' } });
		const item = mapRecord({ type: 'prospect.updated', timestamp: '2026-03-06T10:00:00Z', data: prospect }, 'prospect', 'toPipedrive', config, ctx);
		expect(item.body).toEqual({ person_id: 1008 });
		expect(item.personBody).toEqual({ custom_fields: { [KEYS.classification]: 15 } });
		expect(item.target).toEqual({ dealId: '3001', path: '/v1/deals/3001/participants', personId: '1008' });
		expect(item.lifecycle).toBeUndefined();
	});

	it('turns a remove into removeParticipant', () => {
		const { config, ctx } = setup('prospect', { lookups: { pipedriveDealId: '3001' } });
		const item = mapRecord({ type: 'prospect.updated', timestamp: '2026-03-06T10:00:00Z', data: prospect, action: { type: 'removed' } }, 'prospect', 'toPipedrive', config, ctx);
		expect(item.lifecycle).toEqual({ event: 'removed', action: 'removeParticipant' });
	});

	it('skips company-level prospects and finds persons through the contact map', () => {
		const { config, ctx } = setup('prospect', { lookups: { contactIdMap: { '1011': '5011' } } });
		expect(mapRecord({ ...prospect, contactId: null }, 'prospect', 'toPipedrive', config, ctx).skip).toBe(true);
		const viaMap = mapRecord({ ...prospect, contactId: '5011', externalRefs: [] }, 'prospect', 'toPipedrive', config, ctx);
		expect(viaMap.body).toEqual({ person_id: 1011 });
	});

	it('writes the classification as text with a warning when no definitions were given', () => {
		const { config, ctx } = setup('prospect', { noDefinitions: true });
		const item = mapRecord(prospect, 'prospect', 'toPipedrive', config, ctx);
		expect(item.personBody).toEqual({ custom_fields: { classification: 'bidder' } });
		expect(item.warnings.find((w) => w.field === 'classification')?.message).toMatch(/definitions/);
	});
});

describe('notes', () => {
	const note = {
		id: 501,
		deal_id: 3001,
		person_id: 1001,
		org_id: 2001,
		content: '<p>Called Astrid&nbsp;Jan 15 &amp; discussed <b>pipeline</b></p><ul><li>Kista</li><li>Solna</li></ul>',
		update_time: '2026-03-04 10:00:00',
	};

	it('sends a deal note to the project as plain text', () => {
		const { config, ctx } = setup('note', { lookups: { propstreetProjectId: '7001' } });
		const item = mapRecord(pipedriveWebhook('note', 'create', note), 'note', 'toPropstreet', config, ctx);
		expect(item.body).toEqual({ content: 'Called Astrid Jan 15 & discussed pipeline\n\n- Kista\n- Solna' });
		expect(item.target).toEqual({ resource: 'project', method: 'POST', path: '/api/v1/projects/7001/notes', propstreetId: '7001', pipedriveId: '3001' });
		expect(item.extras?.idempotencyKey).toMatch(/^pipedrive-note-501-[0-9a-f]{16}$/);
	});

	it('prefers a linked record whose Propstreet id is known, and uses the contact note body', () => {
		const { config, ctx } = setup('note', { lookups: { contactIdMap: { '1001': '5001' } } });
		const item = mapRecord(note, 'note', 'toPropstreet', config, ctx);
		expect(item.target).toMatchObject({ resource: 'contact', path: '/api/v1/network/contacts/5001/notes' });
		expect(item.body).toEqual({ note: 'Called Astrid Jan 15 & discussed pipeline\n\n- Kista\n- Solna', type: 'note' });
	});

	it('routes to the organization when only that is linked, and says when its id is unknown', () => {
		const { config, ctx } = setup('note');
		const item = mapRecord({ ...note, deal_id: null, person_id: null }, 'note', 'toPropstreet', config, ctx);
		expect(item.target).toMatchObject({ resource: 'company', path: '/api/v1/network/companies/{id}/notes', propstreetId: null });
		expect(item.warnings.find((w) => w.field === 'target')?.message).toMatch(/organization 2001/);
	});

	it('cuts long notes to the limit with a warning', () => {
		const { config, ctx } = setup('note', { lookups: { propstreetProjectId: '7001' } });
		const item = mapRecord({ ...note, content: `<p>${'x'.repeat(12000)}</p>` }, 'note', 'toPropstreet', config, ctx);
		expect(Array.from(item.body.content as string)).toHaveLength(10000);
		expect(item.warnings.find((w) => w.field === 'content')?.message).toMatch(/12000 to 10000/);
	});

	it.each([
		['empty after HTML', { content: '<p>&nbsp;</p>' }, /empty/],
		['linked to nothing', { deal_id: null, person_id: null, org_id: null }, /linked to no/],
	])('skips a note %s', (_case, patch, message) => {
		const { config, ctx } = setup('note');
		const item = mapRecord({ ...note, ...patch }, 'note', 'toPropstreet', config, ctx);
		expect(item.skip).toBe(true);
		expect(item.warnings.map((w) => w.message).join(' ')).toMatch(message);
	});

	it('maps a Propstreet note back to a Pipedrive note body', () => {
		const { config, ctx } = setup('note', { lookups: { pipedriveDealId: '3001', pipedrivePersonId: '1001' } });
		const item = mapRecord({ id: '455', type: 'note', timestampUtc: '2025-10-01T09:15:00Z', details: { message: 'Follow-up <call>\nnext week' } }, 'note', 'toPipedrive', config, ctx);
		expect(item.body).toEqual({ content: '<p>Follow-up &lt;call&gt;<br>next week</p>', deal_id: 3001, person_id: 1001 });
		expect(item.sourceUpdatedAt).toBe('2025-10-01T09:15:00.000Z');
	});
});
