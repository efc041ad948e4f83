/**
 * Add many prospects: all input items at once, grouped by project and sent 100 per call to
 * `POST /api/v1/projects/{id}/prospects:batch` (ARCHITECTURE "API decisions"). Every input item gets
 * one output item: the created prospect, or `{ failed: true, error, message }` for an item the
 * server refused — partial success is reported, not thrown.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { chunk, PROPSTREET_BATCH_SIZE } from '../../../shared/core/http';
import { externalRefsJsonProperty, externalRefsProperty } from '../properties';
import { forOperation, nodeError } from '../operation';
import { requiredId } from '../parameters';
import { projectLocator } from './fields';
import { prospectRequest, prospectTargetProperties } from './add';
import { encodePathSegment, propstreetRequest } from '../../transport';
import { PROJECTS_PATH } from '../project/fields';

export const description: INodeProperties[] = forOperation('prospect', 'addMany', [
	{
		displayName: 'Takes all input items and adds them in batches of 100, one output item per input item',
		name: 'addManyNotice',
		type: 'notice',
		default: '',
	},
	projectLocator,
	...prospectTargetProperties,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [externalRefsProperty(), externalRefsJsonProperty()] },
]);

interface Pending {
	itemIndex: number;
	request: IDataObject;
}

function errorItem(itemIndex: number, json: IDataObject): INodeExecutionData {
	return { json: { failed: true, ...json }, pairedItem: { item: itemIndex } };
}

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const byProject = new Map<string, Pending[]>();
	for (let i = 0; i < items.length; i++) {
		try {
			const projectId = requiredId.call(this, 'projectId', i, 'Project');
			const request = prospectRequest.call(this, i);
			const list = byProject.get(projectId) ?? [];
			list.push({ itemIndex: i, request });
			byProject.set(projectId, list);
		} catch (error) {
			if (!this.continueOnFail()) throw nodeError.call(this, error, i);
			results[i] = errorItem(i, { error: (error as Error).message });
		}
	}

	for (const [projectId, pending] of byProject) {
		for (const part of chunk(pending, PROPSTREET_BATCH_SIZE)) {
			let body: IDataObject;
			try {
				const response = await propstreetRequest(this, {
					method: 'POST',
					path: `${PROJECTS_PATH}/${encodePathSegment(projectId)}/prospects:batch`,
					body: { prospects: part.map((p) => p.request) },
					itemIndex: part[0].itemIndex,
				});
				body = (response.body ?? {}) as IDataObject;
			} catch (error) {
				if (!this.continueOnFail()) throw nodeError.call(this, error, part[0].itemIndex);
				for (const p of part) results[p.itemIndex] = errorItem(p.itemIndex, { projectId, ...p.request, error: (error as Error).message });
				continue;
			}
			const created = (Array.isArray(body.created) ? body.created : []) as IDataObject[];
			const failed = (Array.isArray(body.failed) ? body.failed : []) as IDataObject[];
			const failedAt = new Map<number, IDataObject>();
			for (const f of failed) if (Number.isInteger(Number(f.index))) failedAt.set(Number(f.index), f);
			const unclaimed = [...created];
			for (let k = 0; k < part.length; k++) {
				const { itemIndex, request } = part[k];
				const failure = failedAt.get(k);
				if (failure) {
					results[itemIndex] = errorItem(itemIndex, { projectId, ...request, error: failure.error ?? 'failed', message: failure.message ?? null, index: k });
					continue;
				}
				// `created` has no index: match on the id we sent, else take the next in order.
				let at = unclaimed.findIndex((c) => (request.contactId !== undefined ? c.contactId === request.contactId : c.companyId === request.companyId));
				if (at === -1) at = unclaimed.length ? 0 : -1;
				if (at === -1) {
					results[itemIndex] = errorItem(itemIndex, { projectId, ...request, error: 'missing_in_response', message: 'The batch response reported neither success nor failure for this item' });
					continue;
				}
				const [prospect] = unclaimed.splice(at, 1);
				results[itemIndex] = { json: { projectId, ...prospect }, pairedItem: { item: itemIndex } };
			}
		}
	}
	const out = results.filter((r): r is INodeExecutionData => r !== undefined);
	if (out.length !== items.length) throw new NodeOperationError(this.getNode(), 'Internal error: an input item got no result');
	return out;
}
