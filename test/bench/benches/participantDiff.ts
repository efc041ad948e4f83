/**
 * Participant diff: one very large deal/project pair, and many small ones as the scheduled
 * participant poll sees them. Each pair is half shared (the same person on both sides), a quarter
 * only in Pipedrive (known contact id → add as prospect) and a quarter only in Propstreet (prospect
 * with a pipedrive ref → add as participant); a fifth of the shared people have a different
 * classification on each side.
 */
import { CLASSIFICATION_LABELS, diffParticipants, PROSPECT_CLASSIFICATIONS, type ParticipantDiffInput, type ParticipantDiffResult } from '../../../nodes/shared/core/participantDiff';
import { Random } from '../data/random';
import { expectEqual, MemorySampler, nowMs, percentile, type BenchRow } from '../lib/measure';
import { formatInt, formatMs } from '../lib/table';

const BIG_PAIR_TARGET_MS = 200;

/** One pair with `size` participants and `size` prospects, half of them the same people. */
export function buildPair(size: number, dealId: number, rng: Random): { input: ParticipantDiffInput; shared: number; pipedriveOnly: number; propstreetOnly: number } {
	const shared = Math.floor(size / 2);
	const pipedriveOnly = size - shared;
	const propstreetOnly = size - shared;
	const base = dealId * 100_000;
	const participants: Array<Record<string, unknown>> = [];
	const prospects: Array<Record<string, unknown>> = [];
	const idMap: Record<string, string> = {};
	const personClassifications: Record<string, string> = {};
	for (let i = 0; i < size; i++) {
		const person = base + i + 1;
		participants.push({ id: base + 50_000 + i, person_id: { value: person, name: `Person ${person}`, email: [{ value: `p${person}@example.se`, primary: true }] }, active_flag: true });
		idMap[String(person)] = `c-${person}`;
		if (i < shared) {
			const code = rng.pick(PROSPECT_CLASSIFICATIONS);
			const differs = rng.chance(0.2);
			const other = PROSPECT_CLASSIFICATIONS[(PROSPECT_CLASSIFICATIONS.indexOf(code) + 1) % PROSPECT_CLASSIFICATIONS.length];
			prospects.push({ id: `pr-${person}`, projectId: `proj-${dealId}`, contactId: `c-${person}`, classification: code, externalRefs: [{ namespace: 'pipedrive', id: String(person) }] });
			personClassifications[String(person)] = CLASSIFICATION_LABELS[differs ? other : code];
		}
	}
	for (let k = 0; k < propstreetOnly; k++) {
		const person = base + 80_000 + k;
		prospects.push({ id: `pr-${person}`, projectId: `proj-${dealId}`, contactId: `c-${person}`, classification: rng.pick(PROSPECT_CLASSIFICATIONS), externalRefs: [{ namespace: 'pipedrive', id: String(person) }] });
	}
	return {
		input: {
			dealId,
			projectId: `proj-${dealId}`,
			deal: { id: dealId, person_id: base + 1 },
			participants: { success: true, data: participants },
			prospects: { data: prospects },
			idMap,
			personClassifications,
		},
		shared,
		pipedriveOnly,
		propstreetOnly,
	};
}

function countAdds(result: ParticipantDiffResult) {
	return {
		prospectsAdded: result.addProspects.reduce((n, b) => n + b.prospects.length, 0),
		participantsAdded: result.addParticipants.length,
		removed: result.removeProspects.length + result.removeParticipants.length,
	};
}

export function benchBigPair(size = 5_000, runs = 7): BenchRow {
	const { input, pipedriveOnly, propstreetOnly } = buildPair(size, 1, new Random(11));
	const times: number[] = [];
	const sampler = new MemorySampler().start();
	let result: ParticipantDiffResult | undefined;
	for (let r = 0; r < runs; r++) {
		const t0 = nowMs();
		result = diffParticipants(input);
		times.push(nowMs() - t0);
		sampler.sample();
	}
	const memory = sampler.stop(result);
	const final = result as ParticipantDiffResult;
	const counts = countAdds(final);
	expectEqual('big pair: prospects to add', counts.prospectsAdded, pipedriveOnly);
	expectEqual('big pair: participants to add', counts.participantsAdded, propstreetOnly);
	expectEqual('big pair: removals (policies add/add)', counts.removed, 0);
	expectEqual('big pair: add batches of ≤100', final.addProspects.every((b) => b.prospects.length <= 100), true);
	// Idempotent: a second diff of the same input gives the same plan.
	expectEqual('big pair: deterministic', JSON.stringify(diffParticipants(input)) === JSON.stringify(final), true);

	const worst = Math.max(...times);
	return {
		name: 'Participant diff: big pair',
		size: `${formatInt(size)} × ${formatInt(size)}`,
		totalMs: times.reduce((a, b) => a + b, 0),
		throughput: { perSecond: (size * 2 * runs) / (times.reduce((a, b) => a + b, 0) / 1000), unit: 'people' },
		p50Ms: percentile(times, 50),
		p95Ms: percentile(times, 95),
		opLabel: 'diff',
		memory,
		checks: [{ figure: 'slowest of runs', target: `< ${BIG_PAIR_TARGET_MS} ms`, measured: formatMs(worst), pass: worst < BIG_PAIR_TARGET_MS }],
		notes: [
			`participant diff, big pair: ${runs} runs (first ${formatMs(times[0])}, cold); plan: ${formatInt(counts.prospectsAdded)} prospects in ${final.addProspects.length} batches, ${formatInt(counts.participantsAdded)} participants, ${formatInt(final.updateClassifications.length)} classification updates, ${final.unmatched.length} unmatched`,
		],
	};
}

export function benchManyPairs(pairs = 1_000, size = 20): BenchRow {
	const rng = new Random(12);
	const inputs = Array.from({ length: pairs }, (_, i) => buildPair(size, i + 2, rng));
	const times: number[] = [];
	const results: ParticipantDiffResult[] = [];
	const sampler = new MemorySampler().start();
	const start = nowMs();
	for (const { input } of inputs) {
		const t0 = nowMs();
		results.push(diffParticipants(input));
		times.push(nowMs() - t0);
		if (results.length % 100 === 0) sampler.sample();
	}
	const totalMs = nowMs() - start;
	const memory = sampler.stop(results);
	const added = results.reduce((n, r) => n + countAdds(r).prospectsAdded + countAdds(r).participantsAdded, 0);
	expectEqual('many pairs: people to add', added, inputs.reduce((n, p) => n + p.pipedriveOnly + p.propstreetOnly, 0));
	return {
		name: 'Participant diff: many pairs',
		size: `${formatInt(pairs)} pairs × ${size}`,
		totalMs,
		throughput: { perSecond: pairs / (totalMs / 1000), unit: 'pair' },
		p50Ms: percentile(times, 50),
		p95Ms: percentile(times, 95),
		opLabel: 'pair',
		memory,
		checks: [],
		notes: [],
	};
}

/** The big pair's budget per person (200 ms for 10,000 people), for 40,000 people. */
const ONE_CONTACT_TARGET_MS = 800;

/**
 * The duplicate-heavy case: `size` participants whose persons all map to one Propstreet contact that
 * also has `size` prospects (a deal flooded by one person's duplicates). Every person-to-contact
 * grouping then lands on one list, which made the diff quadratic (36 s at 20,000 before the fix).
 */
export function benchOneContact(size = 20_000, runs = 3): BenchRow {
	const participants = Array.from({ length: size }, (_, i) => ({ id: 900_000 + i, person_id: 1 + i, active_flag: true }));
	const prospects = Array.from({ length: size }, (_, i) => ({ id: `pr-${i}`, contactId: 'c-1', classification: 'active', externalRefs: [{ namespace: 'pipedrive', id: String(1 + i) }] }));
	const idMap = Object.fromEntries(participants.map((p) => [String(p.person_id), 'c-1']));
	const input: ParticipantDiffInput = { dealId: 7, projectId: 'proj-7', participants, prospects, idMap };
	const times: number[] = [];
	let result: ParticipantDiffResult | undefined;
	for (let r = 0; r < runs; r++) {
		const t0 = nowMs();
		result = diffParticipants(input);
		times.push(nowMs() - t0);
	}
	const final = result as ParticipantDiffResult;
	const several = final.unmatched.filter((u) => u.reason === 'several_persons_for_contact');
	expectEqual('one contact: reported once as several persons', several.length, 1);
	expectEqual('one contact: every person named', (several[0] as { candidatePersonIds: unknown[] }).candidatePersonIds.length, size);
	expectEqual('one contact: nothing to add', countAdds(final).prospectsAdded + countAdds(final).participantsAdded, 0);
	const worst = Math.max(...times);
	return {
		name: 'Participant diff: one contact',
		size: `${formatInt(size)} persons → 1 contact`,
		totalMs: times.reduce((a, b) => a + b, 0),
		p50Ms: percentile(times, 50),
		p95Ms: percentile(times, 95),
		opLabel: 'diff',
		checks: [{ figure: 'slowest of runs', target: `< ${ONE_CONTACT_TARGET_MS} ms`, measured: formatMs(worst), pass: worst < ONE_CONTACT_TARGET_MS }],
		notes: [`participant diff, one contact: ${size} participants and ${size} prospects on one contact, ${runs} runs (${times.map(formatMs).join(', ')})`],
	};
}
