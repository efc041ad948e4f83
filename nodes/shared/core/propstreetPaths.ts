/**
 * API paths of the Propstreet records the triggers read: the list of an entity (polling) and one
 * record (re-reading a webhook's record). Pure, so both triggers share one table.
 */
import type { PropstreetEntity } from './polling';

const NETWORK_COLLECTIONS: Record<Exclude<PropstreetEntity, 'project' | 'prospect'>, string> = {
	contact: '/api/v1/network/contacts',
	company: '/api/v1/network/companies',
	link: '/api/v1/network/links',
};

function segment(value: unknown): string | null {
	return value === undefined || value === null || value === '' ? null : encodeURIComponent(String(value));
}

/**
 * The list path of an entity. Prospects are listed per project, so they need `projectId`;
 * without it the answer is null.
 */
export function collectionPath(entity: PropstreetEntity, projectId?: unknown): string | null {
	switch (entity) {
		case 'project':
			return '/api/v1/projects';
		case 'prospect': {
			const project = segment(projectId);
			return project ? `/api/v1/projects/${project}/prospects` : null;
		}
		default:
			return NETWORK_COLLECTIONS[entity];
	}
}

/** The path of one record, from its `id` (and, for a prospect, its `projectId`), or null if unknown. */
export function recordPath(entity: PropstreetEntity, data: Record<string, unknown>): string | null {
	const id = segment(data.id);
	const collection = id ? collectionPath(entity, data.projectId) : null;
	return collection ? `${collection}/${id}` : null;
}
