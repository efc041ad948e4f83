import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { fail } from '../operation';
import { requiredId } from '../parameters';
import { resourceLocator } from '../properties';
import { optionsOf, PROJECTS_PATH } from '../project/fields';
import { encodePathSegment } from '../../transport';

export const PROSPECT_CLASSIFICATIONS = ['not_contacted', 'contacted', 'interested', 'not_interested', 'bidder'];

export const projectLocator = resourceLocator('projectId', 'Project', 'searchProjects', 'e.g. 123');

export const prospectIdProperty: INodeProperties = { displayName: 'Prospect ID', name: 'prospectId', type: 'string', default: '', required: true };

export const classificationProperty: INodeProperties = {
	displayName: 'Classification',
	name: 'classification',
	type: 'options',
	default: 'contacted',
	options: optionsOf(PROSPECT_CLASSIFICATIONS),
	description: 'Pipeline stage of the investor on this project',
};

export function prospectsPath(this: IExecuteFunctions, i: number): string {
	const projectId = requiredId.call(this, 'projectId', i, 'Project');
	return `${PROJECTS_PATH}/${encodePathSegment(projectId)}/prospects`;
}

export function checkClassification(this: IExecuteFunctions, value: unknown, i: number): string {
	const v = String(value ?? '');
	if (!PROSPECT_CLASSIFICATIONS.includes(v)) fail.call(this, i, `"Classification" on item ${i} must be one of ${PROSPECT_CLASSIFICATIONS.join(', ')}, got "${v}"`);
	return v;
}

export { optionsOf };
