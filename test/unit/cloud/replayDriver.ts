/**
 * Drives the Cloud record step (`core/cloud/recordStep.ts`) as a Cloud workflow loops it: each
 * round's lookup is answered from the real simulators (HTTP full responses with headers, as the
 * HTTP Request node gives them) or from in-test Data Tables with the Data Table node's semantics
 * (find → rows or `[{}]`; insert → the row with its id; update filtered on id (+ version) → the
 * updated rows or `[{}]`; delete). `onLookup` lets a test act between a read and the next call (a
 * row changed by someone else, an edit in an app). Executions can be stepped one round at a time,
 * so two of them interleave.
 */
import { recordStep, type RecordStepInput, type RecordStepState } from '../../../nodes/shared/core/cloud/recordStep';
import type { Lookup } from '../../../nodes/shared/core/cloud/lookups';
import { SETTINGS_VERSION, DEFAULT_SYNC_SETTINGS } from '../../../nodes/shared/core/settings';
import { apiClient } from '../../helpers/httpClient';
import { startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';
import { startPropstreetSimulator, type PropstreetSimulator } from '../../simulators/propstreet';
import { call as psCall } from '../../simulators/propstreet/testkit';

type Rec = Record<string, any>;
export type Entity = 'contact' | 'company' | 'project';

const PD_ENTITY: Record<Entity, string> = { contact: 'person', company: 'organization', project: 'deal' };
const PD_PATH: Record<Entity, string> = { contact: '/api/v2/persons', company: '/api/v2/organizations', project: '/api/v2/deals' };
const PS_PATH: Record<Entity, string> = { contact: '/api/v1/network/contacts', company: '/api/v1/network/companies', project: '/api/v1/projects' };

const full = (res: { status: number; body: unknown; headers: Headers }) => ({ statusCode: res.status, body: res.body ?? '', headers: Object.fromEntries(res.headers.entries()) });

/** A Data Table as the Data Table node serves it (system columns id, createdAt, updatedAt). */
export class TestTable {
	rows: Rec[] = [];
	private nextId = 1;
	constructor(private readonly clock: () => string) {}

	apply(op: Rec): unknown {
		const none = [{}];
		if (op.op === 'find') {
			const found = this.rows.filter((r) => r.entity === op.entity && (op.column === 'entity' || r[op.column] === op.value));
			return found.length ? found.map((r) => ({ ...r })) : none;
		}
		if (op.op === 'insert') {
			const row = { id: this.nextId++, ...op.row, createdAt: this.clock(), updatedAt: this.clock() };
			this.rows.push(row);
			return [{ ...row }];
		}
		if (op.op === 'update') {
			const hit = this.rows.filter((r) => r.id === op.rowId && (op.expectedVersion === undefined || r.version === op.expectedVersion));
			for (const r of hit) Object.assign(r, op.row, { updatedAt: this.clock() });
			return hit.length ? hit.map((r) => ({ ...r })) : none;
		}
		this.rows = this.rows.filter((r) => r.id !== op.rowId);
		return none;
	}
}

export interface CloudBed {
	pd: PipedriveSimulator;
	ps: PropstreetSimulator;
	pdCall: ReturnType<typeof apiClient>;
	state: TestTable;
	review: TestTable;
	/** The workflow's static data (field-definitions cache). */
	cache: Rec;
	/** Every lookup answered, in order. */
	calls: Lookup[];
	onLookup?: (lookup: Lookup) => void | Promise<void>;
	close(): Promise<void>;
}

export async function startCloudBed(): Promise<CloudBed> {
	const pd = await startPipedriveSimulator({ seed: true });
	// A backfill makes more Propstreet calls in a moment than the default minute allows (the workflow's HTTP nodes retry a 429; this driver does not).
	const ps = await startPropstreetSimulator({ rateLimit: { pat: 1000 } });
	const clock = () => new Date().toISOString();
	const bed: CloudBed = { pd, ps, pdCall: apiClient(pd.url), state: new TestTable(clock), review: new TestTable(clock), cache: {}, calls: [], close: async () => void (await Promise.all([pd.close(), ps.close()])) };
	return bed;
}

export async function answerOf(bed: CloudBed, lookup: Lookup): Promise<unknown> {
	bed.calls.push(lookup);
	await bed.onLookup?.(lookup);
	if (lookup.api === 'state') return bed.state.apply(lookup.table as Rec);
	if (lookup.api === 'review') return bed.review.apply(lookup.table as Rec);
	if (lookup.api === 'pipedrive') {
		const [pathname, search] = lookup.path.split('?');
		return full(await bed.pdCall(lookup.method, pathname, { query: Object.fromEntries(new URLSearchParams(search ?? '')), body: lookup.body }));
	}
	return full(await psCall(bed.ps, lookup.method, lookup.path, { body: lookup.body, headers: lookup.headers }));
}

/** A saved settings row (the Data Table row of "Propstreet sync settings") with some settings changed. */
export function settingsRow(changes: Rec = {}): Rec {
	return { version: SETTINGS_VERSION, settings: JSON.stringify({ ...DEFAULT_SYNC_SETTINGS, ...changes }) };
}

export interface Execution {
	/** One round: false once finished. */
	step(): Promise<boolean>;
	result: RecordStepState | null;
}

export interface ExecutionOptions {
	owner?: string;
	settings?: Rec;
	/** The step to run (default the core's `recordStep`; the bundle test runs the generated Code). */
	step?: (input: RecordStepInput) => Promise<RecordStepState>;
}

export function execution(bed: CloudBed, entity: Entity, event: unknown, options: ExecutionOptions = {}): Execution {
	let previous: RecordStepState | null = null;
	let answer: unknown;
	const exec: Execution = {
		result: null,
		step: async () => {
			const state = await (options.step ?? recordStep)({ entity, event, settingsRow: options.settings ?? settingsRow(), previous, answer, now: new Date().toISOString(), owner: options.owner ?? 'cloud-1', cache: bed.cache });
			exec.result = state;
			if (state.action === 'finished') return false;
			answer = await answerOf(bed, state.lookup);
			previous = state;
			return true;
		},
	};
	return exec;
}

/** One execution to its end; its final output. */
export async function runRecord(bed: CloudBed, entity: Entity, event: unknown, options: ExecutionOptions = {}): Promise<Extract<RecordStepState, { action: 'finished' }>> {
	const exec = execution(bed, entity, event, options);
	for (let round = 0; round < 500 && (await exec.step()); round++);
	if (exec.result?.action !== 'finished') throw new Error('the record step did not finish in 500 rounds');
	return exec.result;
}

/** The Pipedrive Trigger's body for a record as Pipedrive holds it now (a delete carries it as `previous`). */
export async function pdEvent(bed: CloudBed, entity: Entity, id: number | string, action: 'create' | 'change' | 'delete' = 'change', meta: Rec = {}, record?: Rec): Promise<Rec> {
	const data = record ?? (await bed.pdCall('GET', `${PD_PATH[entity]}/${id}`)).body?.data;
	const envelope = { action, entity: PD_ENTITY[entity], entity_id: String(id), ...meta };
	return action === 'delete' ? { meta: envelope, data: null, previous: data } : { meta: envelope, data, previous: null };
}

/** The checked Propstreet delivery's item for a record as Propstreet holds it now. */
export async function psEvent(bed: CloudBed, entity: Entity, id: string, action: 'created' | 'updated' | 'deleted' = 'updated', record?: Rec): Promise<Rec> {
	const data = record ?? (await psCall(bed.ps, 'GET', `${PS_PATH[entity]}/${id}`)).body;
	return { event: `${entity}.${action}`, entity, entityId: id, data, ...(action === 'deleted' ? { deleted: true } : {}) };
}

export const psGet = async (bed: CloudBed, entity: Entity, id: string): Promise<Rec> => (await psCall(bed.ps, 'GET', `${PS_PATH[entity]}/${id}`)).body;
export const pdGet = async (bed: CloudBed, entity: Entity, id: number | string): Promise<Rec> => (await bed.pdCall('GET', `${PD_PATH[entity]}/${id}`)).body?.data;
export const psCreate = async (bed: CloudBed, entity: Entity, body: Rec): Promise<Rec> => (await psCall(bed.ps, 'POST', PS_PATH[entity], { body })).body;
export const psPatch = async (bed: CloudBed, entity: Entity, id: string, body: Rec): Promise<Rec> => (await psCall(bed.ps, 'PATCH', `${PS_PATH[entity]}/${id}`, { body })).body;
export const psList = async (bed: CloudBed, entity: Entity): Promise<Rec[]> => (await psCall(bed.ps, 'GET', `${PS_PATH[entity]}?page_size=500`)).body.data;

/** Writes (not reads, not searches) the lookups made to the two APIs. */
export const apiWrites = (calls: Lookup[]) => calls.filter((c) => (c.api === 'pipedrive' || c.api === 'propstreet') && c.method !== 'GET' && !c.path.includes('find-duplicates'));

/** Two executions stepped in turns (one round each) until both finished. */
export async function interleave(a: Execution, b: Execution): Promise<void> {
	for (let more = true, round = 0; more && round < 500; round++) {
		const movedA = await a.step();
		const movedB = await b.step();
		more = movedA || movedB;
	}
}

/** A record's `pipedrive` external ref id. */
export const refOf = (record: Rec): string | undefined => (record.externalRefs ?? []).find((r: Rec) => r.namespace === 'pipedrive')?.id;

/** The state table's rows of one entity. */
export const rowsOf = (bed: CloudBed, entity: string): Rec[] => bed.state.rows.filter((r) => r.entity === entity);
