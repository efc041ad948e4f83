import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { requiredId } from '../parameters';
import { PROPERTIES_PATH } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('property', 'get', [
	{ displayName: 'Property ID', name: 'propertyId', type: 'string', default: '', required: true },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'propertyId', i, 'Property ID');
	const response = await propstreetRequest(this, { method: 'GET', path: `${PROPERTIES_PATH}/${encodePathSegment(id)}`, itemIndex: i });
	return toItems.call(this, response.body as IDataObject, i);
}
