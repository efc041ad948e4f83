/**
 * Propstreet at our boundary: the webhook envelope (our choice, ARCHITECTURE.md "Propstreet
 * webhook envelope") and the records the nodes read back. Extra fields pass through untouched;
 * only what would break us is refused: a missing or mistyped field, or an object where a plain
 * value belongs (an id that is itself an object, say).
 */
import { z } from 'zod';
import { externalRef, optionalPropstreetId, propstreetId } from './ids';

const optionalText = z.union([z.string(), z.null(), z.undefined()]);

/** Fields of `data` the triggers and the Mapper read; the rest of the resource passes through. */
export const propstreetResource = z
	.object({
		id: propstreetId,
		projectId: optionalPropstreetId,
		contactId: optionalPropstreetId,
		companyId: optionalPropstreetId,
		changeType: optionalText,
		changeOrigin: optionalText,
		deletedUtc: optionalText,
		updatedUtc: optionalText,
		externalRefs: z.union([z.array(externalRef), z.null(), z.undefined()]),
	})
	.passthrough();

/** A Propstreet record handed to the Mapper: like a delivered resource, but the id may be absent (prospects without one are mapped too). */
export const propstreetSourceRecord = propstreetResource.extend({ id: optionalPropstreetId });

export const propstreetEnvelope = z
	.object({
		type: z.string().regex(/^[a-z_]+\.[a-z_]+$/, { message: 'must be an event name such as "contact.updated"' }),
		timestamp: optionalText,
		data: propstreetResource,
		action: z.union([z.object({ type: optionalText }).passthrough(), z.null(), z.undefined()]),
	})
	.passthrough();

export type PropstreetEnvelope = z.infer<typeof propstreetEnvelope>;

/** A record as Propstreet answers a read or a write: an object with its id. */
export const propstreetRecord = z.object({ id: propstreetId }).passthrough();
