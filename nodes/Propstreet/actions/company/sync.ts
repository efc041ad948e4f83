import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { syncCompany, type CompanySyncPorts, type DuplicateCandidate } from '../../../shared/core/sync';
import { fail } from '../operation';
import { optionalString } from '../parameters';
import { COMPANIES_PATH } from '../network';
import { asRecord, basePorts, outcomeItems, readSyncParameters, syncProperties } from '../syncCommon';
import { etagOf, propstreetRequest } from '../../transport';
import { FIND_DUPLICATES_PATH, readDuplicateCandidates } from './findDuplicates';

export const description: INodeProperties[] = syncProperties('company');

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const { input, options } = readSyncParameters.call(this, i);
	const name = optionalString(input.desired.name);
	if (!name) fail.call(this, i, `"Record" on item ${i} has no company name (field "name")`);
	const countryCode = input.desired.countryCode;
	if (countryCode !== undefined && countryCode !== null && !/^[A-Za-z]{2}$/.test(String(countryCode))) {
		fail.call(this, i, `"Record" on item ${i}: countryCode must be a 2-letter ISO code, got "${String(countryCode)}"`);
	}
	const ports = companyPorts.call(this, i);
	const prefix = optionalString(options.orgNumberPrefix) ?? 'orgnr-';
	return outcomeItems.call(this, await syncCompany(ports, input, prefix), i);
}

/** The HTTP ports of the company sync (also used by the Pipedrive Propstreet Sync node). */
export function companyPorts(this: IExecuteFunctions, i: number): CompanySyncPorts {
	return {
		...basePorts.call(this, COMPANIES_PATH, i),
		findDuplicates: async (query, idempotencyKey): Promise<DuplicateCandidate[]> => {
			const response = await propstreetRequest(this, { method: 'POST', path: FIND_DUPLICATES_PATH, body: query as IDataObject, idempotencyKey, itemIndex: i });
			return readDuplicateCandidates(response.body);
		},
		create: async (body, idempotencyKey) => {
			const response = await propstreetRequest(this, {
				method: 'POST',
				path: COMPANIES_PATH,
				body: body as IDataObject,
				idempotencyKey,
				acceptStatuses: [409],
				itemIndex: i,
			});
			if (response.statusCode === 409) return { duplicate: true as const };
			return { record: asRecord(response.body), etag: etagOf(response) };
		},
	};
}
