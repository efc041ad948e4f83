import type { INodeProperties } from 'n8n-workflow';
import type { OperationModule } from '../operation';
import * as create from './create';
import * as deleteOperation from './delete';
import * as getAll from './getAll';
import * as update from './update';

export const operations: Record<string, OperationModule> = { create, delete: deleteOperation, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['link'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Link a contact to a company' },
			{ name: 'Delete', value: 'delete', action: 'Delete a contact company link' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many contact company links' },
			{ name: 'Update', value: 'update', action: 'Update a contact company link' },
		],
		default: 'getAll',
	},
	...Object.values(operations).flatMap((o) => o.description),
];
