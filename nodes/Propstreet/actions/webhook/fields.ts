import { PROPSTREET_WEBHOOK_EVENTS } from '../../../shared/core/webhookSubscriptions';
export const WEBHOOKS_PATH = '/api/v1/webhooks';

/** The 15 event types the API reference lists (reference §18.2); one list, shared with the trigger. */
export const WEBHOOK_EVENT_TYPES = PROPSTREET_WEBHOOK_EVENTS;
