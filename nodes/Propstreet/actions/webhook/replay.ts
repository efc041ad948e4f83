import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, toItems } from '../operation';
import { isoDate, requiredId } from '../parameters';
import { WEBHOOKS_PATH } from './fields';
import { webhookIdProperty } from './delete';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('webhook', 'replay', [
	webhookIdProperty,
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Re-queue failed or exhausted deliveries created after this time (at most 100)',
	},
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'webhookId', i, 'Webhook ID');
	const since = isoDate.call(this, this.getNodeParameter('since', i, ''), i, 'Since');
	if (!since) fail.call(this, i, `"Since" on item ${i} is empty`);
	const response = await propstreetRequest(this, { method: 'POST', path: `${WEBHOOKS_PATH}/${encodePathSegment(id)}/replay`, body: { since }, itemIndex: i });
	return toItems.call(this, { webhookId: id, ...(response.body as IDataObject) }, i);
}
