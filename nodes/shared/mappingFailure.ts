/**
 * One way for the nodes that map records to report a failure: a MappingError names the field and
 * the record in the description; anything else keeps its message; all carry the item index.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import { MappingError } from './core/mapping';

export function mappingFailure(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof MappingError) {
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: `Field "${error.field}" of ${error.record} (input item ${itemIndex})` });
	}
	if (error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
