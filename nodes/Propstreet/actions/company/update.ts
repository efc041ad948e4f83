import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, ifMatchOption, optionalString, requiredString, resourceLocator, toItems } from '../common';
import { COMPANIES_PATH, companyFieldOptions, networkBody } from '../network';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('company', 'update', [
	resourceLocator('companyId', 'Company', 'searchCompanies', 'e.g. 55'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Fields to change. An added text field left empty clears the value.',
		options: companyFieldOptions,
	},
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [ifMatchOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredString.call(this, 'companyId', i, 'Company');
	const body = networkBody.call(this, 'company', this.getNodeParameter('updateFields', i, {}) as IDataObject, i, true);
	if (!Object.keys(body).length) fail.call(this, i, `"Update Fields" on item ${i} is empty: add at least one field to change`);
	if (body.name === null) fail.call(this, i, `"Name" on item ${i} cannot be cleared: a company needs a name`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const response = await propstreetRequest(this, {
		method: 'PATCH',
		path: `${COMPANIES_PATH}/${encodePathSegment(id)}`,
		body,
		ifMatch: optionalString(options.ifMatch),
		itemIndex: i,
	});
	return toItems.call(this, response.body as IDataObject, i);
}
