import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { externalRefsFrom } from '../externalRefs';
import { externalRefsJsonProperty, externalRefsProperty, idempotencyKeyOption } from '../properties';
import { forOperation } from '../operation';
import { postRecord } from '../writes';
import { requiredId } from '../parameters';
import { projectLocator, prospectsPath } from './fields';

export const prospectTargetProperties: INodeProperties[] = [
	{
		displayName: 'Prospect Is',
		name: 'targetType',
		type: 'options',
		default: 'contact',
		options: [
			{ name: 'Contact', value: 'contact', description: 'A person (preferred)' },
			{ name: 'Company', value: 'company', description: 'A placeholder when the person is not known yet' },
		],
	},
	{ displayName: 'Contact or Company ID', name: 'targetId', type: 'string', default: '', required: true, description: 'Propstreet ID of the contact or company' },
];

/** CreateProspectRequest: exactly one of contactId / companyId. */
export function prospectRequest(this: IExecuteFunctions, i: number): IDataObject {
	const type = this.getNodeParameter('targetType', i, 'contact') as string;
	const id = requiredId.call(this, 'targetId', i, 'Contact or Company ID');
	const body: IDataObject = type === 'company' ? { companyId: id } : { contactId: id };
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const refs = externalRefsFrom.call(this, options, i);
	if (refs?.length) body.externalRefs = refs;
	return body;
}

export const description: INodeProperties[] = forOperation('prospect', 'add', [
	projectLocator,
	...prospectTargetProperties,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [externalRefsProperty(), externalRefsJsonProperty(), idempotencyKeyOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const path = prospectsPath.call(this, i);
	const body = prospectRequest.call(this, i);
	return postRecord.call(this, i, path, body);
}
