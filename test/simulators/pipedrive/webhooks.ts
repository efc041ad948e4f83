/**
 * Webhook deliveries (reference §14): one POST per matching webhook and event, asynchronous. A first
 * attempt that fails (non-2xx, network error or timeout) is retried after 3, 30 and 150 s (shortened
 * with `webhookRetryDelaysMs`) and counts once towards the ban: at 10 the webhook is banned for 30
 * minutes (simulated clock) and events are dropped, then it is reactivated with the counter reset.
 * Retries reuse the event id and bump `meta.attempt`. Basic auth is sent when the webhook has it.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import * as https from 'https';

import type { SimClock } from './clock';
import type { CompanyInfo, Store } from './store';
import type { DeliveryRecord, EntityEvent, PipedriveSwitches, WebhookRecord } from './types';
import { rfc3339 } from './util';

export interface DispatcherOptions {
	retryDelaysMs: number[];
	timeoutMs: number;
	banThreshold: number;
	banMs: number;
}

interface PendingRetry {
	timer: NodeJS.Timeout;
	run: () => void;
}

const V1_ACTIONS: Record<EntityEvent['action'], 'added' | 'updated' | 'deleted'> = { create: 'added', change: 'updated', delete: 'deleted' };

export class WebhookDispatcher {
	readonly deliveries: DeliveryRecord[] = [];
	/** Events dropped because their webhook was banned. */
	readonly dropped: { webhookId: number; eventId: string; at: string }[] = [];
	private inFlight = new Set<Promise<void>>();
	private retries = new Set<PendingRetry>();
	private closed = false;

	constructor(
		private readonly store: Store,
		private readonly clock: SimClock,
		private readonly company: CompanyInfo,
		private readonly switches: PipedriveSwitches,
		readonly options: DispatcherOptions,
	) {}

	private matches(webhook: WebhookRecord, event: EntityEvent): boolean {
		if (webhook.is_active !== 1) return false;
		if (webhook.event_object !== '*' && webhook.event_object !== event.entity) return false;
		if (webhook.version === '2.0') return webhook.event_action === '*' || webhook.event_action === event.action;
		const v1Action = event.v1Action ?? V1_ACTIONS[event.action];
		return webhook.event_action === '*' || webhook.event_action === v1Action;
	}

	dispatch(event: EntityEvent): void {
		if (this.closed) return;
		const eventId = randomUUID();
		const correlationId = randomUUID();
		for (const webhook of this.store.webhooks.values()) {
			if (!this.matches(webhook, event)) continue;
			const now = this.clock.now();
			if (webhook.bannedUntil !== null) {
				if (webhook.bannedUntil > now) {
					this.dropped.push({ webhookId: webhook.id, eventId, at: new Date(now).toISOString() });
					continue;
				}
				webhook.bannedUntil = null;
				webhook.failedFirstAttempts = 0;
			}
			// Deliveries are asynchronous: the API answer goes out before the webhook does.
			setImmediate(() => this.attempt(webhook, event, eventId, correlationId, 1));
		}
	}

	body(webhook: WebhookRecord, event: EntityEvent, eventId: string, correlationId: string, attempt: number): Record<string, unknown> {
		if (webhook.version === '1.0') return this.v1Body(webhook, event, attempt);
		const meta: Record<string, unknown> = {
			action: event.action,
			entity: event.entity,
			entity_id: String(event.entityId),
			id: eventId,
			correlation_id: correlationId,
			company_id: String(this.company.id),
			user_id: String(event.userId),
			webhook_id: String(webhook.id),
			webhook_owner_id: String(webhook.owner_id),
			type: webhook.type,
			version: '2.0',
			change_source: event.changeSource,
			is_bulk_edit: event.isBulkEdit,
			attempt,
			host: `${this.company.domain}.pipedrive.com`,
			timestamp: this.switches.webhookTimestamp === 'epoch' ? Math.floor(event.timestamp / 1000) : new Date(event.timestamp).toISOString(),
			permitted_user_ids: [...this.store.users.keys()].map(String),
		};
		if (event.mergedToId !== undefined) meta.merged_to_id = String(event.mergedToId);
		if (event.mergedFromId !== undefined) meta.merged_from_id = String(event.mergedFromId);
		return { meta, data: event.data, previous: event.previous };
	}

	private v1Body(webhook: WebhookRecord, event: EntityEvent, attempt: number): Record<string, unknown> {
		const action = event.v1Action ?? V1_ACTIONS[event.action];
		const meta = {
			v: 1,
			action,
			object: event.entity,
			change_source: event.changeSource,
			id: event.entityId,
			company_id: this.company.id,
			user_id: event.userId,
			host: `${this.company.domain}.pipedrive.com`,
			timestamp: Math.floor(event.timestamp / 1000),
			timestamp_micro: event.timestamp * 1000,
			permitted_user_ids: [...this.store.users.keys()],
			trans_pending: false,
			is_bulk_update: event.isBulkEdit,
			pipedrive_service_name: false,
			matches_filters: { current: [], previous: [] },
			webhook_id: String(webhook.id),
		};
		return {
			v: 1,
			matches_filters: { current: [], previous: [] },
			meta,
			retry: attempt - 1,
			current: event.v1Current,
			previous: event.v1Previous,
			event: `${action}.${event.entity}`,
		};
	}

	private attempt(webhook: WebhookRecord, event: EntityEvent, eventId: string, correlationId: string, attempt: number): void {
		// A deleted webhook gets nothing more, retries included.
		if (this.closed || this.store.webhooks.get(webhook.id) !== webhook) return;
		const body = this.body(webhook, event, eventId, correlationId, attempt);
		const promise = this.post(webhook, body).then((result) => {
			const now = this.clock.now();
			webhook.last_delivery_time = now;
			webhook.last_http_status = result.status;
			this.deliveries.push({
				webhookId: webhook.id, eventId, url: webhook.subscription_url, attempt, status: result.status, error: result.error,
				headers: result.headers, body, at: new Date(now).toISOString(), durationMs: result.durationMs,
			});
			const ok = result.status !== null && result.status >= 200 && result.status < 300;
			if (ok) return;
			if (attempt === 1) {
				webhook.failedFirstAttempts++;
				if (webhook.failedFirstAttempts >= this.options.banThreshold) webhook.bannedUntil = now + this.options.banMs;
			}
			const delay = this.options.retryDelaysMs[attempt - 1];
			if (delay === undefined) return;
			const retry: PendingRetry = {
				run: () => {
					clearTimeout(retry.timer);
					this.retries.delete(retry);
					this.attempt(webhook, event, eventId, correlationId, attempt + 1);
				},
				timer: setTimeout(() => retry.run(), delay),
			};
			this.retries.add(retry);
		});
		this.inFlight.add(promise);
		void promise.finally(() => this.inFlight.delete(promise));
	}

	private post(webhook: WebhookRecord, body: Record<string, unknown>): Promise<{ status: number | null; error: string | null; headers: Record<string, string>; durationMs: number }> {
		const started = Date.now();
		const payload = Buffer.from(JSON.stringify(body));
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'content-length': String(payload.length),
			// The real User-Agent is not documented; a third-party example shows this one.
			'user-agent': 'Pipedrive-Webhook',
		};
		if (webhook.http_auth_user !== null || webhook.http_auth_password !== null) {
			headers.authorization = 'Basic ' + Buffer.from(`${webhook.http_auth_user ?? ''}:${webhook.http_auth_password ?? ''}`).toString('base64');
		}
		return new Promise((resolve) => {
			let settled = false;
			const finish = (status: number | null, error: string | null) => {
				if (settled) return;
				settled = true;
				resolve({ status, error, headers, durationMs: Date.now() - started });
			};
			let url: URL;
			try {
				url = new URL(webhook.subscription_url);
			} catch {
				finish(null, 'invalid URL');
				return;
			}
			const lib = url.protocol === 'https:' ? https : http;
			// A fresh connection per delivery (as the Propstreet simulator does): Node 20's default agent
			// keeps sockets alive, and a reused socket that n8n has just closed fails the delivery with
			// a reset that no real sender would count against the webhook.
			const req = lib.request(url, { method: 'POST', headers, timeout: this.options.timeoutMs, agent: false }, (res) => {
				res.resume();
				res.on('end', () => finish(res.statusCode ?? null, null));
				res.on('error', (err) => finish(res.statusCode ?? null, err.message));
			});
			req.on('timeout', () => {
				req.destroy(new Error('timeout'));
				finish(null, 'timeout');
			});
			req.on('error', (err) => finish(null, err.message));
			req.end(payload);
		});
	}

	/**
	 * Waits until every delivery, including scheduled retries, has finished. With `runRetriesNow`
	 * the retry delays are skipped.
	 */
	async flush(options: { runRetriesNow?: boolean; timeoutMs?: number } = {}): Promise<void> {
		const deadline = Date.now() + (options.timeoutMs ?? 30_000);
		// Let pending setImmediate first attempts start.
		await new Promise((r) => setImmediate(r));
		while (this.inFlight.size || this.retries.size) {
			if (Date.now() > deadline) throw new Error('flushWebhooks timed out');
			if (options.runRetriesNow) for (const retry of [...this.retries]) retry.run();
			if (this.inFlight.size) await Promise.race([Promise.all([...this.inFlight]), new Promise((r) => setTimeout(r, 50))]);
			else await new Promise((r) => setTimeout(r, 5));
			await new Promise((r) => setImmediate(r));
		}
	}

	pendingRetries(): number {
		return this.retries.size;
	}

	close(): void {
		this.closed = true;
		for (const retry of this.retries) clearTimeout(retry.timer);
		this.retries.clear();
	}

	webhookState(id: number): { failedFirstAttempts: number; bannedUntil: string | null } | undefined {
		const w = this.store.webhooks.get(id);
		return w ? { failedFirstAttempts: w.failedFirstAttempts, bannedUntil: w.bannedUntil ? rfc3339(w.bannedUntil) : null } : undefined;
	}
}
