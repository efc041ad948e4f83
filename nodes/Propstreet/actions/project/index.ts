import type { INodeProperties } from 'n8n-workflow';
import type { OperationModule } from '../operation';
import * as addNote from './addNote';
import * as create from './create';
import * as deleteOperation from './delete';
import * as get from './get';
import * as getByExternalRef from './getByExternalRef';
import * as getAll from './getAll';
import * as getProperties from './getProperties';
import * as update from './update';

export const operations: Record<string, OperationModule> = { addNote, create, delete: deleteOperation, get, getByExternalRef, getAll, getProperties, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['project'] } },
		options: [
			{ name: 'Add Note', value: 'addNote', action: 'Add a note to a project' },
			{ name: 'Create', value: 'create', action: 'Create a project' },
			{ name: 'Delete', value: 'delete', action: 'Delete a project' },
			{ name: 'Get', value: 'get', action: 'Get a project' },
			{ name: 'Get by External Reference', value: 'getByExternalRef', action: 'Get a project by external reference' },
			{ name: 'Get Linked Properties', value: 'getProperties', action: 'Get the properties linked to a project' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many projects' },
			{ name: 'Update', value: 'update', action: 'Update a project' },
		],
		default: 'get',
	},
	...Object.values(operations).flatMap((o) => o.description),
];
