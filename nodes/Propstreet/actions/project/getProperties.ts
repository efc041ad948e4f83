import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { requiredId } from '../parameters';
import { resourceLocator } from '../properties';
import { PROJECTS_PATH } from './fields';
import { encodePathSegment, propstreetList } from '../../transport';

export const description: INodeProperties[] = forOperation('project', 'getProperties', [resourceLocator('projectId', 'Project', 'searchProjects', 'e.g. 123')]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'projectId', i, 'Project');
	const rows = await propstreetList<IDataObject>(this, `${PROJECTS_PATH}/${encodePathSegment(id)}/properties`, {}, { returnAll: true, itemIndex: i });
	return toItems.call(this, rows, i);
}
