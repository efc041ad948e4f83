import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fail, forOperation, idempotencyKeyOption, optionalString, requiredString, resourceLocator, toItems } from '../common';
import { CONTACTS_PATH } from '../network';
import { encodePathSegment, propstreetRequest } from '../../transport';

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
	const id = requiredString.call(this, idParam, i, label);
	const note = String(this.getNodeParameter('note', i, '') ?? '');
	if (!note.trim()) fail.call(this, i, `"Note" on item ${i} is empty`);
	if (note.length > 10_000) fail.call(this, i, `"Note" on item ${i} is ${note.length} characters; Propstreet accepts at most 10,000`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const body: IDataObject = { note };
	if (options.type) body.type = options.type;
	const response = await propstreetRequest(this, {
		method: 'POST',
		path: `${basePath}/${encodePathSegment(id)}/notes`,
		body,
		idempotencyKey: optionalString(options.idempotencyKey),
		itemIndex: i,
	});
	const result = response.body && typeof response.body === 'object' ? (response.body as IDataObject) : {};
	return toItems.call(this, { ...result, [idParam]: id, noted: true }, i);
}

export const description: INodeProperties[] = noteProperties('contact', resourceLocator('contactId', 'Contact', 'searchContacts', 'e.g. 789'));

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	return addNetworkNote.call(this, i, CONTACTS_PATH, 'contactId', 'Contact');
}
