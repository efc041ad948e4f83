import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { listProperties } from '../properties';
import { parseTags, readListOptions } from '../parameters';
import { optionsOf, projectLocator, PROSPECT_CLASSIFICATIONS, prospectsPath } from './fields';
import { propstreetList } from '../../transport';

export const description: INodeProperties[] = forOperation('prospect', 'getAll', [
	projectLocator,
	...listProperties([
		{ displayName: 'Capability', name: 'capability', type: 'options', default: 'chat', options: [{ name: 'Chat', value: 'chat' }] },
		{ displayName: 'Classification', name: 'classification', type: 'options', default: 'interested', options: optionsOf(PROSPECT_CLASSIFICATIONS) },
		{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated; a prospect with any of them matches' },
	]),
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const path = prospectsPath.call(this, i);
	const { returnAll, limit, qs, filters } = readListOptions.call(this, i);
	if (filters.classification) qs.classification = filters.classification;
	if (filters.capability) qs.capability = filters.capability;
	const tags = parseTags(filters.tags);
	if (tags?.length) qs.tags = tags;
	const rows = await propstreetList<IDataObject>(this, path, qs, { returnAll, limit, itemIndex: i });
	return toItems.call(this, rows, i);
}
