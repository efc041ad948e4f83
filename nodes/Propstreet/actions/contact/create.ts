import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation } from '../operation';
import { idempotencyKeyOption } from '../properties';
import { postRecord } from '../writes';
import { assertContactIdentifier, CONTACTS_PATH, contactFieldOptions, networkBody } from '../network';

const topLevel = ['firstName', 'lastName', 'email'];

export const description: INodeProperties[] = forOperation('contact', 'create', [
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: contactFieldOptions.filter((o) => !topLevel.includes(o.name)),
	},
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [idempotencyKeyOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const fields: IDataObject = { ...(this.getNodeParameter('additionalFields', i, {}) as IDataObject) };
	for (const name of topLevel) fields[name] = this.getNodeParameter(name, i, '');
	const body = networkBody.call(this, 'contact', fields, i, false);
	assertContactIdentifier.call(this, body, i);
	return postRecord.call(this, i, CONTACTS_PATH, body);
}
