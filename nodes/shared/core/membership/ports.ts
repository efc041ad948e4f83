/**
 * What the membership sync needs from the outside: both sides' membership calls (the nodes supply
 * HTTP, tests the simulators or fakes), the state store and a way to wait. Removals answer
 * success when the member is already gone (a 404 is what a repeat of the same removal gets).
 */
import type { ConflictRules, Side } from '../merge/policy';
import type { ReviewQueue } from '../review/queue';
import type { SyncStateStore } from '../syncState/store';
import type { DealMember, ProjectProspect } from './model';

export interface MembershipPorts {
	/** The deal's people (primary person and participants) with contact ids and classifications where the reads carry them. */
	/** Null when the deal no longer exists (deleted or merged away). */
	listMembers(dealId: string): Promise<DealMember[] | null>;
	/** Null when the person no longer exists (deleted in Pipedrive after its link was stored). */
	addParticipant(dealId: string, personId: string): Promise<{ participantId: string } | null>;
	/** Success when the participant is already gone. */
	removeParticipant(dealId: string, participantId: string): Promise<void>;
	/** The person's classification and update time, for a person the member list did not describe. */
	readPersonClassification(personId: string): Promise<{ value: string | null; updatedAt: string | null } | null>;
	setPersonClassification(personId: string, value: string): Promise<void>;
	/** Active contact prospects of the project (deleted and company-only ones left out); null when the project is gone. */
	listProspects(projectId: string): Promise<ProjectProspect[] | null>;
	/**
	 * Creates the prospect. `sourceKey` names the Pipedrive membership it copies (the participant
	 * record, which a re-add replaces, with its person and contact): the Idempotency-Key, so a retried
	 * add creates nothing twice. Null when the contact (or project) no longer exists.
	 */
	addProspect(projectId: string, contactId: string, personId: string, sourceKey: string): Promise<ProjectProspect | null>;
	/** Success when the prospect is already removed. */
	removeProspect(projectId: string, prospectId: string): Promise<void>;
	/** With If-Match; false when the prospect changed meanwhile (the next run merges again). */
	setProspectClassification(projectId: string, prospect: ProjectProspect, value: string): Promise<boolean>;
	/** The counterpart of a person or contact the state store does not know (stored ids on the records). */
	contactOfPerson(personId: string): Promise<string | null>;
	personOfContact(contactId: string): Promise<string | null>;
}

export interface MembershipRun {
	ports: MembershipPorts;
	store: SyncStateStore;
	rules: ConflictRules;
	/** Where classification conflicts under Manual Review are kept for a person (absent: only the Review output). */
	review?: ReviewQueue;
	/** This execution's token (lease owner). */
	owner: string;
	now(): Date;
	wait(ms: number): Promise<void>;
}

export interface MembershipTarget {
	dealId: string;
	projectId: string;
	/** The side whose event started the run: it wins a classification conflict the times cannot decide. */
	eventSide: Side;
}
