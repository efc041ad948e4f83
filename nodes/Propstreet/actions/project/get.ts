import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { requiredId } from '../parameters';
import { resourceLocator } from '../properties';
import { PROJECTS_PATH } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('project', 'get', [resourceLocator('projectId', 'Project', 'searchProjects', 'e.g. 123')]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'projectId', i, 'Project');
	const response = await propstreetRequest(this, { method: 'GET', path: `${PROJECTS_PATH}/${encodePathSegment(id)}`, itemIndex: i });
	return toItems.call(this, response.body as never, i);
}
