import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { externalLookupProperties, fail, forOperation, requiredString, toItems } from '../common';
import { COMPANIES_PATH, companyFieldOptions, networkBody } from '../network';
import { encodePathSegment, propstreetRequest } from '../../transport';

// The company upsert route mirrors the documented contact one (reference §9.2: not confirmed for
// companies). Sync company does not depend on it; it matches and creates explicitly.
export const description: INodeProperties[] = forOperation('company', 'upsert', [
	...externalLookupProperties,
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: companyFieldOptions.filter((o) => o.name !== 'externalRefs'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Revive Deleted',
				name: 'revive',
				type: 'boolean',
				default: true,
				description: 'Whether a soft-deleted company holding this reference is restored and updated',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const ns = requiredString.call(this, 'externalNamespace', i, 'Namespace');
	const externalId = requiredString.call(this, 'externalId', i, 'External ID');
	const body = networkBody.call(this, 'company', this.getNodeParameter('fields', i, {}) as IDataObject, i, false);
	if (!Object.keys(body).length) fail.call(this, i, `"Fields" on item ${i} is empty: add at least one field`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const response = await propstreetRequest(this, {
		method: 'PATCH',
		path: `${COMPANIES_PATH}/external/${encodePathSegment(ns)}/${encodePathSegment(externalId)}`,
		qs: { revive: options.revive === undefined ? true : !!options.revive },
		body,
		itemIndex: i,
	});
	const upsertAction = response.headers['x-propstreet-upsert-action'] ?? (response.statusCode === 201 ? 'created' : 'updated');
	return toItems.call(this, { ...(response.body as IDataObject), upsertAction }, i);
}
