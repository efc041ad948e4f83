/**
 * Cloud 10 over every record entity: contacts, then companies, then deals ⇄ projects, each through
 * the entity's own backfill (`backfillStep`, the replayed sweep) over its two lists. One execution
 * runs them one after the other; the totals of the finished entities travel with the step, so the
 * last output is the run's summary and `nextMarks` moves the marks only when no record of any
 * entity failed (the lists of all three share one window).
 */
import { backfillStep, type BackfillInput, type BackfillState } from './backfill';
import type { RecordEntity } from './recordRun';

/** Companies after contacts (a contact's company is linked on the way), projects last. */
export const BACKFILL_ENTITIES: readonly RecordEntity[] = ['contact', 'company', 'project'];

/** The pages the workflow's list nodes read for one entity (one item per page). */
export interface EntityPages {
	pipedrivePages: unknown[];
	propstreetPages: unknown[];
}

type Totals = Pick<BackfillState, 'counts' | 'failed' | 'changes'>;

export type BackfillAllState = BackfillState & {
	/** The entity being synced. */
	entity: RecordEntity;
	/** What the entities before it did. */
	before: Totals;
};

export interface BackfillAllInput extends Omit<BackfillInput, 'pipedrivePages' | 'propstreetPages' | 'entity' | 'fields' | 'previous'> {
	pages: Record<RecordEntity, EntityPages>;
	previous: BackfillAllState | null;
}

const NONE: Totals = { counts: { unchanged: 0, updated: 0, created: 0, unlinked: 0, relinked: 0, skipped: 0 }, failed: [], changes: [] };

function added(a: Totals, b: Totals): Totals {
	const counts = { ...a.counts };
	for (const [action, n] of Object.entries(b.counts)) counts[action as keyof Totals['counts']] += n;
	return { counts, failed: [...a.failed, ...b.failed], changes: [...a.changes, ...b.changes] };
}

/** One round: the current entity's next call, or (after the last entity) the run's totals. */
export async function backfillAllStep(input: BackfillAllInput): Promise<BackfillAllState> {
	let entity = input.previous?.entity ?? BACKFILL_ENTITIES[0];
	let before = input.previous?.before ?? NONE;
	let previous: BackfillState | null = input.previous;
	let answer = input.answer;
	for (;;) {
		const pages = input.pages[entity] ?? { pipedrivePages: [], propstreetPages: [] };
		const step = await backfillStep({ ...input, ...pages, entity, previous, answer, now: previous?.now ?? input.now });
		if (step.action === 'lookup') return { ...step, entity, before };
		const next = BACKFILL_ENTITIES[BACKFILL_ENTITIES.indexOf(entity) + 1];
		if (!next) return { ...step, ...added(before, step), entity, before };
		before = added(before, step);
		entity = next;
		previous = null;
		answer = undefined;
	}
}
