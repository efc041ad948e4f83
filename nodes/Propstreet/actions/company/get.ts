import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { requiredId } from '../parameters';
import { resourceLocator } from '../properties';
import { COMPANIES_PATH } from '../network';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('company', 'get', [resourceLocator('companyId', 'Company', 'searchCompanies', 'e.g. 55')]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'companyId', i, 'Company');
	const response = await propstreetRequest(this, { method: 'GET', path: `${COMPANIES_PATH}/${encodePathSegment(id)}`, itemIndex: i });
	return toItems.call(this, response.body as never, i);
}
