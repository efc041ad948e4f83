import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, toItems } from '../operation';
import { listProperties } from '../properties';
import { optionalString, readListOptions } from '../parameters';
import { propstreetList } from '../../transport';

export const LINKS_PATH = '/api/v1/network/links';

export const description: INodeProperties[] = forOperation('link', 'getAll', [
	{
		displayName: 'List By',
		name: 'listBy',
		type: 'options',
		default: 'contact',
		options: [
			{ name: 'Contact', value: 'contact', description: "A contact's company connections" },
			{ name: 'Company', value: 'company', description: "A company's contact connections" },
			{ name: 'All', value: 'all', description: 'Every link (e.g. for delta sync)' },
		],
	},
	{ displayName: 'Contact ID', name: 'contactId', type: 'string', default: '', required: true, displayOptions: { show: { listBy: ['contact'] } } },
	{ displayName: 'Company ID', name: 'companyId', type: 'string', default: '', required: true, displayOptions: { show: { listBy: ['company'] } } },
	...listProperties(),
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const listBy = this.getNodeParameter('listBy', i, 'contact') as string;
	const { returnAll, limit, qs } = readListOptions.call(this, i);
	const query: IDataObject = { ...qs };
	if (listBy === 'contact') {
		const id = optionalString(this.getNodeParameter('contactId', i, ''));
		if (!id) fail.call(this, i, `"Contact ID" on item ${i} is empty`);
		query.contact_id = id;
	} else if (listBy === 'company') {
		const id = optionalString(this.getNodeParameter('companyId', i, ''));
		if (!id) fail.call(this, i, `"Company ID" on item ${i} is empty`);
		query.company_id = id;
	}
	const rows = await propstreetList<IDataObject>(this, LINKS_PATH, query, { returnAll, limit, itemIndex: i });
	return toItems.call(this, rows, i);
}
