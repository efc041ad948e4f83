import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, optionalString, toItems } from '../common';
import { propstreetRequest } from '../../transport';
import type { DuplicateCandidate } from '../../../shared/core/sync';

/**
 * The changelog (1.3.0) names this path without the /network segment the other company routes
 * have (reference §22 #16). We follow the changelog; the simulator answers both.
 */
export const FIND_DUPLICATES_PATH = '/api/v1/companies/find-duplicates';

/** The response wrapper is undocumented: accept a bare array or data / candidates / duplicates / results. */
export function readDuplicateCandidates(body: unknown): Array<DuplicateCandidate & IDataObject> {
	let list: unknown = body;
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const b = body as IDataObject;
		list = b.data ?? b.candidates ?? b.duplicates ?? b.results ?? [];
	}
	if (!Array.isArray(list)) return [];
	return list
		.filter((c): c is IDataObject => !!c && typeof c === 'object' && (c as IDataObject).id !== undefined)
		.map((c) => ({ ...c, id: String(c.id), method: c.method === undefined ? undefined : String(c.method), score: c.score === undefined ? undefined : Number(c.score) }));
}

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
	return toItems.call(this, readDuplicateCandidates(response.body), i);
}
