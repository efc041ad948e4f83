import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation } from '../operation';
import { ifMatchOption, resourceLocator } from '../properties';
import { patchRecord } from '../writes';
import { requiredId } from '../parameters';
import { CONTACTS_PATH, contactFieldOptions, networkBody } from '../network';
import { encodePathSegment } from '../../transport';

export const description: INodeProperties[] = forOperation('contact', 'update', [
	resourceLocator('contactId', 'Contact', 'searchContacts', 'e.g. 789'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Fields to change. An added text field left empty clears the value.',
		options: [
			{ displayName: 'Blocked', name: 'blocked', type: 'boolean', default: false, description: 'Whether the contact is blocked' },
			...contactFieldOptions,
		],
	},
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [ifMatchOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'contactId', i, 'Contact');
	const body = networkBody.call(this, 'contact', this.getNodeParameter('updateFields', i, {}) as IDataObject, i, true);
	return patchRecord.call(this, i, `${CONTACTS_PATH}/${encodePathSegment(id)}`, body);
}
