/** What one membership run did, in the shape the Sync node outputs (RunOutcome plus the details). */
import type { FieldDecision } from '../merge/threeWay';
import type { ReviewItem, RunOutcome } from '../twoWay/ports';

export interface MembershipChange {
	change: 'addedProspect' | 'addedParticipant' | 'removedProspect' | 'removedParticipant' | 'classifiedProspect' | 'classifiedPerson' | 'linked';
	personId?: string;
	contactId?: string;
	prospectId?: string;
	value?: string;
}

export interface MembershipOutcome extends RunOutcome {
	changes: MembershipChange[];
	/** Memberships waiting for their person or contact to be linked (retried at the next run). */
	pending: Array<{ side: string; id: string; reason: string }>;
}

export function newOutcome(dealId: string, projectId: string): MembershipOutcome {
	return { action: 'unchanged', entity: 'prospect', pipedriveId: dealId, propstreetId: projectId, written: { pipedrive: {}, propstreet: {} }, decisions: [], review: [], warnings: [], reason: '', changes: [], pending: [] };
}

/** A pair that was not synced (not linked, closed deal …), with the reason. */
export function emptyOutcome(dealId: string | null, projectId: string | null, reason: string): RunOutcome {
	return { action: 'skipped', entity: 'prospect', pipedriveId: dealId, propstreetId: projectId, written: { pipedrive: {}, propstreet: {} }, decisions: [], review: [], warnings: [], reason };
}

export function noteDecision(out: MembershipOutcome, decision: FieldDecision, review: ReviewItem | null): void {
	out.decisions.push(decision);
	if (review) out.review.push(review);
}

/** Counts the writes per side in `written` (`{ addParticipant: 2 }`) and sets the action and reason. */
export function finish(out: MembershipOutcome): MembershipOutcome {
	const side: Record<MembershipChange['change'], 'pipedrive' | 'propstreet' | null> = {
		addedProspect: 'propstreet',
		removedProspect: 'propstreet',
		classifiedProspect: 'propstreet',
		addedParticipant: 'pipedrive',
		removedParticipant: 'pipedrive',
		classifiedPerson: 'pipedrive',
		linked: null,
	};
	for (const c of out.changes) {
		const target = side[c.change];
		if (target) out.written[target][c.change] = ((out.written[target][c.change] as number | undefined) ?? 0) + 1;
	}
	const wrote = out.changes.some((c) => side[c.change] !== null);
	out.action = wrote ? 'updated' : 'unchanged';
	const parts = [wrote ? `${out.changes.filter((c) => side[c.change]).length} write(s)` : 'participants and prospects already agree'];
	if (out.pending.length) parts.push(`${out.pending.length} pending`);
	if (out.review.length) parts.push(`${out.review.length} for review`);
	out.reason = parts.join('; ');
	return out;
}
