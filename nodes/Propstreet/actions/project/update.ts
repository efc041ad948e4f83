import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation } from '../operation';
import { ifMatchOption, resourceLocator } from '../properties';
import { patchRecord } from '../writes';
import { requiredId } from '../parameters';
import { optionsOf, PROJECT_CLASSIFICATIONS, projectBody, projectFieldOptions, PROJECTS_PATH } from './fields';
import { encodePathSegment } from '../../transport';

export const description: INodeProperties[] = forOperation('project', 'update', [
	resourceLocator('projectId', 'Project', 'searchProjects', 'e.g. 123'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Classification',
				name: 'classification',
				type: 'options',
				default: 'active',
				options: optionsOf(PROJECT_CLASSIFICATIONS),
				description: 'Work stage of the project',
			},
			...projectFieldOptions,
		],
	},
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [ifMatchOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'projectId', i, 'Project');
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const body = projectBody.call(this, fields, i);
	// Classification via PATCH follows the spec; the reference found no documented way
	// (ARCHITECTURE "API decisions"). This is the only place in the node that sends it.
	if (fields.classification !== undefined) {
		if (!PROJECT_CLASSIFICATIONS.includes(String(fields.classification))) {
			fail.call(this, i, `"Classification" on item ${i} must be one of ${PROJECT_CLASSIFICATIONS.join(', ')}`);
		}
		body.classification = fields.classification;
	}
	return patchRecord.call(this, i, `${PROJECTS_PATH}/${encodePathSegment(id)}`, body);
}
