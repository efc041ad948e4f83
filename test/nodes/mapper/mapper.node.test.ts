import { readFileSync } from 'fs';
import path from 'path';
import { mock } from 'jest-mock-extended';
import { NodeOperationError, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';
import { PipedrivePropstreetMapper } from '../../../nodes/PipedrivePropstreetMapper/PipedrivePropstreetMapper.node';
import { KEYS, fieldDefinitions, stageDefinitions } from '../../unit/mapping/fixtures';

const node = new PipedrivePropstreetMapper();
const defaults = Object.fromEntries(node.description.properties.map((p) => [p.name, p.default]));

function getPath(obj: unknown, name: string): unknown {
	return name.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj);
}

/** A mocked IExecuteFunctions with per-item parameters (a function of the item index) and n8n's defaults. */
function context(items: INodeExecutionData[], params: Record<string, unknown> | ((i: number) => Record<string, unknown>), continueOnFail = false) {
	const fn = mock<IExecuteFunctions>();
	fn.getInputData.mockReturnValue(items);
	fn.getNode.mockReturnValue({ id: 'n1', name: 'Mapper', type: 'n8n-nodes-propstreet.pipedrivePropstreetMapper', typeVersion: 1, position: [0, 0], parameters: {} } as INode);
	fn.continueOnFail.mockReturnValue(continueOnFail);
	fn.getNodeParameter.mockImplementation(((name: string, i: number, fallback?: unknown) => {
		const merged = { ...defaults, ...(typeof params === 'function' ? params(i) : params) };
		const value = getPath(merged, name);
		return value === undefined ? fallback : value;
	}) as IExecuteFunctions['getNodeParameter']);
	return fn;
}

const person = (id: number, extra: Record<string, unknown> = {}) => ({
	id,
	name: 'Per Olof af Klercker',
	emails: [{ value: 'po.afklercker@malarstaden.example.se', primary: true }],
	org_id: 2005,
	label_ids: [3],
	update_time: '2026-03-04T10:00:00Z',
	custom_fields: { [KEYS.strategy]: 'Schools' },
	...extra,
});

describe('PipedrivePropstreetMapper node', () => {
	it('describes a transform node with two outputs, distinct icons and a non-logic codex category', () => {
		const d = node.description;
		expect(d.name).toBe('pipedrivePropstreetMapper');
		expect(d.displayName).toBe('Pipedrive Propstreet Mapper');
		expect(d.group).toEqual(['transform']);
		expect(d.usableAsTool).toBeFalsy();
		expect(d.outputs).toHaveLength(2);
		expect(d.outputNames).toEqual(['Mapped', 'Review']);
		const dir = path.resolve(__dirname, '../../../nodes/PipedrivePropstreetMapper');
		const icons = d.icon as { light: string; dark: string };
		const light = readFileSync(path.join(dir, icons.light.replace('file:', '')), 'utf8');
		const dark = readFileSync(path.join(dir, icons.dark.replace('file:', '')), 'utf8');
		expect(light).not.toBe(dark);
		const codex = JSON.parse(readFileSync(path.join(dir, 'PipedrivePropstreetMapper.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-propstreet.pipedrivePropstreetMapper');
		expect(codex.categories).not.toContain('Logic');
		expect(codex.categories).not.toContain('Flow');
	});

	it('maps every item with pairedItem, using field names, the label map and known ids', async () => {
		const items = [{ json: person(1009) }, { json: { meta: { action: 'change', entity: 'person', id: 'evt-7', version: '2.0' }, data: person(1010, { name: 'Ingrid  Sæther' }) } }];
		const fn = context(items, {
			direction: 'toPropstreet',
			entity: 'contact',
			fieldDefinitions: JSON.stringify(fieldDefinitions),
			labelMap: { pairs: [{ pipedrive: 'Lender', propstreet: 'Debt Provider' }] },
			lookups: { companyIdMap: '{"2005":"6005"}' },
		});
		const [mapped, review] = await node.execute.call(fn);
		expect(review).toEqual([]);
		expect(mapped.map((m) => m.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(mapped[0].json).toMatchObject({
			entity: 'contact',
			direction: 'toPropstreet',
			body: { firstName: 'Per Olof', lastName: 'af Klercker', tags: ['Debt Provider'], strategy: 'Schools', connections: [{ company: { kind: 'existing', id: '6005' }, jobTitle: null, primary: true }] },
			match: { email: 'po.afklercker@malarstaden.example.se', pipedriveId: '1009' },
		});
		expect(mapped[1].json).toMatchObject({ sourceEventId: 'evt-7', body: { firstName: 'Ingrid', lastName: 'Sæther' } });
		expect(mapped[0].json.hash).not.toBe(mapped[1].json.hash);
	});

	it('routes conflicts to the Review output under manual review', async () => {
		const current = { id: '5009', firstName: 'Per Olof', lastName: 'af Klercker', strategy: 'Changed in Propstreet', updatedUtc: '2026-03-09T00:00:00Z' };
		const fn = context([{ json: person(1009) }, { json: person(1011) }], (i) => ({
			direction: 'toPropstreet',
			entity: 'contact',
			currentRecord: i === 0 ? current : '',
			options: { conflictStrategy: 'manualReview' },
		}));
		const [mapped, review] = await node.execute.call(fn);
		expect(review).toHaveLength(1);
		expect(review[0].pairedItem).toEqual({ item: 0 });
		expect(review[0].json.conflict).toMatchObject({ needsReview: true, strategy: 'manualReview' });
		expect(mapped).toHaveLength(1);
		expect(mapped[0].pairedItem).toEqual({ item: 1 });
	});

	it('applies per-field switches, stage table rows and options from the editor', async () => {
		const fn = context([{ json: { id: 3001, title: 'Kista', status: 'lost', stage_id: 2, custom_fields: {} } }], {
			direction: 'toPropstreet',
			entity: 'project',
			stageDefinitions: stageDefinitions,
			stageTable: { rows: [{ pipedriveStage: 'Property Added', classification: 'active', teaserStage: '', reverseMatch: '' }] },
			fieldSync: { fields: [{ field: 'project.name', direction: 'off' }] },
			options: { onLost: 'deleteProject' },
		});
		const [mapped] = await node.execute.call(fn);
		expect(mapped[0].json.body).toEqual({ classification: 'active', externalRefs: [{ namespace: 'pipedrive', id: '3001' }] });
		expect(mapped[0].json.lifecycle).toMatchObject({ event: 'lost', action: 'deleteProject' });
	});

	it('outputs a changed-only patch next to changedFields when Current Target Record is given (JSON text or object)', async () => {
		const current = {
			id: 1009,
			name: 'Per Olof af Klercker',
			emails: [{ value: 'PO.afKlercker@malarstaden.example.se', primary: true, label: 'work' }],
			phones: [{ value: '+46 21 10 20 30', primary: true, label: 'work' }],
			label_ids: [3],
			update_time: '2026-03-01T00:00:00Z',
			custom_fields: { [KEYS.contactId]: '5009', [KEYS.strategy]: 'Schools' },
		};
		const contact = (strategy: string) => ({
			id: '5009',
			externalRefs: [{ namespace: 'pipedrive', id: '1009' }],
			firstName: 'Per Olof',
			lastName: 'af Klercker',
			email: 'po.afklercker@malarstaden.example.se',
			phone: '+4621102030',
			tags: ['lender'],
			strategy,
			updatedUtc: '2026-03-06T00:00:00Z',
		});
		const fn = context([{ json: contact('Schools') }, { json: contact('Schools and elderly care') }], (i) => ({
			direction: 'toPipedrive',
			entity: 'contact',
			fieldDefinitions: JSON.stringify(fieldDefinitions),
			currentRecord: i === 0 ? JSON.stringify(current) : current,
		}));
		const [mapped, review] = await node.execute.call(fn);
		expect(review).toEqual([]);
		expect(mapped[0].json.patch).toEqual({});
		expect(mapped[0].json.conflict).toMatchObject({ unchanged: true, changedFields: [] });
		expect(mapped[1].json.patch).toEqual({ custom_fields: { [KEYS.strategy]: 'Schools and elderly care' } });
		expect(mapped[1].json.conflict).toMatchObject({ unchanged: false, changedFields: ['contact.strategy'] });
		expect(mapped.map((m) => m.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('reads the stage-echo and closed-deal options', async () => {
		const project = { id: '7002', name: 'Alnabru', externalRefs: [{ namespace: 'pipedrive', id: '3002' }], status: 'open', classification: 'active', teaser: { stage: 'drafting' }, updatedUtc: '2026-03-06T00:00:00Z' };
		const deal = (status: string) => ({ id: 3002, title: 'Alnabru', status, stage_id: 5, pipeline_id: 1, update_time: '2026-03-01T00:00:00Z', custom_fields: { propstreet_project_id: '7002' } });
		const run = async (options: Record<string, unknown>, status: string) => {
			const fn = context([{ json: project }], { direction: 'toPipedrive', entity: 'project', stageDefinitions, currentRecord: deal(status), options });
			return (await node.execute.call(fn))[0][0].json;
		};
		expect((await run({}, 'open')).patch).toEqual({});
		expect((await run({ reverseStage: 'teaserStage' }, 'open')).patch).toEqual({ stage_id: 3 });
		const kept = await run({}, 'won');
		expect(kept.patch).toEqual({});
		expect(kept.lifecycle).toMatchObject({ event: 'reopened', deal: 'won' });
		expect((await run({ onProjectOpenDealClosed: 'reopen' }, 'lost')).patch).toEqual({ status: 'open' });
	});

	it('reads the record from a Record Field path', async () => {
		const fn = context([{ json: { headers: {}, payload: { company: { id: '6001', name: 'Nordhav', countryCode: 'SE', externalRefs: [] } } } }], {
			direction: 'toPipedrive',
			entity: 'company',
			recordField: 'payload.company',
		});
		const [mapped] = await node.execute.call(fn);
		expect(mapped[0].json.body).toMatchObject({ name: 'Nordhav', address: { value: 'Sweden', country: 'Sweden' } });
	});

	it('throws a NodeOperationError naming the field, the record and the item', async () => {
		const fn = context([{ json: person(1) }, { json: { name: 'No id here' } }], { direction: 'toPropstreet', entity: 'contact' });
		expect.assertions(4);
		await expect(node.execute.call(fn)).rejects.toThrow(NodeOperationError);
		try {
			await node.execute.call(fn);
		} catch (error) {
			const e = error as NodeOperationError;
			expect(e.message).toBe('Pipedrive person: id: the record has no id');
			expect(e.description).toMatch(/Field "id" of Pipedrive person \(input item 1\)/);
			expect((e as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(1);
		}
	});

	it.each([
		['invalid JSON in Field Definitions', { fieldDefinitions: '{not json' }, /Parameter "fieldDefinitions" is not valid JSON/],
		['a missing Record Field', { recordField: 'nope' }, /no value at Record Field "nope"/],
		['a webhook for another entity', {}, /expected a person event but got "deal"/],
	])('reports %s', async (_case, params, message) => {
		const input = _case.startsWith('a webhook') ? { meta: { action: 'change', entity: 'deal', version: '2.0' }, data: { id: 1 } } : person(1);
		const fn = context([{ json: input }], { direction: 'toPropstreet', entity: 'contact', ...params });
		await expect(node.execute.call(fn)).rejects.toThrow(message);
	});

	it('continues on fail with an error item paired to its input, and keeps mapping the rest', async () => {
		const fn = context([{ json: { name: 'No id' } }, { json: person(1012) }], { direction: 'toPropstreet', entity: 'contact' }, true);
		const [mapped, review] = await node.execute.call(fn);
		expect(review).toEqual([]);
		expect(mapped).toHaveLength(2);
		expect(mapped[0]).toEqual({ json: { error: expect.stringMatching(/no id/), description: expect.stringMatching(/Field "id"/) }, pairedItem: { item: 0 } });
		expect(mapped[1].json.body).toBeDefined();
		expect(mapped[1].pairedItem).toEqual({ item: 1 });
	});
});
