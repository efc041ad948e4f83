/** Project fields shared by create and update, and the isPortfolio/propertyCount → asset translation. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { externalRefsFrom } from '../externalRefs';
import { externalRefsJsonProperty, externalRefsProperty } from '../properties';
import { fail } from '../operation';

export const PROJECTS_PATH = '/api/v1/projects';

export const PROJECT_CLASSIFICATIONS = ['draft', 'active', 'inactive'];
export const PROJECT_STATUSES = ['open', 'closed', 'deleted'];
export const TEASER_STAGES = ['property_added', 'drafting', 'published', 'verified', 'communicated'];

const label = (v: string) => v.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
export const optionsOf = (values: string[]) => values.map((value) => ({ name: label(value), value }));

export const projectFieldOptions: INodeProperties[] = [
	{
		displayName: 'Exclusivity',
		name: 'exclusivity',
		type: 'options',
		default: 'exclusive',
		options: optionsOf(['exclusive', 'non_exclusive', 'other']),
	},
	externalRefsProperty(),
	externalRefsJsonProperty(),
	{
		displayName: 'Is Portfolio',
		name: 'isPortfolio',
		type: 'boolean',
		default: false,
		description: 'Whether the project sells several properties; sent as asset.type "portfolio" (otherwise "single")',
	},
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	{
		displayName: 'Price',
		name: 'price',
		type: 'fixedCollection',
		default: {},
		placeholder: 'Add Price',
		options: [
			{
				displayName: 'Price',
				name: 'value',
				values: [
					{ displayName: 'Amount', name: 'value', type: 'number', default: 0, description: 'Multiplied by Scale, e.g. 1500 millions' },
					{ displayName: 'Currency', name: 'currency', type: 'string', default: 'SEK', description: 'ISO 4217 code' },
					{ displayName: 'Scale', name: 'scale', type: 'options', default: 'none', options: optionsOf(['none', 'thousands', 'millions', 'billions']) },
				],
			},
		],
	},
	{
		displayName: 'Property Count',
		name: 'propertyCount',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 2,
		description: 'Number of properties in a portfolio; sent as asset.propertyCount',
	},
];

/**
 * Propstreet models the spec's isPortfolio/propertyCount as `asset: { type, propertyCount }`
 * (errata: send what the reference models). propertyCount only means something for a portfolio.
 */
export function projectBody(this: IExecuteFunctions, fields: IDataObject, i: number): IDataObject {
	const body: IDataObject = {};
	if (fields.name !== undefined) {
		const name = String(fields.name).trim();
		if (!name) fail.call(this, i, `"Name" on item ${i} is empty`);
		if (name.length > 200) fail.call(this, i, `"Name" on item ${i} is longer than 200 characters`);
		body.name = name;
	}
	if (fields.isPortfolio !== undefined || fields.propertyCount !== undefined) {
		const count = fields.propertyCount === undefined || fields.propertyCount === '' ? undefined : Number(fields.propertyCount);
		if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
			fail.call(this, i, `"Property Count" on item ${i} must be a whole number of at least 1, got ${String(fields.propertyCount)}`);
		}
		const portfolio = fields.isPortfolio === undefined ? (count ?? 1) > 1 : !!fields.isPortfolio;
		if (!portfolio && count !== undefined && count > 1) {
			fail.call(this, i, `"Property Count" on item ${i} is ${count} but "Is Portfolio" is off: a single-asset project has one property`);
		}
		body.asset = { type: portfolio ? 'portfolio' : 'single', propertyCount: portfolio ? count ?? null : null };
	}
	if (fields.exclusivity !== undefined) body.exclusivity = fields.exclusivity === '' ? null : fields.exclusivity;
	const price = (fields.price as IDataObject | undefined)?.value as IDataObject | undefined;
	if (price) {
		const value = Number(price.value);
		const currency = String(price.currency ?? '').trim().toUpperCase();
		if (!Number.isFinite(value) || value < 0) fail.call(this, i, `"Price" amount on item ${i} must be a number ≥ 0`);
		if (!/^[A-Z]{3}$/.test(currency)) fail.call(this, i, `"Price" currency on item ${i} must be a 3-letter ISO 4217 code, got "${currency}"`);
		body.price = { value, currency, scale: price.scale ?? 'none' };
	}
	if (fields.externalRefs !== undefined || fields.externalRefsJson !== undefined) {
		const refs = externalRefsFrom.call(this, fields, i) ?? [];
		const seen = new Set<string>();
		for (const r of refs) {
			const ns = r.namespace.toLowerCase();
			if (seen.has(ns)) fail.call(this, i, `"External References" on item ${i} has namespace "${r.namespace}" twice; a project takes one per namespace`);
			seen.add(ns);
		}
		body.externalRefs = refs;
	}
	return body;
}
