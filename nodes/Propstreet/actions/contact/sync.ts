import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { syncContact, type ContactSyncPorts } from '../../../shared/core/sync';
import { assertContactIdentifier, CONTACTS_PATH } from '../network';
import { asRecord, basePorts, outcomeItems, readSyncParameters, syncProperties } from '../syncCommon';
import { encodePathSegment, etagOf, propstreetRequest } from '../../transport';
import { fail } from '../operation';
import { isEmailAddress } from '../../../shared/core/email';

export const description: INodeProperties[] = syncProperties('contact');

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const { input } = readSyncParameters.call(this, i);
	assertContactIdentifier.call(this, input.desired as IDataObject, i);
	const email = input.desired.email;
	if (typeof email === 'string' && email.trim() && !isEmailAddress(email.trim())) {
		fail.call(this, i, `"Record" on item ${i}: email "${email}" is not a valid address`);
	}
	const ports: ContactSyncPorts = {
		...basePorts.call(this, CONTACTS_PATH, i),
		upsertByExternalRef: async (ns, id, body) => {
			// Server-side upsert: match by ref, else by email, else create; revives a soft-deleted owner.
			const response = await propstreetRequest(this, {
				method: 'PATCH',
				path: `${CONTACTS_PATH}/external/${encodePathSegment(ns)}/${encodePathSegment(id)}`,
				qs: { match: 'email', revive: true },
				body: body as IDataObject,
				itemIndex: i,
			});
			return {
				record: asRecord(response.body),
				etag: etagOf(response),
				upsertAction: response.headers['x-propstreet-upsert-action'],
				status: response.statusCode,
			};
		},
	};
	return outcomeItems.call(this, await syncContact(ports, input), i);
}
