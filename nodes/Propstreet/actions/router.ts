/**
 * Dispatch each input item to its resource/operation. Per-item operations run item by item; batch
 * operations (prospect add many, bulk classify) take all items at once. Every output item is
 * paired with its input; with Continue On Fail an error becomes an `{ error }` item instead.
 */
import { NodeOperationError, type NodeApiError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { nodeError, type OperationModule } from './operation';
import * as company from './company';
import * as contact from './contact';
import * as link from './link';
import * as project from './project';
import * as property from './property';
import * as prospect from './prospect';
import * as webhook from './webhook';

export const resources: Record<string, { operations: Record<string, OperationModule> }> = {
	company,
	contact,
	link,
	project,
	property,
	prospect,
	webhook,
};

function findOperation(this: IExecuteFunctions, resource: string, operation: string): OperationModule {
	const module = resources[resource]?.operations[operation];
	if (!module) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for resource "${resource}"`);
	return module;
}

function errorJson(error: Error): { error: string; description?: string; httpCode?: string } {
	const json: { error: string; description?: string; httpCode?: string } = { error: error.message };
	const e = error as NodeApiError;
	if (typeof e.description === 'string' && e.description) json.description = e.description;
	if (typeof e.httpCode === 'string' && e.httpCode) json.httpCode = e.httpCode;
	return json;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (!items.length) return [[]];
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = findOperation.call(this, resource, operation);

	if (module.executeBatch) return [await module.executeBatch.call(this, items)];

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			out.push(...(await module.execute!.call(this, i)));
		} catch (error) {
			if (this.continueOnFail()) {
				// The json keeps httpCode and the field errors so a workflow can branch on them
				// ("On Error: Continue", then an IF/Switch on $json.httpCode). Setting item.error
				// would make n8n replace the json with the bare message.
				out.push({ json: errorJson(error as Error), pairedItem: { item: i } });
				continue;
			}
			throw nodeError.call(this, error, i);
		}
	}
	return [out];
}
