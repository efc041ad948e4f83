/**
 * The daily participation check: which deals to read so that no participant change the poll could
 * not see is missed, at tens of tokens instead of one participant read per open deal (issue 14).
 *
 * Why it works: a change the participant poll cannot see keeps the deal's participant count (one
 * person replaced by another), so it removes at least one person the sync state already lists on
 * that deal. Pipedrive's person list tells, per person P, in how many deals P takes part (open +
 * closed: `observed`, O). The membership rows tell on how many deals the sync knows P (`known`, K).
 * The difference X = O − K counts P's participations the sync does not track (other pipelines,
 * closed or never-synced deals, and whatever offset Pipedrive's counting has, e.g. whether a deal's
 * primary person counts). X stays put while nothing hidden happens; when X moved since the last
 * check, P's participations changed somewhere, and reading the deals the state lists P on finds
 * every hidden removal (the removed person is a known member).
 *
 * What it cannot see: a perfect cycle within one check interval (P moved from D to E and Q from E
 * to D): every O and K stays as it was; and a replaced member the state never listed (a pending
 * participant without a Propstreet contact has no membership row). The optional full participant
 * read covers both.
 */
import { idOf, type JsonRecord } from '../mapping/common';
import type { LinkState } from '../syncState/link';

/** Most deals one check reads before it falls back to reading every open synced deal. */
export const MAX_CHECK_DEALS = 50;

/** Person id → the deals (ids) the sync state lists that person on. */
export type KnownDeals = Map<string, Set<string>>;

/** Person id → X = observed − known, only the persons whose X is not 0. */
export type OutsideCounts = Record<string, number>;

/** `<dealId>:<personId>`; the other rows of the entity are `deal:<id>`, `person:<id>` and the check's own. */
const MEMBERSHIP_KEY = /^([^:]+):([^:]+)$/;
const OTHER_ROWS = new Set(['deal', 'person']);

/** The person list's fields that carry O (asked with `include_fields`). */
export const PARTICIPATION_FIELDS = ['participant_open_deals_count', 'participant_closed_deals_count'] as const;

/**
 * O per person from Pipedrive's person list: open + closed participations (closing a deal moves a
 * participation from one count to the other, so O stays put). A person without the counts means
 * Pipedrive did not return them: an error, since O = 0 for everyone would look like a change for all.
 */
export function observedCountsOf(persons: JsonRecord[]): Map<string, number> {
	const observed = new Map<string, number>();
	for (const person of persons) {
		const id = idOf(person.id);
		if (!id) continue;
		const [open, closed] = PARTICIPATION_FIELDS.map((f) => person[f]);
		if (typeof open !== 'number' || typeof closed !== 'number') throw new Error(`Pipedrive person ${id}: the person list did not return ${PARTICIPATION_FIELDS.join(' and ')}; the participation check needs both`);
		if (open + closed > 0) observed.set(id, open + closed);
	}
	return observed;
}

/** The deals each person is a linked member of, from the membership rows (`<dealId>:<personId>`). */
export function knownDealsOf(rows: LinkState[]): KnownDeals {
	const known: KnownDeals = new Map();
	for (const row of rows) {
		if (row.entity !== 'prospect' || row.status !== 'linked') continue;
		const match = MEMBERSHIP_KEY.exec(row.pipedriveId ?? '');
		if (!match || OTHER_ROWS.has(match[1])) continue;
		const [, dealId, personId] = match;
		const deals = known.get(personId) ?? new Set<string>();
		deals.add(dealId);
		known.set(personId, deals);
	}
	return known;
}

/** X per person; persons whose X is 0 are left out (absent means 0), so the stored map stays small. */
export function outsideCounts(observed: Map<string, number>, known: KnownDeals): OutsideCounts {
	const out: OutsideCounts = {};
	for (const personId of new Set([...observed.keys(), ...known.keys()])) {
		const x = (observed.get(personId) ?? 0) - (known.get(personId)?.size ?? 0);
		if (x !== 0) out[personId] = x;
	}
	return out;
}

/** Persons whose X is not what the last check stored. */
export function changedPersons(stored: OutsideCounts, now: OutsideCounts): string[] {
	const ids = new Set([...Object.keys(stored), ...Object.keys(now)]);
	return [...ids].filter((id) => (stored[id] ?? 0) !== (now[id] ?? 0)).sort();
}

export type CheckPlan =
	/** Nothing stored yet: keep X as it is now, read nothing. */
	| { kind: 'baseline' }
	/** Read these deals (possibly none) through the membership sync. */
	| { kind: 'read'; persons: string[]; deals: string[] }
	/** More candidate deals than one check reads: read every open synced deal instead. */
	| { kind: 'fullRead'; persons: string[]; candidates: number };

export interface CheckInput {
	/** X stored by the last check; null before the first. */
	stored: OutsideCounts | null;
	now: OutsideCounts;
	known: KnownDeals;
	/** The open deals of the synced pipelines (the poll's list); null = every known deal may be read. */
	openDeals: Set<string> | null;
	/** Deals this check has read already (earlier rounds). */
	alreadyRead: Set<string>;
	maxDeals?: number;
}

/**
 * Which deals to read: the deals the state lists each changed person on, limited to the open
 * synced ones (a closed, deleted or moved deal's participants are no longer synced) and to those
 * not read yet. A person with no known deal changed outside the sync (harmless): nothing to read.
 */
export function planCheck(input: CheckInput): CheckPlan {
	if (!input.stored) return { kind: 'baseline' };
	const persons = changedPersons(input.stored, input.now);
	const deals = new Set<string>();
	for (const personId of persons) {
		for (const dealId of input.known.get(personId) ?? []) {
			if (input.alreadyRead.has(dealId)) continue;
			if (input.openDeals && !input.openDeals.has(dealId)) continue;
			deals.add(dealId);
		}
	}
	const max = input.maxDeals ?? MAX_CHECK_DEALS;
	if (input.alreadyRead.size + deals.size > max) return { kind: 'fullRead', persons, candidates: input.alreadyRead.size + deals.size };
	return { kind: 'read', persons, deals: [...deals].sort((a, b) => Number(a) - Number(b)) };
}

/**
 * What to store for the next check: X as it is now, except for persons on a deal whose read failed
 * (their previous X is kept, so the next check looks again).
 */
export function nextStored(previous: OutsideCounts | null, now: OutsideCounts, known: KnownDeals, failedDeals: Set<string>): OutsideCounts {
	const next: OutsideCounts = { ...now };
	if (!previous || failedDeals.size === 0) return next;
	for (const [personId, deals] of known) {
		if (![...deals].some((d) => failedDeals.has(d))) continue;
		if (previous[personId] === undefined) delete next[personId];
		else next[personId] = previous[personId];
	}
	return next;
}
