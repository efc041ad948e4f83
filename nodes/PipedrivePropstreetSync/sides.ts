/**
 * The two sides of the contact sync as the core's ports: Propstreet contacts through the package's
 * Propstreet transport (If-Match on every write, the server-side upsert to create), Pipedrive
 * persons through the package's Pipedrive transport (API v2).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { JsonRecord } from '../shared/core/mapping/common';
import type { SidePort, SideRecord } from '../shared/core/twoWay/ports';
import { asRecord, basePorts } from '../Propstreet/actions/syncCommon';
import { CONTACTS_PATH } from '../Propstreet/actions/network';
import { encodePathSegment, etagOf, propstreetRequest } from '../Propstreet/transport';
import { createPerson, findPersonByEmail, getPerson, updatePersonIfExists } from '../shared/pipedrive';
import { canonicalEmail } from '../shared/core/mapping/compare';
import { requireId } from '../shared/core/ids';

/**
 * PATCH one Propstreet record with If-Match: a refused precondition (someone wrote meanwhile) and a
 * record that is gone come back as results, for the core to re-read or unlink.
 */
export function propstreetUpdate(ctx: IExecuteFunctions, i: number, basePath: string, noun: string): SidePort['update'] {
	return async (id, patch, etag) => {
		const safeId = requireId(id, 'propstreet', `${noun} id`, `Propstreet ${noun} ${id}`);
		const response = await propstreetRequest(ctx, {
			method: 'PATCH',
			path: `${basePath}/${encodePathSegment(safeId)}`,
			body: patch as IDataObject,
			ifMatch: etag || undefined,
			acceptStatuses: [404, 410, 412],
			itemIndex: i,
			operation: `Updating Propstreet ${noun} ${id}`,
		});
		if (response.statusCode === 412) return { ok: false, reason: 'preconditionFailed' };
		if (response.statusCode === 404 || response.statusCode === 410) return { ok: false, reason: 'gone' };
		return { ok: true, record: asRecord(response.body), etag: etagOf(response) };
	};
}

export function propstreetContacts(ctx: IExecuteFunctions, i: number, namespace: string): SidePort {
	const ports = basePorts.call(ctx, CONTACTS_PATH, i);
	const contactId = (id: string) => requireId(id, 'propstreet', 'contact id', `Propstreet contact ${id}`);
	return {
		get: async (id) => ports.getById(contactId(id)),
		update: propstreetUpdate(ctx, i, CONTACTS_PATH, 'contact'),
		findCounterpart: async (_person, personId) => ports.getByExternalRef(namespace, requireId(personId, 'pipedrive', 'person id', `Pipedrive person ${personId}`)),
		// Match by our ref, else by e-mail, else create, in one idempotent call (the ref is the key).
		create: async (body, source) => {
			const personId = requireId(source.id, 'pipedrive', 'person id', `Pipedrive person ${source.id}`);
			const response = await propstreetRequest(ctx, {
				method: 'PATCH',
				path: `${CONTACTS_PATH}/external/${encodePathSegment(namespace)}/${encodePathSegment(personId)}`,
				qs: { match: 'email', revive: true },
				body: body as IDataObject,
				itemIndex: i,
				operation: `Creating the Propstreet contact of Pipedrive person ${personId}`,
			});
			const action = String(response.headers['x-propstreet-upsert-action'] ?? '').toLowerCase();
			return { record: asRecord(response.body), etag: etagOf(response), existed: action !== '' && action !== 'created' };
		},
	};
}

export function pipedrivePersons(ctx: IExecuteFunctions, i: number): SidePort {
	const read = (record: JsonRecord | null): SideRecord | null => (record ? { record } : null);
	return {
		get: async (id) => read(await getPerson(ctx, id, { itemIndex: i })),
		update: async (id, patch) => {
			const record = await updatePersonIfExists(ctx, id, patch as IDataObject, { itemIndex: i });
			return record ? { ok: true, record } : { ok: false, reason: 'gone' };
		},
		create: async (body) => ({ record: await createPerson(ctx, body as IDataObject, { itemIndex: i }) }),
		// The contact's own `pipedrive` ref is tried first; this e-mail search only runs before a create.
		findCounterpart: async (contact) => {
			const email = canonicalEmail(contact.email);
			return email ? read(await findPersonByEmail(ctx, email, { itemIndex: i })) : null;
		},
	};
}
