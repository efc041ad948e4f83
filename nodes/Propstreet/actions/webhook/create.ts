import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, toItems } from '../operation';
import { idempotencyKeyOption } from '../properties';
import { optionalString, requiredString } from '../parameters';
import { WEBHOOK_EVENT_TYPES, WEBHOOKS_PATH } from './fields';
import { propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('webhook', 'create', [
	{ displayName: 'URL', name: 'url', type: 'string', default: '', required: true, placeholder: 'https://example.com/webhooks/propstreet', description: 'HTTPS endpoint that receives the events' },
	{
		displayName: 'Event Names or IDs',
		name: 'events',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getWebhookEventTypes' },
		default: [],
		required: true,
		description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [{ displayName: 'Name', name: 'name', type: 'string', default: '' }, idempotencyKeyOption],
	},
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const url = requiredString.call(this, 'url', i, 'URL');
	if (!/^https:\/\/[^\s/]+/i.test(url)) fail.call(this, i, `"URL" on item ${i} must be an https:// address (Propstreet only delivers over HTTPS), got "${url}"`);
	const rawEvents = this.getNodeParameter('events', i, []) as string[] | string;
	const events = (Array.isArray(rawEvents) ? rawEvents : String(rawEvents).split(',')).map((e) => String(e).trim()).filter(Boolean);
	if (!events.length) fail.call(this, i, `"Events" on item ${i} is empty: pick at least one event`);
	const unknown = events.filter((e) => !WEBHOOK_EVENT_TYPES.includes(e));
	if (unknown.length) fail.call(this, i, `"Events" on item ${i} has unknown event types: ${unknown.join(', ')}`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const body: IDataObject = { url, events };
	const name = optionalString(options.name);
	if (name) body.name = name;
	const response = await propstreetRequest(this, { method: 'POST', path: WEBHOOKS_PATH, body, idempotencyKey: optionalString(options.idempotencyKey), itemIndex: i });
	// The response carries the signing secret, shown only this once: keep it in the output.
	return toItems.call(this, response.body as IDataObject, i);
}
