import type { INodeProperties } from 'n8n-workflow';
import type { OperationModule } from '../operation';
import * as add from './add';
import * as addMany from './addMany';
import * as addNote from './addNote';
import * as bulkClassify from './bulkClassify';
import * as getByExternalRef from './getByExternalRef';
import * as getAll from './getAll';
import * as remove from './remove';
import * as setContactPerson from './setContactPerson';
import * as updateClassification from './updateClassification';

export const operations: Record<string, OperationModule> = { add, addMany, addNote, bulkClassify, getByExternalRef, getAll, remove, setContactPerson, updateClassification };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['prospect'] } },
		options: [
			{ name: 'Add', value: 'add', action: 'Add a prospect to a project' },
			{ name: 'Add Many', value: 'addMany', action: 'Add many prospects to a project in batches' },
			{ name: 'Add Note', value: 'addNote', action: 'Add a note to a prospect' },
			{ name: 'Bulk Classify', value: 'bulkClassify', action: 'Classify many prospects in batches' },
			{ name: 'Get by External Reference', value: 'getByExternalRef', action: 'Get a prospect by external reference' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many prospects of a project' },
			{ name: 'Remove', value: 'remove', action: 'Remove a prospect from a project' },
			{ name: 'Set Contact Person', value: 'setContactPerson', action: 'Set the contact person of a company prospect' },
			{ name: 'Update Classification', value: 'updateClassification', action: 'Update the classification of a prospect' },
		],
		default: 'getAll',
	},
	...Object.values(operations).flatMap((o) => o.description),
];
