/**
 * Persons and contacts as the two-way engine's side ports, for a Cloud Code node that replays the
 * engine over answered lookups: every read and write is a lookup the workflow's HTTP Request nodes
 * make (`lookups.ts`). The calls are the ones the Sync node's `sides.ts` makes (Pipedrive API v2;
 * Propstreet with If-Match, the upsert by our ref to create), so both editions write alike.
 */
import { isRecord, type JsonRecord } from '../mapping/common';
import { canonicalEmail } from '../mapping/compare';
import type { Side } from '../merge/policy';
import type { SidePort, SideRecord, SideWrite } from '../twoWay/ports';
import { bodyOf, checkedStatus, type Lookup, recordOfAnswer } from './lookups';

export type Answer = (lookup: Lookup) => unknown;

const CONTACTS = '/api/v1/network/contacts';
const PERSONS = '/api/v2/persons';
const segment = encodeURIComponent;

export function headerOf(answer: unknown, name: string): string | undefined {
	const headers = isRecord(answer) && isRecord(answer.headers) ? answer.headers : {};
	const value = headers[name] ?? headers[name.toLowerCase()];
	return typeof value === 'string' && value ? value : undefined;
}

/** An answer that is neither success nor one of `accepted` stops the record's sync with a message naming the call. */
const checked = (answer: unknown, what: string, accepted: number[] = [404]): number => checkedStatus(answer, what, accepted);

export function readRecord(answer: unknown, what: string): SideRecord | null {
	checked(answer, what, [404, 410]);
	const record = recordOfAnswer(answer).record;
	if (!record) return null;
	const etag = headerOf(answer, 'etag');
	return etag ? { record, etag } : { record };
}

export function writeResult(answer: unknown, what: string, side: Side): SideWrite {
	const status = checked(answer, what, side === 'propstreet' ? [404, 409, 410, 412] : [404, 410]);
	if (status === 404 || status === 410) return { ok: false, reason: 'gone' };
	if (status === 409 || status === 412) return { ok: false, reason: 'preconditionFailed' };
	const record = recordOfAnswer(answer).record;
	if (!record) throw new Error(`${what} answered HTTP ${status} without a record`);
	const etag = headerOf(answer, 'etag');
	return etag ? { ok: true, record, etag } : { ok: true, record };
}

export function cloudContactSide(answer: Answer, namespace: string): SidePort {
	const call = (method: Lookup['method'], path: string, body?: JsonRecord, headers?: Record<string, string>) =>
		answer({ api: 'propstreet', method, path, ...(body ? { body } : {}), ...(headers ? { headers } : {}) });
	const byRef = (personId: string) => `${CONTACTS}/external/${segment(namespace)}/${segment(personId)}`;
	return {
		get: async (id) => readRecord(call('GET', `${CONTACTS}/${segment(id)}`), `Reading Propstreet contact ${id}`),
		update: async (id, patch, etag) => writeResult(call('PATCH', `${CONTACTS}/${segment(id)}`, patch, etag ? { 'If-Match': etag } : undefined), `Updating Propstreet contact ${id}`, 'propstreet'),
		findCounterpart: async (_person, personId) => readRecord(call('GET', byRef(personId)), `Finding the Propstreet contact of Pipedrive person ${personId}`),
		// Match by our ref, else by e-mail, else create: one idempotent call (the ref is the key).
		create: async (body, source) => {
			const made = call('PATCH', `${byRef(source.id)}?match=email&revive=true`, body);
			checked(made, `Creating the Propstreet contact of Pipedrive person ${source.id}`, []);
			const record = recordOfAnswer(made).record;
			if (!record) throw new Error(`Creating the Propstreet contact of Pipedrive person ${source.id} returned no record`);
			const action = (headerOf(made, 'x-propstreet-upsert-action') ?? '').toLowerCase();
			return { record, etag: headerOf(made, 'etag'), existed: action !== '' && action !== 'created' };
		},
	};
}

/** A Pipedrive API v2 collection's reads and writes as side-port methods (persons, organizations, deals). */
export function pipedriveRecords(answer: Answer, collection: 'persons' | 'organizations' | 'deals', noun: string): Pick<SidePort, 'get' | 'update' | 'create'> {
	const path = `/api/v2/${collection}`;
	const call = (method: Lookup['method'], at: string, body?: JsonRecord) => answer({ api: 'pipedrive', method, path: at, ...(body ? { body } : {}) });
	return {
		get: async (id) => readRecord(call('GET', `${path}/${segment(id)}`), `Reading Pipedrive ${noun} ${id}`),
		update: async (id, patch) => writeResult(call('PATCH', `${path}/${segment(id)}`, patch), `Updating Pipedrive ${noun} ${id}`, 'pipedrive'),
		create: async (body) => {
			const made = call('POST', path, body);
			checked(made, `Creating a Pipedrive ${noun}`, []);
			const record = recordOfAnswer(made).record;
			if (!record) throw new Error(`Creating a Pipedrive ${noun} returned no record`);
			return { record };
		},
	};
}

export function cloudPersonSide(answer: Answer): SidePort {
	const call = (method: Lookup['method'], path: string, body?: JsonRecord) => answer({ api: 'pipedrive', method, path, ...(body ? { body } : {}) });
	const records = pipedriveRecords(answer, 'persons', 'person');
	const get = records.get;
	return {
		...records,
		// The contact's own `pipedrive` ref is tried first by the engine; this e-mail search only runs before a create.
		findCounterpart: async (contact) => {
			const email = canonicalEmail(contact.email);
			if (!email) return null;
			const found = call('GET', `${PERSONS}/search?term=${segment(email)}&fields=email&exact_match=true&limit=1`);
			checked(found, `Searching Pipedrive persons by the e-mail of Propstreet contact ${String(contact.id)}`, []);
			const data = bodyOf(found);
			const items = isRecord(data) && isRecord(data.data) && Array.isArray(data.data.items) ? data.data.items : [];
			const id = isRecord(items[0]) && isRecord(items[0].item) ? items[0].item.id : undefined;
			return id === undefined || id === null ? null : get(String(id));
		},
	};
}
