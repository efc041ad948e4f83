/**
 * The mapper's entry point: one input record (any supported envelope) → one mapped item with
 * body, match keys, stable hash, source time and event id, warnings, and the conflict outcome
 * when the target's current record was supplied.
 */
import { resolveConflicts, type FieldConflict } from '../conflict';
import { FieldCatalog, normaliseFieldDefinitions } from '../customFields';
import { MAX_NESTING_DEPTH, shortPath, tooDeepPath } from '../depth';
import { stableHash } from '../hash';
import { canonicalBody } from './compare';
import { idOf, isRecord, MappingError, mergeExternalRefs, PIPEDRIVE_ENTITY, text, unwrapSource } from './common';
import type { Draft, JsonRecord, Lifecycle, MapperContext, MapperLookups, MappingWarning, MatchKeys, SourceEnvelope, StageDefinition } from './common';
import type { Direction, EntityName, MapperConfig } from './config';
import { contactToPerson, personToContact } from './contact';
import { companyToOrganization, organizationToCompany } from './company';
import { dealToProject, projectToDeal } from './project';
import { checkOutputIds, checkSourceRecord } from './outputIds';
import { participantToProspect, prospectToParticipant } from './prospect';
import { pipedriveNoteToPropstreet, propstreetNoteToPipedrive } from './note';

export * from './config';
export * from './common';
export { canonicalBody, canonicalValue, canonicalPhone, kindForPath, sameValue, type CompareKind } from './compare';
export { normaliseClassification } from './prospect';
export { findStageRow, stageRowForProject, parseYesNo } from './project';

export interface MappedItem {
	entity: EntityName;
	direction: Direction;
	body: JsonRecord;
	/**
	 * Only with a current target record (contact, company, project): the fields whose canonical
	 * value differs from the target's and that the conflict rule lets through; `{}` = nothing to
	 * write. Lists and objects the target replaces whole appear whole (merged), custom fields per key.
	 */
	patch?: JsonRecord;
	match: MatchKeys;
	hash: string;
	sourceUpdatedAt: string | null;
	sourceEventId: string | null;
	warnings: MappingWarning[];
	lifecycle?: Lifecycle;
	conflict?: {
		strategy: string;
		changedFields: string[];
		unchanged: boolean;
		needsReview: boolean;
		targetUpdatedAt: string | null;
		conflicts: FieldConflict[];
	};
	target?: JsonRecord;
	extras?: JsonRecord;
	personBody?: JsonRecord;
	skip?: boolean;
}

type Mapper = (source: SourceEnvelope, config: MapperConfig, ctx: MapperContext) => Draft;

const MAPPERS: Record<EntityName, Record<Direction, Mapper>> = {
	contact: { toPropstreet: personToContact, toPipedrive: contactToPerson },
	company: { toPropstreet: organizationToCompany, toPipedrive: companyToOrganization },
	project: { toPropstreet: dealToProject, toPipedrive: projectToDeal },
	prospect: { toPropstreet: participantToProspect, toPipedrive: prospectToParticipant },
	note: { toPropstreet: pipedriveNoteToPropstreet, toPipedrive: propstreetNoteToPipedrive },
};

const ACCEPTED_ENVELOPE_ENTITIES: Record<EntityName, Record<Direction, string[]>> = {
	contact: { toPropstreet: ['person'], toPipedrive: ['contact'] },
	company: { toPropstreet: ['organization'], toPipedrive: ['company'] },
	project: { toPropstreet: ['deal'], toPipedrive: ['project'] },
	prospect: { toPropstreet: ['deal', 'person'], toPipedrive: ['prospect'] },
	note: { toPropstreet: ['note'], toPipedrive: [] },
};

function requireId(entity: EntityName, direction: Direction): boolean {
	return entity === 'contact' || entity === 'company' || entity === 'project' || (entity === 'note' && direction === 'toPropstreet');
}

/** Map one record. Throws MappingError (naming field and record) when the input cannot be mapped at all. */
/** The record's id when it can be read without walking anything (for an error before unwrapping). */
function plainId(input: unknown): string {
	const record = isRecord(input) && isRecord(input.data) ? input.data : input;
	const id = isRecord(record) ? record.id : undefined;
	return typeof id === 'string' || typeof id === 'number' ? ` ${String(id).slice(0, 40)}` : '';
}

/** Refuses values nested past MAX_NESTING_DEPTH before any recursive walker sees them, naming the field. */
function assertShallow(input: unknown, ctx: MapperContext, label: string): void {
	const path = tooDeepPath(input) ?? tooDeepPath(ctx.current, 'currentRecord');
	if (path === undefined) return;
	throw new MappingError(shortPath(path) || 'record', `is nested more than ${MAX_NESTING_DEPTH} levels deep`, `${label}${plainId(input)}`);
}

export function mapRecord(input: unknown, entity: EntityName, direction: Direction, config: MapperConfig, ctx: MapperContext): MappedItem {
	const system = direction === 'toPropstreet' ? 'Pipedrive' : 'Propstreet';
	const noun = direction === 'toPropstreet' ? PIPEDRIVE_ENTITY[entity] : entity;
	assertShallow(input, ctx, `${system} ${noun}`);
	const source = unwrapSource(input, `${system} ${noun}`);
	const label = `${system} ${noun}${idOf(source.record.id) ? ` ${idOf(source.record.id)}` : ''}`;

	const accepted = ACCEPTED_ENVELOPE_ENTITIES[entity][direction];
	if (source.entity && accepted.length && !accepted.includes(source.entity)) {
		throw new MappingError('entity', `expected a ${accepted.join(' or ')} event but got "${source.entity}"; check the Entity setting`, label);
	}
	checkSourceRecord(source.record, direction, label);
	if (requireId(entity, direction) && !idOf(source.record.id)) {
		throw new MappingError('id', 'the record has no id', label);
	}
	if (ctx.current !== undefined && ctx.current !== null && !isRecord(ctx.current)) {
		throw new MappingError('currentRecord', 'the current target record must be an object', label);
	}

	const draft = MAPPERS[entity][direction](source, config, ctx);

	// Deletes on the source side: nothing to write, only an instruction (never delete by default).
	if (source.action === 'delete' && (entity === 'contact' || entity === 'company' || (entity === 'project' && direction === 'toPropstreet'))) {
		if (direction === 'toPropstreet' && source.mergedToId) {
			draft.body = { externalRefs: mergeExternalRefs(ctx.current?.externalRefs, [{ namespace: config.pipedriveNamespace, id: source.mergedToId }]) };
			draft.fieldPaths = { externalRefs: `${entity}.pipedriveId` };
			draft.lifecycle = { event: 'merged', action: 'relink', mergedToId: source.mergedToId, ...(entity === 'project' ? { deal: 'deleted' as const } : {}) };
		} else {
			draft.body = {};
			draft.fieldPaths = {};
			draft.lifecycle = draft.lifecycle ?? {
				event: 'deleted',
				action: config.onDelete === 'delete' ? (direction === 'toPropstreet' ? 'deleteInPropstreet' : 'deleteInPipedrive') : 'none',
			};
		}
	}

	checkOutputIds(draft, label);

	// Hash the canonical form (compare.ts), so a record that differs only in formatting hashes equal.
	const hash = stableHash({ entity, direction, body: canonicalBody(draft.body, draft.kinds), personBody: canonicalBody(draft.personBody ?? null) });
	const item: MappedItem = {
		entity,
		direction,
		body: draft.body,
		match: draft.match,
		hash,
		sourceUpdatedAt: draft.sourceUpdatedAt,
		sourceEventId: source.eventId,
		warnings: draft.warnings,
	};
	if (draft.lifecycle) item.lifecycle = draft.lifecycle;
	if (draft.target) item.target = draft.target;
	if (draft.extras) item.extras = draft.extras;
	if (draft.personBody) item.personBody = draft.personBody;
	if (draft.skip) item.skip = true;

	if (ctx.current && draft.currentProjection) {
		const outcome = resolveConflicts({
			body: draft.body,
			fieldPaths: draft.fieldPaths,
			current: draft.currentProjection,
			sourceSystem: direction === 'toPropstreet' ? 'pipedrive' : 'propstreet',
			sourceUpdatedAt: draft.sourceUpdatedAt,
			targetUpdatedAt: draft.targetUpdatedAt ?? null,
			strategy: config.conflict.strategy,
			sourceOfTruth: config.conflict.sourceOfTruth,
			kinds: draft.kinds,
		});
		item.body = outcome.body;
		item.patch = outcome.patch;
		item.conflict = {
			strategy: config.conflict.strategy,
			changedFields: outcome.changedFields,
			unchanged: outcome.unchanged,
			needsReview: outcome.needsReview,
			targetUpdatedAt: draft.targetUpdatedAt ?? null,
			conflicts: outcome.conflicts,
		};
	}
	return item;
}

/** Which Pipedrive field catalog an entity reads. */
const CATALOG_FOR: Record<EntityName, 'person' | 'organization' | 'deal'> = {
	contact: 'person',
	company: 'organization',
	project: 'deal',
	prospect: 'person',
	note: 'person',
};

/**
 * Field definitions as given in the node: a list (used for the entity being mapped), or an object
 * keyed `person` / `personFields`, `organization` / `organizationFields` / `org`, `deal` / `dealFields`.
 */
export function buildCatalogs(definitions: unknown, entity: EntityName): MapperContext['catalogs'] {
	const catalogs = { person: new FieldCatalog(), organization: new FieldCatalog(), deal: new FieldCatalog() };
	if (definitions === undefined || definitions === null || definitions === '') return catalogs;
	const keyed: Record<string, 'person' | 'organization' | 'deal'> = {
		person: 'person', persons: 'person', personfields: 'person',
		organization: 'organization', organizations: 'organization', org: 'organization', organizationfields: 'organization',
		deal: 'deal', deals: 'deal', dealfields: 'deal',
	};
	if (isRecord(definitions) && Object.keys(definitions).some((k) => keyed[k.toLowerCase()])) {
		for (const [k, v] of Object.entries(definitions)) {
			const target = keyed[k.toLowerCase()];
			if (target) catalogs[target] = new FieldCatalog(normaliseFieldDefinitions(v));
		}
		return catalogs;
	}
	catalogs[CATALOG_FOR[entity]] = new FieldCatalog(normaliseFieldDefinitions(definitions));
	return catalogs;
}

/** Stage (and pipeline) definitions: a list of stages, an API response, or `{ stages, pipelines }`. */
export function buildStageDefinitions(input: unknown): { stages: StageDefinition[]; pipelines: StageDefinition[] } {
	const toDefs = (value: unknown): StageDefinition[] => {
		const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.data) ? value.data : [];
		return list
			.filter(isRecord)
			.filter((s) => idOf(s.id) && text(s.name))
			.map((s) => ({ id: idOf(s.id) as string, name: text(s.name) as string, ...(idOf(s.pipeline_id) ? { pipelineId: idOf(s.pipeline_id) } : {}) }));
	};
	if (isRecord(input) && ('stages' in input || 'pipelines' in input)) return { stages: toDefs(input.stages), pipelines: toDefs(input.pipelines) };
	return { stages: toDefs(input), pipelines: [] };
}

export function buildContext(options: {
	entity: EntityName;
	fieldDefinitions?: unknown;
	stageDefinitions?: unknown;
	lookups?: MapperLookups;
	current?: JsonRecord | null;
}): MapperContext {
	const { stages, pipelines } = buildStageDefinitions(options.stageDefinitions);
	return {
		catalogs: buildCatalogs(options.fieldDefinitions, options.entity),
		stages,
		pipelines,
		lookups: options.lookups ?? {},
		current: options.current ?? null,
	};
}
