import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { requiredId } from '../parameters';
import { projectLocator, prospectIdProperty, prospectsPath } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('prospect', 'setContactPerson', [
	projectLocator,
	prospectIdProperty,
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		required: true,
		description: "A contact already linked to the prospect's company. Works once, while the prospect still points at the company.",
	},
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const path = prospectsPath.call(this, i);
	const id = requiredId.call(this, 'prospectId', i, 'Prospect ID');
	const contactId = requiredId.call(this, 'contactId', i, 'Contact ID');
	await propstreetRequest(this, { method: 'POST', path: `${path}/${encodePathSegment(id)}/contact-person`, body: { contactId }, itemIndex: i });
	return toItems.call(this, { prospectId: id, contactId, contactPersonSet: true }, i);
}
