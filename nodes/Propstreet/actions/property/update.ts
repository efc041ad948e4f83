import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, ifMatchOption, optionalString, requiredString, toItems } from '../common';
import { PROPERTIES_PATH, propertyBody, propertyFieldOptions } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';

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
	const id = requiredString.call(this, 'propertyId', i, 'Property ID');
	const body = propertyBody.call(this, this.getNodeParameter('updateFields', i, {}) as IDataObject, i);
	if (!Object.keys(body).length) fail.call(this, i, `"Update Fields" on item ${i} is empty: add at least one field to change`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const response = await propstreetRequest(this, {
		method: 'PATCH',
		path: `${PROPERTIES_PATH}/${encodePathSegment(id)}`,
		body,
		ifMatch: optionalString(options.ifMatch),
		itemIndex: i,
	});
	return toItems.call(this, response.body as IDataObject, i);
}
