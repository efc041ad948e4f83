import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { readPage } from '../../../shared/core/http';
import { forOperation, toItems } from '../operation';
import { WEBHOOKS_PATH } from './fields';
import { propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('webhook', 'getAll', [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		description: 'Whether to return all results or only up to a given limit',
	},
	{ displayName: 'Limit', name: 'limit', type: 'number', typeOptions: { minValue: 1 }, default: 50, description: 'Max number of results to return', displayOptions: { show: { returnAll: [false] } } },
]);

/** The list shape is undocumented: a bare array or the cursor envelope are both read. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', i, true) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
	const out: IDataObject[] = [];
	let cursor: string | undefined;
	const seen = new Set<string>();
	do {
		const response = await propstreetRequest(this, { method: 'GET', path: WEBHOOKS_PATH, qs: { cursor }, itemIndex: i });
		const page = readPage<IDataObject>(response.body);
		out.push(...page.items);
		cursor = page.nextCursor && !seen.has(page.nextCursor) ? page.nextCursor : undefined;
		if (cursor) seen.add(cursor);
	} while (cursor && out.length < limit);
	return toItems.call(this, out.slice(0, limit), i);
}
