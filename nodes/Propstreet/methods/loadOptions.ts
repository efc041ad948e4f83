import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { WEBHOOK_EVENT_TYPES } from '../actions/webhook/fields';

/** Propstreet has no endpoint listing event types; these are the 15 the API reference names. */
export async function getWebhookEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return WEBHOOK_EVENT_TYPES.map((value) => ({ name: value, value }));
}
