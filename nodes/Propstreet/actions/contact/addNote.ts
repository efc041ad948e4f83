import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation } from '../operation';
import { idempotencyKeyOption, resourceLocator } from '../properties';
import { postNote } from '../writes';
import { requiredId } from '../parameters';
import { CONTACTS_PATH } from '../network';
import { encodePathSegment } from '../../transport';

export const NOTE_TYPES = ['call', 'email', 'meeting', 'news', 'note'];

export function noteProperties(resource: string, locator: INodeProperties): INodeProperties[] {
	return forOperation(resource, 'addNote', [
		locator,
		{ displayName: 'Note', name: 'note', type: 'string', typeOptions: { rows: 4 }, default: '', required: true, description: '1 to 10,000 characters' },
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				idempotencyKeyOption,
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					default: 'note',
					options: NOTE_TYPES.map((t) => ({ name: t.charAt(0).toUpperCase() + t.slice(1), value: t })),
				},
			],
		},
	]);
}

/** POST a note to a contact or company (body field `note`; Propstreet answers 204). */
export async function addNetworkNote(this: IExecuteFunctions, i: number, basePath: string, idParam: string, label: string): Promise<INodeExecutionData[]> {
	const id = requiredId.call(this, idParam, i, label);
	return postNote.call(this, i, `${basePath}/${encodePathSegment(id)}/notes`, 'note', { [idParam]: id });
}

export const description: INodeProperties[] = noteProperties('contact', resourceLocator('contactId', 'Contact', 'searchContacts', 'e.g. 789'));

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	return addNetworkNote.call(this, i, CONTACTS_PATH, 'contactId', 'Contact');
}
