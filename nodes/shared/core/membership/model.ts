/**
 * Deal participants ⇄ project prospects as memberships: a person on a deal (its primary person or
 * a participant) and a contact on the deal's project (a prospect). Both sides are read whole for
 * one deal/project pair; the sync state keeps one `prospect` row per membership it has seen linked
 * (Pipedrive side id `<dealId>:<personId>`, Propstreet side id the prospect id) with the baseline
 * of the classification, so a side that lost a member can be told from one that never had it.
 */
import type { LinkState } from '../syncState/link';

/** The field merged per membership (also its conflict-rule field id, as in MAPPED_FIELDS). */
export const CLASSIFICATION_FIELD = 'prospect.classification';

/** A person on the deal, as the deal's participant list shows it. */
export interface DealMember {
	personId: string;
	/** The participant record id (what DELETE takes); null for the deal's primary person when it is not listed. */
	participantId: string | null;
	/** True for the deal's primary person: Pipedrive cannot remove it through the participants route. */
	primary: boolean;
	/** The linked Propstreet contact, when known. */
	contactId: string | null;
	/** The person's classification (Propstreet code), null when empty, undefined when not read. */
	classification?: string | null;
	/** The person's update time (ISO), for the conflict rule. */
	updatedAt?: string | null;
}

/** A contact on the project. Deleted and company-only prospects are left out by the reader. */
export interface ProjectProspect {
	prospectId: string;
	contactId: string;
	/** The Pipedrive person of the contact, when known. */
	personId: string | null;
	classification: string | null;
	/** Matched by Propstreet itself (teaser): never copied to Pipedrive, never removed. */
	teaser: boolean;
	etag?: string;
	updatedAt?: string | null;
}

export function pairKey(dealId: string, personId: string): string {
	return `${dealId}:${personId}`;
}

/** The state rows of one deal's memberships, found by either side's id. */
export interface MembershipRows {
	byPerson: Map<string, LinkState[]>;
	byProspect: Map<string, LinkState[]>;
}

/** The row that says the membership was linked, or the tombstone of one that must not come back. */
export function rowOf(rows: LinkState[] | undefined): { linked?: LinkState; tombstone?: LinkState } {
	const list = rows ?? [];
	return { linked: list.find((r) => r.status === 'linked'), tombstone: list.find((r) => r.status === 'unlinked') };
}
