/**
 * API paths of the Propstreet records the triggers read: the list of an entity (polling) and one
 * record (re-reading a webhook's record). Pure, so both triggers share one table.
 */
import { requireId } from './ids';
import type { PropstreetEntity } from './polling';

const NETWORK_COLLECTIONS: Record<Exclude<PropstreetEntity, 'project' | 'prospect'>, string> = {
	contact: '/api/v1/network/contacts',
	company: '/api/v1/network/companies',
	link: '/api/v1/network/links',
};

/** An id for the path: absent → null; present but not a Propstreet id → InvalidIdError (core/ids). */
function segment(value: unknown, field: string, record: string): string | null {
	if (value === undefined || value === null || value === '') return null;
	return requireId(value, 'propstreet', field, record);
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
			const project = segment(projectId, 'projectId', 'Propstreet prospect list');
			return project ? `/api/v1/projects/${project}/prospects` : null;
		}
		default:
			return NETWORK_COLLECTIONS[entity];
	}
}

/**
 * The path of one record, from its `id` (and, for a prospect, its `projectId`), or null if unknown.
 * Throws InvalidIdError when either is present but not a Propstreet id.
 */
export function recordPath(entity: PropstreetEntity, data: Record<string, unknown>): string | null {
	const record = `Propstreet ${entity}`;
	const id = segment(data.id, 'data.id', record);
	const collection = id ? collectionPath(entity, segment(data.projectId, 'data.projectId', `${record} ${id}`)) : null;
	return collection ? `${collection}/${id}` : null;
}
