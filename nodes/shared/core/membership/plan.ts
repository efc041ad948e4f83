/**
 * The membership plan of one deal/project pair: the one membership-diff model of the package.
 * Three-way by presence: what each side holds now, and whether the sync state has seen the
 * membership linked (the rule for one-sided memberships is `presence.ts`).
 *
 * - on both sides: a pair, whose classification is then merged;
 * - on one side, never seen linked: new, added to the other side;
 * - on one side, seen linked: removed on the other side since, so removed here too (and only then);
 * - on one side, its person/contact has no counterpart yet: pending, retried at the next run,
 *   never removed (issue 13 case 1);
 * - a tombstone (a removal the sync could not carry out, e.g. of a deal's primary person): left alone.
 */
import type { LinkState } from '../syncState/link';
import { oneSidedAction, type MembershipHistory } from './presence';
import { pairKey, rowOf, type DealMember, type MembershipRows, type ProjectProspect } from './model';

export type MembershipStep =
	| { kind: 'pair'; member: DealMember; prospect: ProjectProspect; row?: LinkState }
	| { kind: 'addProspect'; member: DealMember & { contactId: string } }
	| { kind: 'addParticipant'; prospect: ProjectProspect & { personId: string } }
	| { kind: 'removeParticipant'; member: DealMember; row: LinkState }
	| { kind: 'removeProspect'; prospect: ProjectProspect; row: LinkState }
	| { kind: 'keepPrimary'; member: DealMember; row: LinkState }
	| { kind: 'pending'; side: 'pipedrive' | 'propstreet'; id: string; reason: string }
	| { kind: 'skip'; side: 'pipedrive' | 'propstreet'; id: string; reason: string };

export interface MembershipInput {
	dealId: string;
	members: DealMember[];
	prospects: ProjectProspect[];
	rows: MembershipRows;
}

function prospectOf(member: DealMember, prospects: ProjectProspect[], linked: LinkState | undefined): ProjectProspect | undefined {
	return prospects.find((p) => p.personId === member.personId) ?? (linked?.propstreetId ? prospects.find((p) => p.prospectId === linked.propstreetId) : undefined);
}

function historyOf(linked: LinkState | undefined, tombstone: LinkState | undefined): MembershipHistory {
	return linked ? 'linked' : tombstone ? 'tombstone' : 'neverLinked';
}

function memberStep(member: DealMember, prospect: ProjectProspect | undefined, input: MembershipInput): MembershipStep {
	const { linked, tombstone } = rowOf(input.rows.byPerson.get(member.personId));
	if (prospect) return { kind: 'pair', member, prospect, row: linked };
	const id = pairKey(input.dealId, member.personId);
	switch (oneSidedAction({ history: historyOf(linked, tombstone), counterpartKnown: !!member.contactId, primary: member.primary })) {
		case 'remove':
			return { kind: 'removeParticipant', member, row: linked as LinkState };
		case 'keepPrimary':
			return { kind: 'keepPrimary', member, row: linked as LinkState };
		case 'add':
			return { kind: 'addProspect', member: { ...member, contactId: member.contactId as string } };
		case 'pending':
			return { kind: 'pending', side: 'pipedrive', id, reason: `person ${member.personId} has no linked Propstreet contact yet; added once the contact sync links it` };
		default:
			return { kind: 'skip', side: 'pipedrive', id, reason: 'removed from the project before; the deal keeps its primary person, so it is not added back' };
	}
}

function prospectStep(prospect: ProjectProspect, input: MembershipInput): MembershipStep {
	const { linked, tombstone } = rowOf(input.rows.byProspect.get(prospect.prospectId));
	const id = prospect.prospectId;
	switch (oneSidedAction({ history: historyOf(linked, tombstone), counterpartKnown: !!prospect.personId, teaser: prospect.teaser })) {
		case 'remove':
			return { kind: 'removeProspect', prospect, row: linked as LinkState };
		case 'add':
			return { kind: 'addParticipant', prospect: { ...prospect, personId: prospect.personId as string } };
		case 'pending':
			return { kind: 'pending', side: 'propstreet', id, reason: `contact ${prospect.contactId} has no linked Pipedrive person yet; added to the deal once the contact sync links it` };
		default:
			return { kind: 'skip', side: 'propstreet', id, reason: prospect.teaser ? 'matched by Propstreet (teaser); not copied to Pipedrive' : 'its membership was removed before and could not be removed on the deal' };
	}
}

export function planMembership(input: MembershipInput): MembershipStep[] {
	const steps: MembershipStep[] = [];
	const paired = new Set<string>();
	for (const member of input.members) {
		const prospect = prospectOf(member, input.prospects.filter((p) => !paired.has(p.prospectId)), rowOf(input.rows.byPerson.get(member.personId)).linked);
		if (prospect) paired.add(prospect.prospectId);
		steps.push(memberStep(member, prospect, input));
	}
	for (const prospect of input.prospects) if (!paired.has(prospect.prospectId)) steps.push(prospectStep(prospect, input));
	return steps;
}
