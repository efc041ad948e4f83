/** Parameters and HTTP ports shared by Sync contact and Sync company. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import {
	CONFLICT_POLICIES,
	type ConflictPolicy,
	type JsonRecord,
	type PatchResult,
	type ReadRecord,
	type Side,
	type SyncInput,
	type SyncOutcome,
	type UpdatePorts,
} from '../../shared/core/sync';
import { isValidId } from '../../shared/core/ids';
import { check } from '../../shared/core/schemas/check';
import { propstreetRecord } from '../../shared/core/schemas/propstreet';
import { fail, forOperation, toItems } from './operation';
import { optionalString, parseJsonValue } from './parameters';
import { encodePathSegment, etagOf, propstreetRequest } from '../transport';

export function syncProperties(resource: 'contact' | 'company'): INodeProperties[] {
	const extraOptions: INodeProperties[] =
		resource === 'company'
			? [
					{
						displayName: 'Org Number Namespace Prefix',
						name: 'orgNumberPrefix',
						type: 'string',
						default: 'orgnr-',
						description: 'External refs whose namespace starts with this (orgnr-se, orgnr-no, …) are matched as organisation numbers',
					},
				]
			: [];
	return forOperation(resource, 'sync', [
		{
			displayName: 'Record',
			name: 'record',
			type: 'json',
			default: '={{ $json.body }}',
			required: true,
			description: `The Propstreet ${resource} request body, as the Pipedrive Propstreet Mapper outputs it`,
		},
		{
			displayName: 'Source ID',
			name: 'sourceId',
			type: 'string',
			default: '={{ $json.match.pipedriveId }}',
			required: true,
			description: 'ID of the record in the source system; stored in Propstreet as an external reference',
		},
		{
			displayName: 'Source Updated At',
			name: 'sourceUpdatedAt',
			type: 'string',
			default: '={{ $json.sourceUpdatedAt }}',
			description: 'When the source record last changed (ISO 8601); compared with Propstreet updatedUtc by the Last Write Wins policy',
		},
		{
			displayName: 'Source Event ID',
			name: 'sourceEventId',
			type: 'string',
			default: '={{ $json.sourceEventId }}',
			description: 'ID of the change event; Idempotency-Keys are derived from it so a re-delivered event creates nothing twice',
		},
		{
			displayName: 'Conflict Policy',
			name: 'conflictPolicy',
			type: 'options',
			default: 'lastWriteWins',
			description: 'What to do when Propstreet changed the same field between our read and our write (HTTP 412)',
			options: [
				{ name: 'Last Write Wins', value: 'lastWriteWins', description: 'The newer of Propstreet updatedUtc and Source Updated At wins' },
				{ name: 'Manual Review', value: 'manualReview', description: 'Write nothing and output the item with action "conflict"' },
				{ name: 'Per Field', value: 'perField', description: 'A field → side map decides' },
				{ name: 'Propstreet Wins', value: 'propstreetWins', description: "Keep Propstreet's concurrent edits" },
				{ name: 'Source Wins', value: 'sourceWins', description: "Overwrite with the source's values" },
			],
		},
		{
			displayName: 'Field Owners',
			name: 'fieldOwners',
			type: 'json',
			default: '{\n  "strategy": "propstreet"\n}',
			description: 'JSON map of field name → "source" or "propstreet": who wins that field in a conflict',
			displayOptions: { show: { conflictPolicy: ['perField'] } },
		},
		{
			displayName: 'Other Fields Owner',
			name: 'defaultOwner',
			type: 'options',
			default: 'propstreet',
			options: [
				{ name: 'Propstreet', value: 'propstreet' },
				{ name: 'Source', value: 'source' },
			],
			description: 'Who wins a conflicting field that Field Owners does not name',
			displayOptions: { show: { conflictPolicy: ['perField'] } },
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Create If Missing',
					name: 'createIfMissing',
					type: 'boolean',
					default: true,
					description: `Whether to create the ${resource} when nothing matches; off = update only, unmatched items come out as "skipped"`,
				},
				{
					displayName: 'Max Conflict Retries',
					name: 'maxConflictRetries',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 10 },
					default: 3,
					description: 'How often a write refused with 412 is re-read and re-applied',
				},
				...extraOptions,
				{
					displayName: 'Source Namespace',
					name: 'sourceNamespace',
					type: 'string',
					default: 'pipedrive',
					description: 'External-reference namespace that holds the Source ID',
				},
			],
		},
	]);
}

export interface SyncParameters {
	input: SyncInput;
	options: IDataObject;
}

export function readSyncParameters(this: IExecuteFunctions, i: number): SyncParameters {
	const desired = parseJsonValue.call(this, this.getNodeParameter('record', i), i, 'Record', 'object') as JsonRecord;
	const sourceId = optionalString(this.getNodeParameter('sourceId', i, ''));
	if (!sourceId) fail.call(this, i, `"Source ID" on item ${i} is empty`, 'The sync stores it as the external reference; map it from the Mapper output (match.pipedriveId).');
	const policy = this.getNodeParameter('conflictPolicy', i, 'lastWriteWins') as ConflictPolicy;
	if (!CONFLICT_POLICIES.includes(policy)) fail.call(this, i, `"Conflict Policy" on item ${i} is not one of ${CONFLICT_POLICIES.join(', ')}`);
	const sourceUpdatedAt = optionalString(this.getNodeParameter('sourceUpdatedAt', i, ''));
	if (sourceUpdatedAt && Number.isNaN(Date.parse(sourceUpdatedAt))) {
		fail.call(this, i, `"Source Updated At" on item ${i} is not a date: "${sourceUpdatedAt}"`);
	}
	if (policy === 'lastWriteWins' && !sourceUpdatedAt) {
		fail.call(this, i, `"Source Updated At" on item ${i} is empty, but the Last Write Wins policy needs it`);
	}
	let fieldOwners: Record<string, Side> | undefined;
	let defaultOwner: Side | undefined;
	if (policy === 'perField') {
		const map = parseJsonValue.call(this, this.getNodeParameter('fieldOwners', i, '{}'), i, 'Field Owners', 'object') as IDataObject;
		fieldOwners = {};
		for (const [field, side] of Object.entries(map)) {
			if (side !== 'source' && side !== 'propstreet') {
				fail.call(this, i, `"Field Owners" on item ${i}: field "${field}" must map to "source" or "propstreet", got ${JSON.stringify(side)}`);
			}
			fieldOwners[field] = side as Side;
		}
		defaultOwner = this.getNodeParameter('defaultOwner', i, 'propstreet') as Side;
	}
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const sourceNamespace = optionalString(options.sourceNamespace) ?? 'pipedrive';
	// The source id becomes the external ref and part of the lookup path: a Pipedrive id must be one.
	const sourceIdKind = sourceNamespace.toLowerCase() === 'pipedrive' ? 'pipedrive' : 'externalRef';
	if (!isValidId(sourceId, sourceIdKind)) {
		fail.call(this, i, `"Source ID" on item ${i} is not a valid ${sourceIdKind === 'pipedrive' ? 'Pipedrive ID' : 'external ID'}: ${JSON.stringify(sourceId)}`, 'Map it from the Mapper output (match.pipedriveId); a Pipedrive ID is a positive whole number.');
	}
	const maxRetries = options.maxConflictRetries === undefined ? undefined : Number(options.maxConflictRetries);
	return {
		options,
		input: {
			desired,
			sourceNamespace,
			sourceId: sourceId as string,
			sourceEventId: optionalString(this.getNodeParameter('sourceEventId', i, '')),
			conflict: { policy, sourceUpdatedAt, fieldOwners, defaultOwner },
			createIfMissing: options.createIfMissing === undefined ? true : !!options.createIfMissing,
			maxConflictRetries: maxRetries !== undefined && Number.isFinite(maxRetries) ? maxRetries : undefined,
		},
	};
}

function asRecord(body: unknown): JsonRecord {
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as JsonRecord) : {};
}

/** GET/PATCH ports over one Propstreet collection path (contacts or companies). */
export function basePorts(this: IExecuteFunctions, basePath: string, i: number): UpdatePorts & { getByExternalRef(ns: string, id: string): Promise<ReadRecord | null> } {
	const read = async (path: string): Promise<ReadRecord | null> => {
		const response = await propstreetRequest(this, { method: 'GET', path, acceptStatuses: [404], itemIndex: i });
		if (response.statusCode === 404) return null;
		return { record: answeredRecord(response.body, path), etag: etagOf(response) };
	};
	// The sync compares with and writes back to what Propstreet answered: it must be a record with an id.
	const answeredRecord = (body: unknown, path: string): JsonRecord => {
		const checked = check(propstreetRecord, body, `Propstreet's answer to ${path}`);
		if (!checked.ok) fail.call(this, i, `${checked.message} (item ${i})`);
		return asRecord(body);
	};
	// Record ids come from Propstreet's answers or the workflow's record; check before they form a path.
	const recordPath = (id: string): string => {
		if (!isValidId(id, 'propstreet')) fail.call(this, i, `The Propstreet record ID ${JSON.stringify(id)} on item ${i} is not a valid ID`);
		return `${basePath}/${encodePathSegment(id)}`;
	};
	return {
		getById: async (id) => read(recordPath(id)),
		getByExternalRef: async (ns, id) => read(`${basePath}/external/${encodePathSegment(ns)}/${encodePathSegment(id)}`),
		patchById: async (id, body, etag): Promise<PatchResult> => {
			const response = await propstreetRequest(this, {
				method: 'PATCH',
				path: recordPath(id),
				body: body as IDataObject,
				ifMatch: etag || undefined,
				acceptStatuses: [412],
				itemIndex: i,
			});
			if (response.statusCode === 412) return { ok: false, reason: 'preconditionFailed' };
			return { ok: true, record: answeredRecord(response.body, `${basePath}/${id}`), etag: etagOf(response) };
		},
	};
}

export function outcomeItems(this: IExecuteFunctions, outcome: SyncOutcome, i: number): INodeExecutionData[] {
	return toItems.call(this, outcome as unknown as IDataObject, i);
}

export { asRecord };
