/** A 20,000-deep value reaches the Mapper and the Differ nodes: a NodeOperationError naming the field and item. */
import { mock } from 'jest-mock-extended';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';
import { PipedrivePropstreetMapper } from '../../../nodes/PipedrivePropstreetMapper/PipedrivePropstreetMapper.node';
import { ParticipantDiffer } from '../../../nodes/ParticipantDiffer/ParticipantDiffer.node';

function nested(depth: number): IDataObject[] {
	let value: unknown = 'x';
	for (let i = 0; i < depth; i++) value = [value];
	return value as IDataObject[];
}

/** Parameters as n8n hands them over: the node's defaults, then `params`, expressions resolved per item. */
function context(nodeDefaults: Record<string, unknown>, items: IDataObject[], params: Record<string, unknown | ((json: IDataObject) => unknown)>) {
	const ctx = mock<IExecuteFunctions>();
	ctx.getInputData.mockReturnValue(items.map((json): INodeExecutionData => ({ json })));
	ctx.getNode.mockReturnValue({ id: 'n', name: 'Node', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} } as INode);
	ctx.continueOnFail.mockReturnValue(false);
	const all: Record<string, unknown> = { ...nodeDefaults, ...params };
	ctx.getNodeParameter.mockImplementation(((name: string, i: number, fallback?: unknown) => {
		const value = name.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), all);
		if (typeof value === 'function') return (value as (json: IDataObject) => unknown)(items[i]);
		return value === undefined ? fallback : value;
	}) as never);
	return ctx;
}

const defaultsOf = (node: { description: { properties: Array<{ name: string; default: unknown }> } }) =>
	Object.fromEntries(node.description.properties.map((p) => [p.name, p.default]));

async function failure(run: () => Promise<unknown>): Promise<NodeOperationError> {
	const error = await run().then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect((error as Error).message).not.toMatch(/call stack/i);
	return error as NodeOperationError;
}

describe('deeply nested input items', () => {
	it('Mapper: names the field, the record and the item', async () => {
		const node = new PipedrivePropstreetMapper();
		const items = [{ id: 1, name: 'Ok Person' }, { id: 1013, name: 'Astrid Öberg', label_ids: nested(20_000) }];
		const ctx = context(defaultsOf(node), items, { direction: 'toPropstreet', entity: 'contact' });
		const error = await failure(() => node.execute.call(ctx));
		expect(error.context.itemIndex).toBe(1);
		expect(error.message).toContain('Pipedrive person 1013: label_ids[0][0][0]…: is nested more than 100 levels deep');
		expect(error.description).toContain('input item 1');
	});

	it('Differ: names the field and the item', async () => {
		const node = new ParticipantDiffer();
		const items = [{ dealId: 4, projectId: 'p-4', participants: [{ id: 9, person_id: 3, person: { id: 3, notes: nested(20_000) } }], prospects: [] }];
		const ctx = context(defaultsOf(node), items, {
			dealId: (json: IDataObject) => json.dealId,
			projectId: (json: IDataObject) => json.projectId,
			deal: (json: IDataObject) => json.deal,
			participants: (json: IDataObject) => json.participants,
			prospects: (json: IDataObject) => json.prospects,
			idMap: (json: IDataObject) => json.idMap,
			personClassifications: (json: IDataObject) => json.personClassifications,
		});
		const error = await failure(() => node.execute.call(ctx));
		expect(error.context.itemIndex).toBe(0);
		expect(error.message).toContain('participants[0].person.notes… is nested more than 100 levels deep in item 0 (deal 4)');
	});
});
