import type { INodeProperties } from 'n8n-workflow';
import type { OperationModule } from '../operation';
import * as create from './create';
import * as get from './get';
import * as getAll from './getAll';
import * as update from './update';

export const operations: Record<string, OperationModule> = { create, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['property'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a property' },
			{ name: 'Get', value: 'get', action: 'Get a property' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many properties' },
			{ name: 'Update', value: 'update', action: 'Update a property' },
		],
		default: 'get',
	},
	...Object.values(operations).flatMap((o) => o.description),
];
