import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { externalLookupProperties, fail, forOperation, requiredString, toItems } from '../common';
import { CONTACTS_PATH, contactFieldOptions, networkBody } from '../network';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('contact', 'upsert', [
	...externalLookupProperties,
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: contactFieldOptions.filter((o) => o.name !== 'externalRefs'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Create Only',
				name: 'createOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to send create_only=true. Propstreet documents the flag ambiguously (its name says create-only, its heading says update-only), so check the result.',
			},
			{
				displayName: 'Match by Email',
				name: 'matchEmail',
				type: 'boolean',
				default: true,
				description: 'Whether a contact with the same email but no such reference is updated and gets the reference, instead of creating a new contact',
			},
			{
				displayName: 'Revive Deleted',
				name: 'revive',
				type: 'boolean',
				default: true,
				description: 'Whether a soft-deleted contact holding this reference is restored and updated (otherwise a new contact is created)',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const ns = requiredString.call(this, 'externalNamespace', i, 'Namespace');
	const externalId = requiredString.call(this, 'externalId', i, 'External ID');
	const body = networkBody.call(this, 'contact', this.getNodeParameter('fields', i, {}) as IDataObject, i, false);
	if (!Object.keys(body).length) fail.call(this, i, `"Fields" on item ${i} is empty: add at least one field`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const qs: IDataObject = { revive: options.revive === undefined ? true : !!options.revive };
	if (options.matchEmail !== false) qs.match = 'email';
	if (options.createOnly) qs.create_only = true;
	const response = await propstreetRequest(this, {
		method: 'PATCH',
		path: `${CONTACTS_PATH}/external/${encodePathSegment(ns)}/${encodePathSegment(externalId)}`,
		qs,
		body,
		itemIndex: i,
	});
	const upsertAction = response.headers['x-propstreet-upsert-action'] ?? (response.statusCode === 201 ? 'created' : 'updated');
	return toItems.call(this, { ...(response.body as IDataObject), upsertAction }, i);
}
