import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation } from '../operation';
import { idempotencyKeyOption } from '../properties';
import { postNote } from '../writes';
import { requiredId } from '../parameters';
import { projectLocator, prospectIdProperty, prospectsPath } from './fields';
import { encodePathSegment } from '../../transport';

export const description: INodeProperties[] = forOperation('prospect', 'addNote', [
	projectLocator,
	prospectIdProperty,
	{ displayName: 'Content', name: 'content', type: 'string', typeOptions: { rows: 4 }, default: '', required: true, description: '1 to 10,000 characters' },
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [idempotencyKeyOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const path = prospectsPath.call(this, i);
	const id = requiredId.call(this, 'prospectId', i, 'Prospect ID');
	return postNote.call(this, i, `${path}/${encodePathSegment(id)}/notes`, 'content', { prospectId: id });
}
