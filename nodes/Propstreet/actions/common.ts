/** Shared pieces of the Propstreet node's operations: parameter reading, common fields, output. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { validId, type IdKind } from '../../shared/core/ids';
import { propstreetRequest } from '../transport';

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

function describeField(label: string, itemIndex: number): string {
	return `"${label}" on item ${itemIndex}`;
}

export function requiredString(this: IExecuteFunctions, name: string, itemIndex: number, label: string): string {
	const raw = this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = raw === undefined || raw === null ? '' : String(raw).trim();
	if (!value) {
		throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} is empty`, {
			itemIndex,
			description: `Set the "${label}" parameter, or check the expression that fills it.`,
		});
	}
	return value;
}

const ID_RULES: Record<IdKind, string> = {
	propstreet: 'A Propstreet ID holds only letters, digits, "_" and "-" (1 to 64 characters).',
	pipedrive: 'A Pipedrive ID is a positive whole number.',
	externalRef: 'An external ID is 1 to 255 characters, without control characters, and not "." or "..".',
};

/**
 * A required id parameter, checked (core/ids) before it goes into a path: an id such as
 * `1/../../deals/9` is refused here, with the field and the item, before any request.
 */
export function requiredId(this: IExecuteFunctions, name: string, itemIndex: number, label: string, kind: IdKind = 'propstreet'): string {
	const raw = requiredString.call(this, name, itemIndex, label);
	const id = validId(raw, kind);
	if (id === undefined) {
		const shown = JSON.stringify(raw.length > 60 ? `${raw.slice(0, 59)}…` : raw);
		throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} is not a valid ID: ${shown}`, {
			itemIndex,
			description: `${ID_RULES[kind]} Check the "${label}" parameter, or the expression that fills it.`,
		});
	}
	return id;
}

export function optionalString(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const s = String(value).trim();
	return s === '' ? undefined : s;
}

/** A JSON parameter (string or already an object/array), with an error naming the field. */
export function jsonParameter<T = IDataObject>(this: IExecuteFunctions, name: string, itemIndex: number, label: string, expect: 'object' | 'array' | 'any' = 'object'): T {
	const raw = this.getNodeParameter(name, itemIndex) as unknown;
	return parseJsonValue.call(this, raw, itemIndex, label, expect) as T;
}

export function parseJsonValue(this: IExecuteFunctions, raw: unknown, itemIndex: number, label: string, expect: 'object' | 'array' | 'any' = 'object'): unknown {
	let value = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') value = expect === 'array' ? [] : {};
		else {
			try {
				value = JSON.parse(raw);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} is not valid JSON`, {
					itemIndex,
					description: (error as Error).message,
				});
			}
		}
	}
	if (expect === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
		throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} must be a JSON object`, { itemIndex });
	}
	if (expect === 'array' && !Array.isArray(value)) {
		throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} must be a JSON array`, { itemIndex });
	}
	return value;
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

/** Propstreet expects ISO 8601 with an offset; accept anything Date can read and normalise it. */
export function isoDate(this: IExecuteFunctions, value: unknown, itemIndex: number, label: string): string | undefined {
	const s = optionalString(value);
	if (!s) return undefined;
	const t = Date.parse(s);
	if (Number.isNaN(t)) fail.call(this, itemIndex, `${describeField(label, itemIndex)} is not a date: "${s}"`);
	return new Date(t).toISOString();
}

export function parseTags(value: unknown): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
	const s = String(value);
	return s
		.split(',')
		.map((t) => t.trim())
		.filter(Boolean);
}

// ---- shared property definitions ----

export const externalRefsProperty = (name = 'externalRefs'): INodeProperties => ({
	displayName: 'External References',
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add External Reference',
	default: {},
	description: 'IDs of this record in other systems. On update the list replaces all existing references.',
	options: [
		{
			displayName: 'Reference',
			name: 'ref',
			values: [
				{ displayName: 'Namespace', name: 'namespace', type: 'string', default: 'pipedrive', description: 'System name, e.g. pipedrive or orgnr-se' },
				{ displayName: 'ID', name: 'id', type: 'string', default: '' },
			],
		},
	],
});

/**
 * The same list as JSON: an array of {namespace, id}. A fixedCollection cannot be filled from one
 * expression (n8n resets it), so workflows that carry refs from an earlier node use this one.
 */
export const externalRefsJsonProperty = (name = 'externalRefsJson'): INodeProperties => ({
	displayName: 'External References (JSON)',
	name,
	type: 'json',
	default: '[]',
	description: 'JSON array of {"namespace", "ID"}, e.g. from an expression. Takes precedence over External References; on update it replaces all existing references.',
});

/** Reads external refs from the fixedCollection value ({ref: [...]}) or an array; undefined when neither. */
export function readExternalRefsCollection(value: unknown): Array<{ namespace: string; id: string }> | undefined {
	const refs = Array.isArray(value) ? value : (value as { ref?: unknown } | undefined)?.ref;
	if (!Array.isArray(refs)) return undefined;
	return refs
		.map((r: { namespace?: unknown; id?: unknown }) => ({ namespace: String(r?.namespace ?? '').trim(), id: String(r?.id ?? '').trim() }))
		.filter((r) => r.namespace && r.id);
}

/** The refs a collection holds: the JSON field when set (text or array), else the fixedCollection. */
export function externalRefsFrom(this: IExecuteFunctions, fields: IDataObject, itemIndex: number): Array<{ namespace: string; id: string }> | undefined {
	let json: unknown = fields.externalRefsJson;
	if (typeof json === 'string') {
		const text = json.trim();
		json = undefined;
		if (text) {
			try {
				json = JSON.parse(text);
			} catch {
				fail.call(this, itemIndex, `"External References (JSON)" on item ${itemIndex} is not valid JSON: ${text.slice(0, 80)}`);
			}
		}
	}
	if (json !== undefined && json !== null) {
		if (!Array.isArray(json)) fail.call(this, itemIndex, `"External References (JSON)" on item ${itemIndex} must be an array of {"namespace", "id"}`);
		return readExternalRefsCollection(json);
	}
	return readExternalRefsCollection(fields.externalRefs);
}

export const externalLookupProperties: INodeProperties[] = [
	{
		displayName: 'Namespace',
		name: 'externalNamespace',
		type: 'string',
		default: 'pipedrive',
		required: true,
		description: 'External system of the reference (case-insensitive), e.g. pipedrive, hubspot, orgnr-se',
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		required: true,
		description: 'ID of the record in that system (case-sensitive)',
	},
];

export function listProperties(extraFilters: INodeProperties[] = []): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: ([
				{
					displayName: 'Include Deleted',
					name: 'includeDeleted',
					type: 'boolean',
					default: false,
					description: 'Whether to include soft-deleted records (they carry deletedUtc). Turn on for delta sync so deletions are seen.',
				},
				{
					displayName: 'Updated Since',
					name: 'updatedSince',
					type: 'dateTime',
					default: '',
					description: 'Only records created, changed or deleted at or after this time',
				},
				...extraFilters,
			] as INodeProperties[]).sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
	];
}

export function readListOptions(this: IExecuteFunctions, itemIndex: number) {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const since = isoDate.call(this, filters.updatedSince, itemIndex, 'Updated Since');
	if (since) qs.updated_since = since;
	if (filters.includeDeleted) qs.include_deleted = true;
	return { returnAll, limit, filters, qs };
}

export const ifMatchOption: INodeProperties = {
	displayName: 'If-Match ETag',
	name: 'ifMatch',
	type: 'string',
	default: '',
	description: 'Send this ETag as If-Match: the write fails with 412 if the record changed since it was read',
};

export const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	description: 'Same key, same result: a repeated request with this key is not applied twice. Leave empty to generate one per item (reused on retries).',
};

export function resourceLocator(name: string, displayName: string, searchMethod: string, placeholder: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: searchMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder,
			},
		],
	};
}
