import {
	diffParticipants,
	oneWayPolicy,
	parseJsonField,
	ParticipantDiffInputError,
	PROSPECT_CLASSIFICATIONS,
	type OneSidePolicy,
	type ParticipantDiffDirection,
	type ParticipantDiffOptions,
} from '../../../nodes/shared/core/participantDiff';
import {
	actionCount,
	applyResult,
	inputOf,
	participant,
	prospect,
	random,
	TEASER,
	world,
	type World,
} from './world';

const diff = (w: World, options: Partial<ParticipantDiffOptions> = {}) => diffParticipants(inputOf(w), options);

describe('adds', () => {
	it('adds a participant without a prospect as a prospect with the person id as pipedrive ref', () => {
		const w = world({ participants: [participant(17, 42)], idMap: { '42': 'c-42' } });
		const result = diff(w);
		expect(result.addProspects).toEqual([
			{
				projectId: 'proj-1',
				dealId: 3001,
				batch: 1,
				batches: 1,
				prospects: [{ contactId: 'c-42', externalRefs: [{ namespace: 'pipedrive', id: '42' }] }],
			},
		]);
		expect(result.addParticipants).toEqual([]);
		expect(result.removeProspects).toEqual([]);
		expect(result.removeParticipants).toEqual([]);
	});

	it('adds a prospect without a participant as a participant, with the person id as a number', () => {
		const w = world({ prospects: [prospect('p1', 'c-7')], idMap: { '7': 'c-7' } });
		const result = diff(w);
		expect(result.addParticipants).toEqual([{ dealId: 3001, projectId: 'proj-1', personId: 7, contactId: 'c-7' }]);
		expect(result.addProspects).toEqual([]);
	});

	it("counts the deal's primary person as a participant, unless switched off", () => {
		const w = world({ primaryPersonId: 5, idMap: { '5': 'c-5' } });
		expect(diff(w).addProspects[0].prospects.map((p) => p.contactId)).toEqual(['c-5']);
		expect(diff(w, { includePrimaryPerson: false }).addProspects).toEqual([]);
		// A v1 deal's person_id object works too.
		const v1 = diffParticipants({ ...inputOf(w), deal: { id: 3001, person_id: { value: 5, name: 'Astrid' } } });
		expect(v1.addProspects[0].prospects[0].contactId).toBe('c-5');
	});

	it('does nothing when both sides already agree', () => {
		const w = world({
			primaryPersonId: 1,
			participants: [participant(11, 2)],
			prospects: [prospect('p1', 'c-1'), prospect('p2', 'c-2')],
			idMap: { '1': 'c-1', '2': 'c-2' },
		});
		const result = diff(w);
		expect(actionCount(result)).toBe(0);
		expect(result.unmatched).toEqual([]);
	});
});

describe('removes', () => {
	const base = () =>
		world({
			participants: [participant(11, 1), participant(12, 2)],
			prospects: [prospect('p1', 'c-1'), prospect('p3', 'c-3')],
			idMap: { '1': 'c-1', '2': 'c-2', '3': 'c-3' },
		});

	it('removes the participant record (not the person id) when Pipedrive-only means remove', () => {
		const result = diff(base(), { onlyInPipedrive: 'remove', onlyInPropstreet: 'ignore' });
		expect(result.removeParticipants).toEqual([
			{ dealId: 3001, projectId: 'proj-1', participantId: 12, personId: 2, contactId: 'c-2' },
		]);
		expect(result.addProspects).toEqual([]);
		expect(result.addParticipants).toEqual([]);
		expect(result.removeProspects).toEqual([]);
	});

	it('removes the prospect when Propstreet-only means remove', () => {
		const result = diff(base(), { onlyInPipedrive: 'ignore', onlyInPropstreet: 'remove' });
		expect(result.removeProspects).toEqual([
			{ projectId: 'proj-1', dealId: 3001, prospectId: 'p3', contactId: 'c-3', personId: 3 },
		]);
		expect(result.removeParticipants).toEqual([]);
	});

	it('adds and removes in the same run (Pipedrive → Propstreet mirror)', () => {
		const result = diff(base(), { direction: 'pipedriveToPropstreet', ...oneWayPolicy('pipedriveToPropstreet', true) });
		expect(result.addProspects[0].prospects).toEqual([
			{ contactId: 'c-2', externalRefs: [{ namespace: 'pipedrive', id: '2' }] },
		]);
		expect(result.removeProspects.map((r) => r.prospectId)).toEqual(['p3']);
		expect(result.addParticipants).toEqual([]);
		expect(result.removeParticipants).toEqual([]);
	});

	it('one-way without mirroring only adds', () => {
		const result = diff(base(), {
			direction: 'propstreetToPipedrive',
			...oneWayPolicy('propstreetToPipedrive', false),
		});
		expect(result.addParticipants.map((r) => r.personId)).toEqual([3]);
		expect(result.removeParticipants).toEqual([]);
		expect(result.addProspects).toEqual([]);
		expect(result.removeProspects).toEqual([]);
	});

	it('never writes against the direction, whatever the one-side policies say', () => {
		const toPropstreet = diff(base(), { direction: 'pipedriveToPropstreet', onlyInPipedrive: 'remove', onlyInPropstreet: 'add' });
		expect(toPropstreet.removeParticipants).toEqual([]);
		expect(toPropstreet.addParticipants).toEqual([]);
		const toPipedrive = diff(base(), { direction: 'propstreetToPipedrive', onlyInPipedrive: 'add', onlyInPropstreet: 'remove' });
		expect(toPipedrive.addProspects).toEqual([]);
		expect(toPipedrive.removeProspects).toEqual([]);
	});

	it('keeps the primary person and reports why instead of removing them', () => {
		const w = world({ primaryPersonId: 9, participants: [participant(19, 9)], idMap: { '9': 'c-9' } });
		const result = diff(w, { onlyInPipedrive: 'remove' });
		expect(result.removeParticipants).toEqual([]);
		expect(result.unmatched).toEqual([
			expect.objectContaining({ side: 'pipedrive', reason: 'primary_person_not_removable', personId: 9, participantIds: [19] }),
		]);
	});
});

describe('duplicates', () => {
	it('collapses a person listed twice (and as primary) and a contact with two prospects: no spurious actions', () => {
		const w = world({
			primaryPersonId: 42,
			participants: [participant(17, 42), participant(18, 42), participant(17, 42)],
			prospects: [prospect('p2', 'c-42', 'contacted'), prospect('p1', 'c-42', 'contacted')],
			idMap: { '42': 'c-42' },
			personClassifications: { '42': 'Contacted' },
		});
		const result = diff(w);
		expect(actionCount(result)).toBe(0);
		expect(result.unmatched).toEqual([]);
	});

	it('adds a doubly listed person once', () => {
		const w = world({ participants: [participant(17, 42), participant(18, 42)], idMap: { '42': 'c-42' } });
		const result = diff(w);
		expect(result.addProspects).toHaveLength(1);
		expect(result.addProspects[0].prospects).toHaveLength(1);
	});

	it('removes every record of a duplicated person or contact, so the next run is clean', () => {
		const w = world({
			participants: [participant(17, 42), participant(18, 42)],
			prospects: [prospect('p1', 'c-7'), prospect('p2', 'c-7')],
			idMap: { '42': 'c-42', '7': 'c-7' },
		});
		const result = diff(w, { onlyInPipedrive: 'remove', onlyInPropstreet: 'remove' });
		expect(result.removeParticipants.map((r) => r.participantId)).toEqual([17, 18]);
		expect(result.removeProspects.map((r) => r.prospectId)).toEqual(['p1', 'p2']);
		expect(actionCount(diff(applyResult(w, result), { onlyInPipedrive: 'remove', onlyInPropstreet: 'remove' }))).toBe(0);
	});

	it('adds one prospect when two persons (Pipedrive duplicates) map to one contact, and flags them', () => {
		const w = world({ participants: [participant(11, 1), participant(12, 2)], idMap: { '1': 'c-1', '2': 'c-1' } });
		const result = diff(w);
		expect(result.addProspects[0].prospects).toEqual([
			{ contactId: 'c-1', externalRefs: [{ namespace: 'pipedrive', id: '1' }] },
		]);
		expect(result.unmatched).toEqual([
			expect.objectContaining({ reason: 'several_persons_for_contact', contactId: 'c-1', candidatePersonIds: [1, 2] }),
		]);
	});
});

describe('unmatched', () => {
	it('reports a participant without a Propstreet contact instead of dropping it', () => {
		const w = world({ participants: [participant(17, 42, 'Ada Smith')] });
		const result = diff(w);
		expect(actionCount(result)).toBe(0);
		expect(result.unmatched).toEqual([
			{
				side: 'pipedrive',
				dealId: 3001,
				projectId: 'proj-1',
				reason: 'no_propstreet_contact',
				personId: 42,
				participantIds: [17],
				name: 'Ada Smith',
				message: expect.stringContaining('contact sync'),
			},
		]);
	});

	it('reports a prospect whose contact has no Pipedrive person, and never removes it', () => {
		const w = world({ prospects: [prospect('p1', 'c-1')] });
		for (const policy of ['add', 'remove'] as OneSidePolicy[]) {
			const result = diff(w, { onlyInPropstreet: policy });
			expect(actionCount(result)).toBe(0);
			expect(result.unmatched).toEqual([
				expect.objectContaining({ side: 'propstreet', reason: 'no_pipedrive_person', contactId: 'c-1', prospectId: 'p1' }),
			]);
		}
	});

	it('does not report people a "leave as is" policy would not touch', () => {
		const w = world({ participants: [participant(17, 42)], prospects: [prospect('p1', 'c-1')] });
		expect(diff(w, { onlyInPipedrive: 'ignore', onlyInPropstreet: 'ignore' }).unmatched).toEqual([]);
	});

	it('reports company-only prospects, which cannot be participants', () => {
		const w = world({ prospects: [prospect('p9', null, 'interested', { companyId: 'co-5', displayName: 'Acme AB' } as never)] });
		expect(diff(w).unmatched).toEqual([
			expect.objectContaining({ side: 'propstreet', reason: 'company_only_prospect', prospectId: 'p9', companyId: 'co-5', name: 'Acme AB' }),
		]);
	});

	it('reports a contact that several persons map to instead of guessing which to add', () => {
		const w = world({ prospects: [prospect('p1', 'c-1')], idMap: { '1': 'c-1', '2': 'c-1' } });
		const result = diff(w);
		expect(result.addParticipants).toEqual([]);
		expect(result.unmatched).toEqual([
			expect.objectContaining({ side: 'propstreet', reason: 'several_persons_for_contact', candidatePersonIds: [1, 2] }),
		]);
	});
});

describe('teaser-matched and deleted prospects', () => {
	const teaserWorld = () =>
		world({
			participants: [participant(11, 1)],
			prospects: [prospect('p1', 'c-1'), prospect('p2', 'c-2', 'not_contacted', { teaser: TEASER })],
			idMap: { '1': 'c-1', '2': 'c-2' },
		});

	it('never removes a teaser-matched prospect because Pipedrive does not list it', () => {
		expect(diff(teaserWorld(), { onlyInPropstreet: 'remove' }).removeProspects).toEqual([]);
		const mirror = diff(teaserWorld(), {
			direction: 'pipedriveToPropstreet',
			...oneWayPolicy('pipedriveToPropstreet', true),
		});
		expect(mirror.removeProspects).toEqual([]);
	});

	it('adds a teaser-matched prospect to Pipedrive only with includeTeaserMatched', () => {
		expect(diff(teaserWorld()).addParticipants).toEqual([]);
		expect(diff(teaserWorld()).unmatched).toEqual([]);
		expect(diff(teaserWorld(), { includeTeaserMatched: true }).addParticipants).toEqual([
			{ dealId: 3001, projectId: 'proj-1', personId: 2, contactId: 'c-2' },
		]);
	});

	it('still removes broker-added prospects next to teaser-matched ones', () => {
		const w = teaserWorld();
		w.participants = [];
		const result = diff(w, { onlyInPropstreet: 'remove' });
		expect(result.removeProspects.map((r) => r.prospectId)).toEqual(['p1']);
	});

	it('syncs the classification of a teaser-matched prospect that is also a participant', () => {
		const w = teaserWorld();
		w.participants.push(participant(12, 2));
		w.prospects[1].classification = 'interested';
		w.personClassifications = { '2': 'Not contacted' };
		expect(diff(w).updateClassifications).toEqual([
			expect.objectContaining({ target: 'pipedrive', personId: 2, classification: 'interested', label: 'Interested' }),
		]);
	});

	it('counts a deleted prospect as absent: the participant is added again', () => {
		const w = world({
			participants: [participant(11, 1)],
			prospects: [prospect('p1', 'c-1', 'bidder', { deletedUtc: '2026-05-01T00:00:00Z' })],
			idMap: { '1': 'c-1' },
		});
		expect(diff(w).addProspects[0].prospects.map((p) => p.contactId)).toEqual(['c-1']);
		// ...and it is never "removed" a second time.
		expect(diff(w, { onlyInPipedrive: 'ignore', onlyInPropstreet: 'remove' }).removeProspects).toEqual([]);
	});

	it('counts an inactive participant record as absent', () => {
		const w = world({ participants: [{ ...participant(11, 1), active_flag: false }], prospects: [prospect('p1', 'c-1')], idMap: { '1': 'c-1' } });
		expect(diff(w).addParticipants.map((r) => r.personId)).toEqual([1]);
	});
});

describe('classification', () => {
	const pair = (prospectValue: string | null, personValue: string | null | undefined) =>
		world({
			participants: [participant(11, 1)],
			prospects: [prospect('p1', 'c-1', prospectValue)],
			idMap: { '1': 'c-1' },
			personClassifications: personValue === undefined ? {} : { '1': personValue },
		});

	it('Propstreet wins by default: updates the Pipedrive person', () => {
		expect(diff(pair('bidder', 'Interested')).updateClassifications).toEqual([
			{
				target: 'pipedrive',
				dealId: 3001,
				projectId: 'proj-1',
				prospectId: 'p1',
				personId: 1,
				contactId: 'c-1',
				classification: 'bidder',
				label: 'Bidder',
				previous: 'interested',
			},
		]);
	});

	it('Pipedrive as source of truth updates the prospect', () => {
		expect(diff(pair('bidder', 'Not interested'), { classificationSource: 'pipedrive' }).updateClassifications).toEqual([
			expect.objectContaining({ target: 'propstreet', prospectId: 'p1', classification: 'not_interested', previous: 'bidder' }),
		]);
	});

	it('one-way directions take the classification from the source side', () => {
		expect(
			diff(pair('bidder', 'Contacted'), { direction: 'pipedriveToPropstreet', classificationSource: 'propstreet' })
				.updateClassifications,
		).toEqual([expect.objectContaining({ target: 'propstreet', classification: 'contacted' })]);
		expect(
			diff(pair('bidder', 'Contacted'), { direction: 'propstreetToPipedrive', classificationSource: 'pipedrive' })
				.updateClassifications,
		).toEqual([expect.objectContaining({ target: 'pipedrive', classification: 'bidder' })]);
	});

	it('writes nothing when the winning side is empty, the person is unknown, or both agree', () => {
		expect(diff(pair(null, 'Bidder')).updateClassifications).toEqual([]);
		expect(diff(pair('bidder', null), { classificationSource: 'pipedrive' }).updateClassifications).toEqual([]);
		expect(diff(pair('bidder', undefined)).updateClassifications).toEqual([]);
		expect(diff(pair('not_interested', 'not-interested')).updateClassifications).toEqual([]);
		expect(diff(pair('not_interested', ' NOT INTERESTED ')).updateClassifications).toEqual([]);
		expect(diff(pair('bidder', 'Interested'), { syncClassification: false }).updateClassifications).toEqual([]);
	});

	it('fills an empty Pipedrive field from Propstreet', () => {
		expect(diff(pair('contacted', null)).updateClassifications).toEqual([
			expect.objectContaining({ target: 'pipedrive', classification: 'contacted', previous: null }),
		]);
	});

	it('reads option ids and {id, label} values, and returns the option id to write', () => {
		const options = [
			{ id: 51, label: 'Not contacted' },
			{ id: 52, label: 'Contacted' },
			{ id: 53, label: 'Interested' },
			{ id: 54, label: 'Not interested' },
			{ id: 55, label: 'Bidder' },
		];
		const w = pair('bidder', null);
		const input = { ...inputOf(w), classificationOptions: options, personClassifications: { '1': 53 } };
		expect(diffParticipants(input).updateClassifications).toEqual([
			expect.objectContaining({ target: 'pipedrive', classification: 'bidder', optionId: 55, previous: 'interested' }),
		]);
		const same = { ...input, personClassifications: { '1': { id: 55, label: 'Bidder' } } };
		expect(diffParticipants(same).updateClassifications).toEqual([]);
	});

	it('reports a value it does not recognise on the winning side instead of writing it', () => {
		const result = diff(pair('bidder', 'Hot lead'), { classificationSource: 'pipedrive' });
		expect(result.updateClassifications).toEqual([]);
		expect(result.unmatched).toEqual([
			expect.objectContaining({ side: 'pipedrive', reason: 'unknown_classification', value: 'Hot lead' }),
		]);
		// On the losing side an unknown value is simply overwritten.
		expect(diff(pair('bidder', 'Hot lead')).updateClassifications).toEqual([
			expect.objectContaining({ target: 'pipedrive', classification: 'bidder', previous: 'Hot lead' }),
		]);
	});

	it("carries the person's stage to a new prospect, found by contact id", () => {
		const w = world({ participants: [participant(11, 1)], idMap: { '1': 'c-1' }, personClassifications: { '1': 'Interested' } });
		expect(diff(w).updateClassifications).toEqual([
			expect.objectContaining({ target: 'propstreet', prospectId: null, contactId: 'c-1', classification: 'interested' }),
		]);
		// not_contacted is what a new prospect starts with: nothing to write.
		w.personClassifications = { '1': 'Not contacted' };
		expect(diff(w).updateClassifications).toEqual([]);
	});

	it("carries the prospect's stage to a person added as participant", () => {
		const w = world({ prospects: [prospect('p1', 'c-1', 'bidder')], idMap: { '1': 'c-1' }, personClassifications: { '1': 'Contacted' } });
		expect(diff(w, { classificationSource: 'pipedrive' }).updateClassifications).toEqual([
			expect.objectContaining({ target: 'pipedrive', personId: 1, classification: 'bidder', prospectId: 'p1' }),
		]);
	});

	it('updates every duplicate prospect that disagrees when Pipedrive wins', () => {
		const w = pair('bidder', 'Interested');
		w.prospects.push(prospect('p0', 'c-1', 'interested'));
		expect(diff(w, { classificationSource: 'pipedrive' }).updateClassifications.map((u) => u.prospectId)).toEqual(['p1']);
	});
});

describe('id mapping', () => {
	const participants = [participant(11, 1)];
	const prospects = [prospect('p1', 'c-1')];

	it('builds the map from Propstreet contacts external refs', () => {
		const idMap = [{ id: 'c-1', externalRefs: [{ namespace: 'PipeDrive', id: '1' }] }];
		expect(actionCount(diffParticipants({ dealId: 1, projectId: 'x', participants, prospects, idMap }))).toBe(0);
	});

	it('builds the map from Pipedrive persons (v2 custom_fields, v1 top-level, webhook typed values)', () => {
		for (const person of [
			{ id: 1, custom_fields: { propstreet_contact_id: 'c-1' } },
			{ id: 1, propstreet_contact_id: 'c-1' },
			{ id: 1, custom_fields: { propstreet_contact_id: { type: 'varchar', value: 'c-1' } } },
		]) {
			const result = diffParticipants({ dealId: 1, projectId: 'x', participants, prospects, idMap: { persons: [person] } });
			expect(actionCount(result)).toBe(0);
			expect(result.unmatched).toEqual([]);
		}
	});

	it("uses a configured field key, and reads contact id and classification from the participant's person", () => {
		const key = 'dcf558aac1ae4e8c4f849ba5e668430d8df9be12';
		const classKey = 'abc558aac1ae4e8c4f849ba5e668430d8df9be99';
		const result = diffParticipants(
			{
				dealId: 1,
				projectId: 'x',
				participants: [{ id: 11, person_id: { value: 1 }, person: { id: 1, [key]: 'c-1', [classKey]: 'Interested' } }],
				prospects: [prospect('p1', 'c-1', 'bidder')],
			},
			{ contactIdField: key, classificationField: classKey },
		);
		expect(result.updateClassifications).toEqual([
			expect.objectContaining({ target: 'pipedrive', personId: 1, classification: 'bidder', previous: 'interested' }),
		]);
	});

	it('prefers the explicit map, then contact refs, then the person field, then prospect refs', () => {
		const input = (idMap: unknown, refs = true) => ({
			dealId: 1,
			projectId: 'x',
			participants,
			prospects: [prospect('p1', 'c-A', 'not_contacted', refs ? { externalRefs: [{ namespace: 'pipedrive', id: '1' }] } : {})],
			idMap,
		});
		// Prospect refs alone link person 1 to c-A.
		expect(actionCount(diffParticipants(input(undefined)))).toBe(0);
		// The person field beats the prospect ref: person 1 is c-B, so c-B is added.
		const byField = diffParticipants(input({ persons: [{ id: 1, propstreet_contact_id: 'c-B' }] }));
		expect(byField.addProspects[0].prospects[0].contactId).toBe('c-B');
		// Contact refs beat the person field.
		const byContact = diffParticipants(
			input({ persons: [{ id: 1, propstreet_contact_id: 'c-B' }], contacts: [{ id: 'c-A', externalRefs: [{ namespace: 'pipedrive', id: '1' }] }] }),
		);
		expect(actionCount(byContact)).toBe(0);
		// The explicit map beats everything.
		const byMap = diffParticipants(input({ map: { '1': 'c-C' }, contacts: [{ id: 'c-A', externalRefs: [{ namespace: 'pipedrive', id: '1' }] }] }));
		expect(byMap.addProspects[0].prospects[0].contactId).toBe('c-C');
	});

	it('treats a bare-number person_id like the v1 object', () => {
		const w = world({
			participants: [participant(11, 1), participant(12, 2)],
			prospects: [prospect('p3', 'c-3', 'bidder')],
			idMap: { '1': 'c-1', '2': 'c-2', '3': 'c-3' },
		});
		const asNumbers = { ...w, participants: w.participants.map((p) => ({ id: p.id, person_id: (p.person_id as { value: number }).value })) };
		const asStrings = { ...w, participants: w.participants.map((p) => ({ id: String(p.id), person_id: String((p.person_id as { value: number }).value) })) };
		const expected = diff(w);
		expect(diff(asNumbers)).toEqual(expected);
		expect(diffParticipants(inputOf(asStrings as never))).toEqual(expected);
		expect(expected.addProspects[0].prospects.map((p) => p.contactId)).toEqual(['c-1', 'c-2']);
	});
});

describe('batches', () => {
	it('splits 250 new prospects into 3 batches of at most 100, in contact order', () => {
		const count = 250;
		const w = world({ idMap: {} });
		for (let i = count; i >= 1; i--) {
			w.participants.push(participant(10000 + i, i));
			w.idMap[String(i)] = String(500 + i);
		}
		const result = diff(w);
		expect(result.addProspects.map((b) => b.prospects.length)).toEqual([100, 100, 50]);
		expect(result.addProspects.map((b) => [b.batch, b.batches])).toEqual([
			[1, 3],
			[2, 3],
			[3, 3],
		]);
		const ids = result.addProspects.flatMap((b) => b.prospects.map((p) => Number(p.contactId)));
		expect(ids).toEqual(Array.from({ length: count }, (_, i) => 501 + i));
		expect(actionCount(diff(applyResult(w, result)))).toBe(0);
	});

	it('honours a smaller batch size and rejects one over 100', () => {
		const w = world({ participants: [participant(1, 1), participant(2, 2), participant(3, 3)], idMap: { '1': 'a', '2': 'b', '3': 'c' } });
		expect(diff(w, { batchSize: 2 }).addProspects.map((b) => b.prospects.length)).toEqual([2, 1]);
		expect(() => diff(w, { batchSize: 101 })).toThrow(ParticipantDiffInputError);
	});
});

describe('scope', () => {
	it('limits actions to the people named, for runs started by one prospect event', () => {
		const w = world({
			participants: [participant(11, 1), participant(12, 2)],
			prospects: [prospect('p3', 'c-3'), prospect('p4', 'c-4')],
			idMap: { '1': 'c-1', '2': 'c-2', '3': 'c-3', '4': 'c-4' },
		});
		const result = diffParticipants({ ...inputOf(w), scope: { contactIds: 'c-2, c-4' } }, { onlyInPropstreet: 'remove' });
		expect(result.addProspects[0].prospects.map((p) => p.contactId)).toEqual(['c-2']);
		expect(result.removeProspects.map((r) => r.prospectId)).toEqual(['p4']);
		const byPerson = diffParticipants({ ...inputOf(w), scope: { personIds: [3] } });
		expect(byPerson.addProspects).toEqual([]);
		expect(byPerson.addParticipants.map((r) => r.personId)).toEqual([3]);
	});
});

describe('determinism and idempotence', () => {
	it('gives the same output whatever order the input lists are in', () => {
		const w = world({
			primaryPersonId: 3,
			participants: [participant(11, 1), participant(12, 2), participant(13, 5), participant(14, 6)],
			prospects: [prospect('p7', 'c-7', 'bidder'), prospect('p8', 'c-8'), prospect('p1', 'c-1', 'interested'), prospect('p9', null)],
			idMap: { '1': 'c-1', '2': 'c-2', '3': 'c-3', '7': 'c-7', '8': 'c-8' },
			personClassifications: { '1': 'Contacted' },
		});
		const expected = diff(w);
		const reversed = { ...w, participants: [...w.participants].reverse(), prospects: [...w.prospects].reverse() };
		expect(diff(reversed)).toEqual(expected);
		expect(diff(w)).toEqual(expected);
	});

	/** Generated worlds per direction/policy combination (300 were run once while writing this). */
	const SEEDS = 20;
	const directions: ParticipantDiffDirection[] = ['both', 'pipedriveToPropstreet', 'propstreetToPipedrive'];
	const policies: OneSidePolicy[] = ['add', 'remove', 'ignore'];
	const labels = ['Not contacted', 'Contacted', 'Interested', 'Not interested', 'Bidder'];

	function generatedWorld(seed: number): World {
		const rnd = random(seed);
		const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
		const w = world({ primaryPersonId: rnd() < 0.5 ? 1 : null });
		let record = 100;
		let prospectNo = 1;
		for (let person = 1; person <= 30; person++) {
			if (rnd() < 0.85) w.idMap[String(person)] = `c-${person}`;
			if (rnd() < 0.7) w.personClassifications[String(person)] = rnd() < 0.15 ? null : pick(labels);
			if (rnd() < 0.5) w.participants.push(participant(record++, person));
			if (rnd() < 0.1) w.participants.push(participant(record++, person));
			if (rnd() < 0.5) {
				w.prospects.push(
					prospect(`p${prospectNo++}`, `c-${person}`, rnd() < 0.1 ? null : pick(PROSPECT_CLASSIFICATIONS), {
						teaser: rnd() < 0.2 ? TEASER : null,
						deletedUtc: rnd() < 0.1 ? '2026-01-01T00:00:00Z' : null,
					}),
				);
			}
			if (rnd() < 0.05) w.prospects.push(prospect(`p${prospectNo++}`, `c-${person}`, pick(PROSPECT_CLASSIFICATIONS)));
		}
		for (let stray = 31; stray <= 33; stray++) w.prospects.push(prospect(`p${prospectNo++}`, `c-${stray}`));
		return w;
	}

	it('applying the actions and diffing again yields nothing, for every direction and policy', () => {
		let cases = 0;
		for (let seed = 1; seed <= SEEDS; seed++) {
			for (const direction of directions) {
				for (const onlyInPipedrive of policies) {
					for (const onlyInPropstreet of policies) {
						for (const classificationSource of ['propstreet', 'pipedrive'] as const) {
							const options = { direction, onlyInPipedrive, onlyInPropstreet, classificationSource, includeTeaserMatched: seed % 2 === 0 };
							const w = generatedWorld(seed);
							const first = diffParticipants(inputOf(w), options);
							const second = diffParticipants(inputOf(applyResult(w, first)), options);
							expect({ seed, options, second: actionCount(second) ? second : 0 }).toEqual({ seed, options, second: 0 });
							cases++;
						}
					}
				}
			}
		}
		expect(cases).toBe(SEEDS * 3 * 3 * 3 * 2);
	});

	it('the generated worlds really exercise every action kind', () => {
		const seen = { addProspects: 0, removeProspects: 0, addParticipants: 0, removeParticipants: 0, updateClassifications: 0, unmatched: 0 };
		for (let seed = 1; seed <= 12; seed++) {
			for (const options of [{}, { onlyInPipedrive: 'remove', onlyInPropstreet: 'remove' } as const, { classificationSource: 'pipedrive' } as const]) {
				const result = diff(generatedWorld(seed), options);
				for (const key of Object.keys(seen) as Array<keyof typeof seen>) seen[key] += result[key].length;
			}
		}
		for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
	});
});

describe('bad input', () => {
	const good = () => inputOf(world({ participants: [participant(1, 1)], idMap: { '1': 'c-1' } }));
	const problem = (input: object) => {
		try {
			diffParticipants(input as never);
		} catch (error) {
			expect(error).toBeInstanceOf(ParticipantDiffInputError);
			return (error as Error).message;
		}
		throw new Error('expected an input error');
	};

	it('names the field and what is wrong with it', () => {
		expect(problem({ ...good(), participants: 'nope' })).toBe('participants is not an array');
		expect(problem({ ...good(), participants: undefined })).toBe('participants is missing');
		expect(problem({ ...good(), prospects: { items: [] } })).toBe('prospects is not an array');
		expect(problem({ ...good(), participants: [{ id: 1 }] })).toBe('participants[0].person_id is missing');
		expect(problem({ ...good(), participants: [participant(1, 1), { person_id: 2 }] })).toBe('participants[1].id is missing');
		expect(problem({ ...good(), prospects: [{ contactId: 'c-1' }] })).toBe('prospects[0].id is missing');
		expect(problem({ ...good(), prospects: [7] })).toBe('prospects[0] is not an object');
		expect(problem({ ...good(), projectId: '' })).toBe('projectId is missing');
		expect(problem({ ...good(), dealId: undefined, deal: null })).toBe('dealId is missing');
		expect(problem({ ...good(), idMap: 'c-1' })).toBe('idMap is not an object or an array');
		expect(problem({ ...good(), idMap: { '1': { id: 'c-1' } } })).toBe('idMap["1"] is not a contact id');
		expect(problem({ ...good(), personClassifications: ['x'] })).toBe('personClassifications is not an object');
		expect(problem({ ...good(), classificationOptions: [{ label: 'Bidder' }] })).toBe('classificationOptions[0] needs an id and a label');
	});

	it('accepts response envelopes and takes the deal id from the deal', () => {
		const input = { ...good(), dealId: undefined, deal: { id: 77, person_id: null }, participants: { success: true, data: [participant(1, 1)] }, prospects: { data: [] } };
		expect(diffParticipants(input).addProspects[0].dealId).toBe(77);
	});

	it('parses JSON typed into a field and rejects broken JSON', () => {
		expect(parseJsonField('[{"id": 1}]', 'participants')).toEqual([{ id: 1 }]);
		expect(parseJsonField('  ', 'participants')).toBeUndefined();
		expect(parseJsonField([1], 'participants')).toEqual([1]);
		expect(() => parseJsonField('[{', 'participants')).toThrow('participants is not valid JSON');
	});
});
