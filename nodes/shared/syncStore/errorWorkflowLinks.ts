/**
 * Points every bundled workflow at the bundled Error Handler through n8n's public API, with the
 * sync state credential (the same instance and key). Needed after an editor import, which drops
 * `settings.errorWorkflow` and gives the handler a new id; after a CLI import it changes nothing.
 * n8n 2.x runs only a published (active) error workflow, so the handler is published too.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { planErrorWorkflowLinks, withErrorWorkflow, type ListedWorkflow } from '../core/errorWorkflow/links';
import { DataTableApi, readSettings } from './api';

type FullWorkflow = { name: string; nodes: unknown[]; connections: IDataObject; settings?: Record<string, unknown> | null };

async function listWorkflows(api: DataTableApi): Promise<ListedWorkflow[]> {
	const all: ListedWorkflow[] = [];
	let cursor: string | undefined;
	do {
		const answer = await api.call<{ data?: ListedWorkflow[]; nextCursor?: string | null }>({
			method: 'GET',
			path: '/workflows',
			qs: { limit: 250, excludePinnedData: true, ...(cursor ? { cursor } : {}) },
			operation: 'Listing the workflows',
			scope: 'workflow:list',
		});
		all.push(...(answer.body.data ?? []).map((wf) => ({ ...wf, id: String(wf.id) })));
		cursor = answer.body.nextCursor ?? undefined;
	} while (cursor);
	return all;
}

/** Saves one workflow with the handler as its error workflow (nodes and connections as stored). */
async function linkOne(api: DataTableApi, id: string, handlerId: string): Promise<void> {
	const path = `/workflows/${encodeURIComponent(id)}`;
	const { body } = await api.call<FullWorkflow>({ method: 'GET', path, operation: `Reading workflow ${id}`, scope: 'workflow:read' });
	await api.call({
		method: 'PUT',
		path,
		body: { name: body.name, nodes: body.nodes as IDataObject[], connections: body.connections, settings: withErrorWorkflow(body.settings, handlerId) as IDataObject },
		operation: `Setting the error workflow of "${body.name}"`,
		scope: 'workflow:update',
	});
}

export async function linkBundledWorkflowsToErrorHandler(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const api = new DataTableApi(ctx, await readSettings(ctx, itemIndex), itemIndex);
	const plan = planErrorWorkflowLinks(await listWorkflows(api));
	if (!plan.ok) throw new NodeOperationError(ctx.getNode(), `The workflows were not linked to the Error Handler: ${plan.problem}`, { itemIndex });
	for (const wf of plan.toLink) await linkOne(api, wf.id, plan.handler.id);
	if (!plan.handler.active) {
		await api.call({ method: 'POST', path: `/workflows/${encodeURIComponent(plan.handler.id)}/activate`, operation: 'Publishing the Error Handler', scope: 'workflow:activate' });
	}
	return {
		errorHandlerId: plan.handler.id,
		published: plan.handler.active ? 'already' : 'now',
		linkedNow: plan.toLink.map((wf) => ({ name: wf.name, id: wf.id, was: wf.was })),
		alreadyLinked: plan.linked,
	};
}
