/** In-memory sides for the two-way core: just enough Pipedrive and Propstreet behaviour, with call counts. */
import type { JsonRecord } from '../../../nodes/shared/core/mapping/common';
import { resolveConfig } from '../../../nodes/shared/core/mapping';
import { COMPANY_SPEC } from '../../../nodes/shared/core/twoWay/companySpec';
import { CONTACT_SPEC } from '../../../nodes/shared/core/twoWay/contactSpec';
import type { SidePort, SideRecord, TwoWayRun } from '../../../nodes/shared/core/twoWay/ports';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';
import { KEYS, setup } from '../mapping/fixtures';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class FakePipedrive implements SidePort {
	records = new Map<string, JsonRecord>();
	calls = { get: 0, update: 0, create: 0, find: 0 };
	private next = 100;
	second = 0;

	private stamp(): string {
		this.second++;
		return new Date(Date.UTC(2026, 4, 1, 10, 0, this.second)).toISOString().replace('T', ' ').slice(0, 19);
	}

	put(record: JsonRecord): JsonRecord {
		const r: JsonRecord = { ...clone(record), update_time: this.stamp() };
		this.records.set(String(r.id), r);
		return clone(r);
	}

	async get(id: string): Promise<SideRecord | null> {
		this.calls.get++;
		const r = this.records.get(id);
		return r ? { record: clone(r) } : null;
	}

	async update(id: string, patch: JsonRecord): Promise<{ ok: true; record: JsonRecord }> {
		this.calls.update++;
		const r = this.records.get(id);
		if (!r) throw new Error(`404 person ${id}`);
		const custom = { ...((r.custom_fields as JsonRecord) ?? {}), ...((patch.custom_fields as JsonRecord) ?? {}) };
		const next = { ...r, ...clone(patch), custom_fields: custom };
		return { ok: true, record: this.put(next) };
	}

	async create(body: JsonRecord): Promise<SideRecord> {
		this.calls.create++;
		return { record: this.put({ ...clone(body), id: this.next++ }) };
	}

	async findCounterpart(): Promise<SideRecord | null> {
		this.calls.find++;
		return null;
	}
}

export class FakePropstreet implements SidePort {
	records = new Map<string, JsonRecord & { _v: number }>();
	calls = { get: 0, update: 0, create: 0, find: 0 };
	private next = 1;
	ms = 0;

	put(record: JsonRecord, version = 0): SideRecord {
		this.ms += 250;
		const r: JsonRecord & { _v: number } = { ...clone(record), updatedUtc: new Date(Date.UTC(2026, 4, 1, 10, 0, 0, this.ms)).toISOString(), _v: version + 1 };
		this.records.set(String(r.id), r);
		return this.read(r);
	}

	private read(r: JsonRecord & { _v: number }): SideRecord {
		const { _v, ...record } = clone(r);
		return { record, etag: `"v${_v}"` };
	}

	async get(id: string): Promise<SideRecord | null> {
		this.calls.get++;
		const r = this.records.get(id);
		return r && !r.deletedUtc ? this.read(r) : null;
	}

	async update(id: string, patch: JsonRecord, etag: string | undefined) {
		this.calls.update++;
		const r = this.records.get(id);
		if (!r) throw new Error(`404 contact ${id}`);
		if (etag && etag !== `"v${r._v}"`) return { ok: false as const, reason: 'preconditionFailed' as const };
		const written = this.put({ ...r, ...clone(patch) }, r._v);
		return { ok: true as const, record: written.record, etag: written.etag };
	}

	async create(body: JsonRecord): Promise<SideRecord> {
		this.calls.create++;
		return this.put({ tags: [], companies: [], externalRefs: [], ...clone(body), id: `c-${this.next++}` });
	}

	async findCounterpart(_other: JsonRecord, otherId: string): Promise<SideRecord | null> {
		this.calls.find++;
		for (const r of this.records.values()) {
			const refs = Array.isArray(r.externalRefs) ? (r.externalRefs as JsonRecord[]) : [];
			if (!r.deletedUtc && refs.some((x) => x.namespace === 'pipedrive' && String(x.id) === otherId)) return this.read(r);
		}
		return null;
	}
}

export function contactRun(options: { policy?: 'lastWriteWins' | 'manualReview'; owner?: string; store?: MemoryStateStore; pd?: FakePipedrive; ps?: FakePropstreet } = {}) {
	const { ctx } = setup('contact');
	const pd = options.pd ?? new FakePipedrive();
	const ps = options.ps ?? new FakePropstreet();
	const store = options.store ?? new MemoryStateStore();
	const run: TwoWayRun = {
		spec: CONTACT_SPEC,
		config: resolveConfig({}),
		ctx,
		rules: { policy: options.policy ?? 'lastWriteWins' },
		store,
		sides: { pipedrive: pd, propstreet: ps },
		createOn: { pipedrive: true, propstreet: true },
		owner: options.owner ?? 'exec-1',
		now: () => new Date('2026-05-01T10:00:00Z'),
		wait: async () => undefined,
	};
	return { run, pd, ps, store };
}

/** The same fakes driven by the company spec (organizations ⇄ companies). */
export function companyRun(options: { policy?: 'lastWriteWins' | 'manualReview'; owner?: string; store?: MemoryStateStore; pd?: FakePipedrive; ps?: FakePropstreet } = {}) {
	const built = contactRun(options);
	const { ctx } = setup('company');
	return { ...built, run: { ...built.run, spec: COMPANY_SPEC, ctx } };
}

export { KEYS };
