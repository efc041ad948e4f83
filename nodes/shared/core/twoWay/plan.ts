/**
 * One pass of the two-way sync over a linked pair: which merge groups changed on which side since
 * the baseline, what to write to each side (only the paths whose value differs from what the
 * target holds), and the signatures to store as the next baseline once the writes are done.
 */
import { getPath, setPath } from '../bodyPath';
import { canonicalJson, stableHash } from '../hash';
import type { ConflictRules, Side } from '../merge/policy';
import { mergeFields, type Baseline, type FieldSignatures, type MergeOutcome } from '../merge/threeWay';
import type { Draft, JsonRecord, Lifecycle, MapperContext, MappingWarning } from '../mapping/common';
import { sameAtPath } from '../mapping/compare';
import { fieldEnabled, type MapperConfig } from '../mapping/config';
import type { EntitySpec } from './spec';

export interface PlanInput {
	spec: EntitySpec;
	pipedrive: JsonRecord;
	propstreet: JsonRecord;
	baseline: Baseline | null;
	rules: ConflictRules;
	eventSide: Side;
	config: MapperConfig;
	ctx: MapperContext;
}

export interface TwoWayPlan {
	merge: MergeOutcome;
	pipedrivePatch: JsonRecord;
	propstreetPatch: JsonRecord;
	signatures: Baseline;
	warnings: MappingWarning[];
	/** An instruction of the mapper the sync cannot carry out (close the project in the app, delete it). */
	lifecycle?: Lifecycle;
}

/** A short signature of one canonical value (the baseline stores these, not the values). */
export function signature(value: unknown): string {
	return stableHash(canonicalJson(value)).slice(7, 23);
}

export function signaturesOf(spec: EntitySpec, side: Side, record: JsonRecord, config: MapperConfig, ctx: MapperContext): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [group, value] of Object.entries(spec.values(side, record, config, ctx))) if (value !== undefined) out[group] = signature(value);
	return out;
}

/** Paths of a draft per merge group (link fields under their own id). */
function pathsByGroup(spec: EntitySpec, draft: Draft): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const [path, field] of Object.entries(draft.fieldPaths)) {
		const group = spec.linkFields.includes(field) ? field : spec.groupOf(field);
		out.set(group, [...(out.get(group) ?? []), path]);
	}
	return out;
}

function sameOnPaths(draft: Draft, paths: string[]): boolean {
	const current = draft.currentProjection ?? {};
	return paths.every((p) => sameAtPath(p, getPath(draft.body, p), getPath(current, p), draft.kinds ?? {}));
}

/** Both values mean the same once either one is mapped into the other's shape. */
function agree(group: string, toPs: { draft: Draft; paths: Map<string, string[]> }, toPd: { draft: Draft; paths: Map<string, string[]> }): boolean {
	const psPaths = toPs.paths.get(group) ?? [];
	const pdPaths = toPd.paths.get(group) ?? [];
	if (!psPaths.length && !pdPaths.length) return true;
	return (psPaths.length > 0 && sameOnPaths(toPs.draft, psPaths)) || (pdPaths.length > 0 && sameOnPaths(toPd.draft, pdPaths));
}

function patchFor(draft: Draft, paths: Map<string, string[]>, groups: string[]): JsonRecord {
	const patch: JsonRecord = {};
	const current = draft.currentProjection ?? {};
	for (const group of groups) {
		for (const path of paths.get(group) ?? []) {
			const value = getPath(draft.body, path);
			if (value === undefined || sameAtPath(path, value, getPath(current, path), draft.kinds ?? {})) continue;
			setPath(patch, path, JSON.parse(JSON.stringify(value)) as unknown);
		}
	}
	// A shared path whose group does not flow still takes the link (see `Draft.linkOnly`).
	for (const [path, value] of Object.entries(draft.linkOnly ?? {})) {
		if (getPath(patch, path) !== undefined || sameAtPath(path, value, getPath(current, path), draft.kinds ?? {})) continue;
		setPath(patch, path, JSON.parse(JSON.stringify(value)) as unknown);
	}
	return patch;
}

/** A group may flow towards a side only when its field direction allows it. */
function allowed(config: MapperConfig, group: string, towards: 'toPipedrive' | 'toPropstreet'): boolean {
	return fieldEnabled(config, group, towards);
}

/** Instructions that only a person or the workflow can carry out; the sync's own writes are not repeated here. */
const INSTRUCTIONS = new Set<Lifecycle['action']>(['closeInPropstreetApp', 'deleteProject', 'deleteInPropstreet', 'deleteInPipedrive']);

/**
 * The instruction of the draft mapped from the side that changed (a deal just won asks to close its
 * project), so it is reported once, when the change is synced, not on every later edit.
 */
function instructionOf(input: PlanInput, merge: MergeOutcome, drafts: Record<Side, Draft>): Lifecycle | undefined {
	for (const side of ['pipedrive', 'propstreet'] as const) {
		const lifecycle = drafts[side].lifecycle;
		if (!lifecycle || !INSTRUCTIONS.has(lifecycle.action)) continue;
		const changed = input.baseline ? merge.decisions.some((d) => d.changedOn.includes(side)) : input.eventSide === side;
		if (changed) return lifecycle;
	}
	return undefined;
}

export function planTwoWay(input: PlanInput): TwoWayPlan {
	const { spec, config, ctx } = input;
	const toPs = { draft: spec.toPropstreet(input.pipedrive, input.propstreet, config, ctx), paths: new Map<string, string[]>() };
	const toPd = { draft: spec.toPipedrive(input.propstreet, input.pipedrive, config, ctx), paths: new Map<string, string[]>() };
	toPs.paths = pathsByGroup(spec, toPs.draft);
	toPd.paths = pathsByGroup(spec, toPd.draft);
	const pd = signaturesOf(spec, 'pipedrive', input.pipedrive, config, ctx);
	const ps = signaturesOf(spec, 'propstreet', input.propstreet, config, ctx);
	const fields: FieldSignatures[] = spec.groups
		.filter((group) => allowed(config, group, 'toPipedrive') || allowed(config, group, 'toPropstreet'))
		.map((group) => ({ field: group, pipedrive: pd[group] ?? '', propstreet: ps[group] ?? '', agree: agree(group, toPs, toPd) }));
	const times = { pipedrive: spec.updatedAt('pipedrive', input.pipedrive), propstreet: spec.updatedAt('propstreet', input.propstreet) };
	const merge = mergeFields({ fields, baseline: input.baseline, rules: input.rules, times, eventSide: input.eventSide });
	const toPropstreet = merge.toPropstreet.filter((g) => allowed(config, g, 'toPropstreet'));
	const toPipedrive = merge.toPipedrive.filter((g) => allowed(config, g, 'toPipedrive'));
	return {
		merge,
		propstreetPatch: patchFor(toPs.draft, toPs.paths, [...toPropstreet, ...spec.linkFields]),
		pipedrivePatch: patchFor(toPd.draft, toPd.paths, [...toPipedrive, ...spec.linkFields]),
		signatures: { pipedrive: pd, propstreet: ps },
		warnings: [...toPs.draft.warnings, ...toPd.draft.warnings],
		lifecycle: instructionOf(input, merge, { pipedrive: toPs.draft, propstreet: toPd.draft }),
	};
}

/**
 * What was synced of one side: a group written to it takes the side's answer (its own rendering of
 * our value); any other group keeps what the plan read. A change someone made meanwhile shows only
 * in the answer, so it is not taken into the baseline, and the time stays the read's: that change's
 * own event then still counts as a change (not as an echo or a late delivery).
 */
function syncedSide(plan: TwoWayPlan, side: Side, answer: Record<string, string>, answerAt: string | null, readAt: string | null): { sigs: Record<string, string>; at: string | null } {
	const written = new Set(plan.merge.decisions.filter((d) => d.action === (side === 'pipedrive' ? 'toPipedrive' : 'toPropstreet')).map((d) => d.field));
	const read = plan.signatures[side];
	const sigs: Record<string, string> = {};
	let changedMeanwhile = false;
	for (const group of new Set([...Object.keys(read), ...Object.keys(answer)])) {
		const value = written.has(group) ? answer[group] : read[group];
		if (!written.has(group) && group in answer && answer[group] !== read[group]) changedMeanwhile = true;
		if (value !== undefined) sigs[group] = value;
	}
	return { sigs, at: changedMeanwhile ? readAt : answerAt };
}

/**
 * The baseline to store after the writes: what was synced of each side (see `syncedSide`), except
 * that a field sent to review keeps its previous baseline on both sides, so it stays a conflict
 * until a person settles it (it is not silently taken as agreed).
 */
export function nextBaseline(plan: TwoWayPlan, answers: Baseline, readAt: Record<Side, string | null>, previous: Baseline | null): Baseline {
	const pd = syncedSide(plan, 'pipedrive', answers.pipedrive, answers.at?.pipedrive ?? null, readAt.pipedrive);
	const ps = syncedSide(plan, 'propstreet', answers.propstreet, answers.at?.propstreet ?? null, readAt.propstreet);
	const next: Baseline = { pipedrive: pd.sigs, propstreet: ps.sigs, at: { pipedrive: pd.at, propstreet: ps.at } };
	for (const d of plan.merge.review) {
		for (const side of ['pipedrive', 'propstreet'] as const) {
			const old = previous?.[side][d.field];
			if (old === undefined) delete next[side][d.field];
			else next[side][d.field] = old;
		}
	}
	return next;
}
