/**
 * Where the Cloud edition keeps the Propstreet subscription's `whsec_` secret: one row of its own
 * data table, read only by the setup and signature-check workflow (01), whose executions are not
 * saved. A data table, not the workflow's static data, because an n8n queue-mode worker starts
 * every run with empty static data; a table of its own, because the other workflows read the
 * settings table whole into executions they do save.
 *
 * Earlier versions kept the secret in 01's static data. Such a secret is still read (when no row
 * holds one) and is moved into the table by the next setup `check` or `create`.
 */
import { isRecord } from '../mapping/common';
import { normaliseEvents } from '../webhookSubscriptions';

export const SECRET_TABLE = 'Propstreet webhook secret';
/** The one row's `name`: the table could hold other subscriptions' secrets later. */
export const SECRET_ROW_NAME = 'propstreet-webhook';

/** Keys of 01's static data that held the secret before the table did. */
export const LEGACY_SECRET_KEYS = ['propstreetWebhookSecret', 'propstreetWebhookId', 'propstreetWebhookEvents'] as const;

export interface StoredSecret {
	secret: string;
	webhookId?: string;
	events: string[];
	/** `staticData`: still in the old place, to be moved. */
	from: 'table' | 'staticData';
}

/** The row the table keeps (events as JSON text: a data table column holds no list). */
export interface SecretRow {
	name: string;
	secret: string;
	webhookId: string;
	events: string;
}

const isSecret = (value: unknown): value is string => typeof value === 'string' && value.startsWith('whsec_');

function eventsOf(value: unknown): string[] {
	if (typeof value !== 'string') return normaliseEvents(value);
	try {
		return normaliseEvents(JSON.parse(value));
	} catch {
		return normaliseEvents(value);
	}
}

/** The secret in use: the table's row first, else the one an earlier version left in static data; null when neither holds one. */
export function storedSecret(row: unknown, staticData: unknown): StoredSecret | null {
	if (isRecord(row) && row.name === SECRET_ROW_NAME && isSecret(row.secret)) {
		return { secret: row.secret, webhookId: row.webhookId ? String(row.webhookId) : undefined, events: eventsOf(row.events), from: 'table' };
	}
	if (isRecord(staticData) && isSecret(staticData.propstreetWebhookSecret)) {
		const id = staticData.propstreetWebhookId;
		return { secret: staticData.propstreetWebhookSecret, webhookId: id ? String(id) : undefined, events: eventsOf(staticData.propstreetWebhookEvents), from: 'staticData' };
	}
	return null;
}

/**
 * The row to save: from Propstreet's answer to the subscription create (which shows the secret
 * once), or, for a `move` step, from the static data an earlier version wrote.
 */
export function secretRowOf(input: unknown, staticData: unknown): SecretRow {
	if (isRecord(input) && input.kind === 'move') {
		const legacy = storedSecret(undefined, staticData);
		if (!legacy) throw new Error('No webhook secret is left in this workflow\'s static data to move');
		return { name: SECRET_ROW_NAME, secret: legacy.secret, webhookId: legacy.webhookId ?? '', events: JSON.stringify(legacy.events) };
	}
	if (!isRecord(input) || !isSecret(input.secret)) throw new Error('Propstreet answered the subscription create without a whsec_ secret');
	if (input.id === undefined || input.id === null || input.id === '') throw new Error('Propstreet answered the subscription create without an id');
	return { name: SECRET_ROW_NAME, secret: input.secret, webhookId: String(input.id), events: JSON.stringify(normaliseEvents(input.events)) };
}

/** Removes the secret an earlier version kept in static data; touches nothing when none is there (so no save is triggered). */
export function forgetLegacySecret(staticData: Record<string, unknown>): boolean {
	const present = LEGACY_SECRET_KEYS.filter((key) => key in staticData);
	for (const key of present) delete staticData[key];
	return present.length > 0;
}
