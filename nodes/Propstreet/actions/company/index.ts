import type { INodeProperties } from 'n8n-workflow';
import type { OperationModule } from '../operation';
import * as addNote from './addNote';
import * as create from './create';
import * as deleteOperation from './delete';
import * as findDuplicates from './findDuplicates';
import * as get from './get';
import * as getByExternalRef from './getByExternalRef';
import * as getAll from './getAll';
import * as sync from './sync';
import * as update from './update';
import * as upsert from './upsert';

export const operations: Record<string, OperationModule> = { addNote, create, delete: deleteOperation, findDuplicates, get, getByExternalRef, getAll, sync, update, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['company'] } },
		options: [
			{ name: 'Add Note', value: 'addNote', action: 'Add a note to a company' },
			{ name: 'Create', value: 'create', action: 'Create a company' },
			{ name: 'Create or Update', value: 'upsert', action: 'Create or update a company by external reference' },
			{ name: 'Delete', value: 'delete', action: 'Delete a company' },
			{ name: 'Find Duplicates', value: 'findDuplicates', action: 'Find companies that duplicate a name or domain' },
			{ name: 'Get', value: 'get', action: 'Get a company' },
			{ name: 'Get by External Reference', value: 'getByExternalRef', action: 'Get a company by external reference' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many companies' },
			{ name: 'Sync', value: 'sync', action: 'Sync a company from a mapped record' },
			{ name: 'Update', value: 'update', action: 'Update a company' },
		],
		default: 'get',
	},
	...Object.values(operations).flatMap((o) => o.description),
];
