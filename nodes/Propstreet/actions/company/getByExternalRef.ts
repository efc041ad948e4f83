import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { externalLookupProperties } from '../properties';
import { forOperation, toItems } from '../operation';
import { requiredId } from '../parameters';
import { COMPANIES_PATH } from '../network';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('company', 'getByExternalRef', externalLookupProperties);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const ns = requiredId.call(this, 'externalNamespace', i, 'Namespace', 'externalRef');
	const id = requiredId.call(this, 'externalId', i, 'External ID', 'externalRef');
	const response = await propstreetRequest(this, {
		method: 'GET',
		path: `${COMPANIES_PATH}/external/${encodePathSegment(ns)}/${encodePathSegment(id)}`,
		itemIndex: i,
	});
	return toItems.call(this, response.body as never, i);
}
