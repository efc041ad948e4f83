/**
 * One record event in the Cloud edition, in two steps around the HTTP Request nodes that read and
 * write (a Code node cannot use credentials): `planPass` decides what to do from the event, the
 * state row, the counterpart as read, the settings and the field definitions; `recordPass` turns
 * the write answers into the state row to store. Every decision is the two-way engine's own
 * (`isEcho`, `deliveryAge`, `planTwoWay`, `nextBaseline`, the entity's spec and its mappers).
 */
import { idOf, isRecord, type JsonRecord } from '../mapping/common';
import { otherSide, type Side } from '../merge/policy';
import type { Baseline } from '../merge/threeWay';
import type { LinkState } from '../syncState/link';
import { allGroupsChanged, deliveryAge, isCopyOf, isEcho, type SideEvent } from '../twoWay/event';
import { readSideEvent } from '../twoWay/eventInput';
import { deleteReasons } from '../twoWay/lifecycle';
import { assumedBaseline } from '../twoWay/pair';
import { nextBaseline, planTwoWay, signaturesOf, type TwoWayPlan } from '../twoWay/plan';
import { cloudEntity, type CloudEntity } from './entities';
import { recordOfAnswer } from './lookups';
import { cloudRunSetup, type CloudRunSetup } from './runSetup';

export { recordOfAnswer };
import { linkOfRows, stateRowOf, type StateRowOut, unlinkedRow } from './stateRows';

export interface PassInput {
	/** The trigger item: the Pipedrive Trigger's body, or the checked Propstreet delivery's item. */
	event: unknown;
	/** The state table rows found for the event's record (Data Table node), possibly none. */
	linkRows: unknown;
	settingsRow: unknown;
	/** The field definitions answer (GET /v1/personFields, /v1/organizationFields, /v1/dealFields). */
	fields: unknown;
	/** Projects: `{ stages, pipelines }`, the GET /api/v2/stages and /api/v2/pipelines answers. */
	stages?: unknown;
	/** The linked counterpart as read (an HTTP Request node's full response), when there is a link. */
	counterpart?: unknown;
	/** The counterpart this pass created (POST answer): plan the new pair's first sync. */
	created?: unknown;
	/** The existing counterpart the match found (a read answer): linked as the Sync node links one. */
	matched?: unknown;
}

interface Ids {
	pipedriveId: string | null;
	propstreetId: string | null;
}

export type PassStep =
	| ({ action: 'skip' | 'unchanged'; reason: string } & Ids)
	/** `namespace`: the external-ref namespace, for Propstreet's upsert by our ref. */
	/** `idempotencyKey`: for a Propstreet create that is a POST (projects), the key that makes a repeat harmless. */
	| ({ action: 'create'; reason: string; target: Side; body: JsonRecord; namespace: string; idempotencyKey?: string } & Ids)
	| ({ action: 'unlink'; reason: string; row: StateRowOut } & Ids)
	| ({
			action: 'sync';
			reason: string;
			eventSide: Side;
			pipedrivePatch: JsonRecord;
			propstreetPatch: JsonRecord;
			plan: TwoWayPlan;
			records: Record<Side, JsonRecord>;
			link: { rowId: number | null; version: number; baseline: Baseline | null };
			warnings: string[];
	  } & Ids);

function idsOf(event: SideEvent, id: string, otherId: string | null = null): Ids {
	return event.side === 'pipedrive' ? { pipedriveId: id, propstreetId: otherId } : { pipedriveId: otherId, propstreetId: id };
}

export function planPass(entity: CloudEntity['entity'], input: PassInput): PassStep {
	const kind = cloudEntity(entity);
	const setup = cloudRunSetup(input.settingsRow, input.fields, entity, input.stages);
	const event = readSideEvent(input.event, entity, 'auto');
	const id = idOf(event.record.id);
	if (!id) throw new Error(`The ${event.side} ${entity} event has no record id`);
	const rows = linkOfRows(input.linkRows);
	if (event.action === 'delete' || kind.spec.isDeleted(event.side, event.record)) return planDelete(kind, event, id, rows.linked);
	const scope = kind.inScope?.(setup.filters, setup.config, setup.ctx);
	if (scope && !scope(event.side, event.record)) {
		return { action: 'skip', ...idsOf(event, id), reason: `The ${event.side} ${entity} ${id} is outside the sync's scope (filter); nothing was read or written` };
	}
	if (input.created !== undefined) return planCreated(kind, setup, event, id, input.created, rows.linked);
	if (input.matched !== undefined) return planMatched(kind, setup, event, id, input.matched, rows.linked);
	if (rows.linked) return planLinked(kind, setup, event, id, rows.linked, input.counterpart);
	if (rows.unlinked) {
		return { action: 'skip', ...idsOf(event, id), reason: `This ${event.side} ${entity} was linked before and its counterpart was deleted or merged away; it is not linked or created again` };
	}
	// Without creation claims, a record that already names its counterpart is the copy another
	// execution is still linking (made by this sync): creating one more would duplicate it.
	const named = kind.copiesLinkedByCreator ? kind.spec.counterpartId(event.side, event.record, setup.config, setup.ctx) : undefined;
	if (named) {
		return { action: 'skip', ...idsOf(event, id, named), reason: `The unlinked ${event.side} ${entity} ${id} already names its ${otherSide(event.side)} counterpart ${named} (a copy the sync made, linked by the execution that made it); nothing was created` };
	}
	return planCreate(kind, setup, event, id);
}

/**
 * A deleted record, as the engine's `syncDelete` handles one for an entity without a delete patch
 * (contacts, companies): its link is removed and the counterpart kept (the sync never deletes).
 * A Pipedrive merge moves the link to the survivor in the engine; the Cloud edition leaves it.
 */
function planDelete(kind: CloudEntity, event: SideEvent, id: string, link: LinkState | undefined): PassStep {
	if (kind.spec.deletePatch) throw new Error(`The Cloud pass cannot write the delete patch of ${kind.entity} records`);
	if (!link) return { action: 'skip', ...idsOf(event, id), reason: deleteReasons.notLinked(kind.entity, event.side, id) };
	const ids = { pipedriveId: link.pipedriveId, propstreetId: link.propstreetId };
	if (event.side === 'pipedrive' && event.mergedToId) {
		return { action: 'skip', ...ids, reason: `Pipedrive merged ${kind.entity} ${id} into ${event.mergedToId}; the Cloud edition does not move links on a merge yet, so the link was left as it is` };
	}
	return { action: 'unlink', ...ids, reason: deleteReasons.unlinked(kind.entity, event.side, id, ids[event.side === 'pipedrive' ? 'propstreetId' : 'pipedriveId']), row: unlinkedRow(link) };
}

function planCreate(kind: CloudEntity, setup: CloudRunSetup, event: SideEvent, id: string): PassStep {
	const target = otherSide(event.side);
	const newScope = kind.newRecordScope?.(setup.filters, setup.config, setup.ctx);
	if (newScope && !newScope(event.side, event.record)) {
		return { action: 'skip', ...idsOf(event, id), reason: `The unlinked ${event.side} ${kind.entity} ${id} is outside what the sync links or creates (e.g. another pipeline); nothing was read or written` };
	}
	if (!setup.createOn[target]) return { action: 'skip', ...idsOf(event, id), reason: `No ${target} counterpart is linked and creating one is off` };
	const createScope = kind.createScope?.(setup.config);
	if (createScope && !createScope(event.side, event.record)) {
		return { action: 'skip', ...idsOf(event, id), reason: `No ${target} counterpart exists and this ${event.side} ${kind.entity} does not get one in its state (e.g. a lost deal whose project would be deleted)` };
	}
	const draft = target === 'propstreet' ? kind.spec.toPropstreet(event.record, null, setup.config, setup.ctx) : kind.spec.toPipedrive(event.record, null, setup.config, setup.ctx);
	const request = target === 'propstreet' && kind.propstreetCreate ? kind.propstreetCreate(draft.body, id) : { body: draft.body };
	return { action: 'create', ...idsOf(event, id), target, ...request, namespace: setup.config.pipedriveNamespace, reason: `Creating the ${target} counterpart of ${event.side} ${kind.entity} ${id}` };
}

function planLinked(kind: CloudEntity, setup: CloudRunSetup, event: SideEvent, id: string, link: LinkState, counterpart: unknown): PassStep {
	const ids = { pipedriveId: link.pipedriveId, propstreetId: link.propstreetId };
	if (isEcho({ spec: kind.spec, config: setup.config, ctx: setup.ctx }, link, event)) {
		return { action: 'unchanged', ...ids, reason: 'Nothing the sync carries changed since the last sync (an echo of our own write, or an edit of other fields)' };
	}
	if (deliveryAge({ spec: kind.spec }, link, event) === 'older') return { action: 'unchanged', ...ids, reason: 'A late delivery: a newer version of this record was already synced' };
	const other = otherSide(event.side);
	const read = recordOfAnswer(counterpart);
	if (!read.record || kind.spec.isDeleted(other, read.record)) {
		const reason = `The ${other} ${kind.entity} linked to ${event.side} ${kind.entity} ${id} no longer exists (HTTP ${read.status}); the link was removed and nothing was written`;
		return { action: 'unlink', ...ids, reason, row: unlinkedRow(link) };
	}
	return syncStep(kind, setup, event, link, read.record, link.baseline);
}

/** A counterpart this pass just created: the pair's first sync counts every group as changed on the event side. */
function planCreated(kind: CloudEntity, setup: CloudRunSetup, event: SideEvent, id: string, created: unknown, link: LinkState | undefined): PassStep {
	const made = recordOfAnswer(created).record;
	const other = otherSide(event.side);
	if (!made) throw new Error(`Creating the ${other} counterpart of ${event.side} ${kind.entity} ${id} returned no record`);
	const madeId = idOf(made.id) as string;
	const pair: LinkState = link ?? { rowId: 0, entity: kind.entity, ...idsOf(event, id, madeId), status: 'linked', version: 0, baseline: null, owner: null, updatedAt: '' };
	const baseline = assumedBaseline({ spec: kind.spec, config: setup.config }, event.side, allGroupsChanged({ spec: kind.spec }), made, setup.ctx);
	return syncStep(kind, setup, event, { ...pair, ...idsOf(event, id, madeId), rowId: link ? link.rowId : 0 }, made, baseline);
}

/**
 * An existing counterpart found by the match: as the engine's `linkExisting`, the pair's first sync
 * has no baseline (the one conflict rule decides each differing field), except for a create event
 * of a copy of that counterpart, whose source is the counterpart for every group.
 */
function planMatched(kind: CloudEntity, setup: CloudRunSetup, event: SideEvent, id: string, matched: unknown, link: LinkState | undefined): PassStep {
	const found = recordOfAnswer(matched).record;
	const other = otherSide(event.side);
	if (!found) throw new Error(`The ${other} counterpart found for ${event.side} ${kind.entity} ${id} has no record`);
	const foundId = idOf(found.id) as string;
	const pair: LinkState = { ...(link ?? { rowId: 0, entity: kind.entity, status: 'linked', version: 0, baseline: null, owner: null, updatedAt: '' }), ...idsOf(event, id, foundId) };
	if (!isCopyOf({ spec: kind.spec, config: setup.config, ctx: setup.ctx }, event, foundId)) return syncStep(kind, setup, event, pair, found, null);
	const baseline = assumedBaseline({ spec: kind.spec, config: setup.config }, other, allGroupsChanged({ spec: kind.spec }), event.record, setup.ctx);
	return syncStep(kind, setup, event, pair, found, baseline, other);
}

function syncStep(kind: CloudEntity, setup: CloudRunSetup, event: SideEvent, link: LinkState, counterpart: JsonRecord, baseline: Baseline | null, eventSide: Side = event.side): PassStep {
	const records = (event.side === 'pipedrive' ? { pipedrive: event.record, propstreet: counterpart } : { pipedrive: counterpart, propstreet: event.record }) as Record<Side, JsonRecord>;
	const plan = planTwoWay({ spec: kind.spec, ...records, baseline, rules: setup.rules, eventSide, config: setup.config, ctx: setup.ctx });
	const wrote = Object.keys(plan.pipedrivePatch).length > 0 || Object.keys(plan.propstreetPatch).length > 0;
	return {
		action: 'sync',
		pipedriveId: link.pipedriveId,
		propstreetId: link.propstreetId,
		eventSide: event.side,
		pipedrivePatch: plan.pipedrivePatch,
		propstreetPatch: plan.propstreetPatch,
		plan,
		records,
		link: { rowId: link.rowId || null, version: link.version, baseline: link.baseline },
		warnings: [...(setup.settingsWarning ? [setup.settingsWarning] : []), ...plan.warnings.map((w) => `${w.field}: ${w.message}`)],
		reason: wrote ? 'Changed fields are written' : 'Both sides already agree',
	};
}

export interface RecordInput {
	/** The `sync` step the plan gave. */
	step: unknown;
	/** The answers of the writes that ran (HTTP full responses or records); absent = that side was not written. */
	pipedriveAnswer?: unknown;
	propstreetAnswer?: unknown;
	settingsRow: unknown;
	fields: unknown;
	stages?: unknown;
}

/** The state row to store after a `sync` step's writes: the next baseline from what each side now holds. */
export function recordPass(entity: CloudEntity['entity'], input: RecordInput): { row: StateRowOut; matchColumn: 'pipedriveId' | 'propstreetId'; matchValue: string } {
	const { spec } = cloudEntity(entity);
	const step = input.step as Extract<PassStep, { action: 'sync' }>;
	if (!isRecord(step) || step.action !== 'sync') throw new Error('Only a "sync" step has writes to record');
	const setup = cloudRunSetup(input.settingsRow, input.fields, entity, input.stages);
	const after: Record<Side, JsonRecord> = { ...step.records };
	for (const [side, answer] of [['pipedrive', input.pipedriveAnswer], ['propstreet', input.propstreetAnswer]] as Array<[Side, unknown]>) {
		if (answer === undefined || answer === null) continue;
		const written = recordOfAnswer(answer);
		if (!written.record) throw new Error(`Writing the ${side} ${entity} answered HTTP ${written.status}; the state was not changed, so the next event retries`);
		after[side] = written.record;
	}
	const sigs = (side: Side) => signaturesOf(spec, side, after[side], setup.config, setup.ctx);
	const answers: Baseline = { pipedrive: sigs('pipedrive'), propstreet: sigs('propstreet'), at: { pipedrive: spec.updatedAt('pipedrive', after.pipedrive), propstreet: spec.updatedAt('propstreet', after.propstreet) } };
	const readAt = { pipedrive: spec.updatedAt('pipedrive', step.records.pipedrive), propstreet: spec.updatedAt('propstreet', step.records.propstreet) };
	const baseline = nextBaseline(step.plan, answers, readAt, step.link.baseline);
	const row = stateRowOf({ entity, pipedriveId: step.pipedriveId, propstreetId: step.propstreetId, status: 'linked', baseline }, step.link.version);
	const matchColumn = step.eventSide === 'pipedrive' ? 'pipedriveId' : 'propstreetId';
	return { row, matchColumn, matchValue: String(step[matchColumn] ?? '') };
}
