/**
 * What a membership-sync item asks for: one deal (the deal poll trigger emits deal records), the
 * project of a Propstreet prospect event, explicit ids (`{ dealId }` / `{ projectId }`, e.g. in the
 * body of the "sync now" webhook), or a sweep of every synced deal (`{ sweep: true }`, or that
 * webhook called with an empty body).
 */
import { idOf, isRecord, MappingError, type JsonRecord } from '../mapping/common';

export type MembershipRequest =
	| { kind: 'deal'; deal: JsonRecord; dealId: string }
	| { kind: 'project'; projectId: string; eventSide: 'propstreet' }
	| { kind: 'ids'; dealId?: string; projectId?: string }
	| { kind: 'sweep' };

const isDeal = (r: JsonRecord) => idOf(r.id) !== undefined && ('pipeline_id' in r || 'stage_id' in r || 'title' in r);

export function readMembershipItem(item: unknown): MembershipRequest {
	const label = 'input item (prospect memberships)';
	if (!isRecord(item)) throw new MappingError('item', 'the item is not an object', label);
	if (typeof item.event === 'string' && isRecord(item.data)) {
		const projectId = idOf(item.data.projectId);
		if (!projectId) throw new MappingError('data.projectId', `the ${item.event} event names no project`, label);
		return { kind: 'project', projectId, eventSide: 'propstreet' };
	}
	if (isRecord(item.deal) && isDeal(item.deal)) return { kind: 'deal', deal: item.deal, dealId: idOf(item.deal.id) as string };
	if (isDeal(item)) return { kind: 'deal', deal: item, dealId: idOf(item.id) as string };
	// The "sync now" webhook: its body (or the item itself) may name a deal or a project.
	const body = isRecord(item.body) && 'headers' in item ? item.body : item;
	const dealId = idOf(body.dealId);
	const projectId = idOf(body.projectId);
	if (dealId || projectId) return { kind: 'ids', dealId, projectId };
	if (body.sweep === true || (isRecord(item.headers) && Object.keys(body).length === 0)) return { kind: 'sweep' };
	throw new MappingError('item', 'neither a Pipedrive deal, a Propstreet prospect event, { dealId } / { projectId }, nor { sweep: true }', label);
}
