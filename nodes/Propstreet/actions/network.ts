/** Field definitions and body builders shared by the contact and company operations. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { externalRefsFrom } from './externalRefs';
import { externalRefsJsonProperty, externalRefsProperty } from './properties';
import { fail, toItems } from './operation';
import { parseJsonValue, parseTags, requiredId } from './parameters';
import { encodePathSegment, propstreetRequest } from '../transport';
import { isEmailAddress } from '../../shared/core/email';

export const CONTACTS_PATH = '/api/v1/network/contacts';
export const COMPANIES_PATH = '/api/v1/network/companies';

export const contactFieldOptions: INodeProperties[] = [
	{
		displayName: 'Company Connections (JSON)',
		name: 'connections',
		type: 'json',
		default: '[]',
		description:
			'Employments as a JSON array of objects with company (kind "existing" and the company ID), jobTitle and primary. Exactly one should be primary.',
	},
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
	externalRefsProperty(),
	externalRefsJsonProperty(),
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{ displayName: 'LinkedIn URL', name: 'linkedInUrl', type: 'string', default: '', placeholder: 'https://www.linkedin.com/in/slug' },
	{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
	{ displayName: 'Primary Language', name: 'primaryLanguage', type: 'string', default: '', description: 'ISO 639-1 code, e.g. sv, en' },
	{ displayName: 'Strategy', name: 'strategy', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Investment strategy or focus' },
	{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated tags. On update the list replaces the current tags.' },
];

export const companyFieldOptions: INodeProperties[] = [
	{ displayName: 'Country Code', name: 'countryCode', type: 'string', default: '', placeholder: 'SE', description: 'ISO 3166-1 alpha-2' },
	{ displayName: 'Domain', name: 'domain', type: 'string', default: '', placeholder: 'example.se', description: 'Ignored by Propstreet when Homepage URL is given (the domain is derived from it)' },
	externalRefsProperty(),
	externalRefsJsonProperty(),
	{ displayName: 'Homepage URL', name: 'homepageUrl', type: 'string', default: '' },
	{ displayName: 'LinkedIn URL', name: 'linkedInUrl', type: 'string', default: '', placeholder: 'https://www.linkedin.com/company/slug' },
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	{ displayName: 'Strategy', name: 'strategy', type: 'string', typeOptions: { rows: 3 }, default: '' },
	{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated tags. On update the list replaces the current tags.' },
];

/**
 * Build a contact or company request body from a collection.
 * `clearEmpty`: an empty text field sends null (clears the value) — for updates; creates omit it.
 */
export function networkBody(this: IExecuteFunctions, kind: 'contact' | 'company', fields: IDataObject, itemIndex: number, clearEmpty: boolean): IDataObject {
	const body: IDataObject = {};
	for (const [key, raw] of Object.entries(fields)) {
		if (key === 'externalRefs' || key === 'externalRefsJson') {
			if (body.externalRefs !== undefined) continue;
			const refs = externalRefsFrom.call(this, fields, itemIndex);
			if (refs) body.externalRefs = refs;
			continue;
		}
		if (key === 'connections') {
			const list = parseJsonValue.call(this, raw, itemIndex, 'Company Connections (JSON)', 'array') as IDataObject[];
			if (list.length || clearEmpty) body.connections = list;
			continue;
		}
		if (key === 'tags') {
			body.tags = parseTags(raw) ?? [];
			continue;
		}
		if (typeof raw === 'boolean') {
			body[key] = raw;
			continue;
		}
		const value = raw === undefined || raw === null ? '' : String(raw).trim();
		if (value === '') {
			if (clearEmpty) body[key] = null;
			continue;
		}
		body[key] = value;
	}
	if (typeof body.email === 'string' && !isEmailAddress(body.email)) {
		fail.call(this, itemIndex, `"Email" on item ${itemIndex} is not a valid email address: "${body.email}"`);
	}
	if (kind === 'company' && typeof body.countryCode === 'string') {
		if (!/^[A-Za-z]{2}$/.test(body.countryCode)) {
			fail.call(this, itemIndex, `"Country Code" on item ${itemIndex} must be a 2-letter ISO code, got "${body.countryCode}"`);
		}
		body.countryCode = body.countryCode.toUpperCase();
	}
	return body;
}

export function assertContactIdentifier(this: IExecuteFunctions, body: IDataObject, itemIndex: number): void {
	if (!body.firstName && !body.lastName && !body.email && !body.phone) {
		fail.call(
			this,
			itemIndex,
			`Item ${itemIndex} has no identifier: set at least one of "First Name", "Last Name", "Email" or "Phone"`,
			'Propstreet needs a name, an email or a phone to create a contact.',
		);
	}
}

/**
 * Upsert a contact or company by external reference: PATCH `<basePath>/external/{namespace}/{id}`
 * with the "Fields" body. `revive` defaults to true; `extraQs` adds the kind's own switches. The
 * output says whether Propstreet created or updated the record.
 */
export async function upsertByExternalRef(
	this: IExecuteFunctions,
	i: number,
	kind: 'contact' | 'company',
	basePath: string,
	extraQs: (options: IDataObject) => IDataObject = () => ({}),
): Promise<INodeExecutionData[]> {
	const ns = requiredId.call(this, 'externalNamespace', i, 'Namespace', 'externalRef');
	const externalId = requiredId.call(this, 'externalId', i, 'External ID', 'externalRef');
	const body = networkBody.call(this, kind, this.getNodeParameter('fields', i, {}) as IDataObject, i, false);
	if (!Object.keys(body).length) fail.call(this, i, `"Fields" on item ${i} is empty: add at least one field`);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const response = await propstreetRequest(this, {
		method: 'PATCH',
		path: `${basePath}/external/${encodePathSegment(ns)}/${encodePathSegment(externalId)}`,
		qs: { revive: options.revive === undefined ? true : !!options.revive, ...extraQs(options) },
		body,
		itemIndex: i,
	});
	const upsertAction = response.headers['x-propstreet-upsert-action'] ?? (response.statusCode === 201 ? 'created' : 'updated');
	return toItems.call(this, { ...(response.body as IDataObject), upsertAction }, i);
}
