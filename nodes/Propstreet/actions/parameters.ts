/** Reading the Propstreet node's parameters for one item: required text and ids, JSON, dates, tags and list options, with errors naming the field and the item. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { validId, type IdKind } from '../../shared/core/ids';
import { fail } from './operation';

function describeField(label: string, itemIndex: number): string {
	return `"${label}" on item ${itemIndex}`;
}

export function requiredString(this: IExecuteFunctions, name: string, itemIndex: number, label: string): string {
	const raw = this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = raw === undefined || raw === null ? '' : String(raw).trim();
	if (!value) {
		throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} is empty`, {
			itemIndex,
			description: `Set the "${label}" parameter, or check the expression that fills it.`,
		});
	}
	return value;
}

const ID_RULES: Record<IdKind, string> = {
	propstreet: 'A Propstreet ID holds only letters, digits, "_" and "-" (1 to 64 characters).',
	pipedrive: 'A Pipedrive ID is a positive whole number.',
	externalRef: 'An external ID is 1 to 255 characters, without control characters, and not "." or "..".',
};

/**
 * A required id parameter, checked (core/ids) before it goes into a path: an id such as
 * `1/../../deals/9` is refused here, with the field and the item, before any request.
 */
export function requiredId(this: IExecuteFunctions, name: string, itemIndex: number, label: string, kind: IdKind = 'propstreet'): string {
	const raw = requiredString.call(this, name, itemIndex, label);
	const id = validId(raw, kind);
	if (id === undefined) {
		const shown = JSON.stringify(raw.length > 60 ? `${raw.slice(0, 59)}…` : raw);
		throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} is not a valid ID: ${shown}`, {
			itemIndex,
			description: `${ID_RULES[kind]} Check the "${label}" parameter, or the expression that fills it.`,
		});
	}
	return id;
}

export function optionalString(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const s = String(value).trim();
	return s === '' ? undefined : s;
}

/** A JSON parameter (string or already an object/array), with an error naming the field. */
export function jsonParameter<T = IDataObject>(this: IExecuteFunctions, name: string, itemIndex: number, label: string, expect: 'object' | 'array' | 'any' = 'object'): T {
	const raw = this.getNodeParameter(name, itemIndex) as unknown;
	return parseJsonValue.call(this, raw, itemIndex, label, expect) as T;
}

export function parseJsonValue(this: IExecuteFunctions, raw: unknown, itemIndex: number, label: string, expect: 'object' | 'array' | 'any' = 'object'): unknown {
	let value = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') value = expect === 'array' ? [] : {};
		else {
			try {
				value = JSON.parse(raw);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} is not valid JSON`, {
					itemIndex,
					description: (error as Error).message,
				});
			}
		}
	}
	if (expect === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
		throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} must be a JSON object`, { itemIndex });
	}
	if (expect === 'array' && !Array.isArray(value)) {
		throw new NodeOperationError(this.getNode(), `${describeField(label, itemIndex)} must be a JSON array`, { itemIndex });
	}
	return value;
}

/** Propstreet expects ISO 8601 with an offset; accept anything Date can read and normalise it. */
export function isoDate(this: IExecuteFunctions, value: unknown, itemIndex: number, label: string): string | undefined {
	const s = optionalString(value);
	if (!s) return undefined;
	const t = Date.parse(s);
	if (Number.isNaN(t)) fail.call(this, itemIndex, `${describeField(label, itemIndex)} is not a date: "${s}"`);
	return new Date(t).toISOString();
}

export function parseTags(value: unknown): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
	const s = String(value);
	return s
		.split(',')
		.map((t) => t.trim())
		.filter(Boolean);
}

export function readListOptions(this: IExecuteFunctions, itemIndex: number) {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const since = isoDate.call(this, filters.updatedSince, itemIndex, 'Updated Since');
	if (since) qs.updated_since = since;
	if (filters.includeDeleted) qs.include_deleted = true;
	return { returnAll, limit, filters, qs };
}
