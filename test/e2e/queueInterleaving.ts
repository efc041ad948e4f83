/**
 * A seeded random interleaving of persons ⇄ contacts, played through a running stack (queue mode in
 * queue.e2e.test.ts): the operations and the oracle are the in-process interleaving's contact module
 * (test/workflows/interleave/contacts.ts), but every edit reaches the bundled workflows as a real
 * webhook delivery and runs on whichever worker takes it. Batches of user actions land a random
 * 0–1.5 s apart, so edits of one record on both sides, creates and the echoes of their write-backs
 * race each other across the workers. The seed fixes the operations; the overlap follows the timing.
 *
 * Deletes and merges stay with the in-process interleaving and the e2e scenarios: here the question
 * is whether two workers running executions for the same record at once keep both sides in step.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildContext, resolveConfig } from '../../nodes/shared/core/mapping';
import type { Stack } from '../harness/stack';
import type { Bed } from '../workflows/contactsNotesKit';
import { checkPerson, create, editField, FIELDS, investorId, linkedPairs, type Pair } from '../workflows/interleave/contacts';
import { prng } from '../workflows/interleave/rng';
import { duplicateClaims, editingSides, World } from '../workflows/interleave/world';

export interface QueueInterleavingResult {
	problems: string[];
	/** User actions taken: creates and edits (one edit may touch both sides). */
	creates: number;
	edits: number;
	/** Edited fields whose end value was judged against the users' last edits. */
	judged: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The simulators of the stack in the shape the interleaving modules read (`bed.pd.control`, `bed.ps.control`, `bed.dt.rows`). */
export function worldOf(stack: Stack, seed: number, stateRows: () => IDataObject[]): World {
	const bed = { pd: stack.pipedrive, ps: stack.propstreet, dt: { rows: () => stateRows() } } as unknown as Bed;
	return new World(bed, prng(seed), seed);
}

const isInvestor = (w: World, p: IDataObject) => ((p.label_ids as number[]) ?? []).includes(investorId(w));
const liveInvestorContacts = (w: World) => (w.ps.state().contacts as IDataObject[]).filter((c) => !c.deletedUtc && ((c.tags as string[]) ?? []).includes('investor'));

/**
 * What the run leaves out: Investor persons and investor contacts that are not a clean linked pair
 * at the start (the seed's unlinked and conflicting records, which only a backfill would settle).
 */
function outsideTheRun(w: World): { persons: Set<number>; contacts: Set<string> } {
	const config = resolveConfig({});
	const ctx = buildContext({ entity: 'contact', fieldDefinitions: w.pd.fields('person') });
	const clean = linkedPairs(w).filter((p) => isInvestor(w, w.pd.person(p.personId) as IDataObject) && !checkPerson(w, w.pd.person(p.personId) as IDataObject, config, ctx).length);
	const persons = w.pd.persons().filter((p) => isInvestor(w, p as IDataObject) && !clean.some((c) => c.personId === p.id));
	const contacts = liveInvestorContacts(w).filter((c) => !clean.some((p) => p.contactId === String(c.id)));
	return { persons: new Set(persons.map((p) => p.id as number)), contacts: new Set(contacts.map((c) => String(c.id))) };
}

/** One user action: a create on either side (15 %, or while fewer than 3 pairs are linked), else an edit on one or both sides. */
function act(w: World, outside: { persons: Set<number> }, counts: { creates: number; edits: number }): void {
	const pairs: Pair[] = linkedPairs(w).filter((p) => !outside.persons.has(p.personId) && isInvestor(w, w.pd.person(p.personId) as IDataObject));
	if (pairs.length < 3 || w.rng.chance(0.15)) {
		counts.creates++;
		create(w);
		return;
	}
	counts.edits++;
	const pair = w.rng.pick(pairs);
	const field = w.rng.pick(FIELDS);
	for (const side of editingSides(w)) editField(w, pair, field, side);
}

/** The oracle of the contact module, over every record the run created or edited. */
function check(w: World, outside: { persons: Set<number>; contacts: Set<string> }): string[] {
	const config = resolveConfig({});
	const ctx = buildContext({ entity: 'contact', fieldDefinitions: w.pd.fields('person') });
	const contacts = liveInvestorContacts(w);
	const problems = duplicateClaims(contacts, 'person', 'contacts');
	for (const p of w.pd.persons()) if (isInvestor(w, p as IDataObject) && !outside.persons.has(p.id as number)) problems.push(...checkPerson(w, p as IDataObject, config, ctx));
	for (const c of contacts) {
		if (outside.contacts.has(String(c.id))) continue;
		if (!((c.externalRefs as IDataObject[]) ?? []).some((r) => r.namespace === 'pipedrive')) problems.push(`investor contact ${c.id} has no Pipedrive person`);
	}
	return problems;
}

/** Plays `ops` user actions in batches, waits until the stack is quiet, then judges both simulators. */
export async function runQueueInterleaving(stack: Stack, options: { seed: number; ops: number; batch?: number }): Promise<QueueInterleavingResult> {
	let stateRows: IDataObject[] = [];
	const w = worldOf(stack, options.seed, () => stateRows);
	const outside = outsideTheRun(w);
	const counts = { creates: 0, edits: 0 };
	const batch = options.batch ?? 6;
	for (let done = 0; done < options.ops; done += batch) {
		for (let k = 0; k < batch && done + k < options.ops; k++) act(w, outside, counts);
		await sleep(w.rng.int(1500));
	}
	await stack.settle({ quietMs: 4000, timeoutMs: 5 * 60000, propstreetRetries: true });
	stateRows = (await stack.syncStateRows()) as IDataObject[];
	return { problems: check(w, outside), ...counts, judged: w.judged.get('contact') ?? 0 };
}
