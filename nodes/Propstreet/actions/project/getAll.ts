import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { listProperties } from '../properties';
import { readListOptions } from '../parameters';
import { optionsOf, PROJECT_CLASSIFICATIONS, PROJECT_STATUSES, PROJECTS_PATH, TEASER_STAGES } from './fields';
import { propstreetList } from '../../transport';

export const description: INodeProperties[] = forOperation(
	'project',
	'getAll',
	listProperties([
		{ displayName: 'Classification', name: 'classification', type: 'options', default: 'active', options: optionsOf(PROJECT_CLASSIFICATIONS) },
		{ displayName: 'Status', name: 'status', type: 'options', default: 'open', options: optionsOf(PROJECT_STATUSES) },
		{ displayName: 'Teaser Stage', name: 'teaserStage', type: 'options', default: 'drafting', options: optionsOf(TEASER_STAGES) },
	]),
);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const { returnAll, limit, qs, filters } = readListOptions.call(this, i);
	if (filters.status) qs.status = filters.status;
	if (filters.classification) qs.classification = filters.classification;
	if (filters.teaserStage) qs.teaser_stage = filters.teaserStage;
	const rows = await propstreetList<IDataObject>(this, PROJECTS_PATH, qs, { returnAll, limit, itemIndex: i });
	return toItems.call(this, rows, i);
}
