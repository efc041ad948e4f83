import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, toItems } from '../operation';
import { optionalString, requiredId } from '../parameters';
import { encodePathSegment, etagOf, propstreetRequest } from '../../transport';
import { LINKS_PATH } from './getAll';

export const description: INodeProperties[] = forOperation('link', 'update', [
	{ displayName: 'Link ID', name: 'linkId', type: 'string', default: '', required: true },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Is Primary', name: 'isPrimary', type: 'boolean', default: true, description: "Whether this company is the contact's primary company" },
			{ displayName: 'Job Title', name: 'jobTitle', type: 'string', default: '', description: 'Empty clears the job title' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'If-Match ETag',
				name: 'ifMatch',
				type: 'string',
				default: '',
				description: 'ETag the link was read with. Empty: the node reads the link first and uses its current ETag (Propstreet documents If-Match as required here).',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, 'linkId', i, 'Link ID');
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const body: IDataObject = {};
	if ('jobTitle' in fields) body.jobTitle = optionalString(fields.jobTitle) ?? null;
	if ('isPrimary' in fields) body.isPrimary = !!fields.isPrimary;
	if (!Object.keys(body).length) fail.call(this, i, `"Update Fields" on item ${i} is empty: set "Job Title" or "Is Primary"`);
	const path = `${LINKS_PATH}/${encodePathSegment(id)}`;
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	let ifMatch = optionalString(options.ifMatch);
	if (!ifMatch) ifMatch = etagOf(await propstreetRequest(this, { method: 'GET', path, itemIndex: i })) || undefined;
	const response = await propstreetRequest(this, { method: 'PATCH', path, body, ifMatch, itemIndex: i });
	return toItems.call(this, response.body as IDataObject, i);
}
