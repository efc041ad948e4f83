/**
 * A faithful local Propstreet API simulator (real HTTP on 127.0.0.1) for tests, the demo and e2e.
 * See README.md in this folder for what it models and what it does not.
 */
export { startPropstreetSimulator, DEFAULT_TOKEN, DEFAULT_OAUTH_CLIENT, DEFAULT_SWITCHES, type PropstreetSimulator } from './server';
export type { PropstreetControl, PropstreetState, RequestFilter, ResourceKind } from './control';
export type { FaultSpec, DelaySpec, RouteMatcher } from './faults';
export type { WebhookFaults } from './webhookDispatcher';
export { DEFAULT_RETRY_DELAYS_MS, CONSECUTIVE_FAILURE_LIMIT } from './webhookDispatcher';
export { buildEnvelope, signWebhook, deliveryHeaders } from './webhookEnvelope';
export { buildPropstreetSeed, loadSeed, orgNumberRef, ORGNR_NAMESPACE_PREFIX, STAGE_TABLE, type PropstreetSeedData } from './seed';
export { Store } from './store';
export { SimClock } from './clock';
export * from './types';

import { SimClock } from './clock';
import { loadSeed } from './seed';
import { Store } from './store';

/** A store (no server) filled with the Nordic dataset when `seed` is true — for tests that only need records. */
export function createPropstreetStore(options: { seed?: boolean; clock?: SimClock } = {}): Store {
	const store = new Store(options.clock ?? new SimClock());
	if (options.seed !== false) loadSeed(store);
	return store;
}
