/** The node description is well-formed: every resource/operation resolves its parameters the way n8n's editor does. */
import { NodeHelpers, type INodeParameters } from 'n8n-workflow';
import { Propstreet } from '../../../nodes/Propstreet/Propstreet.node';
import { resources } from '../../../nodes/Propstreet/actions/router';
import { node } from './context';

const description = new Propstreet().description;

describe('Propstreet node description', () => {
	it('offers every resource with an operation list matching the router', () => {
		const resourceOptions = (description.properties.find((p) => p.name === 'resource')!.options as Array<{ value: string }>).map((o) => o.value);
		expect(resourceOptions.sort()).toEqual(Object.keys(resources).sort());
		for (const resource of resourceOptions) {
			const opProp = description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))!;
			const ops = (opProp.options as Array<{ value: string; action: string }>).map((o) => o.value);
			expect(ops.sort()).toEqual(Object.keys(resources[resource].operations).sort());
			for (const op of ops) {
				const values = NodeHelpers.getNodeParameters(description.properties, { resource, operation: op } as INodeParameters, true, false, node, description);
				expect(values).toMatchObject({ resource, operation: op });
			}
		}
	});

	it('has all 49 operations, including both syncs and project notes', () => {
		const count = Object.values(resources).reduce((n, r) => n + Object.keys(r.operations).length, 0);
		expect(count).toBe(49);
		expect(resources.contact.operations.sync).toBeDefined();
		expect(resources.company.operations.sync).toBeDefined();
		expect(resources.prospect.operations.addMany.executeBatch).toBeDefined();
	});

	it('Sync defaults read the Mapper output', () => {
		const values = NodeHelpers.getNodeParameters(description.properties, { resource: 'contact', operation: 'sync' } as INodeParameters, true, false, node, description)!;
		expect(values).toMatchObject({ record: '={{ $json.body }}', sourceId: '={{ $json.match.pipedriveId }}', sourceUpdatedAt: '={{ $json.sourceUpdatedAt }}', sourceEventId: '={{ $json.sourceEventId }}', conflictPolicy: 'lastWriteWins' });
	});

	it('offers both credentials, switched by Authentication', () => {
		expect(description.credentials?.map((c) => [c.name, c.displayOptions?.show?.authentication])).toEqual([
			['propstreetApi', ['accessToken']],
			['propstreetOAuth2Api', ['oAuth2']],
		]);
	});
});
