import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { requiredId } from '../parameters';
import { resourceLocator } from '../properties';
import { CONTACTS_PATH } from '../network';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('contact', 'get', [resourceLocator('contactId', 'Contact', 'searchContacts', 'e.g. 789')]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'contactId', i, 'Contact');
	const response = await propstreetRequest(this, { method: 'GET', path: `${CONTACTS_PATH}/${encodePathSegment(id)}`, itemIndex: i });
	return toItems.call(this, response.body as never, i);
}
