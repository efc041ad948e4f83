import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation } from '../operation';
import { idempotencyKeyOption } from '../properties';
import { optionalString, requiredId } from '../parameters';
import { postRecord } from '../writes';
import { LINKS_PATH } from './getAll';

export const description: INodeProperties[] = forOperation('link', 'create', [
	{ displayName: 'Contact ID', name: 'contactId', type: 'string', default: '', required: true },
	{ displayName: 'Company ID', name: 'companyId', type: 'string', default: '', required: true },
	{ displayName: 'Job Title', name: 'jobTitle', type: 'string', default: '' },
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [idempotencyKeyOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const body: IDataObject = {
		contactId: requiredId.call(this, 'contactId', i, 'Contact ID'),
		companyId: requiredId.call(this, 'companyId', i, 'Company ID'),
		jobTitle: optionalString(this.getNodeParameter('jobTitle', i, '')) ?? null,
	};
	return postRecord.call(this, i, LINKS_PATH, body);
}
