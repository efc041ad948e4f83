/**
 * A JSON node parameter (a `json` field, or an expression that gave text): parsed when it is text,
 * passed through when n8n already gave a value, undefined when empty. Bad JSON names the parameter.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

export function parseJsonParameter(ctx: IExecuteFunctions, value: unknown, parameter: string, itemIndex: number): unknown {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "${parameter}" is not valid JSON: ${(error as Error).message}`, { itemIndex });
	}
}
