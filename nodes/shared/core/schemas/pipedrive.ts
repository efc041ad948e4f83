/**
 * Pipedrive at our boundary: Webhooks v2 deliveries (`meta` / `data` / `previous`,
 * pipedrive-api.md §14.2) and the records the Mapper reads. Extra fields pass through; only what
 * would break the mapping is refused (a missing or mistyped field, an object where an id belongs).
 */
import { z } from 'zod';
import { optionalPipedriveId, optionalPipedriveIdRef, pipedriveId } from './ids';

const optionalText = z.union([z.string(), z.null(), z.undefined()]);
const optionalObject = z.union([z.object({}).passthrough(), z.null(), z.undefined()]);

/** Entities whose ids are Pipedrive's whole numbers (leads, for one, use UUIDs). */
const NUMERIC_ID_ENTITIES = ['person', 'organization', 'deal', 'note'];

/** Fields of a person, organization, deal or note record the Mapper reads as ids. */
export const pipedriveRecord = z
	.object({
		id: optionalPipedriveId,
		org_id: optionalPipedriveIdRef,
		person_id: optionalPipedriveIdRef,
		deal_id: optionalPipedriveIdRef,
		stage_id: optionalPipedriveIdRef,
		pipeline_id: optionalPipedriveIdRef,
		custom_fields: optionalObject,
	})
	.passthrough();

const meta = z
	.object({
		action: z.enum(['create', 'change', 'delete']),
		entity: z.string(),
		id: optionalText,
		entity_id: z.union([z.string(), z.number(), z.null(), z.undefined()]),
		version: optionalText,
		change_source: optionalText,
		timestamp: z.union([z.string(), z.number(), z.null(), z.undefined()]),
		merged_to_id: optionalPipedriveId,
		merged_from_id: optionalPipedriveId,
	})
	.passthrough();

/** A Webhooks v2 delivery. `data` is null on delete, `previous` null on create. */
export const pipedriveWebhookV2 = z
	.object({ meta, data: optionalObject, previous: optionalObject })
	.passthrough()
	.superRefine((value, ctx) => {
		if (!NUMERIC_ID_ENTITIES.includes(value.meta.entity)) return;
		for (const key of ['data', 'previous'] as const) {
			const record = value[key];
			if (!record) continue;
			const checked = pipedriveRecord.safeParse(record);
			for (const issue of checked.success ? [] : checked.error.issues) ctx.addIssue({ ...issue, path: [key, ...issue.path] });
		}
	});

export { pipedriveId };
