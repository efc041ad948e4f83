/**
 * The Participant Differ's input at the boundary: the pair's ids and the records whose ids end up
 * in URLs (`/v1/deals/{dealId}/participants/{id}`, `/api/v1/projects/{projectId}/prospects/{id}`).
 * Lists may come bare or inside an API answer's `data`. Extra fields pass through; the Differ's own
 * checks (core/participantDiff) still decide what is missing where a field is optional here.
 */
import { z } from 'zod';
import { isValidId } from '../ids';
import { optionalPipedriveId, optionalPipedriveIdRef, optionalPropstreetId } from './ids';

const optionalText = z.union([z.string(), z.null(), z.undefined()]);
/** The list inside a value: the value itself or an API answer's `data`; anything else is left to the Differ. */
function listIn(value: unknown): unknown[] | null {
	if (Array.isArray(value)) return value;
	if (value && typeof value === 'object' && Array.isArray((value as { data?: unknown }).data)) return (value as { data: unknown[] }).data;
	return null;
}

const participant = z.object({ id: optionalPipedriveId, person_id: optionalPipedriveIdRef }).passthrough();

const prospect = z
	.object({ id: optionalPropstreetId, contactId: optionalPropstreetId, companyId: optionalPropstreetId, deletedUtc: optionalText })
	.passthrough();

/** `{ "<person id>": "<contact id>" }`, checked only in that plain form; lists are read by the Differ. */
const plainIdMap = z.record(
	z.string().refine((key) => ['map', 'contacts', 'persons'].includes(key) || isValidId(key, 'pipedrive'), { message: 'is not a Pipedrive person id' }),
	z.unknown(),
);

export const participantDiffInput = z
	.object({
		dealId: optionalPipedriveId,
		projectId: optionalPropstreetId,
		deal: z.union([z.object({ id: optionalPipedriveId, person_id: optionalPipedriveIdRef }).passthrough(), z.null(), z.undefined()]),
		participants: z.unknown(),
		prospects: z.unknown(),
		idMap: z.unknown(),
	})
	.passthrough()
	.superRefine((input, ctx) => {
		// Items are named `participants[3]` whether the list came bare or inside `data`.
		for (const [field, schema] of [['participants', participant], ['prospects', prospect]] as const) {
			(listIn(input[field]) ?? []).forEach((item, index) => {
				if (!item || typeof item !== 'object' || Array.isArray(item)) return;
				const result = schema.safeParse(item);
				for (const issue of result.success ? [] : result.error.issues) ctx.addIssue({ ...issue, path: [field, index, ...issue.path] });
			});
		}
		// Values of the plain map are contact ids (blank: not linked).
		const map = input.idMap;
		if (!map || typeof map !== 'object' || Array.isArray(map) || ['map', 'contacts', 'persons'].some((k) => k in map)) return;
		const keys = plainIdMap.safeParse(map);
		for (const issue of keys.success ? [] : keys.error.issues) ctx.addIssue({ ...issue, path: ['idMap', ...issue.path] });
		for (const [person, contact] of Object.entries(map)) {
			// Blank means "not linked"; a value of the wrong type is named by the Differ itself.
			if (typeof contact !== 'string' && typeof contact !== 'number') continue;
			if (contact === '') continue;
			if (!isValidId(contact, 'propstreet')) ctx.addIssue({ code: 'custom', path: ['idMap', person], message: 'is not a Propstreet contact id' });
		}
	});
