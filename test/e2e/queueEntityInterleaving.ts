/**
 * The other entities' seeded interleaving on a running stack (queue mode in queue.e2e.test.ts):
 * organizations ⇄ companies, deals ⇄ projects, participants ⇄ prospects and Pipedrive notes, mixed
 * in one run. The user actions and the oracles are the in-process interleaving's modules
 * (test/workflows/interleave/*.ts), deletes and merges included; here every action reaches the
 * bundled workflows as a real webhook delivery (where a webhook carries it) and runs on whichever
 * worker takes it. The run is framed as the in-process runner frames it: the backfill (10) and a
 * participant sweep first, as at install, and again at the end, as the nightly backfill and the
 * daily sweep would; Propstreet company deletes (05 subscribes to none) reach Pipedrive that way.
 *
 * Pipedrive sends no webhook for participants: 08's "Sync Participants Now" stands in for its
 * ten-minute poll after every other batch (the in-process runner calls the poll itself), racing the
 * batch's own deliveries. The scheduled poll itself is checked by queuePolls.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Stack } from '../harness/stack';
import { companies } from '../workflows/interleave/companies';
import { notes } from '../workflows/interleave/notes';
import { projects } from '../workflows/interleave/projects';
import { checkMemberships, prospects } from '../workflows/interleave/prospects';
import type { EntityModule } from '../workflows/interleave/world';
import { worldOf } from './queueInterleaving';

export const QUEUE_ENTITY_MODULES: EntityModule[] = [companies, projects, prospects, notes];

export interface QueueEntityInterleavingResult {
	problems: string[];
	/** User actions per entity. */
	actions: Record<string, number>;
	/** Fields and memberships judged against the users' last operations, per entity. */
	judged: Record<string, number>;
	participantSweeps: number;
	/** Deletes and merges the webhooks carried during the run (`delete.deal`, `merge.organization`, `project.deleted`). */
	lifecycleDeliveries: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a bundled workflow's webhook and fails on an error answer (both answer when their run ended). */
async function runNow(stack: Stack, key: string): Promise<void> {
	const res = await stack.startWorkflow(key, {});
	if ((res.status ?? 500) >= 300) throw new Error(`${key} answered ${res.status}: ${JSON.stringify(res.response).slice(0, 300)}`);
}

/** The backfill, then a participant sweep (it needs the deals linked), then quiet. */
async function sweepEverything(stack: Stack): Promise<void> {
	await runNow(stack, '10');
	await stack.settle({ quietMs: 4000, timeoutMs: 180000, propstreetRetries: true });
	await runNow(stack, '08');
	await stack.settle({ quietMs: 4000, timeoutMs: 120000, propstreetRetries: true });
}

/** A second participant sweep right after the settled run writes nothing on either side. */
async function secondSweepWrites(stack: Stack): Promise<string[]> {
	const mark = stack.mark();
	await runNow(stack, '08');
	await stack.settle({ quietMs: 3000, timeoutMs: 60000 });
	const report = stack.apiCallReport(mark);
	const writes = [...report.pipedrive.writeLog, ...report.propstreet.writeLog];
	return writes.length ? [`a second participant sweep wrote: ${writes.slice(0, 10).join(', ')}`] : [];
}

/** Deletes and merges among the first delivery attempts of both simulators since the given counts. */
function lifecycleDeliveries(stack: Stack, since: { pd: number; ps: number }): Record<string, number> {
	const out: Record<string, number> = {};
	const add = (kind: string) => (out[kind] = (out[kind] ?? 0) + 1);
	for (const d of stack.pipedrive.control.deliveries().slice(since.pd)) {
		const meta = (d.body.meta ?? {}) as IDataObject;
		if (d.attempt !== 1) continue;
		if (meta.merged_to_id !== undefined) add(`merge.${String(meta.entity)}`);
		else if (meta.action === 'delete') add(`delete.${String(meta.entity)}`);
	}
	for (const d of stack.propstreet.control.deliveries().slice(since.ps)) if (d.eventType.endsWith('.deleted')) add(d.eventType);
	return out;
}

/** Plays `ops` user actions of the modules in batches, with both sweeps around them, then judges both simulators. */
export async function runQueueEntityInterleaving(stack: Stack, options: { seed: number; ops: number; batch?: number; modules?: EntityModule[] }): Promise<QueueEntityInterleavingResult> {
	const modules = options.modules ?? QUEUE_ENTITY_MODULES;
	let stateRows: IDataObject[] = [];
	const w = worldOf(stack, options.seed, () => stateRows);
	const batch = options.batch ?? 6;
	const actions: Record<string, number> = {};
	const sweeps: Array<Promise<void>> = [];
	await sweepEverything(stack);
	const deliveriesBefore = { pd: stack.pipedrive.control.deliveries().length, ps: stack.propstreet.control.deliveries().length };
	for (let done = 0; done < options.ops; done += batch) {
		for (let k = 0; k < batch && done + k < options.ops; k++) {
			const module = w.rng.pick(modules);
			module.act(w);
			actions[module.entity] = (actions[module.entity] ?? 0) + 1;
		}
		if (modules.includes(prospects) && (done / batch) % 2 === 1) sweeps.push(runNow(stack, '08'));
		await sleep(w.rng.int(1500));
	}
	await Promise.all(sweeps);
	await stack.settle({ quietMs: 4000, timeoutMs: 5 * 60000, propstreetRetries: true });
	const lifecycle = lifecycleDeliveries(stack, deliveriesBefore);
	await sweepEverything(stack);
	stateRows = (await stack.syncStateRows()) as IDataObject[];
	const problems: string[] = [];
	// The prospects module's own second sweep runs the node in-process; here 08 runs it.
	for (const m of modules) problems.push(...(m === prospects ? checkMemberships(w) : await m.check(w)));
	if (modules.includes(prospects) && !problems.length) problems.push(...(await secondSweepWrites(stack)));
	return { problems, actions, judged: Object.fromEntries(w.judged), participantSweeps: sweeps.length, lifecycleDeliveries: lifecycle };
}
