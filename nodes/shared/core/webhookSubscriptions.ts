/**
 * Which Propstreet webhook subscriptions to keep and which to delete when the Propstreet Trigger is
 * activated. Pure, so the rules are unit-tested.
 */

import type { PropstreetEntity } from './polling';

export const WEBHOOK_ENTITIES: readonly PropstreetEntity[] = ['contact', 'company', 'link', 'project', 'prospect'];
export const WEBHOOK_ACTIONS = ['created', 'updated', 'deleted'] as const;

/** The 15 event names the API reference lists (§18.2). */
export const PROPSTREET_WEBHOOK_EVENTS: string[] = WEBHOOK_ENTITIES.flatMap((entity) =>
	WEBHOOK_ACTIONS.map((action) => `${entity}.${action}`),
);

export interface RemoteSubscription {
	id: string;
	url: string;
	events: string[];
	/** Propstreet disables a subscription after 10 failures or a 410; a disabled one delivers nothing. */
	enabled?: boolean;
}

/** What the node keeps in static data about its subscription. */
export interface StoredSubscription {
	webhookId?: string;
	secret?: string;
	events?: string[];
}

export interface SubscriptionPlan {
	/** The subscription we can keep using, or null when create() must make a new one. */
	keepId: string | null;
	/** Subscriptions pointing at our URL that must go. */
	deleteIds: string[];
}

export function normaliseEvents(events: unknown): string[] {
	if (!Array.isArray(events)) return [];
	return [...new Set(events.map((event) => String(event).trim().toLowerCase()).filter(Boolean))].sort();
}

export function sameEvents(a: unknown, b: unknown): boolean {
	const left = normaliseEvents(a);
	const right = normaliseEvents(b);
	return left.length === right.length && left.every((event, index) => event === right[index]);
}

/**
 * Keep a subscription only when it points at our URL, has exactly our events, and is the one whose
 * secret we hold (Propstreet shows a secret once, at creation; without it no delivery can be
 * verified), and only while it is enabled. Every other subscription at our URL is stale: a leftover
 * from an earlier activation, another event set, or a copy whose secret is lost. Subscriptions at other URLs are never touched.
 */
export function planSubscriptions(
	remote: RemoteSubscription[],
	ourUrl: string,
	wantedEvents: string[],
	stored: StoredSubscription,
): SubscriptionPlan {
	let keepId: string | null = null;
	const deleteIds: string[] = [];
	for (const subscription of remote) {
		if (subscription.url !== ourUrl) continue;
		const usable =
			keepId === null &&
			subscription.enabled !== false &&
			sameEvents(subscription.events, wantedEvents) &&
			typeof stored.secret === 'string' &&
			stored.secret !== '' &&
			String(stored.webhookId) === String(subscription.id);
		if (usable) keepId = String(subscription.id);
		else deleteIds.push(String(subscription.id));
	}
	return { keepId, deleteIds };
}
