/**
 * The Cloud setup workflow (01) as a user calls it: a POST to its *Setup Request* webhook with the
 * setup header, for the delivery URL of 03 and every event the Cloud edition handles.
 */
import { createHmac } from 'crypto';

import { CLOUD_SETUP_HEADER, type Stack } from '../../harness/stack';

/** Every Propstreet delivery arrives at one URL (03): contacts, companies and projects go to the loop (00), prospects to 08. */
export const CLOUD_EVENTS = ['contact.created', 'contact.updated', 'contact.deleted', 'company.created', 'company.updated', 'company.deleted', 'project.created', 'project.updated', 'project.deleted', 'prospect.created', 'prospect.updated', 'prospect.deleted'];

/** 03's Propstreet Delivery URL (the webhook processor's in queue mode). */
export const cloudDeliveryUrl = (stack: Stack) => stack.n8n.webhookUrl('propstreet-cloud-contacts');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function cloudSetup(stack: Stack, action: 'create' | 'check' | 'delete'): Promise<{ status: number; body: any }> {
	const res = await fetch(stack.n8n.webhookUrl('propstreet-cloud-setup'), {
		method: 'POST',
		headers: { 'content-type': 'application/json', [CLOUD_SETUP_HEADER.name]: CLOUD_SETUP_HEADER.value },
		body: JSON.stringify({ action, url: cloudDeliveryUrl(stack), events: CLOUD_EVENTS }),
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * A `contact.created` delivery to 03 for a made-up contact, signed with a key that is not the
 * subscription's: `send(timestamp, signature)` posts it, `wrongSignature(timestamp)` signs it wrongly.
 */
export function forgedContactDelivery(stack: Stack, contact: { id: string; firstName: string; lastName: string; email: string }) {
	const deliveryId = `msg_${contact.id}`;
	const body = JSON.stringify({ type: 'contact.created', timestamp: new Date().toISOString(), data: { ...contact, tags: ['investor'] } });
	const wrongSignature = (timestamp: string) => `v1,${createHmac('sha256', Buffer.alloc(32, 3)).update(`${deliveryId}.${timestamp}.${body}`).digest('base64')}`;
	const send = (timestamp: string, signature: string) =>
		fetch(cloudDeliveryUrl(stack), { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': deliveryId, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, body });
	return { send, wrongSignature };
}
