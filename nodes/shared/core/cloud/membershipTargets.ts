/**
 * Which deals or projects one Cloud 08 execution syncs: a prospect delivery (handed over by 03)
 * names its project; "Sync now" may name a deal or project in its body, ask for the
 * participation check (`{ "participationCheck": "check" }` or `"baseline"`), or else reads every
 * deal; the schedule lists the open deals of the synced pipelines and syncs those whose
 * participant count or update time moved since the snapshot the workflow keeps in its static
 * data (`decidePoll`, as the Deal Poll Trigger), with the daily participation check when it is due.
 */
import { isRecord, type JsonRecord } from '../mapping/common';
import { decidePoll, DEFAULT_FULL_READ_EVERY, DEFAULT_SWEEP_HOURS, readSnapshot, type CheckMode, type DealSnapshot } from '../membership/dealSnapshot';
import { readMembershipItem } from '../membership/targets';
import type { MembershipStepInput } from './membershipStep';

type Target = MembershipStepInput['target'];

export interface TargetsInput {
	/** The router's item (`{ event }`) when a prospect delivery started the run. */
	delivery?: unknown;
	/** The Sync now webhook's item when it started the run. */
	syncNow?: unknown;
}

/** A run that lists the open deals first: the schedule, or Sync now without ids (`manual`: every deal), or Sync now asking for the check (`check`). */
export interface PollRequest {
	manual: boolean;
	check: CheckMode | null;
}

export type TargetsPlan = { targets: Target[] } | { poll: PollRequest };

function targetsOfRequest(item: unknown): Target[] {
	const request = readMembershipItem(item);
	if (request.kind === 'project') return [{ projectId: request.projectId }];
	if (request.kind === 'deal') return [{ dealId: request.dealId }];
	if (request.kind === 'ids') return [request.dealId ? { dealId: request.dealId } : { projectId: request.projectId }];
	return [];
}

const bodyOfItem = (item: unknown): unknown => (isRecord(item) && isRecord(item.body) ? item.body : item);

export function membershipTargets(input: TargetsInput): TargetsPlan {
	if (input.delivery !== undefined) {
		const item = isRecord(input.delivery) && isRecord(input.delivery.event) ? input.delivery.event : input.delivery;
		return { targets: targetsOfRequest(item) };
	}
	if (input.syncNow === undefined) return { poll: { manual: false, check: null } };
	const body = bodyOfItem(input.syncNow);
	if (isRecord(body) && (body.dealId !== undefined || body.projectId !== undefined)) return { targets: targetsOfRequest(input.syncNow) };
	if (isRecord(body) && (body.participationCheck === 'check' || body.participationCheck === 'baseline')) return { poll: { manual: false, check: body.participationCheck } };
	return { poll: { manual: true, check: null } };
}

export interface PollPlan {
	targets: Target[];
	/** The snapshot to keep (null: keep the one stored). */
	snapshot: DealSnapshot | null;
	check: CheckMode | null;
}

/** The Cloud edition runs the check at the self-hosted trigger's default cadence: once a day, no periodic full read. */
const CADENCE = { checkEveryMs: DEFAULT_SWEEP_HOURS * 3_600_000, fullReadEvery: DEFAULT_FULL_READ_EVERY };

/** What to sync once the open deals are listed. A check asked for on demand syncs no deal first and leaves the snapshot alone. */
export function pollPlan(request: PollRequest, stored: unknown, deals: JsonRecord[], nowMs: number): PollPlan {
	if (request.check) return { targets: [], snapshot: null, check: request.check };
	const decision = decidePoll(readSnapshot(stored), deals, nowMs, CADENCE, request.manual);
	return { targets: decision.emit.map((deal) => ({ dealId: String(deal.id) })), snapshot: decision.next, check: decision.check };
}
