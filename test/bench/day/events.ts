/**
 * The day's event list (seeded, so every run is the same day) and its floor: the fewest Pipedrive
 * calls any correct integration needs for exactly these events, computed from the list, not from
 * what the sync did. Webhook deliveries cost nothing; an echo of our own write and a record the
 * filters drop cost nothing; each record changed in Propstreet costs one Pipedrive write; each poll
 * costs one deal list call per 500 deals; a deal whose participants changed costs one participants
 * read at the next poll; the nightly backfill costs one list call per Pipedrive entity and 500
 * records changed since the last backfill. Token costs come from the simulator's cost table.
 */
import { tokenCost } from '../../simulators/pipedrive/rateLimit';
import { Random } from '../data/random';
import type { World } from './world';

export const TICKS = 144;
export const TICK_MS = 10 * 60 * 1000;
/** The nightly backfill runs at 03:00; the day starts at 00:00. */
export const BACKFILL_TICK = 18;
/** The Deal Poll Trigger's daily participation check falls on this poll (12:00). */
export const CHECK_TICK = 72;

export type EventKind =
	| 'pd-person-edit'
	| 'pd-person-edit-filtered'
	| 'pd-org-edit'
	| 'ps-contact-edit'
	| 'ps-company-edit'
	| 'pd-new-investor'
	| 'pd-new-filtered'
	| 'ps-new-contact'
	| 'stage-change'
	| 'participant-add'
	| 'participant-remove'
	| 'prospect-change'
	| 'note';

export interface DayEvent {
	tick: number;
	kind: EventKind;
	/** Pipedrive id of the record (person, organization, deal) it is about; 0 for a new record. */
	id: number;
	/** Participant person for participant events. */
	personId?: number;
	n: number;
}

/** How many of each, as issue 14 sets the day. */
export const MIX: Record<EventKind, number> = {
	'pd-person-edit': 70,
	'pd-person-edit-filtered': 30,
	'pd-org-edit': 50,
	'ps-contact-edit': 100,
	'ps-company-edit': 50,
	'pd-new-investor': 10,
	'pd-new-filtered': 10,
	'ps-new-contact': 20,
	'stage-change': 30,
	'participant-add': 20,
	'participant-remove': 20,
	'prospect-change': 20,
	note: 30,
};

/** Distinct picks: no record is edited from both sides in one day (that would be a conflict, not load). */
function take<T>(random: Random, pool: T[], count: number): T[] {
	const copy = [...pool];
	const out: T[] = [];
	while (out.length < count && copy.length) out.push(copy.splice(random.int(0, copy.length - 1), 1)[0]);
	return out;
}

export function dayEvents(world: World, seed = 1414): DayEvent[] {
	const random = new Random(seed);
	const events: DayEvent[] = [];
	let n = 0;
	const add = (kind: EventKind, id: number, personId?: number) => events.push({ tick: random.int(0, TICKS - 1), kind, id, personId, n: n++ });
	const evenInvestors = world.investors.filter((_, i) => i % 2 === 0);
	const oddInvestors = world.investors.filter((_, i) => i % 2 === 1);
	for (const id of take(random, evenInvestors, MIX['pd-person-edit'])) add('pd-person-edit', id);
	for (const id of take(random, world.others, MIX['pd-person-edit-filtered'])) add('pd-person-edit-filtered', id);
	const evenOrgs = world.organizations.filter((_, i) => i % 2 === 0);
	const oddOrgs = world.organizations.filter((_, i) => i % 2 === 1);
	for (const id of take(random, evenOrgs, MIX['pd-org-edit'])) add('pd-org-edit', id);
	for (const id of take(random, oddInvestors, MIX['ps-contact-edit'])) add('ps-contact-edit', id);
	for (const id of take(random, oddOrgs, MIX['ps-company-edit'])) add('ps-company-edit', id);
	for (let i = 0; i < MIX['pd-new-investor']; i++) add('pd-new-investor', 0);
	for (let i = 0; i < MIX['pd-new-filtered']; i++) add('pd-new-filtered', 0);
	for (let i = 0; i < MIX['ps-new-contact']; i++) add('ps-new-contact', 0);
	for (const id of take(random, world.deals, MIX['stage-change'])) add('stage-change', id);
	// Participant changes on deals of their own, so each one is a change the poll must see.
	const participantDeals = take(random, world.deals, MIX['participant-add'] + MIX['participant-remove']);
	participantDeals.forEach((deal, i) => add(i < MIX['participant-add'] ? 'participant-add' : 'participant-remove', deal));
	for (const id of take(random, world.deals.filter((d) => !participantDeals.includes(d)), MIX['prospect-change'])) add('prospect-change', id);
	for (const id of take(random, world.deals, MIX.note)) add('note', id);
	return events.sort((a, b) => a.tick - b.tick || a.n - b.n);
}

const cost = (method: string, route: string, list = false, version: 'v1' | 'v2' = 'v2') => tokenCost({ method, version, route: `${method} ${route}`, search: false, list });

export const COST = {
	dealList: cost('GET', '/api/v2/deals', true),
	participantsRead: cost('GET', '/v1/deals/{id}/participants', true, 'v1'),
	personWrite: cost('PATCH', '/api/v2/persons/{id}'),
	personCreate: cost('POST', '/api/v2/persons'),
	orgWrite: cost('PATCH', '/api/v2/organizations/{id}'),
	list: cost('GET', '/api/v2/persons', true),
};

export interface FloorLine {
	what: string;
	calls: number;
	tokens: number;
}

/** The floor of the day, line by line; `syncedDeals` is the number of open deals the poll lists. */
export function dayFloor(events: DayEvent[], syncedDeals: number): FloorLine[] {
	const count = (kind: EventKind) => events.filter((e) => e.kind === kind).length;
	const pages = (records: number) => Math.max(1, Math.ceil(records / 500));
	const participantDeals = new Set(events.filter((e) => e.kind === 'participant-add' || e.kind === 'participant-remove').map((e) => `${e.tick}:${e.id}`)).size;
	const personsChanged = count('pd-person-edit') + count('pd-person-edit-filtered') + count('pd-new-investor') + count('pd-new-filtered') + count('ps-contact-edit') + count('ps-new-contact') + count('prospect-change');
	const orgsChanged = count('pd-org-edit') + count('ps-company-edit');
	const dealsChanged = count('stage-change');
	const lines: FloorLine[] = [
		{ what: 'Propstreet contact edits → 1 person PATCH each', calls: count('ps-contact-edit'), tokens: count('ps-contact-edit') * COST.personWrite },
		{ what: 'Propstreet company edits → 1 organization PATCH each', calls: count('ps-company-edit'), tokens: count('ps-company-edit') * COST.orgWrite },
		{ what: 'new Propstreet contacts → 1 person POST each', calls: count('ps-new-contact'), tokens: count('ps-new-contact') * COST.personCreate },
		{ what: 'prospect classification changes → 1 person PATCH each', calls: count('prospect-change'), tokens: count('prospect-change') * COST.personWrite },
		{ what: 'Pipedrive edits, new persons, stage changes, notes (writes go to Propstreet), echoes, filtered', calls: 0, tokens: 0 },
		{ what: `participant poll: ${TICKS} × 1 deal list per 500 deals`, calls: TICKS * pages(syncedDeals), tokens: TICKS * pages(syncedDeals) * COST.dealList },
		{ what: 'participants read for each deal that changed (writes go to Propstreet)', calls: participantDeals, tokens: participantDeals * COST.participantsRead },
		{
			what: 'nightly backfill: 1 list call per entity per 500 changed records',
			calls: pages(personsChanged) + pages(orgsChanged) + pages(dealsChanged),
			tokens: (pages(personsChanged) + pages(orgsChanged) + pages(dealsChanged)) * COST.list,
		},
	];
	return lines;
}

/**
 * Spending a correct sync needs that the floor leaves out, stated so a reader sees it: the
 * e-mail search before a Pipedrive person is made for a brand-new Propstreet contact (without it a
 * person who already exists in Pipedrive, unlinked, would be duplicated; no stored id can know it),
 * and the Propstreet id written back to a person created in Pipedrive (the spec stores Propstreet
 * ids in Pipedrive custom fields).
 * The daily safety net (the participation check; optionally a full participant read) is measured,
 * not estimated, and printed on its own lines by the bench.
 */
export function outsideTheFloor(events: DayEvent[]): FloorLine[] {
	const creates = events.filter((e) => e.kind === 'ps-new-contact').length;
	const investors = events.filter((e) => e.kind === 'pd-new-investor').length;
	return [
		{ what: 'e-mail search before a new Propstreet contact gets a Pipedrive person (no duplicates)', calls: creates, tokens: creates * tokenCost({ method: 'GET', version: 'v2', route: 'GET /api/v2/persons/search', search: true, list: false }) },
		{ what: "new Pipedrive investors: the new contact's Propstreet id written to the person (the spec keeps each side's id on the other)", calls: investors, tokens: investors * COST.personWrite },
	];
}
