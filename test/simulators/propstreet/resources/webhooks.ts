/**
 * Webhook subscriptions: create (returns the `whsec_` secret once), list, get, update, delete,
 * deliveries, test (`X-Propstreet-Test: true`, synchronous, not stored) and replay.
 */
import type { SimCore } from '../context';
import { FieldErrorCollector, conflict, notFound, validationError } from '../errors';
import { json, noContent, type Router } from '../http';
import { parseDateParam, parsePageSize } from '../store';
import { WEBHOOK_EVENT_TYPES, type WebhookDelivery, type WebhookEventType, type WebhookSubscription } from '../types';
import { has, readBool, readString, requireObject, type Body } from '../validate';
import type { WebhookDispatcher } from '../webhookDispatcher';
import { newWebhookSecret } from '../webhookEnvelope';

export function subscriptionView(s: WebhookSubscription, withSecret = false) {
	const view: Record<string, unknown> = {
		id: s.id,
		url: s.url,
		events: [...s.events],
		name: s.name,
		enabled: s.enabled,
		createdUtc: s.createdUtc,
		updatedUtc: s.updatedUtc,
		disabledUtc: s.disabledUtc,
		disabledReason: s.disabledReason,
	};
	if (withSecret) view.secret = s.secret;
	return view;
}

export function deliveryView(d: WebhookDelivery) {
	return {
		id: d.id,
		eventId: d.eventId,
		eventType: d.eventType,
		status: d.status,
		attemptCount: d.attemptCount,
		createdUtc: d.createdUtc,
		deliveredUtc: d.deliveredUtc,
		lastAttemptUtc: d.lastAttemptUtc,
		lastDurationMs: d.lastDurationMs,
		lastStatusCode: d.lastStatusCode,
		lastError: d.lastError,
	};
}

/** HTTPS only, except loopback http when `allowHttpLoopback` (a documented deviation for local tests). */
export function checkWebhookUrl(url: string, allowHttpLoopback: boolean): string | null {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		return 'url must be an absolute URL.';
	}
	if (u.protocol === 'https:') return null;
	const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
	if (u.protocol === 'http:' && loopback && allowHttpLoopback) return null;
	return 'url must use HTTPS.';
}

function readEvents(c: FieldErrorCollector, body: Body, required: boolean): WebhookEventType[] | undefined {
	if (!has(body, 'events')) {
		if (required) c.add('events', 'The events field is required.');
		return undefined;
	}
	const events = body.events;
	if (!Array.isArray(events) || events.length === 0) {
		c.add('events', 'events must be a non-empty array of event types.');
		return undefined;
	}
	const bad = events.filter((e) => !WEBHOOK_EVENT_TYPES.includes(e as WebhookEventType));
	if (bad.length) c.add('events', `Unknown event type(s): ${bad.map(String).join(', ')}. Valid: ${WEBHOOK_EVENT_TYPES.join(', ')}.`);
	return [...new Set(events as WebhookEventType[])];
}

/** A plausible resource for test sends. */
function sampleData(type: WebhookEventType, now: string): Record<string, unknown> {
	const resource = type.split('.')[0];
	const base = { id: '0', createdUtc: now, updatedUtc: now, deletedUtc: null, etag: 'W/"AAAAAAAAAAA="', changeType: type.endsWith('created') ? 'create' : type.endsWith('deleted') ? 'delete' : 'update', changeOrigin: 'system', externalRefs: [] };
	switch (resource) {
		case 'contact':
			return { ...base, firstName: 'Test', lastName: 'Contact', email: 'test.contact@example.com' };
		case 'company':
			return { ...base, name: 'Test Company AB', domain: 'example.com', countryCode: 'SE' };
		case 'link':
			return { ...base, contactId: '0', companyId: '0', jobTitle: null, isPrimary: true };
		case 'project':
			return { ...base, name: 'Test Project', status: 'open', classification: 'draft' };
		default:
			return { ...base, projectId: '0', contactId: '0', companyId: null, classification: 'not_contacted' };
	}
}

export function registerWebhookRoutes(router: Router, core: SimCore, dispatcher: WebhookDispatcher, opts: { allowHttpLoopback: boolean }): void {
	const base = '/api/v1/webhooks';
	const get = (id: string) => {
		const s = core.store.webhooks.get(id);
		if (!s) throw notFound(`Webhook '${id}'`);
		return s;
	};
	router.add('POST', base, (req) => {
		const body = requireObject(req.body);
		const c = new FieldErrorCollector();
		const url = readString(c, body, 'url', { nullable: false, max: 2000 });
		if (url === undefined && !c.errors.url) c.add('url', 'The url field is required.');
		if (typeof url === 'string') {
			const problem = checkWebhookUrl(url, opts.allowHttpLoopback);
			if (problem) c.add('url', problem);
		}
		const events = readEvents(c, body, true);
		const name = readString(c, body, 'name', { max: 255 });
		c.throwIfAny();
		const now = core.clock.iso();
		const sub: WebhookSubscription = {
			id: `wh_${core.store.nextId()}`,
			url: url as string,
			events: events as WebhookEventType[],
			name: name ?? null,
			enabled: true,
			secret: newWebhookSecret(),
			createdUtc: now,
			updatedUtc: now,
			consecutiveFailures: 0,
			disabledUtc: null,
			disabledReason: null,
		};
		core.store.webhooks.set(sub.id, sub);
		return json(201, subscriptionView(sub, true), { Location: `${base}/${sub.id}` });
	});
	router.add('GET', base, (req) => {
		const pageSize = parsePageSize(req.query);
		const all = [...core.store.webhooks.values()].map((s) => subscriptionView(s));
		const data = all.slice(0, pageSize);
		return json(200, { data, page: { nextCursor: null, pageSize, hasMore: all.length > data.length } });
	});
	router.add('GET', `${base}/{id}`, (req) => json(200, subscriptionView(get(req.params.id))));
	// The verb is not documented; PATCH (like every other v1 update) with url / events / name / enabled.
	router.add('PATCH', `${base}/{id}`, (req) => {
		const sub = get(req.params.id);
		const body = requireObject(req.body, true);
		const c = new FieldErrorCollector();
		const url = readString(c, body, 'url', { nullable: false, max: 2000 });
		if (typeof url === 'string') {
			const problem = checkWebhookUrl(url, opts.allowHttpLoopback);
			if (problem) c.add('url', problem);
		}
		const events = readEvents(c, body, false);
		const name = readString(c, body, 'name', { max: 255 });
		const enabled = readBool(c, body, 'enabled');
		c.throwIfAny();
		if (typeof url === 'string') sub.url = url;
		if (events) sub.events = events;
		if (name !== undefined) sub.name = name;
		if (enabled === true && !sub.enabled) {
			sub.enabled = true;
			sub.consecutiveFailures = 0;
			sub.disabledUtc = null;
			sub.disabledReason = null;
		} else if (enabled === false) sub.enabled = false;
		sub.updatedUtc = core.clock.iso();
		return json(200, subscriptionView(sub));
	});
	router.add('DELETE', `${base}/{id}`, (req) => {
		const sub = get(req.params.id);
		core.store.webhooks.delete(sub.id);
		for (const d of core.store.deliveries.values()) if (d.subscriptionId === sub.id) d.nextAttemptAt = null;
		return noContent();
	});
	router.add('GET', `${base}/{id}/deliveries`, (req) => {
		const sub = get(req.params.id);
		const pageSize = parsePageSize(req.query, 50);
		const status = req.query.get('status');
		const rows = [...core.store.deliveries.values()]
			.filter((d) => d.subscriptionId === sub.id && (!status || d.status === status))
			.sort((a, b) => b.seq - a.seq);
		const cursor = req.query.get('cursor');
		const after = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8')) : Infinity;
		if (Number.isNaN(after)) throw validationError({ cursor: ['The cursor is not valid.'] });
		const rest = rows.filter((d) => d.seq < after);
		const items = rest.slice(0, pageSize);
		const hasMore = rest.length > items.length;
		const last = items[items.length - 1];
		return json(200, { data: items.map(deliveryView), page: { nextCursor: hasMore && last ? Buffer.from(String(last.seq)).toString('base64') : null, pageSize, hasMore } });
	});
	router.add('POST', `${base}/{id}/test`, async (req) => {
		const sub = get(req.params.id);
		const body = requireObject(req.body, true);
		let type: WebhookEventType = sub.events[0] ?? 'contact.created';
		if (body.event_type !== undefined && body.event_type !== null) {
			if (!WEBHOOK_EVENT_TYPES.includes(body.event_type as WebhookEventType)) throw validationError({ event_type: ['Unknown event type.'] });
			type = body.event_type as WebhookEventType;
		}
		const r = await dispatcher.sendTest(sub, type, sampleData(type, core.clock.iso()));
		const success = r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300;
		return json(200, { success, status_code: r.statusCode, duration_ms: r.durationMs, error: success ? null : r.error ?? `HTTP ${r.statusCode}` });
	});
	router.add('POST', `${base}/{id}/replay`, (req) => {
		const sub = get(req.params.id);
		const body = requireObject(req.body);
		if (!has(body, 'since') || typeof body.since !== 'string') throw validationError({ since: ['The since field is required (date-time).'] });
		const since = parseDateParam('since', body.since) as string;
		if (!sub.enabled) throw conflict('The webhook is disabled; enable it (PATCH enabled: true) before replaying.');
		const count = dispatcher.replay(sub, since);
		return json(200, { replayed_count: count, message: `${count} deliveries re-queued for retry` });
	});
}
