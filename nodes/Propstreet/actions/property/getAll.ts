import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { listProperties } from '../properties';
import { optionalString, parseTags, readListOptions } from '../parameters';
import { PROPERTIES_PATH } from './fields';
import { propstreetList } from '../../transport';

export const description: INodeProperties[] = forOperation(
	'property',
	'getAll',
	listProperties([
		{ displayName: 'Category', name: 'category', type: 'string', default: '', placeholder: 'office', description: 'Top-level category or category/subtype' },
		{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'SE', description: 'ISO 3166-1 alpha-2' },
		{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated; any of them matches' },
	]),
);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const { returnAll, limit, qs, filters } = readListOptions.call(this, i);
	const country = optionalString(filters.country);
	if (country) qs.country = country.toUpperCase();
	const category = optionalString(filters.category);
	if (category) qs.category = category;
	const tags = parseTags(filters.tags);
	if (tags?.length) qs.tags = tags;
	const rows = await propstreetList<IDataObject>(this, PROPERTIES_PATH, qs, { returnAll, limit, itemIndex: i });
	return toItems.call(this, rows, i);
}
