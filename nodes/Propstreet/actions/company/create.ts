import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation } from '../operation';
import { idempotencyKeyOption } from '../properties';
import { requiredString } from '../parameters';
import { postRecord } from '../writes';
import { COMPANIES_PATH, companyFieldOptions, networkBody } from '../network';

export const description: INodeProperties[] = forOperation('company', 'create', [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: companyFieldOptions.filter((o) => o.name !== 'name'),
	},
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [idempotencyKeyOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const name = requiredString.call(this, 'name', i, 'Name');
	const body = networkBody.call(this, 'company', { ...(this.getNodeParameter('additionalFields', i, {}) as IDataObject), name }, i, false);
	return postRecord.call(this, i, COMPANIES_PATH, body);
}
