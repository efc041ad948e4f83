import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation } from '../operation';
import { idempotencyKeyOption } from '../properties';
import { requiredString } from '../parameters';
import { postRecord } from '../writes';
import { projectBody, projectFieldOptions, PROJECTS_PATH } from './fields';

export const description: INodeProperties[] = forOperation('project', 'create', [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, description: '1 to 200 characters' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: projectFieldOptions.filter((o) => o.name !== 'name'),
	},
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [idempotencyKeyOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const name = requiredString.call(this, 'name', i, 'Name');
	const body = projectBody.call(this, { ...(this.getNodeParameter('additionalFields', i, {}) as IDataObject), name }, i);
	return postRecord.call(this, i, PROJECTS_PATH, body);
}
