import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, toItems } from '../operation';
import { optionalString, requiredId } from '../parameters';
import { WEBHOOK_EVENT_TYPES, WEBHOOKS_PATH } from './fields';
import { webhookIdProperty } from './delete';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('webhook', 'test', [
	webhookIdProperty,
	{
		displayName: 'Event Name or ID',
		name: 'eventType',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getWebhookEventTypes' },
		default: '',
		description: 'Event type of the test delivery (optional). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
]);

/** Sends one synchronous test delivery (header X-Propstreet-Test: true) and reports its result. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'webhookId', i, 'Webhook ID');
	const eventType = optionalString(this.getNodeParameter('eventType', i, ''));
	if (eventType && !WEBHOOK_EVENT_TYPES.includes(eventType)) fail.call(this, i, `"Event" on item ${i} is not a Propstreet event type: "${eventType}"`);
	const response = await propstreetRequest(this, {
		method: 'POST',
		path: `${WEBHOOKS_PATH}/${encodePathSegment(id)}/test`,
		body: { event_type: eventType ?? null },
		itemIndex: i,
	});
	return toItems.call(this, { webhookId: id, ...(response.body as IDataObject) }, i);
}
