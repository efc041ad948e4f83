import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, toItems } from '../operation';
import { optionalString } from '../parameters';
import { propstreetRequest } from '../../transport';

import { FIND_DUPLICATES_PATH, readDuplicateCandidates } from '../../../shared/core/sync/duplicateCandidates';

export { FIND_DUPLICATES_PATH, readDuplicateCandidates };

export const description: INodeProperties[] = forOperation('company', 'findDuplicates', [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Company name to compare' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Country Code', name: 'countryCode', type: 'string', default: '' },
			{ displayName: 'Domain', name: 'domain', type: 'string', default: '' },
			{ displayName: 'Homepage URL', name: 'homepageUrl', type: 'string', default: '' },
		],
	},
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const extra = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const body: IDataObject = {};
	const name = optionalString(this.getNodeParameter('name', i, ''));
	if (name) body.name = name;
	for (const key of ['countryCode', 'domain', 'homepageUrl']) {
		const v = optionalString(extra[key]);
		if (v) body[key] = v;
	}
	if (!body.name && !body.domain && !body.homepageUrl) {
		fail.call(this, i, `Item ${i} has nothing to compare: set "Name", "Domain" or "Homepage URL"`);
	}
	const response = await propstreetRequest(this, { method: 'POST', path: FIND_DUPLICATES_PATH, body, itemIndex: i });
	// One output item per candidate; an input with no duplicates yields no items.
	return toItems.call(this, readDuplicateCandidates(response.body) as IDataObject[], i);
}
