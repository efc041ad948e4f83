/**
 * A small in-memory model of one deal/project pair, for the differ tests: builds the differ's
 * input from it and applies a diff result to it the way the bundled workflow does against the
 * real APIs (new prospects start as not_contacted; removed prospects get deletedUtc; participant
 * records are deleted by record id).
 */
import {
	CLASSIFICATION_LABELS,
	MAX_PROSPECT_BATCH,
	type ExternalRef,
	type ParticipantDiffInput,
	type ParticipantDiffResult,
} from '../../../nodes/shared/core/participantDiff';

export interface WorldParticipant {
	id: number;
	person_id: number | { value: number; name?: string };
	active_flag?: boolean;
}

export interface WorldProspect {
	id: string;
	projectId?: string;
	contactId: string | null;
	companyId?: string | null;
	classification: string | null;
	externalRefs: ExternalRef[];
	teaser?: { acceptedUtc: string | null; deadlineUtc: string | null } | null;
	deletedUtc?: string | null;
}

export interface World {
	dealId: number;
	projectId: string;
	primaryPersonId: number | null;
	participants: WorldParticipant[];
	prospects: WorldProspect[];
	idMap: Record<string, string>;
	personClassifications: Record<string, string | null>;
}

export function world(partial: Partial<World> = {}): World {
	return {
		dealId: 3001,
		projectId: 'proj-1',
		primaryPersonId: null,
		participants: [],
		prospects: [],
		idMap: {},
		personClassifications: {},
		...partial,
	};
}

export function participant(id: number, personId: number, name = `Person ${personId}`): WorldParticipant {
	return { id, person_id: { value: personId, name } };
}

export function prospect(
	id: string,
	contactId: string | null,
	classification: string | null = 'not_contacted',
	extra: Partial<WorldProspect> = {},
): WorldProspect {
	return { id, projectId: 'proj-1', contactId, classification, externalRefs: [], ...extra };
}

export const TEASER = { acceptedUtc: null, deadlineUtc: '2026-09-01T00:00:00Z' };

export function inputOf(w: World): ParticipantDiffInput {
	return {
		dealId: w.dealId,
		projectId: w.projectId,
		deal: { id: w.dealId, person_id: w.primaryPersonId },
		participants: w.participants,
		prospects: w.prospects,
		idMap: w.idMap,
		personClassifications: w.personClassifications,
	};
}

export function actionCount(result: ParticipantDiffResult): number {
	return (
		result.addProspects.length +
		result.removeProspects.length +
		result.addParticipants.length +
		result.removeParticipants.length +
		result.updateClassifications.length
	);
}

/** Applies every action to a copy of the world, checking each one is applicable. */
export function applyResult(before: World, result: ParticipantDiffResult): World {
	const w: World = JSON.parse(JSON.stringify(before));
	let nextRecord = Math.max(9000, ...w.participants.map((p) => p.id)) + 1;
	let nextProspect = w.prospects.length + 1;
	const active = (p: WorldProspect) => !p.deletedUtc;
	for (const batch of result.addProspects) {
		if (batch.prospects.length > MAX_PROSPECT_BATCH) throw new Error('batch over 100');
		if (batch.projectId !== w.projectId) throw new Error('batch for another project');
		for (const item of batch.prospects) {
			if (w.prospects.some((p) => active(p) && p.contactId === item.contactId)) {
				throw new Error(`already_in_prospects: ${item.contactId}`);
			}
			w.prospects.push({
				id: `new-${nextProspect++}`,
				projectId: w.projectId,
				contactId: item.contactId,
				classification: 'not_contacted',
				externalRefs: item.externalRefs,
			});
		}
	}
	for (const removal of result.removeProspects) {
		const target = w.prospects.find((p) => p.id === removal.prospectId && active(p));
		if (!target) throw new Error(`no active prospect ${removal.prospectId}`);
		target.deletedUtc = '2026-06-01T00:00:00Z';
	}
	for (const add of result.addParticipants) {
		if (add.dealId !== w.dealId) throw new Error('participant for another deal');
		w.participants.push({ id: nextRecord++, person_id: { value: Number(add.personId) } });
	}
	for (const removal of result.removeParticipants) {
		const index = w.participants.findIndex((p) => p.id === removal.participantId);
		if (index < 0) throw new Error(`no participant record ${removal.participantId}`);
		w.participants.splice(index, 1);
	}
	for (const update of result.updateClassifications) {
		if (update.target === 'pipedrive') {
			w.personClassifications[String(update.personId)] = CLASSIFICATION_LABELS[update.classification];
			continue;
		}
		const target =
			update.prospectId === null
				? w.prospects.find((p) => active(p) && p.contactId === update.contactId)
				: w.prospects.find((p) => active(p) && p.id === update.prospectId);
		if (!target) throw new Error(`no prospect for classification update ${JSON.stringify(update)}`);
		target.classification = update.classification;
	}
	return w;
}

/** Deterministic pseudo-random numbers (mulberry32), so generated cases are reproducible. */
export function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
