import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { externalLookupProperties } from '../properties';
import { forOperation } from '../operation';
import { CONTACTS_PATH, contactFieldOptions, upsertByExternalRef } from '../network';

export const description: INodeProperties[] = forOperation('contact', 'upsert', [
	...externalLookupProperties,
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: contactFieldOptions.filter((o) => o.name !== 'externalRefs'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Create Only',
				name: 'createOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to send create_only=true. Propstreet documents the flag ambiguously (its name says create-only, its heading says update-only), so check the result.',
			},
			{
				displayName: 'Match by Email',
				name: 'matchEmail',
				type: 'boolean',
				default: true,
				description: 'Whether a contact with the same email but no such reference is updated and gets the reference, instead of creating a new contact',
			},
			{
				displayName: 'Revive Deleted',
				name: 'revive',
				type: 'boolean',
				default: true,
				description: 'Whether a soft-deleted contact holding this reference is restored and updated (otherwise a new contact is created)',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	return upsertByExternalRef.call(this, i, 'contact', CONTACTS_PATH, (options) => {
		const qs: IDataObject = {};
		if (options.matchEmail !== false) qs.match = 'email';
		if (options.createOnly) qs.create_only = true;
		return qs;
	});
}
