import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { ifMatchOption, resourceLocator } from '../properties';
import { optionalString, requiredId } from '../parameters';
import { PROJECTS_PATH } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('project', 'delete', [
	resourceLocator('projectId', 'Project', 'searchProjects', 'e.g. 123'),
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [ifMatchOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'projectId', i, 'Project');
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	await propstreetRequest(this, { method: 'DELETE', path: `${PROJECTS_PATH}/${encodePathSegment(id)}`, ifMatch: optionalString(options.ifMatch), itemIndex: i });
	return toItems.call(this, { id, deleted: true }, i);
}
