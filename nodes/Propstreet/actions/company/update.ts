import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation } from '../operation';
import { ifMatchOption, resourceLocator } from '../properties';
import { patchRecord } from '../writes';
import { requiredId } from '../parameters';
import { COMPANIES_PATH, companyFieldOptions, networkBody } from '../network';
import { encodePathSegment } from '../../transport';

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
	const id = requiredId.call(this, 'companyId', i, 'Company');
	const body = networkBody.call(this, 'company', this.getNodeParameter('updateFields', i, {}) as IDataObject, i, true);
	if (body.name === null) fail.call(this, i, `"Name" on item ${i} cannot be cleared: a company needs a name`);
	return patchRecord.call(this, i, `${COMPANIES_PATH}/${encodePathSegment(id)}`, body);
}
