import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, idempotencyKeyOption, optionalString, requiredString, resourceLocator, toItems } from '../common';
import { PROJECTS_PATH } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';

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
	const id = requiredString.call(this, 'projectId', i, 'Project');
	const content = String(this.getNodeParameter('content', i, '') ?? '');
	if (!content.trim()) fail.call(this, i, `"Content" on item ${i} is empty`);
	if (content.length > 10_000) fail.call(this, i, `"Content" on item ${i} is ${content.length} characters; Propstreet accepts at most 10,000`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const response = await propstreetRequest(this, {
		method: 'POST',
		path: `${PROJECTS_PATH}/${encodePathSegment(id)}/notes`,
		body: { content },
		idempotencyKey: optionalString(options.idempotencyKey),
		itemIndex: i,
	});
	const result = response.body && typeof response.body === 'object' ? (response.body as IDataObject) : {};
	return toItems.call(this, { ...result, projectId: id, noted: true }, i);
}
