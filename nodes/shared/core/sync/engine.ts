/**
 * Sync contact / Sync company: match, compare, write the minimum, survive races.
 * The HTTP calls are injected as ports, so this file stays free of n8n and is unit-tested with
 * in-memory fakes; the Propstreet node supplies ports that call its transport.
 */
import { planAfterConflict } from './conflict';
import { diffRecord, type RecordDiff } from './diff';
import { domainOf } from '../domain';
import { findExternalRef, readExternalRefs, withExternalRef } from './fields';
import { deriveIdempotencyKey } from './idempotency';
import type { ConflictSettings, FieldConflict, JsonRecord, MatchedBy, PatchResult, ReadRecord, SyncOutcome } from './types';

export interface SyncInput {
	/** The Propstreet request body the Mapper produced. */
	desired: JsonRecord;
	/** External-ref namespace of the source system (`pipedrive`). */
	sourceNamespace: string;
	sourceId: string;
	sourceEventId?: string;
	conflict: ConflictSettings;
	/** false = update only: a record without a match is `skipped`, never created. */
	createIfMissing: boolean;
	/** How many times a 412 is re-read and re-applied before giving up (as `conflict`). */
	maxConflictRetries?: number;
}

export interface UpdatePorts {
	getById(id: string): Promise<ReadRecord | null>;
	patchById(id: string, body: JsonRecord, etag: string): Promise<PatchResult>;
}

export interface ContactSyncPorts extends UpdatePorts {
	getByExternalRef(namespace: string, id: string): Promise<ReadRecord | null>;
	/** PATCH /contacts/external/{ns}/{id}?match=email (server-side upsert). */
	upsertByExternalRef(namespace: string, id: string, body: JsonRecord): Promise<ReadRecord & { upsertAction?: string; status: number }>;
}

export interface DuplicateCandidate {
	id: string;
	method?: string;
	score?: number;
}

export interface CompanySyncPorts extends UpdatePorts {
	getByExternalRef(namespace: string, id: string): Promise<ReadRecord | null>;
	findDuplicates(query: JsonRecord, idempotencyKey: string | undefined): Promise<DuplicateCandidate[]>;
	/** POST create; `duplicate` on 409 (someone created the same external ref meanwhile). */
	create(body: JsonRecord, idempotencyKey: string | undefined): Promise<(ReadRecord & { duplicate?: false }) | { duplicate: true }>;
}

export const DEFAULT_MAX_CONFLICT_RETRIES = 3;

function idOf(record: JsonRecord): string {
	return String(record.id ?? '');
}

function outcome(action: SyncOutcome['action'], read: ReadRecord | null, matchedBy: MatchedBy | null, extra: Partial<SyncOutcome> = {}): SyncOutcome {
	return {
		action,
		propstreetId: read ? idOf(read.record) || null : null,
		etag: read ? read.etag || null : null,
		matchedBy,
		changes: [],
		record: read ? read.record : null,
		...extra,
	};
}

/** Diff, PATCH with If-Match, and on 412 re-read and re-plan under the conflict policy. */
export async function updateMatched(ports: UpdatePorts, found: ReadRecord, desired: JsonRecord, matchedBy: MatchedBy, input: SyncInput): Promise<SyncOutcome> {
	const id = idOf(found.record);
	const base = found.record;
	let latest = found;
	let diff: RecordDiff = diffRecord(latest.record, desired);
	let conflicts: FieldConflict[] = [];
	if (!diff.changes.length) return outcome('unchanged', latest, matchedBy);
	const maxRetries = input.maxConflictRetries ?? DEFAULT_MAX_CONFLICT_RETRIES;
	for (let attempt = 0; ; attempt++) {
		const result = await ports.patchById(id, diff.patch, latest.etag);
		if (result.ok) {
			return outcome('updated', { record: result.record, etag: result.etag }, matchedBy, {
				changes: diff.changes,
				...(conflicts.length ? { conflicts } : {}),
			});
		}
		if (attempt >= maxRetries) {
			return outcome('conflict', latest, matchedBy, { conflicts, reason: `The record kept changing: ${maxRetries + 1} writes were refused with 412` });
		}
		const reread = await ports.getById(id);
		if (!reread) throw new Error(`Propstreet record ${id} disappeared while it was being updated`);
		latest = reread;
		// Conflicts are judged against our first read, so a field Propstreet won stays won.
		const plan = planAfterConflict(base, latest.record, desired, input.conflict);
		conflicts = plan.conflicts;
		if (plan.kind === 'conflict') {
			return outcome('conflict', latest, matchedBy, { conflicts, reason: 'Propstreet changed fields the source also changed; policy manualReview' });
		}
		if (plan.kind === 'unchanged') return outcome('unchanged', latest, matchedBy, conflicts.length ? { conflicts } : {});
		diff = plan.diff;
	}
}

function requireSourceRef(input: SyncInput) {
	const sourceId = String(input.sourceId ?? '').trim();
	if (!sourceId) throw new Error('Source ID is empty');
	return { namespace: input.sourceNamespace, id: sourceId };
}

/**
 * Contact: external ref → (server-side) email match → create.
 * Found by ref: diff + PATCH. Not found: the upsert route with match=email does match-or-create in
 * one call and attaches the ref (reference §8.6), which saves a lookup.
 */
export async function syncContact(ports: ContactSyncPorts, input: SyncInput): Promise<SyncOutcome> {
	const ref = requireSourceRef(input);
	const desired = withExternalRef(input.desired, ref);
	const found = await ports.getByExternalRef(ref.namespace, ref.id);
	if (found && !found.record.deletedUtc) return updateMatched(ports, found, desired, 'externalRef', input);
	if (!input.createIfMissing) {
		return outcome('skipped', null, null, { reason: `No Propstreet contact has external ref ${ref.namespace}/${ref.id} and creating is off` });
	}
	// externalRefs are replace-all: sending them here could strip refs from an email-matched contact.
	const upsertBody: JsonRecord = { ...desired };
	delete upsertBody.externalRefs;
	const upserted = await ports.upsertByExternalRef(ref.namespace, ref.id, upsertBody);
	const action = String(upserted.upsertAction ?? '').toLowerCase() || (upserted.status === 201 ? 'created' : 'updated');
	let result: SyncOutcome;
	if (action === 'created') {
		result = outcome('created', upserted, null, { upsertAction: action });
	} else {
		result = outcome('updated', upserted, action === 'revived' ? 'externalRef' : 'email', { upsertAction: action });
	}
	result.changes = Object.keys(upsertBody).map((field) => ({ field, from: null, to: upsertBody[field] }));
	// Other namespaces the Mapper asked for (e.g. a second CRM) are merged in with a normal PATCH.
	const extraRefs = readExternalRefs(input.desired.externalRefs).filter((r) => r.namespace.toLowerCase() !== ref.namespace.toLowerCase());
	if (extraRefs.length) {
		const follow = await updateMatched(ports, upserted, { externalRefs: extraRefs }, result.matchedBy ?? 'externalRef', input);
		if (follow.action === 'updated') {
			result = { ...result, etag: follow.etag, record: follow.record, changes: [...result.changes, ...follow.changes] };
		}
	}
	return result;
}

/** Does a candidate already belong to a different source record? Then it is not our match. */
function ownedByOther(record: JsonRecord, namespace: string, sourceId: string): boolean {
	const existing = findExternalRef(record.externalRefs, namespace);
	return !!existing && existing.id !== sourceId;
}

/**
 * The Propstreet company that already stands for a source record: by its external ref, then its
 * domain (find-duplicates, method Domain only), then its org number (external ref `orgnr-<cc>`).
 * Deleted companies and companies that carry another record's ref of the same namespace are passed
 * over. Shared by Sync company and the two-way company sync, so both match alike.
 */
export async function matchCompany(
	ports: Pick<CompanySyncPorts, 'getById' | 'getByExternalRef' | 'findDuplicates'>,
	desired: JsonRecord,
	ref: { namespace: string; id: string },
	orgNumberPrefix = 'orgnr-',
	sourceEventId?: string,
): Promise<{ found: ReadRecord; matchedBy: MatchedBy } | null> {
	const byRef = await ports.getByExternalRef(ref.namespace, ref.id);
	if (byRef && !byRef.record.deletedUtc) return { found: byRef, matchedBy: 'externalRef' };

	const domain = domainOf(desired.domain ?? desired.homepageUrl);
	if (domain) {
		const query: JsonRecord = { name: desired.name ?? null, domain };
		if (desired.countryCode) query.countryCode = desired.countryCode;
		const candidates = await ports.findDuplicates(query, deriveIdempotencyKey(sourceEventId, `company.findDuplicates:${ref.namespace}:${ref.id}`));
		const byDomain = candidates
			.filter((c) => String(c.method ?? '').toLowerCase() === 'domain')
			.sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
		for (const candidate of byDomain) {
			const read = await ports.getById(String(candidate.id));
			if (!read || read.record.deletedUtc || ownedByOther(read.record, ref.namespace, ref.id)) continue;
			if (domainOf(read.record.domain) !== domain) continue;
			return { found: read, matchedBy: 'domain' };
		}
	}

	const prefix = orgNumberPrefix.toLowerCase();
	for (const orgRef of readExternalRefs(desired.externalRefs).filter((r) => r.namespace.toLowerCase().startsWith(prefix))) {
		const read = await ports.getByExternalRef(orgRef.namespace, orgRef.id);
		if (!read || read.record.deletedUtc || ownedByOther(read.record, ref.namespace, ref.id)) continue;
		return { found: read, matchedBy: 'orgNumber' };
	}
	return null;
}

/**
 * Company: `matchCompany`, else create. A match by domain or org number gets the source ref
 * attached in the same PATCH (existing refs + the new one, since PATCH replaces the list).
 */
export async function syncCompany(ports: CompanySyncPorts, input: SyncInput, orgNumberPrefix = 'orgnr-'): Promise<SyncOutcome> {
	const ref = requireSourceRef(input);
	const desired = withExternalRef(input.desired, ref);
	const match = await matchCompany(ports, desired, ref, orgNumberPrefix, input.sourceEventId);
	if (match) return updateMatched(ports, match.found, desired, match.matchedBy, input);
	const domain = domainOf(desired.domain ?? desired.homepageUrl);

	if (!input.createIfMissing) {
		return outcome('skipped', null, null, { reason: `No Propstreet company matched ${ref.namespace}/${ref.id}${domain ? `, domain ${domain}` : ''} or an org number, and creating is off` });
	}
	const key = deriveIdempotencyKey(input.sourceEventId, `company.create:${ref.namespace}:${ref.id}`);
	const created = await ports.create(desired, key);
	if (created.duplicate) {
		// Lost a race with another execution that created it a moment ago: update that one instead.
		const again = await ports.getByExternalRef(ref.namespace, ref.id);
		if (!again) throw new Error(`Creating the company was refused as a duplicate, but ${ref.namespace}/${ref.id} cannot be found`);
		return updateMatched(ports, again, desired, 'externalRef', input);
	}
	return outcome('created', created, null, {
		changes: Object.keys(desired).map((field) => ({ field, from: null, to: desired[field] })),
	});
}
