import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { resourceLocator } from '../properties';
import { COMPANIES_PATH } from '../network';
import { addNetworkNote, noteProperties } from '../contact/addNote';

export const description: INodeProperties[] = noteProperties('company', resourceLocator('companyId', 'Company', 'searchCompanies', 'e.g. 55'));

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	return addNetworkNote.call(this, i, COMPANIES_PATH, 'companyId', 'Company');
}
