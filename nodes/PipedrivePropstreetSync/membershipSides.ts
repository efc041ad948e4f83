/**
 * The membership sync's ports over HTTP: Pipedrive participants and person fields through the
 * package's Pipedrive layer, Propstreet prospects through the Propstreet transport (If-Match on
 * the classification, an Idempotency-Key on every create). Removals of something already gone
 * answer success.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { FieldCatalog } from '../shared/core/customFields';
import { requireId } from '../shared/core/ids';
import { isRecord, refId, type JsonRecord } from '../shared/core/mapping/common';
import type { MembershipPorts } from '../shared/core/membership/ports';
import { classificationWriteValue, membersOf, personClassification, prospectsOf, requireFieldKey, type PersonFieldKeys } from '../shared/core/membership/read';
import { asRecord } from '../Propstreet/actions/syncCommon';
import { CONTACTS_PATH } from '../Propstreet/actions/network';
import { encodePathSegment, etagOf, propstreetList, propstreetRequest } from '../Propstreet/transport';
import { addDealParticipant, getDeal, getPerson, listDealParticipants, removeDealParticipant, updatePersonIfExists } from '../shared/pipedrive';

export interface MembershipSideSettings {
	ctx: IExecuteFunctions;
	i: number;
	namespace: string;
	keys: PersonFieldKeys;
	personCatalog: FieldCatalog;
	/** Deals already read (the poll trigger emits them whole), by id: not read again. */
	knownDeals: Map<string, JsonRecord>;
}

const prospectsPath = (projectId: string) => `/api/v1/projects/${encodePathSegment(requireId(projectId, 'propstreet', 'project id', `Propstreet project ${projectId}`))}/prospects`;
const prospectPath = (projectId: string, prospectId: string) => `${prospectsPath(projectId)}/${encodePathSegment(requireId(prospectId, 'propstreet', 'prospect id', `Propstreet prospect ${prospectId}`))}`;

async function personGone(s: MembershipSideSettings, personId: string): Promise<boolean> {
	const person = await getPerson(s.ctx, personId, { itemIndex: s.i });
	return !person || person.is_deleted === true || person.active_flag === false;
}

async function dealGone(s: MembershipSideSettings, dealId: string): Promise<boolean> {
	const deal = await getDeal(s.ctx, dealId, { itemIndex: s.i });
	return !deal || deal.is_deleted === true || deal.status === 'deleted';
}

function pipedrivePorts(s: MembershipSideSettings): Pick<MembershipPorts, 'listMembers' | 'addParticipant' | 'removeParticipant' | 'readPersonClassification' | 'setPersonClassification' | 'contactOfPerson'> {
	const { ctx, i, keys, personCatalog } = s;
	return {
		listMembers: async (dealId) => {
			const deal = s.knownDeals.get(dealId) ?? (await getDeal(ctx, dealId, { itemIndex: i }));
			if (!deal) return null;
			// A sweep lists the deals first; one deleted or merged away before its participants are read is gone, not a failure.
			const participants = await listDealParticipants(ctx, dealId, { itemIndex: i }).catch(async (error: unknown) => ((await dealGone(s, dealId)) ? null : await Promise.reject(error)));
			return participants ? membersOf(deal, participants as JsonRecord[], keys, personCatalog) : null;
		},
		addParticipant: async (dealId, personId) =>
			addDealParticipant(ctx, dealId, personId, { itemIndex: i }).then(
				(added) => ({ participantId: String(added.id) }),
				// Refused because the person was deleted meanwhile: not a failure, there is nobody to add.
				async (error: unknown) => ((await personGone(s, personId)) ? null : await Promise.reject(error)),
			),
		removeParticipant: async (dealId, participantId) => {
			await removeDealParticipant(ctx, dealId, participantId, { itemIndex: i });
		},
		readPersonClassification: async (personId) => {
			const person = await getPerson(ctx, personId, { itemIndex: i });
			// A cached key the person lacks: the definitions are stale (read again by the caller), before anything is written.
			if (person && keys.checkCached) requireFieldKey(person, keys.classification, 'person classification');
			return person ? { value: personClassification(person, keys.classification, personCatalog), updatedAt: typeof person.update_time === 'string' ? person.update_time : null } : null;
		},
		setPersonClassification: async (personId, value) => {
			const written = classificationWriteValue(value, keys.classification, personCatalog);
			if (written === undefined) throw new Error(`"${value}" is not an option of the Pipedrive person field ${keys.classification}`);
			await updatePersonIfExists(ctx, personId, { custom_fields: { [keys.classification]: written } }, { itemIndex: i });
		},
		contactOfPerson: async (personId) => {
			const person = await getPerson(ctx, personId, { itemIndex: i });
			const custom = person && isRecord(person.custom_fields) ? person.custom_fields : {};
			const value = custom[keys.contactId];
			return typeof value === 'string' && value.trim() ? value.trim() : null;
		},
	};
}

/** The project is there and not deleted (asked only after its prospect list failed). */
async function projectExists(s: MembershipSideSettings, projectId: string): Promise<boolean> {
	const response = await propstreetRequest(s.ctx, { method: 'GET', path: prospectsPath(projectId).replace(/\/prospects$/, ''), acceptStatuses: [404, 410], itemIndex: s.i, operation: `Reading Propstreet project ${projectId}` });
	return response.statusCode < 300 && !asRecord(response.body).deletedUtc;
}

function propstreetPorts(s: MembershipSideSettings): Pick<MembershipPorts, 'listProspects' | 'addProspect' | 'removeProspect' | 'setProspectClassification' | 'personOfContact'> {
	const { ctx, i, namespace } = s;
	return {
		listProspects: async (projectId) =>
			propstreetList<JsonRecord>(ctx, prospectsPath(projectId), {}, { returnAll: true, itemIndex: i }).then(
				(records) => prospectsOf(records, namespace),
				async (error: unknown) => ((await projectExists(s, projectId)) ? await Promise.reject(error) : null),
			),
		addProspect: async (projectId, contactId, personId, sourceKey) => {
			const response = await propstreetRequest(ctx, {
				method: 'POST',
				path: prospectsPath(projectId),
				body: { contactId, externalRefs: [{ namespace, id: personId }] },
				idempotencyKey: `prospect-${projectId}-${sourceKey}`,
				acceptStatuses: [404, 410],
				itemIndex: i,
				operation: `Adding contact ${contactId} as a prospect of Propstreet project ${projectId}`,
			});
			// The contact (or the project) was deleted after its link was stored.
			if (response.statusCode === 404 || response.statusCode === 410) return null;
			const [prospect] = prospectsOf([{ ...asRecord(response.body), etag: etagOf(response) }], namespace);
			if (!prospect) throw new Error(`Propstreet answered the prospect add for contact ${contactId} without a prospect`);
			return prospect;
		},
		removeProspect: async (projectId, prospectId) => {
			await propstreetRequest(ctx, { method: 'POST', path: `${prospectPath(projectId, prospectId)}/remove`, acceptStatuses: [404, 410], itemIndex: i, operation: `Removing Propstreet prospect ${prospectId}` });
		},
		setProspectClassification: async (projectId, prospect, value) => {
			const response = await propstreetRequest(ctx, {
				method: 'PATCH',
				path: prospectPath(projectId, prospect.prospectId),
				body: { classification: value } as IDataObject,
				ifMatch: prospect.etag || undefined,
				acceptStatuses: [404, 410, 412],
				itemIndex: i,
				operation: `Classifying Propstreet prospect ${prospect.prospectId}`,
			});
			return response.statusCode < 300;
		},
		personOfContact: async (contactId) => {
			const response = await propstreetRequest(ctx, { method: 'GET', path: `${CONTACTS_PATH}/${encodePathSegment(requireId(contactId, 'propstreet', 'contact id', `Propstreet contact ${contactId}`))}`, acceptStatuses: [404], itemIndex: i });
			return response.statusCode === 404 ? null : (refId(asRecord(response.body).externalRefs, namespace) ?? null);
		},
	};
}

export function membershipPorts(settings: MembershipSideSettings): MembershipPorts {
	return { ...pipedrivePorts(settings), ...propstreetPorts(settings) };
}
