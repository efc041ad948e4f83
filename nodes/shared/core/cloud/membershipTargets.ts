/**
 * Which deals or projects one Cloud 08 execution syncs: a prospect delivery (handed over by the
 * 03r router) names its project; "Sync now" may name a deal or project in its body, or else reads
 * every deal; the schedule emits the deals whose participant count or update time moved since
 * the snapshot the workflow keeps in its static data (`decidePoll`, as the Deal Poll Trigger).
 */
import { isRecord } from '../mapping/common';
import { decidePoll, readSnapshot, type DealSnapshot } from '../membership/dealSnapshot';
import { readMembershipItem } from '../membership/targets';
import type { MembershipStepInput } from './membershipStep';

type Target = MembershipStepInput['target'];

export interface TargetsInput {
	/** The router's item (`{ event }`) when a prospect delivery started the run. */
	delivery?: unknown;
	/** The Sync now webhook's item when it started the run. */
	syncNow?: unknown;
	/** The deals list answer (`{ data: [...] }`) when the poll or Sync now read it. */
	dealList?: unknown;
	snapshot: unknown;
	nowMs: number;
}

function targetsOfRequest(item: unknown): Target[] {
	const request = readMembershipItem(item);
	if (request.kind === 'project') return [{ projectId: request.projectId }];
	if (request.kind === 'deal') return [{ dealId: request.dealId }];
	if (request.kind === 'ids') return [request.dealId ? { dealId: request.dealId } : { projectId: request.projectId }];
	return [];
}

/** Names a deal or project: `{ dealId }` / `{ projectId }` in the webhook body. */
function namesIds(item: unknown): boolean {
	const body = isRecord(item) && isRecord(item.body) ? item.body : item;
	return isRecord(body) && (body.dealId !== undefined || body.projectId !== undefined);
}

export function membershipTargets(input: TargetsInput): { targets: Target[]; snapshot: DealSnapshot | null } {
	const snapshot = readSnapshot(input.snapshot);
	if (input.delivery !== undefined) {
		const item = isRecord(input.delivery) && isRecord(input.delivery.event) ? input.delivery.event : input.delivery;
		return { targets: targetsOfRequest(item), snapshot };
	}
	if (input.syncNow !== undefined && namesIds(input.syncNow)) return { targets: targetsOfRequest(input.syncNow), snapshot };
	const deals = isRecord(input.dealList) && Array.isArray(input.dealList.data) ? input.dealList.data.filter(isRecord) : [];
	const decision = decidePoll(snapshot, deals, input.nowMs, { checkEveryMs: 0 }, input.syncNow !== undefined);
	return { targets: decision.emit.map((deal) => ({ dealId: String(deal.id) })), snapshot: decision.next };
}
