export const WEBHOOKS_PATH = '/api/v1/webhooks';

/** The 15 event types the API reference lists (reference §18.2). */
export const WEBHOOK_EVENT_TYPES = ['contact', 'company', 'link', 'project', 'prospect'].flatMap((r) => ['created', 'updated', 'deleted'].map((a) => `${r}.${a}`));
