/** Malformed payloads, records and parameters reach the Mapper node: each is refused with its field path. */
import { mock } from 'jest-mock-extended';
import { NodeOperationError, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';
import { PipedrivePropstreetMapper } from '../../../nodes/PipedrivePropstreetMapper/PipedrivePropstreetMapper.node';

const node = new PipedrivePropstreetMapper();
const defaults = Object.fromEntries(node.description.properties.map((p) => [p.name, p.default]));

function context(items: INodeExecutionData[], params: Record<string, unknown>, continueOnFail = false) {
	const fn = mock<IExecuteFunctions>();
	fn.getInputData.mockReturnValue(items);
	fn.getNode.mockReturnValue({ id: 'n1', name: 'Mapper', type: 'n8n-nodes-propstreet.pipedrivePropstreetMapper', typeVersion: 1, position: [0, 0], parameters: {} } as INode);
	fn.continueOnFail.mockReturnValue(continueOnFail);
	fn.getNodeParameter.mockImplementation(((name: string, _i: number, fallback?: unknown) => {
		const value = name.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), { ...defaults, ...params });
		return value === undefined ? fallback : value;
	}) as IExecuteFunctions['getNodeParameter']);
	return fn;
}

async function failure(items: INodeExecutionData[], params: Record<string, unknown>): Promise<NodeOperationError> {
	const error = await node.execute.call(context(items, params)).then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	return error as NodeOperationError;
}

const toPropstreet = { direction: 'toPropstreet', entity: 'contact' };
const toPipedrive = { direction: 'toPipedrive', entity: 'contact' };
const v2 = (data: unknown, meta: Record<string, unknown> = {}) => ({ meta: { action: 'change', entity: 'person', id: 'evt-1', version: '2.0', ...meta }, data, previous: null });

describe('Mapper node: boundary validation', () => {
	it.each([
		['a v2 webhook without meta.action', { meta: { entity: 'person', version: '2.0' }, data: { id: 1, name: 'A' } }, /meta\.action: is missing/],
		['a v2 webhook with an unknown action', v2({ id: 1 }, { action: 'merge' }), /meta\.action: must be one of "create", "change", "delete"/],
		['a v2 webhook whose data is a list', v2([{ id: 1 }]), /data: must be object, not array/],
		['a person id nested one level too deep', v2({ id: { id: { value: 5 } }, name: 'A' }), /data\.id/],
		['a person id that walks the URL', v2({ id: '1/../../deals/9', name: 'A' }), /data\.id: is not a Pipedrive id/],
		['an org_id of the wrong type', v2({ id: 1, name: 'A', org_id: true }), /data\.org_id/],
	])('refuses %s', async (_label, payload, message) => {
		const error = await failure([{ json: payload as never }], toPropstreet);
		expect(error.message).toMatch(message);
		expect(error.message).toMatch(/^Pipedrive person/);
		expect(error.context.itemIndex).toBe(0);
	});

	it.each([
		['a contact whose id is an object', { id: { value: 'c1' }, firstName: 'A' }, /Propstreet contact c1: id: must be number or string, not object/],
		['a contact with externalRefs that is not a list', { id: 'c1', firstName: 'A', externalRefs: { namespace: 'pipedrive', id: '5' } }, /Propstreet contact c1: externalRefs/],
		['an external ref without a namespace', { id: 'c1', firstName: 'A', externalRefs: [{ id: '5' }] }, /externalRefs\[0\]\.namespace: is missing/],
	])('refuses %s', async (_label, record, message) => {
		const error = await failure([{ json: record as never }], toPipedrive);
		expect(error.message).toMatch(message);
	});

	it.each([
		['an id map whose key is not a person id', { lookups: { contactIdMap: '{"constructor":"c1"}' } }, /lookups\.contactIdMap\.constructor is not a Pipedrive id/],
		['an id map value that is not a contact id', { lookups: { contactIdMap: { '5': 'c/1' } } }, /lookups\.contactIdMap\.5 is not a Propstreet id/],
		['an id map value nested in an object', { lookups: { contactIdMap: { '5': { id: 'c1' } } } }, /lookups\.contactIdMap\.5/],
		['a known org id that is not a number', { lookups: { pipedriveOrgId: 'abc' } }, /lookups\.pipedriveOrgId is not a Pipedrive id/],
		['stage definitions with a stage missing its name', { stageDefinitions: '[{"id": 4}]' }, /stageDefinitions\[0\]\.name is missing/],
		['a current record that is a list', { currentRecord: '[1]' }, /currentRecord/],
	])('refuses %s, naming the parameter path', async (_label, params, message) => {
		const error = await failure([{ json: { id: 5, name: 'Anna Berg' } }], { ...toPropstreet, ...params });
		expect(error.message).toMatch(message);
		expect(error.context.itemIndex).toBe(0);
	});

	it('keeps tolerating extra fields everywhere', async () => {
		const [mapped] = await node.execute.call(
			context([{ json: v2({ id: 5, name: 'Anna Berg', brand_new_field: { deep: [1] } }, { brand_new_meta: 1 }) as never }], { ...toPropstreet, lookups: { contactIdMap: { '5': 'c5' } } }),
		);
		expect(mapped[0].json).toMatchObject({ match: { pipedriveId: '5' } });
	});

	it('with Continue On Fail, a malformed item fails alone', async () => {
		const [mapped] = await node.execute.call(context([{ json: v2({ id: 'x' }) as never }, { json: { id: 6, name: 'Bo Ek' } }], toPropstreet, true));
		expect(mapped.map((m) => m.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(mapped[0].json.error).toMatch(/data\.id: is not a Pipedrive id/);
		expect(mapped[1].json).toMatchObject({ match: { pipedriveId: '6' } });
	});
});
