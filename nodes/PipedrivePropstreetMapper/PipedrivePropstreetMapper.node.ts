import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import {
	buildContext,
	mapRecord,
	type Direction,
	type EntityName,
	type MapperLookups,
} from '../shared/core/mapping';
import { check } from '../shared/core/schemas/check';
import { currentRecord, fieldDefinitions, mapperLookups, stageDefinitions } from '../shared/core/schemas/mapper';
import { parseJsonParameter } from '../shared/jsonParameter';
import { mappingFailure } from '../shared/mappingFailure';
import { readMapperConfig } from '../shared/mapperSettings';
import { mapperProperties } from './description';

type JsonValue = IDataObject | IDataObject[] | string | undefined;

/** A parameter checked against its boundary schema (core/schemas/mapper); the error names the parameter path. */
function validated<T>(ctx: IExecuteFunctions, schema: Parameters<typeof check<T>>[0], value: unknown, parameter: string, itemIndex: number): T {
	const checked = check(schema, value, undefined, parameter);
	if (!checked.ok) {
		throw new NodeOperationError(ctx.getNode(), `Parameter ${checked.message} (item ${itemIndex})`, {
			itemIndex,
			description: `Check "${parameter}" and the expression that fills it.`,
		});
	}
	return checked.value;
}

function getPath(data: IDataObject, path: string): unknown {
	let value: unknown = data;
	for (const part of path.split('.').filter((p) => p !== '')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[part];
	}
	return value;
}

function readLookups(ctx: IExecuteFunctions, i: number): MapperLookups {
	const raw = ctx.getNodeParameter('lookups', i, {}) as IDataObject;
	const given: IDataObject = {};
	for (const key of ['propstreetCompanyId', 'pipedriveOrgId', 'propstreetContactId', 'pipedrivePersonId', 'propstreetProjectId', 'pipedriveDealId'] as const) {
		const value = raw[key];
		if (value !== undefined && value !== null && String(value).trim() !== '') given[key] = typeof value === 'number' ? value : String(value).trim();
	}
	for (const key of ['companyIdMap', 'contactIdMap'] as const) {
		const map = parseJsonParameter(ctx, raw[key] as JsonValue, key, i);
		if (map !== undefined) given[key] = map as IDataObject;
	}
	const checked = validated(ctx, mapperLookups, given, 'lookups', i);
	const lookups: MapperLookups = {};
	for (const [key, value] of Object.entries(checked)) {
		if (value === undefined || value === null || value === '') continue;
		if (key === 'companyIdMap' || key === 'contactIdMap') {
			const pairs = Object.entries(value as Record<string, unknown>).filter(([, id]) => id !== undefined && id !== null && id !== '');
			lookups[key] = Object.fromEntries(pairs.map(([k, id]) => [k, String(id)]));
		} else {
			lookups[key as Exclude<keyof MapperLookups, 'companyIdMap' | 'contactIdMap'>] = String(value);
		}
	}
	return lookups;
}

export class PipedrivePropstreetMapper implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pipedrive Propstreet Mapper',
		name: 'pipedrivePropstreetMapper',
		icon: { light: 'file:mapper.svg', dark: 'file:mapper.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["entity"] + ": " + ($parameter["direction"] === "toPipedrive" ? "Propstreet → Pipedrive" : "Pipedrive → Propstreet")}}',
		description: 'Map Pipedrive persons, organizations, deals, participants and notes to Propstreet bodies and back',
		defaults: { name: 'Pipedrive Propstreet Mapper' },
		// Not an AI tool. n8n-workflow's type admits only `true`, so "off" is spelled undefined; the
		// lint rule only asks that the field be declared.
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Mapped', 'Review'],
		properties: mapperProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const mapped: INodeExecutionData[] = [];
		const review: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const direction = this.getNodeParameter('direction', i) as Direction;
				const entity = this.getNodeParameter('entity', i) as EntityName;
				const recordField = String(this.getNodeParameter('recordField', i, '') ?? '').trim();
				const record = recordField ? getPath(items[i].json, recordField) : items[i].json;
				if (record === undefined || record === null) {
					throw new NodeOperationError(this.getNode(), `Item ${i} has no value at Record Field "${recordField}"`, { itemIndex: i });
				}
				const json = (name: string) => parseJsonParameter(this, this.getNodeParameter(name, i, '') as JsonValue, name, i);
				const current = validated(this, currentRecord, json('currentRecord'), 'currentRecord', i);
				const config = readMapperConfig(this, i);
				const context = buildContext({
					entity,
					fieldDefinitions: validated(this, fieldDefinitions, json('fieldDefinitions'), 'fieldDefinitions', i),
					stageDefinitions: validated(this, stageDefinitions, json('stageDefinitions'), 'stageDefinitions', i),
					lookups: readLookups(this, i),
					current: current as IDataObject | undefined,
				});
				const result = mapRecord(record, entity, direction, config, context);
				const out: INodeExecutionData = { json: result as unknown as IDataObject, pairedItem: { item: i } };
				if (result.conflict?.needsReview) review.push(out);
				else mapped.push(out);
			} catch (error) {
				const failure = mappingFailure(this, error, i);
				if (this.continueOnFail()) {
					mapped.push({ json: { error: failure.message, description: failure.description ?? null }, pairedItem: { item: i } });
					continue;
				}
				throw failure;
			}
		}
		return [mapped, review];
	}
}
