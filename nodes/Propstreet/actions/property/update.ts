import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation } from '../operation';
import { ifMatchOption } from '../properties';
import { patchRecord } from '../writes';
import { requiredId } from '../parameters';
import { PROPERTIES_PATH, propertyBody, propertyFieldOptions } from './fields';
import { encodePathSegment } from '../../transport';

export const description: INodeProperties[] = forOperation('property', 'update', [
	{ displayName: 'Property ID', name: 'propertyId', type: 'string', default: '', required: true },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Clear Coordinates', name: 'clearCoordinates', type: 'boolean', default: false, description: 'Whether to remove latitude/longitude' },
			...propertyFieldOptions,
		],
	},
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [ifMatchOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'propertyId', i, 'Property ID');
	const body = propertyBody.call(this, this.getNodeParameter('updateFields', i, {}) as IDataObject, i);
	return patchRecord.call(this, i, `${PROPERTIES_PATH}/${encodePathSegment(id)}`, body);
}
