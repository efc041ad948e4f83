import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { listProperties } from '../properties';
import { readListOptions } from '../parameters';
import { COMPANIES_PATH } from '../network';
import { propstreetList } from '../../transport';

export const description: INodeProperties[] = forOperation('company', 'getAll', listProperties());

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const { returnAll, limit, qs } = readListOptions.call(this, i);
	const rows = await propstreetList<IDataObject>(this, COMPANIES_PATH, qs, { returnAll, limit, itemIndex: i });
	return toItems.call(this, rows, i);
}
