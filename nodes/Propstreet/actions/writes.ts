/** The writes several Propstreet operations share: create, update and add a note, with the Idempotency-Key and If-Match options. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { propstreetRequest } from '../transport';
import { fail, toItems } from './operation';
import { optionalString } from './parameters';

/** POST a new record; the Idempotency Key option is sent when set. One output item: the API's answer. */
export async function postRecord(this: IExecuteFunctions, i: number, path: string, body: IDataObject): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const response = await propstreetRequest(this, { method: 'POST', path, body, idempotencyKey: optionalString(options.idempotencyKey), itemIndex: i });
	return toItems.call(this, response.body as IDataObject, i);
}

/** PATCH a record with the "Update Fields" body (refused when empty); the If-Match option is sent when set. */
export async function patchRecord(this: IExecuteFunctions, i: number, path: string, body: IDataObject): Promise<INodeExecutionData[]> {
	if (!Object.keys(body).length) fail.call(this, i, `"Update Fields" on item ${i} is empty: add at least one field to change`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const response = await propstreetRequest(this, { method: 'PATCH', path, body, ifMatch: optionalString(options.ifMatch), itemIndex: i });
	return toItems.call(this, response.body as IDataObject, i);
}

/**
 * POST a note to `notesPath`: the text parameter `field` (1 to 10,000 characters) is sent under the
 * same name; network notes (`note`) also carry the optional Type. One output item, `output` merged in.
 */
export async function postNote(this: IExecuteFunctions, i: number, notesPath: string, field: 'note' | 'content', output: IDataObject): Promise<INodeExecutionData[]> {
	const label = field === 'note' ? 'Note' : 'Content';
	const text = String(this.getNodeParameter(field, i, '') ?? '');
	if (!text.trim()) fail.call(this, i, `"${label}" on item ${i} is empty`);
	if (text.length > 10_000) fail.call(this, i, `"${label}" on item ${i} is ${text.length} characters; Propstreet accepts at most 10,000`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const body: IDataObject = { [field]: text };
	if (field === 'note' && options.type) body.type = options.type;
	const response = await propstreetRequest(this, {
		method: 'POST',
		path: notesPath,
		body,
		idempotencyKey: optionalString(options.idempotencyKey),
		itemIndex: i,
	});
	const result = response.body && typeof response.body === 'object' ? (response.body as IDataObject) : {};
	return toItems.call(this, { ...result, ...output, noted: true }, i);
}
