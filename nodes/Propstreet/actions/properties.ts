/** Parameter definitions several Propstreet operations show: external refs, list paging and filters, write options, record pickers. */
import type { INodeProperties } from 'n8n-workflow';

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
