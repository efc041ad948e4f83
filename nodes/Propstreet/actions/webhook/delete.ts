import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { requiredId } from '../parameters';
import { WEBHOOKS_PATH } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const webhookIdProperty: INodeProperties = { displayName: 'Webhook ID', name: 'webhookId', type: 'string', default: '', required: true };

export const description: INodeProperties[] = forOperation('webhook', 'delete', [webhookIdProperty]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'webhookId', i, 'Webhook ID');
	await propstreetRequest(this, { method: 'DELETE', path: `${WEBHOOKS_PATH}/${encodePathSegment(id)}`, itemIndex: i });
	return toItems.call(this, { id, deleted: true }, i);
}
