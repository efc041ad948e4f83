/**
 * The Mapper's JSON parameters: the ids the workflow already knows (Lookups) and the id maps,
 * field and stage definitions. Ids go into URLs later, so each is checked for its system; the
 * definitions only need the shape the mapping reads.
 */
import { z } from 'zod';
import { isValidId } from '../ids';
import { optionalPipedriveId, optionalPropstreetId, pipedriveId } from './ids';

/** Pipedrive id → Propstreet id; a blank value means "not linked" and is skipped. */
export const idMap = z.record(
	z.string().refine((key) => isValidId(key, 'pipedrive'), { message: 'is not a Pipedrive id (a positive whole number)' }),
	optionalPropstreetId,
);

export const mapperLookups = z
	.object({
		propstreetCompanyId: optionalPropstreetId,
		pipedriveOrgId: optionalPipedriveId,
		propstreetContactId: optionalPropstreetId,
		pipedrivePersonId: optionalPipedriveId,
		propstreetProjectId: optionalPropstreetId,
		pipedriveDealId: optionalPipedriveId,
		companyIdMap: z.union([idMap, z.undefined()]),
		contactIdMap: z.union([idMap, z.undefined()]),
	})
	.passthrough();

/** A list of field definitions, an API response around one, or lists keyed by entity (customFields.ts reads them leniently). */
export const fieldDefinitions = z.union([z.array(z.unknown()), z.object({}).passthrough(), z.null(), z.undefined()]);

const stageList = z.array(z.object({ id: pipedriveId, name: z.string(), pipeline_id: optionalPipedriveId }).passthrough());
const stagesOrResponse = z.union([stageList, z.object({ data: stageList }).passthrough()]);

/** Stages (and pipelines): a list, an API response, or `{ stages, pipelines }`. */
export const stageDefinitions = z.union([
	stagesOrResponse,
	z.object({ stages: z.union([stagesOrResponse, z.undefined()]), pipelines: z.union([stagesOrResponse, z.undefined()]) }).passthrough(),
	z.null(),
	z.undefined(),
]);

/** The target's current record, when the workflow passes it: an object. */
export const currentRecord = z.union([z.object({}).passthrough(), z.null(), z.undefined()]);
