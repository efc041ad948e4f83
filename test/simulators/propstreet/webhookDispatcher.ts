/**
 * Sends webhook deliveries: asynchronously (never inside an API response), FIFO per subscription,
 * signed per Standard Webhooks, with the retry schedule read from the simulated clock so tests can
 * compress it (`webhookRetryDelaysMs`, `webhookTimeScale`) or step through it (`advanceClock`,
 * `flushWebhooks`, `drainWebhooks`). 410 disables a subscription at once; 10 consecutive failures
 * disable it. Fault hooks drop, duplicate or reorder deliveries.
 */
import http from 'http';
import https from 'https';
import type { SimClock } from './clock';
import type { Store } from './store';
import type { PropstreetSwitches, WebhookDelivery, WebhookEventType, WebhookSubscription } from './types';
import { buildEnvelope, deliveryHeaders, newMessageId } from './webhookEnvelope';

/** The reference's inferred schedule: 9 attempts over ≈ 34.6 h. */
export const DEFAULT_RETRY_DELAYS_MS = [0, 60_000, 300_000, 1_800_000, 7_200_000, 14_400_000, 28_800_000, 36_000_000, 36_000_000];
export const CONSECUTIVE_FAILURE_LIMIT = 10;

export interface SendResult {
	statusCode: number | null;
	error: string | null;
	durationMs: number;
}

export interface WebhookFaults {
	/** The next N deliveries are lost in transit: never sent, but recorded as delivered. */
	drop?: number;
	/** The next N deliveries are sent twice with the same webhook-id. */
	duplicate?: number;
	/** Hold the next N deliveries and send them in reverse order once N are held (or on flush). */
	reorder?: number;
}

export function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<SendResult> {
	const started = Date.now();
	return new Promise((resolve) => {
		let settled = false;
		const done = (r: Omit<SendResult, 'durationMs'>) => {
			if (settled) return;
			settled = true;
			resolve({ ...r, durationMs: Date.now() - started });
		};
		let target: URL;
		try {
			target = new URL(url);
		} catch {
			done({ statusCode: null, error: `Invalid URL ${url}` });
			return;
		}
		const lib = target.protocol === 'https:' ? https : http;
		const req = lib.request(target, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: false }, (res) => {
			res.resume();
			res.on('end', () => done({ statusCode: res.statusCode ?? null, error: null }));
			res.on('error', (err) => done({ statusCode: res.statusCode ?? null, error: err.message }));
		});
		req.setTimeout(timeoutMs, () => {
			req.destroy();
			done({ statusCode: null, error: `Timed out after ${timeoutMs} ms` });
		});
		req.on('error', (err) => done({ statusCode: null, error: err.message }));
		req.end(body);
	});
}

export class WebhookDispatcher {
	private seq = 0;
	private readonly busy = new Set<string>();
	private readonly inFlight = new Set<Promise<void>>();
	private timer: NodeJS.Timeout | null = null;
	private faults: Required<WebhookFaults> = { drop: 0, duplicate: 0, reorder: 0 };
	private held: WebhookDelivery[] = [];
	private closed = false;

	constructor(
		private readonly store: Store,
		private readonly clock: SimClock,
		private readonly opts: { delaysMs: number[]; timeoutMs: number; switches: PropstreetSwitches; frozenClock: boolean },
	) {}

	setFaults(f: WebhookFaults): void {
		this.faults = { drop: f.drop ?? 0, duplicate: f.duplicate ?? 0, reorder: f.reorder ?? 0 };
	}

	/** Queues one delivery per enabled subscription that listens to `type`. */
	emit(type: WebhookEventType, data: Record<string, unknown>, action?: { type: string }): void {
		if (this.closed) return;
		const subs = [...this.store.webhooks.values()].filter((s) => s.enabled && s.events.includes(type));
		if (!subs.length) return;
		const now = this.clock.iso();
		const eventId = newMessageId();
		const body = JSON.stringify(buildEnvelope(type, now, data, action));
		for (const sub of subs) {
			const seq = ++this.seq;
			const delivery: WebhookDelivery = {
				id: `dlv_${seq}`,
				subscriptionId: sub.id,
				eventId,
				eventType: type,
				status: 'pending',
				attemptCount: 0,
				createdUtc: now,
				deliveredUtc: null,
				lastAttemptUtc: null,
				lastDurationMs: null,
				lastStatusCode: null,
				lastError: null,
				body,
				nextAttemptAt: this.clock.now() + (this.opts.delaysMs[0] ?? 0),
				seq,
			};
			this.store.deliveries.set(delivery.id, delivery);
		}
		// Never inside the API response: start on the next tick.
		setImmediate(() => this.pump());
	}

	/** Starts every due attempt whose subscription is idle; arms a timer for the next scheduled one. */
	pump(): void {
		if (this.closed) return;
		const now = this.clock.now();
		const due = [...this.store.deliveries.values()]
			.filter((d) => d.nextAttemptAt !== null && d.nextAttemptAt <= now)
			.sort((a, b) => a.seq - b.seq);
		for (const d of due) {
			const sub = this.store.webhooks.get(d.subscriptionId);
			if (!sub || !sub.enabled || this.busy.has(sub.id)) continue;
			if (this.faults.reorder > 0 && d.attemptCount === 0) {
				// Held deliveries leave the schedule; releaseHeld sends them.
				d.nextAttemptAt = null;
				this.held.push(d);
				this.faults.reorder--;
				if (this.faults.reorder === 0) this.releaseHeld();
				continue;
			}
			this.start(sub, d);
		}
		this.arm();
	}

	private releaseHeld(): void {
		const held = this.held.reverse();
		this.held = [];
		const run = async () => {
			for (const d of held) {
				const sub = this.store.webhooks.get(d.subscriptionId);
				if (sub && sub.enabled) await this.attempt(sub, d);
			}
		};
		this.track(run());
	}

	private start(sub: WebhookSubscription, d: WebhookDelivery): void {
		this.busy.add(sub.id);
		this.track(
			this.attempt(sub, d).finally(() => {
				this.busy.delete(sub.id);
				this.pump();
			}),
		);
	}

	private track(p: Promise<void>): void {
		this.inFlight.add(p);
		void p.finally(() => this.inFlight.delete(p));
	}

	private arm(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		if (this.opts.frozenClock || this.closed) return;
		const next = Math.min(...[...this.store.deliveries.values()].map((d) => d.nextAttemptAt ?? Infinity));
		if (!Number.isFinite(next)) return;
		const wait = Math.max(0, next - this.clock.now());
		// Far-future retries wait for advanceClock/drain; the timer only serves near ones.
		if (wait > 2_147_000_000) return;
		this.timer = setTimeout(() => this.pump(), wait + 1);
		this.timer.unref();
	}

	private async attempt(sub: WebhookSubscription, d: WebhookDelivery): Promise<void> {
		d.nextAttemptAt = null;
		d.attemptCount++;
		d.lastAttemptUtc = this.clock.iso();
		const timestampSec = Math.floor(this.clock.now() / 1000);
		const headers = deliveryHeaders(sub.secret, d.eventId, timestampSec, d.body);
		let result: SendResult;
		if (this.faults.drop > 0) {
			this.faults.drop--;
			result = { statusCode: null, error: null, durationMs: 0 };
			d.status = 'delivered';
			d.deliveredUtc = this.clock.iso();
			d.lastError = 'dropped in transit (fault injection): never reached the subscriber';
			return;
		}
		result = await postJson(sub.url, headers, d.body, this.opts.timeoutMs);
		if (this.faults.duplicate > 0 && result.statusCode !== null) {
			this.faults.duplicate--;
			await postJson(sub.url, headers, d.body, this.opts.timeoutMs);
		}
		this.record(sub, d, result);
	}

	private record(sub: WebhookSubscription, d: WebhookDelivery, r: SendResult): void {
		d.lastDurationMs = r.durationMs;
		d.lastStatusCode = r.statusCode;
		const ok = r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300;
		if (ok) {
			d.status = 'delivered';
			d.deliveredUtc = this.clock.iso();
			d.lastError = null;
			sub.consecutiveFailures = 0;
			return;
		}
		d.lastError = r.error ?? `HTTP ${r.statusCode}`;
		if (r.statusCode === 410) {
			d.status = 'failed';
			this.disable(sub, 'Endpoint answered 410 Gone');
			return;
		}
		const delays = this.opts.delaysMs;
		const exhausted = d.attemptCount >= delays.length;
		d.status = exhausted ? 'exhausted' : 'failed';
		d.nextAttemptAt = exhausted ? null : this.clock.now() + delays[d.attemptCount];
		if (this.opts.switches.consecutiveFailureUnit === 'attempt' || exhausted) sub.consecutiveFailures++;
		if (sub.consecutiveFailures >= CONSECUTIVE_FAILURE_LIMIT) this.disable(sub, `${CONSECUTIVE_FAILURE_LIMIT} consecutive failed deliveries`);
	}

	private disable(sub: WebhookSubscription, reason: string): void {
		sub.enabled = false;
		sub.disabledUtc = this.clock.iso();
		sub.disabledReason = reason;
		sub.updatedUtc = this.clock.iso();
		// Whatever was scheduled for it stops here.
		for (const d of this.store.deliveries.values()) if (d.subscriptionId === sub.id && d.nextAttemptAt !== null) d.nextAttemptAt = null;
	}

	/** A synchronous test send: not stored, not counted toward auto-disable. */
	async sendTest(sub: WebhookSubscription, type: WebhookEventType, data: Record<string, unknown>): Promise<SendResult> {
		const body = JSON.stringify(buildEnvelope(type, this.clock.iso(), data));
		const headers = deliveryHeaders(sub.secret, newMessageId(), Math.floor(this.clock.now() / 1000), body, true);
		return postJson(sub.url, headers, body, this.opts.timeoutMs);
	}

	/** Re-queues up to 100 failed/exhausted deliveries created at or after `since`, attempt counter reset. */
	replay(sub: WebhookSubscription, sinceIso: string): number {
		const candidates = [...this.store.deliveries.values()]
			.filter((d) => d.subscriptionId === sub.id && (d.status === 'failed' || d.status === 'exhausted') && d.createdUtc >= sinceIso)
			.sort((a, b) => a.seq - b.seq)
			.slice(0, 100);
		const now = this.clock.now();
		for (const d of candidates) {
			d.attemptCount = 0;
			d.status = 'pending';
			d.nextAttemptAt = now;
		}
		setImmediate(() => this.pump());
		return candidates.length;
	}

	/** Waits until nothing is in flight and nothing is due now (held reordered deliveries are released). */
	async flush(): Promise<void> {
		for (;;) {
			if (this.held.length) this.releaseHeld();
			this.pump();
			if (this.inFlight.size) {
				await Promise.race([...this.inFlight]).catch(() => undefined);
				continue;
			}
			const now = this.clock.now();
			const due = [...this.store.deliveries.values()].some((d) => {
				const sub = this.store.webhooks.get(d.subscriptionId);
				return d.nextAttemptAt !== null && d.nextAttemptAt <= now && !!sub?.enabled;
			});
			if (!due || this.closed) return;
			await new Promise((r) => setImmediate(r));
		}
	}

	/** Runs the whole retry schedule: flush, jump the clock to the next retry, repeat until nothing is scheduled. */
	async drain(): Promise<void> {
		for (let i = 0; i < 10_000; i++) {
			await this.flush();
			const next = Math.min(
				...[...this.store.deliveries.values()]
					.filter((d) => d.nextAttemptAt !== null && !!this.store.webhooks.get(d.subscriptionId)?.enabled)
					.map((d) => d.nextAttemptAt as number),
			);
			if (!Number.isFinite(next)) return;
			const wait = next - this.clock.now();
			if (wait > 0) this.clock.advance(wait);
		}
	}

	async close(): Promise<void> {
		this.closed = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		// Give in-flight sends a moment to finish; never hold the process for longer.
		let grace: NodeJS.Timeout | undefined;
		await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => (grace = setTimeout(r, 200)))]);
		if (grace) clearTimeout(grace);
	}
}
