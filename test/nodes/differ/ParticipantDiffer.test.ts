import { mock } from 'jest-mock-extended';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import { ParticipantDiffer } from '../../../nodes/ParticipantDiffer/ParticipantDiffer.node';

type ParamValue = unknown | ((json: IDataObject) => unknown);

/**
 * The node's json fields default to expressions on the item (`={{ $json.participants }}` …); n8n
 * resolves those before the node sees them, so the mock resolves them the same way per item.
 */
const expressionDefaults: Record<string, ParamValue> = {
	dealId: (json: IDataObject) => json.dealId,
	projectId: (json: IDataObject) => json.projectId,
	deal: (json: IDataObject) => json.deal,
	participants: (json: IDataObject) => json.participants,
	prospects: (json: IDataObject) => json.prospects,
	idMap: (json: IDataObject) => json.idMap,
	personClassifications: (json: IDataObject) => json.personClassifications,
	direction: 'both',
	onlyInPipedrive: 'add',
	onlyInPropstreet: 'add',
	classificationSource: 'propstreet',
	mirrorRemovals: true,
	options: {},
};

function context(items: IDataObject[], params: Record<string, ParamValue> = {}, continueOnFail = false) {
	const ctx = mock<IExecuteFunctions>();
	const node = mock<INode>({ name: 'Participant Differ', type: 'n8n-nodes-propstreet.participantDiffer' });
	const all = { ...expressionDefaults, ...params };
	ctx.getInputData.mockReturnValue(items.map((json) => ({ json })));
	ctx.getNode.mockReturnValue(node);
	ctx.continueOnFail.mockReturnValue(continueOnFail);
	ctx.getNodeParameter.mockImplementation(((name: string, itemIndex: number, fallback?: unknown) => {
		if (!(name in all)) return fallback;
		const value = all[name];
		return typeof value === 'function' ? (value as (json: IDataObject) => unknown)(items[itemIndex]) : value;
	}) as never);
	return ctx;
}

const run = (ctx: IExecuteFunctions) => new ParticipantDiffer().execute.call(ctx);

/** One deal/project pair in which every output gets something. */
function busyPair(dealId: number, projectId: string): IDataObject {
	return {
		dealId,
		projectId,
		deal: { id: dealId, person_id: { value: 1, name: 'Astrid Lindqvist' } },
		participants: [
			{ id: 501, person_id: { value: 2, name: 'Lars Berg' } },
			{ id: 502, person_id: { value: 3, name: 'Karin Holm' } },
			{ id: 503, person_id: 99 },
		],
		prospects: [
			{ id: 'pr-1', contactId: 'c-1', classification: 'bidder' },
			{ id: 'pr-4', contactId: 'c-4', classification: 'interested' },
			{ id: 'pr-5', contactId: 'c-5', classification: null },
		],
		idMap: { '1': 'c-1', '2': 'c-2', '3': 'c-3', '4': 'c-4', '5': 'c-5' },
		personClassifications: { '1': 'Interested' },
	};
}

describe('Participant Differ node', () => {
	it('describes a transform node with six named outputs and distinct icons', () => {
		const { description } = new ParticipantDiffer();
		expect(description.name).toBe('participantDiffer');
		expect(description.group).toEqual(['transform']);
		expect(description.outputs).toEqual(Array(6).fill(NodeConnectionTypes.Main));
		expect(description.outputNames).toEqual([
			'Add Prospects',
			'Remove Prospects',
			'Add Participants',
			'Remove Participants',
			'Update Classification',
			'Unmatched',
		]);
		expect(description.usableAsTool).toBeFalsy();
		expect(description.icon).toEqual({ light: 'file:participantDiffer.svg', dark: 'file:participantDiffer.dark.svg' });
	});

	it('routes each kind of action to its output, every item paired with its input pair', async () => {
		const ctx = context([busyPair(3001, 'proj-a')], { onlyInPropstreet: 'remove' });
		const [addProspects, removeProspects, addParticipants, removeParticipants, updates, unmatched] = await run(ctx);
		expect(addProspects.map((i) => i.json)).toEqual([
			{
				projectId: 'proj-a',
				dealId: 3001,
				batch: 1,
				batches: 1,
				prospects: [
					{ contactId: 'c-2', externalRefs: [{ namespace: 'pipedrive', id: '2' }] },
					{ contactId: 'c-3', externalRefs: [{ namespace: 'pipedrive', id: '3' }] },
				],
			},
		]);
		expect(removeProspects.map((i) => i.json.prospectId)).toEqual(['pr-4', 'pr-5']);
		expect(addParticipants).toEqual([]);
		expect(removeParticipants).toEqual([]);
		expect(updates.map((i) => i.json)).toEqual([
			expect.objectContaining({ target: 'pipedrive', personId: 1, classification: 'bidder', label: 'Bidder' }),
		]);
		expect(unmatched.map((i) => i.json)).toEqual([
			expect.objectContaining({ side: 'pipedrive', reason: 'no_propstreet_contact', personId: 99, participantIds: [503] }),
		]);
		for (const output of [addProspects, removeProspects, updates, unmatched]) {
			for (const item of output) expect(item.pairedItem).toEqual({ item: 0 });
		}
	});

	it('pairs output items with the right input when several pairs come in', async () => {
		const second = busyPair(3002, 'proj-b');
		second.prospects = [];
		const ctx = context([busyPair(3001, 'proj-a'), second]);
		const outputs = await run(ctx);
		const all = outputs.flat();
		expect(all.length).toBeGreaterThan(0);
		for (const item of all) {
			const expected = item.json.dealId === 3001 ? 0 : 1;
			expect(item.pairedItem).toEqual({ item: expected });
		}
		const addProspects = outputs[0];
		expect(addProspects.map((i) => [i.json.dealId, (i.json.prospects as unknown[]).length])).toEqual([
			[3001, 2],
			[3002, 3],
		]);
		// Prospect only in Propstreet + default "add": participants to add on deal 3001.
		expect(outputs[2].map((i) => [i.json.dealId, i.json.personId])).toEqual([
			[3001, 4],
			[3001, 5],
		]);
	});

	it('splits 250 new prospects into three Add Prospects items', async () => {
		const participants = Array.from({ length: 250 }, (_, i) => ({ id: 1000 + i, person_id: i + 1 }));
		const idMap = Object.fromEntries(participants.map((p) => [String(p.person_id), `c-${String(p.person_id).padStart(3, '0')}`]));
		const ctx = context([{ dealId: 1, projectId: 'p', participants, prospects: [], idMap }]);
		const [addProspects] = await run(ctx);
		expect(addProspects.map((i) => (i.json.prospects as unknown[]).length)).toEqual([100, 100, 50]);
		expect(addProspects.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('maps the one-way UI (mirror removals) onto the core policies', async () => {
		const ctx = context([busyPair(3001, 'proj-a')], { direction: 'propstreetToPipedrive', mirrorRemovals: true });
		const [addProspects, removeProspects, addParticipants, removeParticipants, updates] = await run(ctx);
		expect(addProspects).toEqual([]);
		expect(removeProspects).toEqual([]);
		expect(addParticipants.map((i) => i.json.personId)).toEqual([4, 5]);
		expect(removeParticipants.map((i) => i.json.participantId)).toEqual([501, 502]);
		expect(updates.every((i) => i.json.target === 'pipedrive')).toBe(true);

		const keep = context([busyPair(3001, 'proj-a')], { direction: 'propstreetToPipedrive', mirrorRemovals: false });
		expect((await run(keep))[3]).toEqual([]);
	});

	it('reads raw JSON typed into the fields and the options collection', async () => {
		const pair = busyPair(3001, 'proj-a');
		const ctx = context([{}], {
			dealId: '3001',
			projectId: 'proj-a',
			deal: JSON.stringify(pair.deal),
			participants: JSON.stringify(pair.participants),
			prospects: JSON.stringify(pair.prospects),
			idMap: JSON.stringify(pair.idMap),
			personClassifications: '{"1": 53}',
			options: {
				classificationOptions: '[{"id": 53, "label": "Interested"}, {"id": 55, "label": "Bidder"}]',
				batchSize: 1,
				namespace: 'pd',
				includePrimaryPerson: true,
			},
		});
		const [addProspects, , , , updates] = await run(ctx);
		expect(addProspects.map((i) => i.json.prospects)).toEqual([
			[{ contactId: 'c-2', externalRefs: [{ namespace: 'pd', id: '2' }] }],
			[{ contactId: 'c-3', externalRefs: [{ namespace: 'pd', id: '3' }] }],
		]);
		expect(updates.map((i) => i.json)).toEqual([
			expect.objectContaining({ target: 'pipedrive', personId: 1, classification: 'bidder', optionId: 55, previous: 'interested' }),
			// Person 4 joins the deal from Propstreet and takes the prospect's stage.
			expect.objectContaining({ target: 'pipedrive', personId: 4, classification: 'interested', optionId: 53, previous: null }),
		]);
	});

	it('throws a NodeOperationError naming the field, the item and the deal', async () => {
		const bad = { ...busyPair(3001, 'proj-a'), participants: { nope: true } };
		const ctx = context([busyPair(3000, 'proj-z'), busyPair(3002, 'proj-b'), busyPair(3003, 'proj-c'), { ...bad, dealId: 3001 }]);
		await expect(run(ctx)).rejects.toThrow(new NodeOperationError(mock<INode>(), 'participants is not an array in item 3 (deal 3001)'));
		try {
			await run(ctx);
		} catch (error) {
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as NodeOperationError).context.itemIndex).toBe(3);
		}
	});

	it('names broken JSON and missing person ids the same way', async () => {
		await expect(run(context([{ dealId: 7 }], { participants: '[{', prospects: '[]' }))).rejects.toThrow(
			'participants is not valid JSON in item 0 (deal 7)',
		);
		await expect(
			run(context([{ dealId: 7, projectId: 'x', participants: [{ id: 1 }], prospects: [] }])),
		).rejects.toThrow('participants[0].person_id is missing in item 0 (deal 7)');
	});

	it('with continueOnFail, reports the bad pair on Unmatched and still diffs the others', async () => {
		const bad = { ...busyPair(3001, 'proj-a'), prospects: 42 };
		const ctx = context([bad, busyPair(3002, 'proj-b')], {}, true);
		const outputs = await run(ctx);
		const errors = outputs[5].filter((i: INodeExecutionData) => i.json.error);
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toEqual({ error: 'prospects is not an array in item 0 (deal 3001)' });
		expect(errors[0].error).toBeInstanceOf(NodeOperationError);
		expect(errors[0].pairedItem).toEqual({ item: 0 });
		// Nothing from the failed pair reaches a write output; the good pair is diffed in full.
		for (const output of outputs.slice(0, 5)) {
			for (const item of output) expect(item.pairedItem).toEqual({ item: 1 });
		}
		expect(outputs[0].map((i) => i.json.dealId)).toEqual([3002]);
	});
});

describe('Participant Differ node: ids and malformed input at the boundary', () => {
	it.each([
		['a deal id that walks the URL', { dealId: '1/../../deals/9' }, /^dealId is not a Pipedrive id .* in item 0/],
		['a project id with a slash', { projectId: 'p/1' }, /^projectId is not a Propstreet id/],
		['a participant record id nested in an object', { participants: [{ id: { id: 501 }, person_id: 2 }] }, /^participants\[0\]\.id must be number or string, not object/],
		['a participant person id that is not a number', { participants: { data: [{ id: 501, person_id: 'constructor' }] } }, /^participants\[0\]\.person_id is not a Pipedrive id/],
		['a prospect id that walks the URL', { prospects: [{ id: '../9', contactId: 'c-1' }] }, /^prospects\[0\]\.id is not a Propstreet id/],
		['an id map key that is not a person id', { idMap: { constructor: 'c-1' } }, /^idMap\.constructor is not a Pipedrive person id/],
		['an id map value that is not a contact id', { idMap: { '2': 'c/2' } }, /^idMap\.2 is not a Propstreet contact id/],
	])('refuses %s with the field path, before any output', async (_label, override, message) => {
		const item = { ...busyPair(3001, 'p-1'), ...override };
		const error = await run(context([item])).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(message);
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
	});

	it('tolerates extra fields on every record', async () => {
		const item = busyPair(3001, 'p-1');
		(item.participants as IDataObject[])[0].extra = { nested: [1] };
		(item.prospects as IDataObject[])[0].brandNew = true;
		const outputs = await run(context([item]));
		expect(outputs.flat().length).toBeGreaterThan(0);
	});
});
