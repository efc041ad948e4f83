import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation } from '../operation';
import { idempotencyKeyOption, resourceLocator } from '../properties';
import { postNote } from '../writes';
import { requiredId } from '../parameters';
import { PROJECTS_PATH } from './fields';
import { encodePathSegment } from '../../transport';

/**
 * Project-level note (changelog 1.6.0, "Project notes (create)"). The reference did not capture the
 * body; we send `{ content }` like prospect notes (inferred), which is what the simulator models.
 */
export const description: INodeProperties[] = forOperation('project', 'addNote', [
	resourceLocator('projectId', 'Project', 'searchProjects', 'e.g. 123'),
	{ displayName: 'Content', name: 'content', type: 'string', typeOptions: { rows: 4 }, default: '', required: true, description: '1 to 10,000 characters' },
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [idempotencyKeyOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'projectId', i, 'Project');
	return postNote.call(this, i, `${PROJECTS_PATH}/${encodePathSegment(id)}/notes`, 'content', { projectId: id });
}
