/**
 * One seed's world: the test bed, the random source, what users did (per record and field, to judge
 * the end state) and the executions that failed without an injected fault. Entity modules
 * (contacts.ts, …) act on it; the runner delivers, settles and checks through it.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { WorkflowJson } from '../../helpers/n8nRunner';
import type { Bed } from '../contactsNotesKit';
import type { Rng } from './rng';

export type SideName = 'pipedrive' | 'propstreet';

/** The values each side's users wrote into one field of one record, in order. */
export interface FieldLog {
	pipedrive: string[];
	propstreet: string[];
}

export class World {
	readonly log = new Map<string, FieldLog>();
	readonly failures: string[] = [];
	/** Fields whose end value was judged against the users' edits, per entity (a check that judged nothing proves nothing). */
	readonly judged = new Map<string, number>();
	/** Pipedrive records merged during the run (`person:<id>`, `deal:<id>`, source and survivor): what moved with them is not judged. */
	readonly merged = new Set<string>();
	/** Deliveries that never ran through: dropped, or failed by an injected fault (no backfill brings notes back). */
	readonly lost: Array<{ entity: string; side: SideName; json: IDataObject }> = [];
	faultsInjected = 0;
	private serial = 0;
	constructor(
		readonly bed: Bed,
		readonly rng: Rng,
		readonly seed: number,
		/** Executions at once (1: one after another, replays exactly). */
		readonly concurrency = 1,
	) {}

	get ps() {
		return this.bed.ps.control as any;
	}
	get pd() {
		return this.bed.pd.control;
	}
	unique(kind: string): string {
		return `${kind}-${this.seed}-${++this.serial}`;
	}
	note(key: string, side: SideName, value: string): void {
		const entry = this.log.get(key) ?? { pipedrive: [], propstreet: [] };
		entry[side].push(value);
		this.log.set(key, entry);
	}
	/** A deleted or merged-away record's edits are not judged any more. */
	forget(prefix: string): void {
		for (const key of [...this.log.keys()]) if (key.startsWith(prefix)) this.log.delete(key);
	}
	trace(message: string, ...ids: Array<string | number>): void {
		const wanted = process.env.INTERLEAVE_TRACE;
		if (wanted && ids.map(String).includes(wanted)) console.log(message);
	}
}

/** One entity's part of the interleaving: its user actions, its backfill input and its checks. */
export interface EntityModule {
	/** The Sync node's Entity value. */
	entity: string;
	/** Pipedrive's webhook object (`person`, `organization`, `deal`, `note`); none for participants (Pipedrive sends no webhook for them). */
	pipedriveObject?: string;
	/** Propstreet events the trigger subscribes to for it. */
	propstreetEvents: string[];
	/** Extra Sync node parameters (e.g. the label filter). */
	syncParameters: IDataObject;
	/** Relative share of the random operations. */
	weight: number;
	act(w: World): void;
	/** Every record of both sides, as the backfill would feed them. */
	backfillItems(w: World): Array<{ side: SideName; item: INodeExecutionData }>;
	/** What a polling trigger emits at this point of the run (called once per batch), if the module has one. */
	polled?(w: World): Promise<Array<{ side: SideName; item: INodeExecutionData }>>;
	/** Invariants on both simulators; one line per problem. */
	check(w: World): string[] | Promise<string[]>;
}

const CREDENTIALS = {
	propstreetApi: { id: 'PsSyncPropstree1', name: 'Propstreet account' },
	propstreetPipedriveApi: { id: 'PsSyncPdToken01', name: 'Pipedrive (Propstreet sync)' },
	propstreetSyncStateApi: { id: 'PsSyncStateApi1', name: 'Propstreet sync state' },
};

/** Trigger → the Sync node with the module's settings: one execution per delivery, as the bundled workflows run it. */
export function syncWorkflow(module: EntityModule, recordSide: SideName): WorkflowJson {
	const parameters = { authentication: 'accessToken', entity: module.entity, recordSide, ...module.syncParameters };
	return {
		name: `${module.entity} from ${recordSide}`,
		nodes: [
			{ id: 't', name: 'Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 's', name: 'Sync', type: 'n8n-nodes-propstreet.pipedrivePropstreetSync', typeVersion: 1, position: [200, 0], parameters, credentials: CREDENTIALS },
		],
		connections: { Trigger: { main: [[{ node: 'Sync', type: 'main', index: 0 }]] } },
	} as WorkflowJson;
}

/** The judged field equals a side's last edit (whitespace aside), as the documented rule requires. */
export function judgeField(w: World, entity: string, label: string, value: unknown, edits: FieldLog | undefined): string | undefined {
	if (!edits) return undefined;
	w.judged.set(entity, (w.judged.get(entity) ?? 0) + 1);
	const ok = (v?: string) => v !== undefined && String(value ?? '').replace(/\s/g, '') === v.replace(/\s/g, '');
	const lastPd = edits.pipedrive[edits.pipedrive.length - 1];
	const lastPs = edits.propstreet[edits.propstreet.length - 1];
	if (!edits.propstreet.length && lastPd && !ok(lastPd)) return `lost Pipedrive edit: ${label} = ${lastPd}, has ${value}`;
	if (!edits.pipedrive.length && lastPs && !ok(lastPs)) return `lost Propstreet edit: ${label} = ${lastPs}, has ${value}`;
	if (edits.pipedrive.length && edits.propstreet.length && !ok(lastPd) && !ok(lastPs)) return `${label} is ${value}, neither side's last edit (${lastPd} / ${lastPs})`;
	return undefined;
}

/** The side(s) a user edit lands on: 30 % of edits touch the same record on both sides in one batch. */
export function editingSides(w: World): SideName[] {
	return w.rng.chance(0.3) ? ['pipedrive', 'propstreet'] : [w.rng.chance(0.5) ? 'pipedrive' : 'propstreet'];
}

/** Does a Propstreet record carry the `pipedrive` ref of this Pipedrive record? */
export function pointsBack(record: IDataObject, pipedriveId: unknown): boolean {
	return ((record.externalRefs as IDataObject[]) ?? []).some((r) => r.namespace === 'pipedrive' && String(r.id) === String(pipedriveId));
}

/** Problems for Pipedrive records that more than one live Propstreet record claims (a duplicate). */
export function duplicateClaims(records: IDataObject[], pipedriveNoun: string, propstreetNoun: string): string[] {
	const byRef = new Map<string, string[]>();
	for (const c of records) for (const r of ((c.externalRefs as IDataObject[]) ?? []).filter((x) => x.namespace === 'pipedrive')) byRef.set(String(r.id), [...(byRef.get(String(r.id)) ?? []), String(c.id)]);
	return [...byRef].filter(([, ids]) => ids.length > 1).map(([id, ids]) => `${pipedriveNoun} ${id} has ${ids.length} ${propstreetNoun}: ${ids.join(', ')}`);
}

/** What a module does to its records: each call is one user action. */
export interface RecordActions<P> {
	create(): void;
	/** Delete the pair's record on one side (the module picks which). */
	remove(pair: P): void;
	/** Merge the pair's Pipedrive record into another pair's. */
	merge(pair: P, into: P): void;
	edit(pair: P): void;
	/** The judged-edit key prefix of a pair (forgotten once it is deleted or merged away). */
	keyOf(pair: P): string;
}

/** One random user action: 10 % creates (or while fewer than 3 pairs exist), ~3 % deletes, ~2 % merges, else an edit. */
export function actOnPairs<P>(w: World, pairs: P[], actions: RecordActions<P>): void {
	const roll = w.rng.next();
	if (roll < 0.1 || pairs.length < 3) return actions.create();
	const pair = w.rng.pick(pairs);
	if (roll < 0.13) {
		actions.remove(pair);
		w.forget(actions.keyOf(pair));
		return;
	}
	if (roll < 0.15 && pairs.length > 3) {
		actions.merge(pair, w.rng.pick(pairs.filter((p) => p !== pair)));
		w.forget(actions.keyOf(pair));
		return;
	}
	actions.edit(pair);
}
