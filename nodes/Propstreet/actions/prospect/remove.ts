import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { requiredId } from '../parameters';
import { projectLocator, prospectIdProperty, prospectsPath } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('prospect', 'remove', [projectLocator, prospectIdProperty]);

/** Removes the prospect but keeps its timeline (Propstreet emits prospect.updated with action "removed"). */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const path = prospectsPath.call(this, i);
	const id = requiredId.call(this, 'prospectId', i, 'Prospect ID');
	await propstreetRequest(this, { method: 'POST', path: `${path}/${encodePathSegment(id)}/remove`, itemIndex: i });
	return toItems.call(this, { prospectId: id, removed: true }, i);
}
