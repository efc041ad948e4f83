/** Id fields for the boundary schemas, backed by the one validator per id kind in core/ids. */
import { z } from 'zod';
import { isValidId } from '../ids';

const absent = z.union([z.undefined(), z.null(), z.literal('')]);

/** A Pipedrive id: a positive whole number, or its digits as a string. */
export const pipedriveId = z
	.union([z.number(), z.string()])
	.refine((value) => isValidId(value, 'pipedrive'), { message: 'is not a Pipedrive id (a positive whole number)' });

/** A Propstreet id: letters, digits, `_` and `-`, 1 to 64 characters (core/ids). */
export const propstreetId = z
	.union([z.number(), z.string()])
	.refine((value) => isValidId(value, 'propstreet'), { message: 'is not a Propstreet id (letters, digits, "_" and "-", 1 to 64 characters)' });

export const optionalPipedriveId = z.union([absent, pipedriveId]);
export const optionalPropstreetId = z.union([absent, propstreetId]);

/** Pipedrive's id shapes: the id, or the v1 object `{ value }` / `{ id }` around it. */
export const pipedriveIdRef = z.union([pipedriveId, z.object({ value: pipedriveId }).passthrough(), z.object({ id: pipedriveId }).passthrough()]);
export const optionalPipedriveIdRef = z.union([absent, pipedriveIdRef]);

/** An external ref `{ namespace, id }` as Propstreet returns it. */
export const externalRef = z.object({ namespace: z.string(), id: z.union([z.string(), z.number()]) }).passthrough();
