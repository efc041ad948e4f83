/**
 * Where a person opens a record named in the review queue. Pipedrive records live under the
 * company's own domain (`https://acme.pipedrive.com/person/7`); the sync knows it only when the
 * Pipedrive credential's base URL is that domain (api.pipedrive.com does not say which company).
 * Propstreet documents no web address per record, so its records are named by id only.
 */
import { EVENT_ENTITIES } from '../twoWay/eventInput';

export function pipedriveRecordUrl(baseUrl: string, entity: string, id: string): string {
	const host = /^https:\/\/([a-z0-9-]+)\.pipedrive\.com(?:\/|$)/i.exec(baseUrl.trim())?.[1]?.toLowerCase();
	const kind = EVENT_ENTITIES[entity]?.pipedrive;
	if (!host || host === 'api' || host === 'app' || !kind) return '';
	return `https://${host}.pipedrive.com/${kind}/${encodeURIComponent(id)}`;
}
