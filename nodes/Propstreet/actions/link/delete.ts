import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { ifMatchOption } from '../properties';
import { optionalString, requiredId } from '../parameters';
import { encodePathSegment, propstreetRequest } from '../../transport';
import { LINKS_PATH } from './getAll';

export const description: INodeProperties[] = forOperation('link', 'delete', [
	{ displayName: 'Link ID', name: 'linkId', type: 'string', default: '', required: true },
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [ifMatchOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'linkId', i, 'Link ID');
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	await propstreetRequest(this, { method: 'DELETE', path: `${LINKS_PATH}/${encodePathSegment(id)}`, ifMatch: optionalString(options.ifMatch), itemIndex: i });
	return toItems.call(this, { id, deleted: true }, i);
}
