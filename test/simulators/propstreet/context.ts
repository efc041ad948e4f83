/** What every resource module gets: the store, the clock, the switches and the event sink. */
import type { SimClock } from './clock';
import type { Store } from './store';
import type { ChangeOrigin, PropstreetSwitches, WebhookEventType } from './types';

export interface SimCore {
	store: Store;
	clock: SimClock;
	switches: PropstreetSwitches;
	/** Queue a webhook event; deliveries go out asynchronously and never block the caller. */
	emit(type: WebhookEventType, data: Record<string, unknown>, action?: { type: string }): void;
}

/** A write: REST calls use origin `api`; control calls act as a user in the web app (`ui`). */
export interface WriteContext {
	core: SimCore;
	origin: ChangeOrigin;
	/** For audit rows: who made the change. */
	actor: { id: string; name: string; oauthClientId?: string };
}
