/**
 * The Cloud setup's decision about the Propstreet webhook subscription: the same
 * `planSubscriptions` rule the Propstreet Trigger applies when n8n activates it, turned into items
 * for the setup workflow's HTTP Request nodes (one per stale subscription to delete, one to create)
 * and a report. The secret itself never passes through here: only whether one is stored, and
 * whether it is still in the static data of an earlier version (then a `move` step puts it in the
 * secret table, see webhookSecret.ts).
 */
import { isRecord } from '../mapping/common';
import { normaliseEvents, planSubscriptions, type RemoteSubscription } from '../webhookSubscriptions';

export type SetupAction = 'create' | 'check' | 'delete';

export interface SetupInput {
	action: unknown;
	/** The receiving workflow's production webhook URL. */
	url: unknown;
	events: unknown;
	/** GET /api/v1/webhooks answer. */
	list: unknown;
	/** `legacy`: the stored secret is in 01's static data, not yet in the secret table. */
	stored: { webhookId?: unknown; events?: unknown; hasSecret: boolean; legacy?: boolean };
}

export type SetupItem = { kind: 'delete'; id: string } | { kind: 'create'; url: string; events: string[] } | { kind: 'forget' } | { kind: 'move' } | { kind: 'report'; action: SetupAction; url: string; subscriptionId: string | null; ready: boolean; message: string };

function remoteList(list: unknown): RemoteSubscription[] {
	const raw = Array.isArray(list) ? list : isRecord(list) && Array.isArray(list.data) ? list.data : isRecord(list) && Array.isArray(list.items) ? list.items : [];
	return raw.filter(isRecord).map((s) => ({ id: String(s.id ?? ''), url: String(s.url ?? ''), events: normaliseEvents(s.events), enabled: s.enabled === undefined ? undefined : s.enabled !== false }));
}

export function setupSteps(input: SetupInput): SetupItem[] {
	const action = String(input.action ?? 'check') as SetupAction;
	if (!['create', 'check', 'delete'].includes(action)) throw new Error(`Unknown setup action "${String(input.action)}": use create, check or delete`);
	const url = typeof input.url === 'string' ? input.url.trim() : '';
	if (!/^https?:\/\//.test(url)) throw new Error('Set "url" to the production URL of the Propstreet Webhook node in the contacts workflow');
	const events = normaliseEvents(input.events);
	if (!events.length) throw new Error('Set "events", e.g. ["contact.created", "contact.updated", "contact.deleted"]');
	const remote = remoteList(input.list);
	const stored = { webhookId: input.stored.webhookId ? String(input.stored.webhookId) : undefined, secret: input.stored.hasSecret ? 'stored' : undefined, events: normaliseEvents(input.stored.events) };
	const plan = planSubscriptions(remote, url, events, stored);
	const report = (ready: boolean, message: string, id: string | null = plan.keepId): SetupItem => ({ kind: 'report', action, url, subscriptionId: id, ready, message });
	// A secret an earlier version kept in static data, for a subscription still in use, moves to the table.
	const move: SetupItem[] = plan.keepId && input.stored.legacy ? [{ kind: 'move' }] : [];
	if (action === 'check') {
		const stale = plan.deleteIds.length ? ` ${plan.deleteIds.length} stale subscription(s) at this URL; run "create" to replace them.` : '';
		return [...move, report(plan.keepId !== null, plan.keepId ? `Subscribed, and the secret is stored.${stale}` : `No usable subscription (none at this URL, or its secret is not stored): run "create".${stale}`)];
	}
	if (action === 'delete') {
		const ids = remote.filter((s) => s.url === url).map((s) => s.id);
		return [...ids.map((id): SetupItem => ({ kind: 'delete', id })), { kind: 'forget' }, report(false, `Deleted ${ids.length} subscription(s) at this URL and forgot the secret`, null)];
	}
	const deletes = plan.deleteIds.map((id): SetupItem => ({ kind: 'delete', id }));
	if (plan.keepId) return [...deletes, ...move, report(true, 'Already subscribed with a stored secret; nothing created')];
	return [...deletes, { kind: 'create', url, events }, report(true, 'Subscribed; the secret is stored in the data table "Propstreet webhook secret"', null)];
}
