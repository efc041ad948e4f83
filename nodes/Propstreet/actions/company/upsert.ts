import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { externalLookupProperties } from '../properties';
import { forOperation } from '../operation';
import { COMPANIES_PATH, companyFieldOptions, upsertByExternalRef } from '../network';

// The company upsert route mirrors the documented contact one (reference §9.2: not confirmed for
// companies). Sync company does not depend on it; it matches and creates explicitly.
export const description: INodeProperties[] = forOperation('company', 'upsert', [
	...externalLookupProperties,
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: companyFieldOptions.filter((o) => o.name !== 'externalRefs'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Revive Deleted',
				name: 'revive',
				type: 'boolean',
				default: true,
				description: 'Whether a soft-deleted company holding this reference is restored and updated',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	return upsertByExternalRef.call(this, i, 'company', COMPANIES_PATH);
}
