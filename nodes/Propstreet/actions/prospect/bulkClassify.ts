/**
 * Bulk classify: all input items at once, grouped by project and classification, 100 prospect ids
 * per `POST …/prospects/classify` (its documented maximum). One output item per input item with
 * `classified: true`, or `classified: false` and the server's error for that prospect.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { chunk, PROPSTREET_BATCH_SIZE } from '../../../shared/core/http';
import { forOperation, nodeError } from '../operation';
import { requiredId } from '../parameters';
import { checkClassification, classificationProperty, projectLocator, prospectIdProperty } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';
import { PROJECTS_PATH } from '../project/fields';

export const description: INodeProperties[] = forOperation('prospect', 'bulkClassify', [
	{
		displayName: 'Takes all input items and classifies them in batches of 100, one output item per input item',
		name: 'bulkClassifyNotice',
		type: 'notice',
		default: '',
	},
	projectLocator,
	prospectIdProperty,
	classificationProperty,
]);

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const groups = new Map<string, { projectId: string; classification: string; entries: Array<{ itemIndex: number; prospectId: string }> }>();
	for (let i = 0; i < items.length; i++) {
		try {
			const projectId = requiredId.call(this, 'projectId', i, 'Project');
			const prospectId = requiredId.call(this, 'prospectId', i, 'Prospect ID');
			const classification = checkClassification.call(this, this.getNodeParameter('classification', i), i);
			const key = JSON.stringify([projectId, classification]);
			const group = groups.get(key) ?? { projectId, classification, entries: [] };
			group.entries.push({ itemIndex: i, prospectId });
			groups.set(key, group);
		} catch (error) {
			if (!this.continueOnFail()) throw nodeError.call(this, error, i);
			results[i] = { json: { classified: false, error: (error as Error).message }, pairedItem: { item: i } };
		}
	}
	for (const { projectId, classification, entries } of groups.values()) {
		for (const part of chunk(entries, PROPSTREET_BATCH_SIZE)) {
			let body: IDataObject;
			try {
				const response = await propstreetRequest(this, {
					method: 'POST',
					path: `${PROJECTS_PATH}/${encodePathSegment(projectId)}/prospects/classify`,
					body: { prospectIds: part.map((e) => e.prospectId), classification },
					itemIndex: part[0].itemIndex,
				});
				body = (response.body ?? {}) as IDataObject;
			} catch (error) {
				if (!this.continueOnFail()) throw nodeError.call(this, error, part[0].itemIndex);
				for (const e of part) {
					results[e.itemIndex] = { json: { projectId, prospectId: e.prospectId, classification, classified: false, error: (error as Error).message }, pairedItem: { item: e.itemIndex } };
				}
				continue;
			}
			const succeeded = new Set((Array.isArray(body.succeeded) ? body.succeeded : []).map(String));
			const failed = new Map<string, unknown>();
			for (const f of (Array.isArray(body.failed) ? body.failed : []) as IDataObject[]) failed.set(String(f.prospectId), f.error);
			for (const e of part) {
				const ok = succeeded.has(e.prospectId) || (!failed.has(e.prospectId) && !Array.isArray(body.succeeded));
				const json: IDataObject = { projectId, prospectId: e.prospectId, classification, classified: ok };
				if (!ok) json.error = (failed.get(e.prospectId) as string | undefined) ?? 'not reported as classified';
				results[e.itemIndex] = { json, pairedItem: { item: e.itemIndex } };
			}
		}
	}
	const out = results.filter((r): r is INodeExecutionData => r !== undefined);
	if (out.length !== items.length) throw new NodeOperationError(this.getNode(), 'Internal error: an input item got no result');
	return out;
}
