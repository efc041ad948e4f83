import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { externalRefsFrom } from '../externalRefs';
import { externalRefsJsonProperty, externalRefsProperty } from '../properties';
import { fail } from '../operation';
import { parseJsonValue, parseTags } from '../parameters';

export const PROPERTIES_PATH = '/api/v1/properties';

const jsonField = (displayName: string, name: string, example: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'json',
	default: example,
	description,
});

export const propertyFieldOptions: INodeProperties[] = [
	{ displayName: 'Avg Contract Length (Years)', name: 'avgContractLengthYears', type: 'number', default: 0 },
	jsonField('Categories (JSON)', 'categories', '[{"type":"office","locationClass":"A"}]', 'Array of categories: type (e.g. office, retail/shopping_mall), locationClass, yieldPercent, rentalIncome, rentedArea, vacantArea'),
	{ displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '' },
	externalRefsProperty(),
	externalRefsJsonProperty(),
	jsonField('Location (JSON)', 'location', '{"latitude":59.33,"longitude":18.07,"country":"SE","locality":"Stockholm"}', 'latitude, longitude, country (ISO 2), locality'),
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	jsonField('Operating Costs (JSON)', 'operatingCosts', '{"value":2,"currency":"SEK","scale":"millions"}', 'Annual operating costs as a price object'),
	jsonField('Parcel Area (JSON)', 'parcelArea', '{"value":1200,"unit":"sqm"}', 'Area object; unit must be sqm'),
	jsonField('Price (JSON)', 'price', '{"value":150,"currency":"SEK","scale":"millions"}', 'Investment price'),
	{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated, e.g. core_plus, value_add' },
	{
		displayName: 'Tenure',
		name: 'tenure',
		type: 'options',
		default: 'freehold',
		options: [
			{ name: 'Freehold', value: 'freehold' },
			{ name: 'Leasehold', value: 'leasehold' },
		],
	},
	{ displayName: 'Year Built', name: 'yearBuilt', type: 'number', default: 2000 },
];

const JSON_OBJECT_FIELDS: Record<string, string> = {
	location: 'Location (JSON)',
	operatingCosts: 'Operating Costs (JSON)',
	parcelArea: 'Parcel Area (JSON)',
	price: 'Price (JSON)',
};

export function propertyBody(this: IExecuteFunctions, fields: IDataObject, i: number): IDataObject {
	const body: IDataObject = {};
	for (const [key, raw] of Object.entries(fields)) {
		if (key in JSON_OBJECT_FIELDS) body[key] = parseJsonValue.call(this, raw, i, JSON_OBJECT_FIELDS[key], 'object') as IDataObject;
		else if (key === 'categories') body.categories = parseJsonValue.call(this, raw, i, 'Categories (JSON)', 'array') as IDataObject[];
		else if (key === 'tags') body.tags = parseTags(raw) ?? [];
		else if (key === 'externalRefs' || key === 'externalRefsJson') {
			if (body.externalRefs !== undefined) continue;
			const refs = externalRefsFrom.call(this, fields, i) ?? [];
			if (refs.length > 10) fail.call(this, i, `"External References" on item ${i} has ${refs.length} entries; a property takes at most 10`);
			body.externalRefs = refs;
		} else if (key === 'yearBuilt') {
			const y = Number(raw);
			if (!Number.isInteger(y)) fail.call(this, i, `"Year Built" on item ${i} must be a whole number`);
			body.yearBuilt = y;
		} else if (key === 'name') {
			const name = String(raw ?? '').trim();
			if (!name || name.length > 200) fail.call(this, i, `"Name" on item ${i} must be 1 to 200 characters`);
			body.name = name;
		} else if (key === 'clearCoordinates') body.clearCoordinates = !!raw;
		else body[key] = raw;
	}
	const area = body.parcelArea as IDataObject | undefined;
	if (area && area.unit !== undefined && area.unit !== 'sqm') fail.call(this, i, `"Parcel Area (JSON)" on item ${i}: unit must be "sqm"`);
	return body;
}
