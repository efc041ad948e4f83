/**
 * The engine's run of one record entity in the Cloud edition, built as the Sync node's bindings
 * build it (`entities/contact.ts`, `company.ts`, `project.ts`): the entity's spec, the mapper
 * context from Pipedrive's definitions (read as lookups, cached; a miss reads them early), the
 * scopes, both sides as ports over answered lookups, and the contact's company links (the core's
 * `companyLinks.ts` running the company sync of this same builder). Record events (`recordStep`)
 * and the backfill (`backfill.ts`) both run it.
 */
import { buildContext } from '../mapping';
import type { JsonRecord } from '../mapping/common';
import { dealDefinitionMisses, organizationDefinitionMisses, personDefinitionMisses, stageDefinitionMisses } from '../mapping/definitionMisses';
import type { ReviewQueue } from '../review/queue';
import type { SyncStateStore } from '../syncState/store';
import { COMPANY_SPEC } from '../twoWay/companySpec';
import { contactLookups } from '../twoWay/companyLinks';
import { CONTACT_SPEC } from '../twoWay/contactSpec';
import { companyScope, contactScope, NO_FILTERS, projectScope, type SyncFilters } from '../twoWay/filters';
import type { TwoWayRun } from '../twoWay/ports';
import { dealCreateScope, PROJECT_SPEC } from '../twoWay/projectSpec';
import type { cloudDefinitions } from './definitions';
import { cloudCompanySide, cloudOrganizationSide } from './recordCompanySides';
import { cloudDealSide, cloudProjectSide } from './recordProjectSides';
import { cloudContactSide, cloudPersonSide, type Answer } from './recordSides';
import type { cloudSettingsOf } from './runSetup';

export type RecordEntity = 'contact' | 'company' | 'project';

export const RECORD_ENTITIES: readonly RecordEntity[] = ['contact', 'company', 'project'];

export interface CloudRunParts {
	entity: RecordEntity;
	settings: ReturnType<typeof cloudSettingsOf>;
	answer: Answer;
	definitions: ReturnType<typeof cloudDefinitions>;
	store: SyncStateStore;
	review?: ReviewQueue;
	owner: string;
	now(): Date;
	wait(ms: number): Promise<void>;
	/** The Pipedrive record the event delivers (null otherwise): what it carries that the cached definitions lack forces a read. */
	payload: JsonRecord | null;
	/** The oldest cached definitions to use (the backfill's is an hour); default a day. */
	definitionsMaxAgeMs?: number;
	/** Overrides the settings' filters (a company a contact refers to is synced whatever the company filter says). */
	filters?: SyncFilters;
}

type EntityParts = Pick<TwoWayRun, 'spec' | 'ctx' | 'sides' | 'inScope' | 'lookups' | 'newRecordScope' | 'createScope'>;

function contactParts(p: CloudRunParts, filters: SyncFilters): EntityParts {
	const { config } = p.settings;
	const fields = p.definitions('personFields', { maxAgeMs: p.definitionsMaxAgeMs, misses: (f) => personDefinitionMisses(f, p.payload, config, filters.personLabel) });
	const ctx = buildContext({ entity: 'contact', fieldDefinitions: fields });
	const companyRun = async () => cloudRecordRun({ ...p, entity: 'company', payload: null, filters: NO_FILTERS });
	return {
		spec: CONTACT_SPEC,
		ctx,
		inScope: contactScope(filters, config, ctx),
		lookups: contactLookups({ store: p.store, companyRun }),
		sides: { pipedrive: cloudPersonSide(p.answer), propstreet: cloudContactSide(p.answer, config.pipedriveNamespace) },
	};
}

function companyParts(p: CloudRunParts, filters: SyncFilters): EntityParts {
	const { config } = p.settings;
	const fields = p.definitions('organizationFields', { maxAgeMs: p.definitionsMaxAgeMs, misses: (f) => organizationDefinitionMisses(f, p.payload, config) });
	const ctx = buildContext({ entity: 'company', fieldDefinitions: fields });
	return {
		spec: COMPANY_SPEC,
		ctx,
		newRecordScope: companyScope(filters),
		sides: { pipedrive: cloudOrganizationSide(p.answer, config, ctx), propstreet: cloudCompanySide(p.answer, config, ctx) },
	};
}

function projectParts(p: CloudRunParts, filters: SyncFilters): EntityParts {
	const { config } = p.settings;
	const maxAgeMs = p.definitionsMaxAgeMs;
	const fields = p.definitions('dealFields', { maxAgeMs, misses: (f) => dealDefinitionMisses(f, p.payload, config) });
	const stages = p.definitions('stages', { maxAgeMs, misses: (f) => stageDefinitionMisses(f, p.payload, config, 'stages') });
	const pipelines = p.definitions('pipelines', { maxAgeMs, misses: (f) => stageDefinitionMisses(f, p.payload, config, 'pipelines') });
	const ctx = buildContext({ entity: 'project', fieldDefinitions: fields, stageDefinitions: { stages, pipelines } });
	return {
		spec: PROJECT_SPEC,
		ctx,
		newRecordScope: projectScope(filters, config, ctx),
		createScope: dealCreateScope(config),
		sides: { pipedrive: cloudDealSide(p.answer), propstreet: cloudProjectSide(p.answer, config.pipedriveNamespace) },
	};
}

const PARTS: Record<RecordEntity, (p: CloudRunParts, filters: SyncFilters) => EntityParts> = { contact: contactParts, company: companyParts, project: projectParts };

export function cloudRecordRun(p: CloudRunParts): TwoWayRun {
	const { config, rules, createOn } = p.settings;
	const parts = PARTS[p.entity](p, p.filters ?? p.settings.filters);
	return { ...parts, config, rules, createOn, store: p.store, ...(p.review ? { review: p.review } : {}), owner: p.owner, now: () => p.now(), wait: (ms) => p.wait(ms) };
}
