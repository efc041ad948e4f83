/**
 * The membership sync's ports for Cloud 08, over answered lookups: every Pipedrive participant or
 * person call and every Propstreet prospect call is a lookup the workflow's HTTP Request nodes
 * make (the same paths, Idempotency-Keys and If-Match as the Sync node's `membershipSides.ts`).
 * A removal of something already gone answers success, as the port asks.
 */
import type { FieldCatalog } from '../customFields';
import { idOf, isRecord, refId, type JsonRecord } from '../mapping/common';
import type { MembershipPorts } from '../membership/ports';
import { classificationWriteValue, membersOf, personClassification, prospectsOf, type PersonFieldKeys } from '../membership/read';
import { collectPages, readPage } from '../http/pagination';
import { bodyOf, checkedStatus, dataOf, recordOfAnswer, statusOf, type Lookup } from './lookups';

type Ask = (lookup: Lookup) => unknown;

const segment = encodeURIComponent;
const prospectsPath = (projectId: string) => `/api/v1/projects/${segment(projectId)}/prospects`;

/** Any answer but success or "gone" stops the run with the call named. */
const checked = (answer: unknown, what: string, gone: number[] = [404, 410]): number => checkedStatus(answer, what, gone);

function pipedrivePorts(ask: Ask, keys: PersonFieldKeys, catalog: FieldCatalog): Omit<MembershipPorts, 'listProspects' | 'addProspect' | 'removeProspect' | 'setProspectClassification' | 'personOfContact'> {
	const pd = (method: Lookup['method'], path: string, body?: JsonRecord) => ask({ api: 'pipedrive', method, path, ...(body ? { body } : {}) });
	const person = (id: string): JsonRecord | null => {
		const answer = pd('GET', `/api/v2/persons/${segment(id)}`);
		const found = checked(answer, `Reading Pipedrive person ${id}`) < 400 ? dataOf(answer) : null;
		return isRecord(found) && found.is_deleted !== true && found.active_flag !== false ? found : null;
	};
	return {
		listMembers: async (dealId) => {
			const dealAnswer = pd('GET', `/api/v2/deals/${segment(dealId)}`);
			const deal = checked(dealAnswer, `Reading Pipedrive deal ${dealId}`, [404]) < 400 ? dataOf(dealAnswer) : null;
			if (!isRecord(deal)) throw new Error(`Pipedrive deal ${dealId} does not exist`);
			// A failed read is an error, never "no participants" (that would remove every prospect).
			const listed = pd('GET', `/v1/deals/${segment(dealId)}/participants?start=0&limit=500`);
			checked(listed, `Reading the participants of Pipedrive deal ${dealId}`, []);
			const participants = dataOf(listed);
			return membersOf(deal, (Array.isArray(participants) ? participants : []).filter(isRecord), keys, catalog);
		},
		addParticipant: async (dealId, personId) => {
			const answer = pd('POST', `/v1/deals/${segment(dealId)}/participants`, { person_id: Number(personId) });
			if (statusOf(answer) >= 400 && !person(personId)) return null;
			checked(answer, `Adding person ${personId} to Pipedrive deal ${dealId}`, []);
			const added = dataOf(answer);
			return { participantId: String(isRecord(added) ? idOf(added.id) : '') };
		},
		removeParticipant: async (dealId, participantId) => {
			checked(pd('DELETE', `/v1/deals/${segment(dealId)}/participants/${segment(participantId)}`), `Removing participant ${participantId} of Pipedrive deal ${dealId}`);
		},
		readPersonClassification: async (personId) => {
			const found = person(personId);
			return found ? { value: personClassification(found, keys.classification, catalog), updatedAt: typeof found.update_time === 'string' ? found.update_time : null } : null;
		},
		setPersonClassification: async (personId, value) => {
			const written = classificationWriteValue(value, keys.classification, catalog);
			if (written === undefined) throw new Error(`"${value}" is not an option of the Pipedrive person field ${keys.classification}`);
			checked(pd('PATCH', `/api/v2/persons/${segment(personId)}`, { custom_fields: { [keys.classification]: written } }), `Classifying Pipedrive person ${personId}`);
		},
		contactOfPerson: async (personId) => {
			const found = person(personId);
			const custom = found && isRecord(found.custom_fields) ? found.custom_fields : (found ?? {});
			const value = custom[keys.contactId];
			return typeof value === 'string' && value.trim() ? value.trim() : null;
		},
	};
}

function propstreetPorts(ask: Ask, namespace: string): Pick<MembershipPorts, 'listProspects' | 'addProspect' | 'removeProspect' | 'setProspectClassification' | 'personOfContact'> {
	const ps = (method: Lookup['method'], path: string, body?: JsonRecord, headers?: Record<string, string>) => ask({ api: 'propstreet', method, path, ...(body ? { body } : {}), ...(headers ? { headers } : {}) });
	return {
		listProspects: async (projectId) => {
			let gone = false;
			const rows = await collectPages<JsonRecord>({
				fetchPage: async (cursor) => {
					const page = ps('GET', `${prospectsPath(projectId)}?page_size=100${cursor ? `&cursor=${segment(cursor)}` : ''}`);
					gone = checked(page, `Reading the prospects of Propstreet project ${projectId}`) >= 400;
					return gone ? { items: [] } : readPage<JsonRecord>(bodyOf(page));
				},
			});
			return gone ? null : prospectsOf(rows.filter(isRecord), namespace);
		},
		addProspect: async (projectId, contactId, personId, sourceKey) => {
			const answer = ps('POST', prospectsPath(projectId), { contactId, externalRefs: [{ namespace, id: personId }] }, { 'Idempotency-Key': `prospect-${projectId}-${sourceKey}` });
			if (checked(answer, `Adding contact ${contactId} as a prospect of Propstreet project ${projectId}`) >= 400) return null;
			const headers = isRecord(answer) && isRecord(answer.headers) ? answer.headers : {};
			const [prospect] = prospectsOf([{ ...(recordOfAnswer(answer).record ?? {}), etag: typeof headers.etag === 'string' ? headers.etag : undefined }], namespace);
			if (!prospect) throw new Error(`Propstreet answered the prospect add for contact ${contactId} without a prospect`);
			return prospect;
		},
		removeProspect: async (projectId, prospectId) => {
			checked(ps('POST', `${prospectsPath(projectId)}/${segment(prospectId)}/remove`), `Removing Propstreet prospect ${prospectId}`);
		},
		setProspectClassification: async (projectId, prospect, value) => {
			const answer = ps('PATCH', `${prospectsPath(projectId)}/${segment(prospect.prospectId)}`, { classification: value }, prospect.etag ? { 'If-Match': prospect.etag } : undefined);
			return checked(answer, `Classifying Propstreet prospect ${prospect.prospectId}`, [404, 410, 412]) < 300;
		},
		personOfContact: async (contactId) => {
			const found = recordOfAnswer(ps('GET', `/api/v1/network/contacts/${segment(contactId)}`)).record;
			return found ? (refId(found.externalRefs, namespace) ?? null) : null;
		},
	};
}

export function cloudMembershipPorts(ask: Ask, namespace: string, keys: PersonFieldKeys, catalog: FieldCatalog): MembershipPorts {
	return { ...pipedrivePorts(ask, keys, catalog), ...propstreetPorts(ask, namespace) };
}
