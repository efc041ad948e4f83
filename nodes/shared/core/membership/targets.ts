/**
 * What a membership-sync item asks for: one deal (the deal poll trigger emits deal records), the
 * project of a Propstreet prospect event, explicit ids (`{ dealId }` / `{ projectId }`, e.g. in the
 * body of the "sync now" webhook), or a sweep of every synced deal (`{ sweep: true }`, or that
 * webhook called with an empty body), or the daily participation check the deal poll trigger emits
 * after the deals (`{ participationCheck: 'check' | 'baseline', openDealIds }`).
 */
import { idOf, isRecord, MappingError, type JsonRecord } from '../mapping/common';
import { timeOf } from '../merge/policy';
import type { LinkState } from '../syncState/link';
import { CLASSIFICATION_FIELD } from './model';

export type MembershipRequest =
	| { kind: 'deal'; deal: JsonRecord; dealId: string }
	| { kind: 'project'; projectId: string; eventSide: 'propstreet'; prospect?: { prospectId: string; classification: string | null; removed: boolean } }
	| { kind: 'ids'; dealId?: string; projectId?: string }
	| { kind: 'sweep' }
	| { kind: 'check'; mode: 'check' | 'baseline'; openDealIds: string[] | null };

const isDeal = (r: JsonRecord) => idOf(r.id) !== undefined && ('pipeline_id' in r || 'stage_id' in r || 'title' in r);

/**
 * A prospect event that only repeats what the sync state already holds (the echo of our own add
 * or classification, or a duplicate delivery): its linked membership's baseline has the same
 * classification. It needs no API call at all. A removal is an echo only when the state holds no
 * row for the prospect at all: the sync deletes a membership's row once a removal went through on
 * both sides (our own removal), and a prospect never linked has nothing to remove in Pipedrive.
 * A linked row or a tombstone still runs the full sync (issue 14: the echo of every removal read
 * the deal and its participants).
 */
export function isProspectEcho(request: MembershipRequest, rows: LinkState[]): boolean {
	if (request.kind !== 'project' || !request.prospect) return false;
	if (request.prospect.removed) return rows.length === 0;
	const linked = rows.find((r) => r.status === 'linked');
	const base = linked?.baseline?.propstreet[CLASSIFICATION_FIELD];
	return base !== undefined && base === (request.prospect.classification ?? '');
}

export function readMembershipItem(item: unknown): MembershipRequest {
	const label = 'input item (prospect memberships)';
	if (!isRecord(item)) throw new MappingError('item', 'the item is not an object', label);
	if (typeof item.event === 'string' && isRecord(item.data)) {
		const projectId = idOf(item.data.projectId);
		if (!projectId) throw new MappingError('data.projectId', `the ${item.event} event names no project`, label);
		const prospectId = idOf(item.data.id);
		const removed = item.deleted === true || item.action === 'removed' || !!item.data.deletedUtc || item.event.endsWith('.deleted');
		const classification = typeof item.data.classification === 'string' ? item.data.classification : null;
		return { kind: 'project', projectId, eventSide: 'propstreet', prospect: prospectId ? { prospectId, classification, removed } : undefined };
	}
	if (isRecord(item.deal) && isDeal(item.deal)) return { kind: 'deal', deal: item.deal, dealId: idOf(item.deal.id) as string };
	if (isDeal(item)) return { kind: 'deal', deal: item, dealId: idOf(item.id) as string };
	// The "sync now" webhook: its body (or the item itself) may name a deal or a project, or ask for the participation check.
	const body = isRecord(item.body) && 'headers' in item ? item.body : item;
	if (body.participationCheck === 'check' || body.participationCheck === 'baseline') {
		const openDealIds = Array.isArray(body.openDealIds) ? body.openDealIds.map((id) => idOf(id)).filter((id): id is string => !!id) : null;
		return { kind: 'check', mode: body.participationCheck, openDealIds };
	}
	const dealId = idOf(body.dealId);
	const projectId = idOf(body.projectId);
	if (dealId || projectId) return { kind: 'ids', dealId, projectId };
	if (body.sweep === true || (isRecord(item.headers) && Object.keys(body).length === 0)) return { kind: 'sweep' };
	throw new MappingError('item', 'neither a Pipedrive deal, a Propstreet prospect event, { dealId } / { projectId }, { sweep: true }, nor { participationCheck }', label);
}

/**
 * A deal the participant poll emitted only because its update time moved (`pollReason: 'updated'`,
 * count unchanged), at a version the deal ⇄ project sync has already synced (its link's baseline
 * time): the move was a deal edit (a stage change, a title) the deal's webhook brought, so the
 * participants are not read (issue 14: 20 tokens per stage change). What this trades: a participant
 * replaced by another (count unchanged) in the same poll interval as such an edit waits for the
 * daily sweep; a change of the count, or an update time no deal sync explains, is still read at once.
 */
export function editAlreadySynced(deal: JsonRecord, projectLink: LinkState | undefined): boolean {
	if (deal.pollReason !== 'updated') return false;
	const seen = timeOf(projectLink?.baseline?.at?.pipedrive);
	const now = timeOf(deal.update_time as string | null | undefined);
	return seen !== null && now !== null && seen >= now;
}
