/**
 * Sync one linked pair: read what is missing, plan, write each side (Propstreet with If-Match),
 * then store the new baseline with compare-and-set. A refused If-Match or a baseline someone else
 * stored meanwhile starts the pass again from fresh reads; every pass writes only what differs,
 * so repeating one is harmless.
 */
import { timeOf, type Side } from '../merge/policy';
import { acquireLease, releaseLease } from './lease';
import type { JsonRecord } from '../mapping/common';
import type { Baseline } from '../merge/threeWay';
import type { LinkState } from '../syncState/link';
import { idOnSide } from '../syncState/link';
import { nextBaseline, planTwoWay, signaturesOf, type TwoWayPlan } from './plan';
import type { ReviewItem, RunOutcome, SideRecord, TwoWayRun } from './ports';
import type { ReviewEntry } from '../review/queue';
import { reviewEntriesFor, rulesWithDecisions, saveReview } from './reviewPass';

export const MAX_PAIR_PASSES = 4;

export function emptyOutcome(run: TwoWayRun, link: Pick<LinkState, 'pipedriveId' | 'propstreetId'>, action: RunOutcome['action'], reason: string): RunOutcome {
	return { action, entity: run.spec.entity, pipedriveId: link.pipedriveId, propstreetId: link.propstreetId, written: { pipedrive: {}, propstreet: {} }, decisions: [], review: [], warnings: [], reason };
}

function reviewItems(run: TwoWayRun, plan: TwoWayPlan, records: Record<Side, JsonRecord>): ReviewItem[] {
	if (!plan.merge.review.length) return [];
	const pd = run.spec.values('pipedrive', records.pipedrive, run.config, run.ctx);
	const ps = run.spec.values('propstreet', records.propstreet, run.config, run.ctx);
	return plan.merge.review.map((d) => ({ field: d.field, reason: d.reason, pipedriveValue: pd[d.field] ?? null, propstreetValue: ps[d.field] ?? null }));
}

/** Marks a link as broken because its counterpart is gone; the record itself is left alone. */
export async function unlink(run: TwoWayRun, link: LinkState, reason: string): Promise<RunOutcome> {
	await run.store.update(link.rowId, link.version, { status: 'unlinked', owner: null });
	const out = emptyOutcome(run, link, 'unlinked', reason);
	out.warnings.push(reason);
	return out;
}

async function readSide(run: TwoWayRun, link: LinkState, side: Side, known: SideRecord | undefined): Promise<SideRecord | null> {
	if (known) return known;
	const id = idOnSide(link, side);
	return id ? run.sides[side].get(id) : null;
}

/** The mapping context with the related ids the records need (see `TwoWayRun.lookups`). */
export async function contextFor(run: TwoWayRun, records: Partial<Record<Side, JsonRecord>>): Promise<TwoWayRun['ctx']> {
	if (!run.lookups) return run.ctx;
	return { ...run.ctx, lookups: { ...run.ctx.lookups, ...(await run.lookups(records)) } };
}

type WriteResult = { record: JsonRecord; etag?: string; warnings?: string[] } | 'retry';

async function writeSide(run: TwoWayRun, link: LinkState, side: Side, current: SideRecord, patch: JsonRecord): Promise<WriteResult> {
	if (!Object.keys(patch).length) return current;
	// A record taken from the event came without the ETag header; Propstreet records carry it in the body.
	const etag = current.etag ?? (typeof current.record.etag === 'string' ? current.record.etag : undefined);
	const result = await run.sides[side].update(idOnSide(link, side) as string, patch, etag);
	// Refused or gone: the next pass reads both sides again (and unlinks a record that is gone).
	return result.ok ? { record: result.record, etag: result.etag, warnings: result.warnings } : 'retry';
}

/**
 * For a link with no baseline: the event side's signatures before its change (from Pipedrive's
 * `previous`) and the other side's current ones, so those groups count as changed on the event side.
 */
export function assumedBaseline(run: Pick<TwoWayRun, 'spec' | 'config'>, eventSide: Side, eventBefore: Record<string, string> | undefined, other: JsonRecord, ctx: TwoWayRun['ctx']): Baseline | null {
	if (!eventBefore) return null;
	const otherSide: Side = eventSide === 'pipedrive' ? 'propstreet' : 'pipedrive';
	const now = signaturesOf(run.spec, otherSide, other, run.config, ctx);
	const kept = Object.fromEntries(Object.keys(eventBefore).map((group) => [group, now[group] ?? '']));
	return eventSide === 'pipedrive' ? { pipedrive: eventBefore, propstreet: kept } : { pipedrive: kept, propstreet: eventBefore };
}

/**
 * The event's own record may be used instead of a read only when it is newer than what the last
 * sync saw of that side; otherwise (a late delivery, or the same second on Pipedrive) it is read.
 */
function trustedEventRecord(run: TwoWayRun, link: LinkState, side: Side, known: SideRecord | undefined): SideRecord | undefined {
	if (!known) return undefined;
	const carried = signaturesOf(run.spec, side, known.record, run.config, run.ctx);
	if (run.spec.groups.some((group) => !(group in carried))) return undefined;
	const seen = timeOf(link.baseline?.at?.[side]);
	const mine = timeOf(run.spec.updatedAt(side, known.record));
	return seen === null || (mine !== null && mine > seen) ? known : undefined;
}

/**
 * Sync a linked pair while holding its row (see `lease.ts`). `known` holds the event's record;
 * `eventBefore` (no baseline yet) the event side's signatures before its change; `reviewRows` the
 * pair's open review rows when the caller already read them (Apply Review Decisions).
 */
export async function syncPair(run: TwoWayRun, start: LinkState, eventSide: Side, known: Partial<Record<Side, SideRecord>>, eventBefore?: Record<string, string>, reviewRows?: ReviewEntry[]): Promise<RunOutcome> {
	const held = await acquireLease(run, start);
	if (!held) return emptyOutcome(run, start, 'skipped', 'The link was removed by another execution while this one waited');
	let finished = false;
	try {
		const given = { ...known, [eventSide]: trustedEventRecord(run, held, eventSide, known[eventSide]) };
		const outcome = await runPasses(run, held, eventSide, given, eventBefore, { entries: reviewRows });
		finished = true;
		return outcome;
	} finally {
		// A failed run gives the pair back at once instead of leaving others to wait out the lease.
		if (!finished) await releaseLease(run, held).catch(() => undefined);
	}
}

async function runPasses(run: TwoWayRun, held: LinkState, eventSide: Side, known: Partial<Record<Side, SideRecord>>, eventBefore: Record<string, string> | undefined, review: { entries?: ReviewEntry[] }): Promise<RunOutcome> {
	let given = known;
	for (let pass = 0; pass < MAX_PAIR_PASSES; pass++) {
		const records: Partial<Record<Side, SideRecord>> = {};
		for (const side of ['pipedrive', 'propstreet'] as const) {
			const read = await readSide(run, held, side, given[side]);
			if (!read || run.spec.isDeleted(side, read.record)) {
				return unlink(run, held, `The ${side} ${run.spec.entity} ${idOnSide(held, side)} linked to this record no longer exists; the link was removed and nothing was written`);
			}
			records[side] = read;
		}
		given = {};
		const pd = records.pipedrive as SideRecord;
		const ps = records.propstreet as SideRecord;
		const ctx = await contextFor(run, { pipedrive: pd.record, propstreet: ps.record });
		const baseline = held.baseline ?? (pass === 0 ? assumedBaseline(run, eventSide, eventBefore, eventSide === 'pipedrive' ? ps.record : pd.record, ctx) : null);
		const input = { spec: run.spec, pipedrive: pd.record, propstreet: ps.record, baseline, rules: run.rules, eventSide, config: run.config, ctx };
		const firstPlan = planTwoWay(input);
		const entries = await reviewEntriesFor(run, held, firstPlan, review);
		const decided = rulesWithDecisions(run, entries);
		const plan = decided ? planTwoWay({ ...input, rules: decided }) : firstPlan;
		const psAfter = await writeSide(run, held, 'propstreet', ps, plan.propstreetPatch);
		if (psAfter === 'retry') continue;
		const pdAfter = await writeSide(run, held, 'pipedrive', pd, plan.pipedrivePatch);
		if (pdAfter === 'retry') continue;
		const after = {
			pipedrive: signaturesOf(run.spec, 'pipedrive', pdAfter.record, run.config, run.ctx),
			propstreet: signaturesOf(run.spec, 'propstreet', psAfter.record, run.config, run.ctx),
			at: { pipedrive: run.spec.updatedAt('pipedrive', pdAfter.record), propstreet: run.spec.updatedAt('propstreet', psAfter.record) },
		};
		const items = reviewItems(run, plan, { pipedrive: pd.record, propstreet: ps.record });
		// Still under the lease: one execution at a time raises or closes this pair's review rows.
		await saveReview(run, held, plan, items, entries);
		const readAt = { pipedrive: run.spec.updatedAt('pipedrive', pd.record), propstreet: run.spec.updatedAt('propstreet', ps.record) };
		const stored = await run.store.update(held.rowId, held.version, { baseline: nextBaseline(plan, after, readAt, held.baseline), status: 'linked', owner: null });
		if (!stored) throw new Error(`${run.spec.entity} ${held.pipedriveId} ⇄ ${held.propstreetId}: another execution took the pair over while this one ran (it held it for over a minute); the next event or the backfill finishes the sync`);
		const out = outcomeOf(run, stored, plan, items);
		out.warnings.push(...(psAfter.warnings ?? []), ...(pdAfter.warnings ?? []));
		return out;
	}
	throw new Error(`${run.spec.entity} ${held.pipedriveId ?? '?'} ⇄ ${held.propstreetId ?? '?'}: both sides kept changing during ${MAX_PAIR_PASSES} passes; the next event or the backfill will finish the sync`);
}

function outcomeOf(run: TwoWayRun, link: LinkState, plan: TwoWayPlan, review: ReviewItem[]): RunOutcome {
	const wrote = Object.keys(plan.pipedrivePatch).length > 0 || Object.keys(plan.propstreetPatch).length > 0;
	const out = emptyOutcome(run, link, wrote ? 'updated' : 'unchanged', wrote ? 'Changed fields were written' : 'Both sides already agree');
	out.written = { pipedrive: plan.pipedrivePatch, propstreet: plan.propstreetPatch };
	out.decisions = plan.merge.decisions;
	out.review = review;
	out.warnings = plan.warnings.map((w) => `${w.field}: ${w.message}`);
	if (plan.lifecycle) out.lifecycle = plan.lifecycle;
	return out;
}

