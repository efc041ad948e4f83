import type { INodeProperties } from 'n8n-workflow';
import type { OperationModule } from '../operation';
import * as create from './create';
import * as deleteOperation from './delete';
import * as getAll from './getAll';
import * as replay from './replay';
import * as test from './sendTest';

export const operations: Record<string, OperationModule> = { create, delete: deleteOperation, getAll, replay, test };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webhook'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a webhook subscription' },
			{ name: 'Delete', value: 'delete', action: 'Delete a webhook subscription' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many webhook subscriptions' },
			{ name: 'Replay', value: 'replay', action: 'Replay failed webhook deliveries' },
			{ name: 'Test', value: 'test', action: 'Send a test webhook delivery' },
		],
		default: 'getAll',
	},
	...Object.values(operations).flatMap((o) => o.description),
];
