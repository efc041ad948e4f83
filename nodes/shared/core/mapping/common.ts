/** Types and helpers shared by the entity mappers. */
import { customFieldText, FieldCatalog, readCustomField } from '../customFields';
import { invertIdMap } from '../ids';
import { check } from '../schemas/check';
import { pipedriveWebhookV2 } from '../schemas/pipedrive';
import type { ExternalRef } from '../orgNumber';
import { canonicalEmail, canonicalPhone, type CompareKind } from './compare';
import { fieldEnabled, type Direction, type EntityName, type MapperConfig } from './config';

export type JsonRecord = Record<string, unknown>;

export interface MappingWarning {
	field: string;
	message: string;
}

export interface MatchKeys {
	email?: string;
	domain?: string;
	orgNumber?: { country: string; digits: string; formatted: string; namespace: string };
	externalIds: ExternalRef[];
	pipedriveId?: string;
	propstreetId?: string;
	pipedrivePersonId?: string;
	pipedriveOrgId?: string;
	pipedriveDealId?: string;
	propstreetContactId?: string;
	propstreetCompanyId?: string;
	propstreetProjectId?: string;
}

export interface Lifecycle {
	event: 'won' | 'lost' | 'reopened' | 'deleted' | 'merged' | 'closed' | 'removed';
	/** What the workflow should do; mapping alone cannot do it. */
	action:
		| 'none'
		| 'closeInPropstreetApp'
		| 'deleteProject'
		| 'deleteInPropstreet'
		| 'deleteInPipedrive'
		| 'relink'
		| 'markDealWon'
		| 'markDealLost'
		| 'removeProspect'
		| 'removeParticipant';
	deal?: 'won' | 'lost' | 'deleted';
	mergedToId?: string;
	note?: string;
}

export interface StageDefinition {
	id: string;
	name: string;
	pipelineId?: string;
}

/** Side data the workflow passes in: ids known from earlier steps and the target's current record. */
export interface MapperLookups {
	propstreetCompanyId?: string;
	pipedriveOrgId?: string;
	propstreetContactId?: string;
	pipedrivePersonId?: string;
	propstreetProjectId?: string;
	pipedriveDealId?: string;
	/** Pipedrive organization id → Propstreet company id. */
	companyIdMap?: Record<string, string>;
	/** Pipedrive person id → Propstreet contact id. */
	contactIdMap?: Record<string, string>;
}

export interface MapperContext {
	catalogs: { person: FieldCatalog; organization: FieldCatalog; deal: FieldCatalog };
	stages: StageDefinition[];
	pipelines: StageDefinition[];
	lookups: MapperLookups;
	/** The target system's current version of the record, if the workflow fetched it. */
	current?: JsonRecord | null;
}

export function emptyContext(partial: Partial<MapperContext> = {}): MapperContext {
	return {
		catalogs: partial.catalogs ?? { person: new FieldCatalog(), organization: new FieldCatalog(), deal: new FieldCatalog() },
		stages: partial.stages ?? [],
		pipelines: partial.pipelines ?? [],
		lookups: partial.lookups ?? {},
		current: partial.current ?? null,
	};
}

/** Bad input that makes a record unmappable; the node turns it into a NodeOperationError. */
export class MappingError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly record: string,
	) {
		super(`${record}: ${field}: ${message}`);
		this.name = 'MappingError';
	}
}

/** The record to map plus what the envelope around it said. */
export interface SourceEnvelope {
	record: JsonRecord;
	action: 'create' | 'change' | 'delete' | null;
	eventId: string | null;
	/** Entity named by the envelope (Pipedrive `meta.entity`, Propstreet `type` prefix). */
	entity: string | null;
	mergedToId: string | null;
	/** Propstreet prospect remove (`action.type: "removed"`). */
	removed: boolean;
	eventTime: string | null;
}

/** What one entity mapper produces before hashing and conflict checks. */
export interface Draft {
	body: JsonRecord;
	fieldPaths: Record<string, string>;
	/** How a body path compares when its name does not say (`custom_fields.<key>` of a domain, …). */
	kinds?: Record<string, CompareKind>;
	match: MatchKeys;
	warnings: MappingWarning[];
	sourceUpdatedAt: string | null;
	lifecycle?: Lifecycle;
	target?: JsonRecord;
	extras?: JsonRecord;
	personBody?: JsonRecord;
	skip?: boolean;
	/** The target's current record in body shape, for conflict checks. */
	currentProjection?: JsonRecord;
	/**
	 * A path that carries a merge group and a link field at once (Propstreet's `externalRefs`: an org
	 * number and our `pipedrive` ref), with the value that writes only the link: used when that group
	 * does not flow towards this side, so the link is still written.
	 */
	linkOnly?: JsonRecord;
	targetUpdatedAt?: string | null;
}

export const isRecord = (v: unknown): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An id in any of Pipedrive's shapes (number, string, `{ value }`, `{ id }`) → string. */
export function idOf(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (isRecord(value)) return idOf(value.value ?? value.id);
	return undefined;
}

/** Pipedrive ("YYYY-MM-DD HH:MM:SS" UTC, RFC 3339, epoch seconds) or Propstreet time → ISO, else null. */
export function isoTime(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) {
		const ms = value > 1e12 ? value : value * 1000;
		return new Date(ms).toISOString();
	}
	if (typeof value !== 'string' || value.trim() === '') return null;
	let text = value.trim();
	if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(text)) text = `${text.replace(' ', 'T')}Z`;
	if (/^\d{10}$/.test(text)) return isoTime(Number(text));
	const t = Date.parse(text);
	return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const t = value.replace(/[\s\u00A0]+/g, ' ').trim();
	return t === '' ? null : t;
}

export function has(record: JsonRecord, ...keys: string[]): boolean {
	return keys.some((k) => k in record);
}

/** Unwrap n8n Webhook-node output (`{ headers, body }`), Pipedrive webhooks v1/v2, API responses, Propstreet webhooks. */
export function unwrapSource(input: unknown, recordLabel: string): SourceEnvelope {
	if (!isRecord(input)) throw new MappingError('input', 'the item is not an object', recordLabel);
	let value: JsonRecord = input;
	let eventId: string | null = null;
	if (isRecord(value.body) && isRecord(value.headers)) {
		const headers = value.headers;
		eventId = text(headers['webhook-id']) ?? text(headers['Webhook-Id']);
		value = value.body;
	}
	eventId = eventId ?? text(value.webhookId) ?? text(value['webhook-id']);
	const base: SourceEnvelope = { record: value, action: null, eventId, entity: null, mergedToId: null, removed: false, eventTime: null };

	// Pipedrive Webhooks v2 ({ meta, data, previous }) and v1 ({ meta, current, previous }).
	if (isRecord(value.meta) && ('data' in value || 'current' in value || 'previous' in value)) {
		const meta = value.meta;
		const rawAction = text(meta.action);
		const action =
			rawAction === 'create' || rawAction === 'added'
				? 'create'
				: rawAction === 'delete' || rawAction === 'deleted'
					? 'delete'
					: rawAction === 'change' || rawAction === 'updated' || rawAction === 'merged'
						? 'change'
						: null;
		const current = isRecord(value.data) ? value.data : isRecord(value.current) ? value.current : null;
		const previous = isRecord(value.previous) ? value.previous : null;
		const record = action === 'delete' ? (previous ?? current) : (current ?? previous);
		const v2 = meta.version === '2.0' || 'entity' in meta;
		if (v2) {
			const checked = check(pipedriveWebhookV2, value, recordLabel);
			if (!checked.ok) throw new MappingError(checked.path, checked.problem, recordLabel);
		}
		if (!record) throw new MappingError('data', 'the webhook carries neither data nor previous values', recordLabel);
		return {
			record,
			action,
			// v2 `meta.id` is the event id; v1 `meta.id` is the object id.
			eventId: eventId ?? (v2 ? text(meta.id) : null),
			entity: text(meta.entity) ?? text(meta.object),
			mergedToId: text(meta.merged_to_id),
			removed: false,
			eventTime: isoTime(meta.timestamp),
		};
	}
	// Pipedrive API response { success, data }.
	if (value.success === true && isRecord(value.data)) return { ...base, record: value.data };
	// Propstreet webhook { type: "contact.updated", timestamp, data, action? }.
	if (typeof value.type === 'string' && /^[a-z]+\.(created|updated|deleted)$/.test(value.type) && isRecord(value.data)) {
		const [entity, verb] = value.type.split('.');
		return {
			record: value.data,
			action: verb === 'created' ? 'create' : verb === 'deleted' ? 'delete' : 'change',
			eventId,
			entity,
			mergedToId: null,
			removed: isRecord(value.action) && value.action.type === 'removed',
			eventTime: isoTime(value.timestamp),
		};
	}
	return base;
}

/** Which item of a Pipedrive email/phone list is primary, and which were left over (duplicates by the canonical form dropped). */
export function pickPrimary(list: unknown, kind: 'email' | 'phone' = 'email'): { primary: string | null; label: string | null; extra: string[]; present: boolean } {
	if (list === undefined) return { primary: null, label: null, extra: [], present: false };
	const items: Array<{ value: string; primary: boolean; label: string | null }> = [];
	const push = (v: unknown): void => {
		if (typeof v === 'string' && v.trim() !== '') items.push({ value: v.trim(), primary: false, label: null });
		else if (isRecord(v) && typeof v.value === 'string' && v.value.trim() !== '') {
			items.push({ value: v.value.trim(), primary: v.primary === true || v.primary === 1 || v.primary === 'true', label: text(v.label) });
		}
	};
	if (Array.isArray(list)) list.forEach(push);
	else push(list);
	if (items.length === 0) return { primary: null, label: null, extra: [], present: true };
	const primary = items.find((i) => i.primary) ?? items[0];
	const key = (v: string): string | null => (kind === 'phone' ? canonicalPhone(v) : canonicalEmail(v));
	const seen = new Set([key(primary.value)]);
	const extra: string[] = [];
	for (const i of items) {
		if (i === primary || seen.has(key(i.value))) continue;
		seen.add(key(i.value));
		extra.push(i.value);
	}
	return { primary: primary.value, label: primary.label, extra, present: true };
}

/** Our refs replace the same namespaces in the current list; other namespaces are kept (PATCH replaces all). */
export function mergeExternalRefs(current: unknown, ours: ExternalRef[]): ExternalRef[] {
	const namespaces = new Set(ours.map((r) => r.namespace.toLowerCase()));
	const kept: ExternalRef[] = [];
	if (Array.isArray(current)) {
		for (const ref of current) {
			if (!isRecord(ref) || typeof ref.namespace !== 'string' || ref.id === undefined || ref.id === null) continue;
			if (!namespaces.has(ref.namespace.toLowerCase())) kept.push({ namespace: ref.namespace, id: String(ref.id) });
		}
	}
	return [...kept, ...ours];
}

export function refId(refs: unknown, namespace: string): string | undefined {
	if (!Array.isArray(refs)) return undefined;
	const ref = refs.find((r) => isRecord(r) && typeof r.namespace === 'string' && r.namespace.toLowerCase() === namespace.toLowerCase());
	return isRecord(ref) ? idOf(ref.id) : undefined;
}

export function refsOf(refs: unknown): ExternalRef[] {
	if (!Array.isArray(refs)) return [];
	return refs.filter((r): r is JsonRecord => isRecord(r) && typeof r.namespace === 'string' && r.id !== undefined && r.id !== null).map((r) => ({ namespace: String(r.namespace), id: String(r.id) }));
}

/**
 * A Pipedrive record's own id, and its match keys: that id (also as a `pipedrive` external ref) and
 * the Propstreet id its custom field holds (trimmed), else the one the workflow already knows.
 */
export function pipedriveSource(
	record: Record<string, unknown>,
	propstreetIdField: string,
	catalog: FieldCatalog,
	knownPropstreetId: string | undefined,
	namespace: string,
): { pipedriveId: string | undefined; match: MatchKeys } {
	const pipedriveId = idOf(record.id);
	const propstreetId = text(customFieldText(readCustomField(record, propstreetIdField, catalog))) ?? knownPropstreetId;
	return { pipedriveId, match: pipedriveMatch(pipedriveId, namespace, propstreetId) };
}

/** Match keys of a Pipedrive record: its id (also as a `pipedrive` external ref) and the Propstreet id it names. */
export function pipedriveMatch(pipedriveId: string | undefined, namespace: string, propstreetId: string | undefined): MatchKeys {
	const match: MatchKeys = { externalIds: [] };
	if (pipedriveId) {
		match.pipedriveId = pipedriveId;
		match.externalIds.push({ namespace, id: pipedriveId });
	}
	if (propstreetId) match.propstreetId = propstreetId;
	return match;
}

/** Match keys of a Propstreet record: its external refs, its id and the Pipedrive id it maps to. */
export function propstreetMatch(externalRefs: unknown, propstreetId: string | undefined, pipedriveId: string | undefined): MatchKeys {
	const match: MatchKeys = { externalIds: refsOf(externalRefs) };
	if (propstreetId) match.propstreetId = propstreetId;
	if (pipedriveId) match.pipedriveId = pipedriveId;
	return match;
}

/** The Pipedrive id of a Propstreet record: its `pipedrive` ref, else the id the workflow passed, else the id map read backwards. */
export function pipedriveIdOf(
	externalRefs: unknown,
	namespace: string,
	lookupId: string | undefined,
	propstreetId?: string,
	idMap?: Record<string, string>,
): string | undefined {
	return refId(externalRefs, namespace) ?? lookupId ?? (propstreetId ? invertIdMap(idMap).get(propstreetId) : undefined);
}

/** The target's current record for conflict checks: in body shape, and when it last changed. */
export function currentView(
	current: JsonRecord | null,
	project: (current: JsonRecord) => JsonRecord,
	updatedKey: 'updatedUtc' | 'update_time',
): Pick<Draft, 'currentProjection' | 'targetUpdatedAt'> {
	return { currentProjection: current ? project(current) : undefined, targetUpdatedAt: current ? isoTime(current[updatedKey]) : null };
}

/** Collects body values with the logical field each path belongs to, honouring per-field switches. */
export class BodyBuilder {
	readonly body: JsonRecord = {};
	readonly fieldPaths: Record<string, string> = {};
	readonly kinds: Record<string, CompareKind> = {};
	readonly warnings: MappingWarning[] = [];

	constructor(
		private readonly config: MapperConfig,
		private readonly direction: Direction,
	) {}

	enabled(fieldId: string): boolean {
		return fieldEnabled(this.config, fieldId, this.direction);
	}

	/** `kind` only where the path's name does not tell how values compare (see compare.ts). */
	set(fieldId: string, path: string, value: unknown, kind?: CompareKind): void {
		if (value === undefined) return;
		if (kind) this.kinds[path] = kind;
		const dot = path.indexOf('.');
		if (dot < 0) this.body[path] = value;
		else {
			const head = path.slice(0, dot);
			const nested = isRecord(this.body[head]) ? (this.body[head] as JsonRecord) : {};
			nested[path.slice(dot + 1)] = value;
			this.body[head] = nested;
		}
		this.fieldPaths[path] = fieldId;
	}

	warn(field: string, message: string): void {
		this.warnings.push({ field, message });
	}

	/** Our `pipedrive` ref merged into the current record's refs (PATCH replaces the whole list). */
	setPipedriveRef(fieldId: string, current: JsonRecord | null, namespace: string, id: string): void {
		this.set(fieldId, 'externalRefs', mergeExternalRefs(current?.externalRefs, [{ namespace, id }]));
	}

	/** The Draft fields this builder collected. */
	parts(): Pick<Draft, 'body' | 'fieldPaths' | 'kinds' | 'warnings'> {
		return { body: this.body, fieldPaths: this.fieldPaths, kinds: this.kinds, warnings: this.warnings };
	}
}

/** Record description for error messages: `Pipedrive person 42`. */
export function describeRecord(system: 'Pipedrive' | 'Propstreet', entity: string, record: unknown): string {
	const id = isRecord(record) ? idOf(record.id) : undefined;
	return `${system} ${entity}${id ? ` ${id}` : ''}`;
}

export const PIPEDRIVE_ENTITY: Record<EntityName, string> = {
	contact: 'person',
	company: 'organization',
	project: 'deal',
	prospect: 'participant',
	note: 'note',
};

/** Id maps are read only through these, so an id such as "constructor" never reaches Object.prototype. */
export { invertIdMap, ownValue } from '../ids';
