/**
 * The Pipedrive simulator's clock (shared with the Propstreet simulator). Timestamps, rate-limit
 * windows, the daily budget reset and webhook bans read it. Webhook retry delays are real timers
 * (made short for tests with `webhookRetryDelaysMs`).
 */
export { SimClock } from '../shared/clock';
