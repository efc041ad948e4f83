/**
 * The Propstreet simulator's clock (shared with the Pipedrive simulator). Timestamps, token expiry,
 * rate-limit windows, idempotency retention and the webhook retry schedule read it.
 */
export { SimClock } from '../shared/clock';
