/** How an operation of the Propstreet node is declared and what it returns: its module shape, its parameters' display options, output items and errors. */
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

export type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

/** Operations that take all input items at once (batch endpoints); one output item per input item. */
export type BatchExecute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

export interface OperationModule {
	description: INodeProperties[];
	execute?: OperationExecute;
	executeBatch?: BatchExecute;
}

/** Attach displayOptions for one resource/operation to a list of properties. */
export function forOperation(resource: string, operation: string | string[], properties: INodeProperties[]): INodeProperties[] {
	const operations = Array.isArray(operation) ? operation : [operation];
	return properties.map((p) => ({
		...p,
		displayOptions: {
			...p.displayOptions,
			show: { ...(p.displayOptions?.show ?? {}), resource: [resource], operation: operations },
		},
	}));
}

export function toItems(this: IExecuteFunctions, data: IDataObject | IDataObject[], itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(data) ? data : [data];
	return list.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

/** The error to throw for an item: NodeApiError / NodeOperationError as they are, anything else wrapped. */
export function nodeError(this: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

export function fail(this: IExecuteFunctions, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(this.getNode(), message, { itemIndex, description });
}
